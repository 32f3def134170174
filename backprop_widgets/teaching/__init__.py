"""Teaching: the exercise sheet, reading and judging answers, the catalogue of mistakes."""

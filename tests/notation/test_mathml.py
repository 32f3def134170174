"""LaTeX → MathML as the package writes it: signs, rows aligned on their relation, pieces."""

import re

import pytest

from backprop_widgets.notation import mathml

MINUS = "&#x02212;"


def minus_forms(latex: str) -> list[str]:
    """The ``form`` of each minus sign in the MathML of ``latex`` ("" where none is given)."""
    return re.findall(rf'<mo(?: form="(\w+)")?>{MINUS}</mo>', mathml.math(latex))


@pytest.mark.parametrize(
    ("latex", "forms"),
    [
        ("a = -0.4", ["prefix"]),  # a sign after a relation
        ("(-1, -2)", ["prefix", "prefix"]),  # after an opening parenthesis and a comma
        (r"\theta \leftarrow -0.5", ["prefix"]),
        ("a - b", [""]),  # subtraction keeps its spacing
        ("(a) - b", [""]),  # so does subtraction after a closing parenthesis
        ("a = 1 - 2", [""]),
    ],
)
def test_a_minus_after_an_operator_is_a_sign_and_one_between_terms_subtracts(latex, forms):
    assert minus_forms(latex) == forms


def test_math_is_native_mathml_inline_or_displayed():
    inline = mathml.math(r"\delta^{2}_{1}")
    assert inline.startswith("<math") and 'display="inline"' in inline
    assert "<msubsup>" in inline and "&#x003B4;" in inline
    assert 'display="block"' in mathml.math("x", display=True)


def test_pieces_break_only_at_top_level_signs_and_keep_the_sign_with_what_follows():
    assert mathml.pieces(r"a = {b + c} + d - e") == ["a", "= {b + c}", "+ d", "- e"]
    assert mathml.pieces(r"\frac{a + b}{c}") == [r"\frac{a + b}{c}"]


def test_rows_align_on_the_relation_and_keep_titles_and_latex():
    html = mathml.rows(r"\text{Forward pass} \\ a &= b + c \\ &\quad + d")
    assert html.count('class="bw-math-title"') == 1
    assert html.count('class="bw-math-row"') == 2
    assert 'data-latex="a &amp;= b + c"' in html
    assert html.count('class="bw-math-lhs"') == 2


def test_strip_aligned_returns_the_body():
    assert mathml.strip_aligned(r"\begin{aligned} a &= b \end{aligned}") == " a &= b "
    assert mathml.strip_aligned("a = b") == "a = b"


def test_prose_draws_the_lecture_formulas_it_quotes_and_escapes_the_rest():
    from backprop_widgets.notation import formulas

    delta = formulas.output_delta(3)
    html = mathml.prose(f"Use {delta} <here>\nthen stop.")
    assert html.startswith("Use <math")
    assert mathml.math(delta.latex) in html
    assert delta.text not in html  # drawn, not quoted
    assert "&lt;here&gt;<br>then stop." in html
    assert mathml.prose("a < b") == "a &lt; b"


def test_prose_prefers_the_longest_formula_quoted():
    from backprop_widgets.notation import formulas

    whole = formulas.GRADIENT_DESCENT  # quotes no shorter formula's text, but check the order
    html = mathml.prose(f"Step: {whole}.")
    assert html.count("<math") == 1 and html.endswith("</math>.")

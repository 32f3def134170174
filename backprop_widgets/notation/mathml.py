"""Mathematics as native MathML, written by the package: no MathJax, no CDN.

Browsers lay out MathML Core themselves (Chromium, Firefox, Safari), so a formula drawn this
way shows in JupyterLab, Notebook 7, Voila, VS Code, Colab and an exported HTML file alike,
and costs no typesetting. The LaTeX the package writes (``formulas``, the derivation) stays the
source: ``math(latex)`` converts one formula with ``latex2mathml``, and ``rows(body)`` turns
the rows of an ``aligned`` environment into an HTML grid of MathML, each row aligned on its
relation sign, titles as text, and long right-hand sides cut into pieces the browser can wrap
between (after a ``=``, a ``+``, a ``−`` or a ``\\cdot`` at the top level).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from latex2mathml.converter import convert

from .formulas import written_in

_TOKEN = re.compile(
    r"(?P<open>\\begin\{[a-z*]+\}|\\left\b|\{)"
    r"|(?P<close>\\end\{[a-z*]+\}|\\right\b|\})"
    r"|(?P<escaped>\\.)"
    r"|[^\\{}]+"
)
_TITLE = re.compile(r"^\s*&?\s*\\text\{")
_ROW_END = re.compile(r"\\\\(\[[^\]]*\])?")
DISPLAY = "\\displaystyle "  # fractions and sums at full size, as in displayed maths
_BREAKS = (" = ", " + ", " - ", r" \cdot ", r"\quad ", r",\; ")
# A minus right after another operator (=, ←, an opening parenthesis, a comma, …) is a sign, as
# TeX reads it: "= −0.4". MathML would space it as subtraction unless told it is a prefix.
_SIGN = re.compile(r"(<mo(?: [^>]*)?>(?P<before>[^<]*)</mo>)<mo>&#x02212;</mo>")
_CLOSERS = {"&#x00029;", "&#x0005D;", "&#x0007D;", "&#x0007C;", "&#x02016;", "&#x0221E;"}


def _top_mask(latex: str) -> bytearray:
    """1 for each character outside every group, environment and \\left…\\right pair (a
    \\bigl( … \\bigr) has fixed-size parentheses and may be cut); an escaped character (\\{,
    \\\\) counts by its backslash."""
    mask, depth = bytearray(len(latex)), 0
    for token in _TOKEN.finditer(latex):
        kind = token.lastgroup
        if kind == "close":
            depth -= 1
        elif kind == "open":
            depth += 1
        elif depth == 0:
            end = token.start() + 1 if kind == "escaped" else token.end()
            mask[token.start() : end] = b"\x01" * (end - token.start())
    return mask


def _cuts(latex: str, separators: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each top-level occurrence of any of ``separators``, in order."""
    mask, found = _top_mask(latex), []
    for separator in separators:
        k = latex.find(separator)
        while k >= 0:
            if mask[k]:
                found.append((k, k + len(separator)))
            k = latex.find(separator, k + len(separator))
    return sorted(found)


def split_top(latex: str, separator: str) -> list[str]:
    """``latex`` cut at each ``separator`` that stands at the top level."""
    pieces, start = [], 0
    for begin, end in _cuts(latex, (separator,)):
        pieces.append(latex[start:begin])
        start = end
    return [*pieces, latex[start:]]


def _rows_of(body: str) -> list[str]:
    """The rows of an ``aligned`` body, cut at the top-level ``\\\\`` (with or without
    ``[1ex]``)."""
    mask = _top_mask(body)
    rows, start = [], 0
    for found in _ROW_END.finditer(body):
        if mask[found.start()]:
            rows.append(body[start : found.start()])
            start = found.end()
    return [row for row in [*rows, body[start:]] if row.strip()]


@lru_cache(maxsize=4096)
def math(latex: str, display: bool = False) -> str:
    """One formula as a ``<math>`` element (``display="block"`` when ``display``)."""
    converted = convert(latex.strip(), display="block" if display else "inline")
    return _SIGN.sub(_sign, converted)


def _sign(found: re.Match) -> str:
    if found["before"] in _CLOSERS:  # "(a) − b" subtracts
        return found[0]
    return f'{found[1]}<mo form="prefix">&#x02212;</mo>'


def pieces(latex: str) -> list[str]:
    """A long formula cut at its top-level relation and operator signs, each sign kept at the
    start of the piece it begins, so that the browser may wrap between pieces."""
    latex = latex.strip()
    out, start = [], 0
    for begin, end in _cuts(latex, _BREAKS):
        cut = end if latex[begin] == "," else begin  # a comma ends its piece; a sign begins one
        if cut >= start:
            out.append(latex[start:cut])
            start = cut
    out.append(latex[start:])
    return [piece.strip() for piece in out if piece.strip()]


# A piece that begins with one of these continues a sum or product: an empty group before the
# sign keeps its spacing as an operator between terms ("· 0.24", not "·0.24"; "− 0.6", not a sign).
_CONTINUES = ("- ", "+ ", "\\cdot ")


def _cell(latex: str, wrap: bool) -> str:
    parts = pieces(latex) if wrap else [latex]
    shown = [math(DISPLAY + ("{}" if part.startswith(_CONTINUES) else "") + part) for part in parts]
    return "".join(f'<span class="bw-math-piece">{piece}</span>' for piece in shown)


def _latex_attribute(latex: str) -> str:
    """``data-latex="…"``: the LaTeX a piece of maths was drawn from, kept for copying to
    slides (and for tests)."""
    text = latex.strip().replace("&", "&amp;").replace('"', "&quot;")
    return f'data-latex="{text.replace("<", "&lt;").replace(">", "&gt;")}"'


def line(latex: str) -> str:
    """One displayed formula as a line that wraps between its top-level terms."""
    return f'<div class="bw-math-line" {_latex_attribute(latex)}>{_cell(latex, wrap=True)}</div>'


def rows(body: str) -> str:
    """An ``aligned`` body (rows ``lhs &= rhs`` cut by ``\\\\``) as an HTML grid of MathML.

    A row that is only ``\\text{…}`` becomes a title; a row ``&\\quad + …`` continues the
    right-hand side above it; the right-hand sides are cut into pieces that wrap.
    """
    out = []
    for row in _rows_of(body):
        if _TITLE.match(row):  # a title, perhaps with a symbol or two: one line, not aligned
            title = row.strip().lstrip("&")
            # Wrapped like a right-hand side: "Instance: a¹ = x = (…), y = …" can be long.
            out.append(
                f'<div class="bw-math-title" {_latex_attribute(title)}>'
                f"{_cell(title, wrap=True)}</div>"
            )
            continue
        cells = split_top(row, "&")
        lhs, rhs = (cells[0], "".join(cells[1:])) if len(cells) > 1 else ("", cells[0])
        rhs = rhs.strip()
        if rhs.startswith(r"\quad"):
            rhs = rhs[len(r"\quad") :]
        out.append(
            f'<div class="bw-math-row" {_latex_attribute(row)}>'
            f'<span class="bw-math-lhs">{_cell(lhs, wrap=False) if lhs.strip() else ""}</span>'
            f'<span class="bw-math-rhs">{_cell(rhs, wrap=True)}</span></div>'
        )
    return '<div class="bw-math-rows">' + "".join(out) + "</div>"


def strip_aligned(latex: str) -> str:
    """The body of a ``\\begin{aligned} … \\end{aligned}`` environment (or ``latex`` itself)."""
    text = latex.strip()
    head, tail = r"\begin{aligned}", r"\end{aligned}"
    if text.startswith(head) and text.endswith(tail):
        return text[len(head) : -len(tail)]
    return text


def prose(text: str) -> str:
    """Plain text (a hint, a feedback message) as HTML: each lecture formula it quotes from
    ``formulas`` drawn as MathML, everything else escaped, line breaks kept."""
    found = written_in(text)
    if not found:
        return html.escape(text).replace("\n", "<br>")
    latex = {formula.text: formula.latex for formula in found}
    quoted = re.compile("|".join(re.escape(formula.text) for formula in found))
    out, start = [], 0
    for match in quoted.finditer(text):
        out.append(html.escape(text[start : match.start()]))
        out.append(math(latex[match[0]]))
        start = match.end()
    out.append(html.escape(text[start:]))
    return "".join(out).replace("\n", "<br>")

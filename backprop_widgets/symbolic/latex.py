"""The LaTeX of a derivation's sections, as templates with slots for the numbers of a call.

The sections, each the rows of an ``aligned`` environment:

- "instance": x, y (and η), the error E and the activation g with its derivative;
- "forward": z and a of each layer;
- "error": E and ∂E/∂ŷ;
- "output" (the cross-entropy only, ``cross_entropy``): ∂E/∂z^L through the softmax's Jacobian
  or the sigmoid's g', simplified to −(y − ŷ), so δ^L = y − ŷ;
- "chain": the chain rule along every path from θ to E, or its Σ when there are too many;
- "delta": the same with the error terms δ, then ∂E/∂θ = −δ a, Δθ and the update.

The lecture's formulas come from ``notation.formulas`` and the numbers are written by
``notation.numbers``; a template is built once per structure and filled on every call.
"""

from __future__ import annotations

from ..notation import formulas, numbers, tex
from . import cross_entropy
from .paths import PATH_LIMIT, SIGMOID, SQUARED
from .template import Template, aligned
from .terms import Terms

__all__ = ["Sections", "Template", "aligned"]

_PER_LINE = 4  # path values per line of a sum


class Sections:
    """The templates of one structure's sections.

    Parameters
    ----------
    terms : Terms
        The quantities of this structure (with its ``paths``).
    activations : tuple of str
        Names of g in layers 1 … L-1 (0-based).
    bias : bool
    """

    def __init__(self, terms: Terms, activations: tuple, bias: bool) -> None:
        self.terms, self.paths = terms, terms.paths
        self.activations, self.bias = activations, bias

    def templates(self) -> dict:
        """Section name → Template, in the order they are shown."""
        enumerated = self.paths.enumerated
        sections = {"instance": self.instance(), "forward": self.forward(), "error": self.error()}
        if self.paths.error != SQUARED:
            sections["output"] = cross_entropy.output(self.paths)
        sections["chain"] = self.chain() if enumerated else self.chain_sum()
        sections["delta"] = self.delta() if enumerated else self.delta_sum()
        return sections

    def instance(self) -> Template:
        out = self.paths.output
        eta = Template().text(r", \quad \eta = ").slot(("eta",))
        t = Template()
        if self.paths.error != SQUARED:  # the loss in the title
            t.text(cross_entropy.title(self.paths)).row()
        t.text(rf"&\text{{Instance: }} {formulas.INPUT.latex} = ")
        t.slot(("vector", "x"), numbers.latex_vector)
        t.text(r", \quad y = ").slot(("vector", "y"), numbers.latex_vector)
        t.when(("eta",), eta).row()
        t.text(f"&{self.terms.error.latex}")
        if self.bias:
            t.text(rf", \quad {formulas.BIAS_UNIT.latex} \text{{ (bias unit)}}")
        t.row()
        hidden, output = self.activations[0], self.activations[-1]
        if hidden == output:
            return t.text(f"&{formulas.activation_latex(output)}")
        layers = "layer 2" if out == 2 else f"layers 2 to {out}"
        t.text(f"&{formulas.activation_latex(hidden)} {tex.words(f' in {layers}')}")
        t.row()
        return t.text(f"&{formulas.activation_latex(output)} {tex.words(f' in layer {out + 1}')}")

    def forward(self) -> Template:
        t = Template().text(r"&\text{Forward pass}")
        for q in range(1, len(self.paths.sizes)):
            t.row().text(tex.align(formulas.net_input(q + 1, self.bias).latex)).row()
            t.text(rf"z^{{{q + 1}}} &= ").slot(("vector", "z", q), numbers.latex_vector)
            t.text(rf", \quad {formulas.activation(q + 1).latex} = ")
            t.slot(("vector", "a", q), numbers.latex_vector)
        return t

    def error(self) -> Template:
        t = Template().text(r"&\text{Compute error}").row()
        t.text(tex.align(self.terms.error.latex) + " = ").slot(("E",))
        t.text(rf", \quad \hat y = a^{{{self.paths.output + 1}}}").row()
        slope = formulas.error_slope(self.paths.output + 1)
        if self.paths.error != SQUARED:
            slope = cross_entropy.slope(self.paths)
        t.text(tex.align(slope.latex) + r": \quad ")
        return t.slot(("vector", "dEda"), numbers.latex_vector)

    # the chain rule

    def _path(self, keys: list, part: str) -> str:
        """One path's factors as partial derivatives (``part="symbol"``) or symbols."""
        separator = " " if part == "symbol" else r"\, "
        return separator.join(getattr(self.terms.factors[key], part) for key in keys)

    def _path_numbers(self, t: Template, keys: list) -> None:
        """A path's factors with numbers: -(y - a) · g'(z) · θ · … · a."""
        k = keys[0][1]
        if self.paths.error == SIGMOID:  # ∂E/∂a^L_k as one number
            t.slot(keys[0], numbers.latex_factor)
            for key in keys[1:]:
                t.text(r" \cdot ").slot(key, numbers.latex_factor)
            return
        t.text("-(").slot(("y", k)).text(" - ")
        t.slot(("a", self.paths.output, k), numbers.latex_factor).text(")")
        for key in keys[1:]:
            t.text(r" \cdot ").slot(key, numbers.latex_factor)

    def chain(self) -> Template:
        paths = self.paths
        theta = tex.theta(*paths.parameter)
        rows = [paths.path_keys(nodes) for nodes in paths.path_nodes]
        t = Template()
        if paths.n_paths == 1:
            t.text(rf"&\text{{Chain rule along the path from }} {theta} \text{{ to }} E").row()
        else:
            t.text(
                rf"&\text{{Chain rule along each of the {paths.n_paths} paths from }} "
                rf"{theta} \text{{ to }} E\text{{, summed}}"
            ).row()
        for p, keys in enumerate(rows):
            t.text(f"{tex.partial('E', theta)} &= " if p == 0 else r"&\quad + ")
            t.text(self._path(keys, "symbol")).row()
        for p, keys in enumerate(rows):
            t.text("&= " if p == 0 else r"&\quad ").text(self._path(keys, "meaning")).row()
        for p, keys in enumerate(rows):
            t.text("&= " if p == 0 else r"&\quad ")
            self._path_numbers(t, keys)
            t.row()
        if paths.n_paths > 1:
            t.text("&= ").slot(("path", 0))
            for p in range(1, paths.n_paths):
                t.text(r" \\" + "\n" + r"&\quad " if p % _PER_LINE == 0 else " ")
                t.slot(("path", p), numbers.latex_signed)
            t.row()
        return t.text("&= ").slot(("value",))

    def chain_sum(self) -> Template:
        paths = self.paths
        theta = tex.theta(*paths.parameter)
        sums = " ".join(tex.sigma(letter, paths.sizes[q]) for q, letter in paths.letters.items())
        specs = [self.terms.factor(key) for key in paths.sum_keys()]
        meaning = r"\, ".join(s.meaning for s in specs)
        t = Template()
        t.text(rf"&\text{{Chain rule: a sum over all paths from }} {theta} \text{{ to }} E").row()
        t.text(f"{tex.partial('E', theta)} &= {sums} ")
        t.text(" ".join(s.symbol for s in specs)).row()
        t.text(f"&= -{sums} {meaning[1:]}")
        t.text(rf" \quad {tex.words(f'(a sum over {paths.n_paths} paths)')}").row()
        t.text("&= ").slot(("value",))
        t.text(rf" \quad {tex.words(f'(the {paths.n_paths} path products, summed)')}").row()
        return t.text(
            rf"&\text{{More than {PATH_LIMIT} paths, not listed: the backward pass below sums "
            r"them layer by layer.}"
        )

    # the error terms δ

    def _delta_heading(self) -> Template:
        return (
            Template()
            .text(
                rf"&\text{{The same with the error terms }} {formulas.DELTA_SIGN.latex} "
                r"\text{ of the backward pass}"
            )
            .row()
        )

    def _carries_back(self, t: Template, q: int) -> None:
        """Below the first δ of the last hidden layer: which θ carries δ back to it."""
        if q == self.paths.output - 1:
            t.row().text(rf"&\quad {formulas.carries_back(q + 1).latex}")

    def _delta_result(self, t: Template) -> Template:
        """∂E/∂θ = −δ a, Δθ = η δ a and the update, the rows every δ form ends with."""
        layer, i, j = self.paths.parameter
        shown = (layer + 1, tex.shown(i), tex.shown(j))
        t.text(tex.align(formulas.gradient(*shown).latex) + " = -")
        t.slot(("delta", layer + 1, i), numbers.latex_factor).text(r" \cdot ")
        t.slot(("a", layer, j), numbers.latex_factor)
        t.text(" = ").slot(("delta value",)).row()
        step = Template().text(" = ").slot(("eta",)).text(r" \cdot ")
        step.slot(("delta a",), numbers.latex_factor).text(" = ").slot(("dtheta",))
        t.text(tex.align(formulas.delta_theta(*shown).latex)).when(("dtheta",), step).row()
        updated = Template().text(" = ").slot(("theta", layer, i, j)).text(" ")
        updated.slot(("dtheta",), numbers.latex_signed).text(" = ").slot(("updated",))
        return t.text(tex.align(formulas.update(*shown).latex)).when(("dtheta",), updated)

    def _delta_row(self, t: Template, q: int, m: int) -> None:
        """δ^q_m of one node, its meaning, then its numbers: (y − a) · g'(z) for an output node;
        for a hidden node the sum over the layer above as the meaning writes it, in parentheses
        only when it has several terms (θ · δ alone for one node above, one number for a Σ),
        times g'(z)."""
        paths = self.paths
        t.text(rf"{tex.delta(q, m)} &= {self.terms.delta_meaning(q, m)} = ")
        if q == paths.output and paths.error != SQUARED:  # y − a: g' has cancelled
            t.text("").slot(("y", m)).text(" - ").slot(("a", q, m), numbers.latex_factor)
            t.text(" = ").slot(("delta", q, m))
            return
        if q == paths.output:
            t.text("(").slot(("y", m)).text(" - ")
            t.slot(("a", q, m), numbers.latex_factor).text(")")
        elif paths.enumerated or len(paths.nodes(q + 1)) == 1:
            below = paths.nodes(q + 1)
            t.text(r"\bigl(" if len(below) > 1 else "")
            for n, k in enumerate(below):
                t.text(" + " if n else "").slot(("theta", q, k, m), numbers.latex_factor)
                t.text(r" \cdot ").slot(("delta", q + 1, k), numbers.latex_factor)
            t.text(r"\bigr)" if len(below) > 1 else "")
        else:  # the Σ over the layer above, as one number
            t.slot(("dsum", q, m), numbers.latex_factor)
        t.text(r" \cdot ").slot(("gp", q, m), numbers.latex_factor)
        t.text(" = ").slot(("delta", q, m))

    def delta(self) -> Template:
        paths = self.paths
        t = self._delta_heading()
        for q in paths.path_layers:
            for m in paths.nodes(q):
                self._delta_row(t, q, m)
                if m == paths.nodes(q)[0]:
                    self._carries_back(t, q)
                t.row()
        return self._delta_result(t)

    def delta_sum(self) -> Template:
        paths, terms = self.paths, self.terms
        t = self._delta_heading()
        for q, m in zip(paths.path_layers, paths.sum_nodes(), strict=True):
            if isinstance(m, str):  # a layer summed over: its δ as a vector
                t.text(rf"{tex.delta(q, m)} &= {terms.delta_meaning(q, m)}: \quad ")
                t.text(rf"\delta^{{{q + 1}}} = ")
                t.slot(("vector", "delta", q), numbers.latex_vector)
            else:  # a layer of one node, or node i of layer l+1
                self._delta_row(t, q, m)
            self._carries_back(t, q)
            t.row()
        return self._delta_result(t)

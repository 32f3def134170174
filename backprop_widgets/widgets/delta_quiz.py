"""Exercise 11 on the diagram itself: type the δ of every node, check, see each one marked.

The diagram is the playground's ``NetworkView`` (annotated, with every activation on its node);
under it ``QuizInputs`` (``static/quiz.js``) draws a box for each node's δ, in columns that
line up with the diagram's layers. The browser only reports what was typed; Python judges it
(``teaching.deltas.delta_marks``) and sends back a mark per box: ✓ when right, the reason when wrong
(a wrong sign, a missing g'(z), the slide's θ index slip, …). Each right δ then appears on its
node in the diagram.
"""

from __future__ import annotations

import anywidget
import ipywidgets as w
import numpy as np
import traitlets

from ..engine.losses import LOSSES
from ..engine.mlp import MLP
from ..notation import formulas, mathml, node_name, subscript, tex, theta_name
from ..notation.numbers import latex as number_latex
from ..notation.numbers import text as number_text
from ..notation.numbers import vector_text as values_text
from ..teaching.answers import parse_number
from ..teaching.deltas import Mark, delta_marks
from ..teaching.exercises import deltas_feedback
from ..teaching.feedback import Feedback
from ..teaching.sheet import activation_text
from .fallback import Pictured, quiz_picture
from .views import STATIC, NetworkView, esm

MAX_TEXT = 64  # characters kept of one typed entry

# Styles for the boxes; the diagram keeps its own (widgets.css). Theme variables with fallbacks,
# so dark themes work. The diagram's height is not capped, so its columns stay as wide as the
# boxes' columns under them.


class QuizInputs(anywidget.AnyWidget):
    """The answer boxes under the diagram: what they show, what was typed, how it was marked.

    ``columns`` has one entry per layer, ``{"nodes": [{"key": "l,i", "given": …, "label": …,
    "given_math": …, "label_math": …}]}`` (no label: no box, as for the inputs): the text and
    its MathML, which the boxes show; ``notes`` are the given numbers as text lines and
    ``notes_math`` the same as HTML with MathML; ``entries`` and ``marks`` are keyed by "l,i".
    """

    _esm = esm("quiz")
    _css = STATIC / "quiz.css"

    columns = traitlets.List([]).tag(sync=True)
    notes = traitlets.List(traitlets.Unicode(), []).tag(sync=True)
    notes_math = traitlets.Unicode("").tag(sync=True)
    entries = traitlets.Dict({}).tag(sync=True)
    marks = traitlets.Dict({}).tag(sync=True)  # "l,i" -> {"state": …, "text": …}
    message = traitlets.Unicode("").tag(sync=True)
    message_math = traitlets.Unicode("").tag(sync=True)  # the message as HTML with MathML
    solved = traitlets.Bool(False).tag(sync=True)

    @traitlets.observe("message")
    def _draw_message(self, change) -> None:
        self.message_math = mathml.prose(change["new"])


class DeltaQuiz(Pictured, w.VBox):
    """Fill in δ for every node of ``net`` on instance (x, y); Check marks each entry.

    Parameters
    ----------
    net : MLP
        The network (copied: later changes to it do not change the quiz).
    x : array, shape (sizes[0],)
    y : array, shape (sizes[-1],), or a number for one output

    Attributes
    ----------
    trace : Trace
        ``net.trace(x, y)``: the δ the entries are checked against.
    view : NetworkView
        The diagram; its ``delta`` shows the δ entered right so far.
    inputs : QuizInputs
        The boxes.
    """

    def __init__(self, net: MLP, x, y) -> None:
        if not isinstance(net, MLP):
            raise TypeError(f"net must be a backprop_widgets.MLP; got {type(net).__name__}")
        self.net = net.copy()
        self.trace = self.net.trace(x, y)
        self.nodes = [(l, i) for l in range(1, net.n_layers) for i in range(net.sizes[l])]
        t = self.trace
        self.view = NetworkView(
            sizes=self.net.sizes,
            bias=self.net.bias,
            weights=[W.tolist() for W in self.net.weights],
            biases=[b.tolist() for b in self.net.biases],
            a=[v.tolist() for v in t.a],
            z=[[]] + [v.tolist() for v in t.z[1:]],
            output_note=f"y = {_values(t.y)}\nŷ = {_values(t.y_hat)}",
            annotated=True,
            editable=False,
            root_class="bw-quiz-network",
            layout=w.Layout(width="100%"),
        )
        self.inputs = QuizInputs(
            columns=self._columns(),
            notes=self._notes(),
            notes_math=self._notes_math(),
            entries={_key(l, i): "" for l, i in self.nodes},
            layout=w.Layout(width="100%"),
        )
        self.inputs.on_msg(self._on_message)
        self.inputs.observe(self._on_entries, "entries")
        intro = w.HTML(
            "<b>Fill in δ for every node</b>, with the lecture's sign: "
            f"{mathml.math(formulas.output_delta_of(self.net.loss_name).latex)} at the output"
            f"{_loss_words(self.net)}, "
            f"{mathml.math(formulas.hidden_delta().latex)} further in. "
            "Then press <i>Check</i> (or Enter)."
        )
        super().__init__([intro, self.view, self.inputs])
        self.add_class("bw-delta-quiz")

    # -- what the boxes show -------------------------------------------------------------

    def _columns(self) -> list[dict]:
        t, columns = self.trace, []
        output = self.net.n_layers - 1
        for l, n in enumerate(self.net.sizes):
            nodes = []
            for i in range(n):
                a, a_tex = node_name("a", l, i), tex.a(l, i)
                value, value_tex = number_text(t.a[l][i]), number_latex(t.a[l][i])
                node = {"key": _key(l, i), "label": "", "label_math": ""}
                if l == 0:
                    node["given"] = f"{a} = x{subscript(i + 1)} = {value}"
                    node["given_math"] = mathml.math(f"{a_tex} = x_{{{i + 1}}} = {value_tex}")
                elif l == output:
                    y, y_tex = number_text(t.y[i]), number_latex(t.y[i])
                    node["given"] = f"ŷ = {a} = {value}, y = {y}"
                    node["given_math"] = mathml.math(
                        rf"\hat y = {a_tex} = {value_tex},\; y = {y_tex}"
                    )
                else:
                    node["given"] = f"{a} = {value}"
                    node["given_math"] = mathml.math(f"{a_tex} = {value_tex}")
                if l > 0:
                    node["label"] = node_name("δ", l, i)
                    node["label_math"] = mathml.math(f"{tex.delta(l, i)} =")
                nodes.append(node)
            columns.append({"nodes": nodes})
        return columns

    def _notes(self) -> list[str]:
        net = self.net
        activations = {net.activation, net.output_activation}
        lines = [f"g: {activation_text(name)}" for name in sorted(activations)]
        error = formulas.error_of(net.loss_name, net.output_activation)
        if net.loss_name != "squared":  # the lecture's E goes without saying
            lines.append(f"E: {LOSSES[net.loss_name].title}, {error}")
        lines.append("Weights: θˡᵢⱼ connects node j of layer l to node i of layer l+1.")
        for l, W in enumerate(net.weights):
            for i in range(W.shape[0]):
                cells = [
                    f"{theta_name(l, i, j)} = {number_text(W[i, j]):<7}" for j in range(W.shape[1])
                ]
                lines.append("  " + "  ".join(cells).rstrip())
        return lines

    def _notes_math(self) -> str:
        """The given numbers as HTML: g and g' in MathML, then each layer's θ as a table."""
        net = self.net
        lines = [
            f'<div class="bw-quiz-note">{name}: '
            f"{mathml.math(formulas.activation_latex(name))}</div>"
            for name in sorted({net.activation, net.output_activation})
        ]
        error = formulas.error_of(net.loss_name, net.output_activation)
        if net.loss_name != "squared":
            lines.append(
                f'<div class="bw-quiz-note">E: {LOSSES[net.loss_name].title}, '
                f"{mathml.math(error.latex)}</div>"
            )
        theta = mathml.math(r"\theta^{l}_{ij}")
        lines.append(
            f'<div class="bw-quiz-note">Weights: {theta} connects '
            "node j of layer l to node i of layer l+1.</div>"
        )
        for l, W in enumerate(net.weights):
            rows = [
                " & ".join(
                    f"{tex.theta(l, i, j)} = {number_latex(W[i, j])}" for j in range(W.shape[1])
                )
                for i in range(W.shape[0])
            ]
            table = r"\begin{array}{" + "l" * W.shape[1] + "}" + r" \\ ".join(rows) + r"\end{array}"
            lines.append(f'<div class="bw-quiz-weights">{mathml.math(table)}</div>')
        return "".join(lines)

    # -- entries -------------------------------------------------------------------------

    @property
    def entries(self) -> dict[str, str]:
        """What is typed in each box, keyed "l,i" (0-based layer and node)."""
        return dict(self.inputs.entries)

    def enter(self, l: int, i: int, text) -> None:
        """Type ``text`` into the box of node i of layer l (0-based, l >= 1)."""
        if (l, i) not in self.nodes:
            raise ValueError(
                f"(l, i) must name a node with a δ, one of {self.nodes}; got {(l, i)!r}"
            )
        self.inputs.entries = {**self.inputs.entries, _key(l, i): _text(text)}

    def fill(self, values) -> None:
        """Type a whole answer: ``[[δ²₁, δ²₂], …, [δᴸ₁]]``, layer 2 to the output (None: empty)."""
        rows = list(values)
        if len(rows) != self.net.n_layers - 1:
            raise ValueError(
                f"values must list the δ of layers 2 … {self.net.n_layers}: "
                f"{self.net.n_layers - 1} lists; got {len(rows)}"
            )
        entries = dict(self.inputs.entries)
        for l, row in enumerate(rows, start=1):
            row = list(row)
            if len(row) != self.net.sizes[l]:
                raise ValueError(
                    f"layer {l + 1} has {self.net.sizes[l]} nodes; values[{l - 1}] has {len(row)}"
                )
            for i, value in enumerate(row):
                entries[_key(l, i)] = "" if value is None else _text(value)
        self.inputs.entries = entries

    @property
    def answer(self) -> list[list[float | None]]:
        """The entries as numbers, layer 2 to the output; None where empty or not a number."""
        entries = self.inputs.entries
        return [
            [parse_number(entries.get(_key(l, i), "")) for i in range(self.net.sizes[l])]
            for l in range(1, self.net.n_layers)
        ]

    # -- checking ------------------------------------------------------------------------

    def check(self) -> Feedback:
        """Mark every box (right, wrong with the reason, not a number) and return the feedback.

        The δ entered right are shown on their nodes; all of them once every one is right.
        """
        entries = self.inputs.entries
        values: list = [[]] + [list(row) for row in self.answer]
        marks = delta_marks(self.net, self.trace, values)
        for l, i in self.nodes:
            text = entries.get(_key(l, i), "").strip()
            if text and values[l][i] is None:
                marks[l, i] = Mark(
                    "invalid",
                    "not a number",
                    f"{node_name('δ', l, i)}: {text!r} is not a number.",
                    "not_a_number",
                )
        feedback = deltas_feedback(marks)
        shown = [[]] + [
            [
                float(self.trace.delta[l][i]) if marks[l, i].state == "right" else None
                for i in range(self.net.sizes[l])
            ]
            for l in range(1, self.net.n_layers)
        ]
        with self.view.hold_sync(), self.inputs.hold_sync():
            self.view.delta = shown
            self.inputs.marks = {
                _key(l, i): {"state": m.state, "text": _mark_text(m)} for (l, i), m in marks.items()
            }
            self.inputs.message = (
                feedback.message + " They are on the diagram now." if feedback else feedback.message
            )
            self.inputs.solved = bool(feedback)
        return feedback

    @property
    def solved(self) -> bool:
        """Whether the last check found every δ right."""
        return self.inputs.solved

    def _on_entries(self, change) -> None:
        """A box whose text changed loses its mark: it no longer says anything about the text."""
        old, new = change["old"] or {}, change["new"] or {}
        stale = {key for key in new if new.get(key) != old.get(key)}
        if stale & set(self.inputs.marks):
            self.inputs.marks = {k: v for k, v in self.inputs.marks.items() if k not in stale}
            self.inputs.solved = False

    def _on_message(self, _widget, content, _buffers) -> None:
        """``{"type": "check", "entries": {"l,i": text}}`` from the browser: keep what is
        known of the entries, then check."""
        if not isinstance(content, dict) or content.get("type") != "check":
            return
        typed = content.get("entries")
        if isinstance(typed, dict):
            known = {_key(l, i) for l, i in self.nodes}
            self.inputs.entries = {
                **self.inputs.entries,
                **{k: _text(v) for k, v in typed.items() if k in known and isinstance(v, str)},
            }
        self.check()

    _fallback_picture_ = quiz_picture  # shown where no kernel runs (fallback.Pictured)

    def __repr__(self) -> str:
        right = sum(m.get("state") == "right" for m in self.inputs.marks.values())
        return f"DeltaQuiz({self.net!r}, {right} of {len(self.nodes)} δ right)"


def _loss_words(net: MLP) -> str:
    """Why the output's δ has no g' under cross-entropy (nothing for squared error)."""
    if net.loss_name != "cross_entropy":
        return ""
    return " (cross-entropy: g' cancels against ∂E/∂ŷ)"


def _values(values: np.ndarray) -> str:
    return number_text(values[0]) if values.size == 1 else values_text(values)


def _key(l: int, i: int) -> str:
    return f"{l},{i}"


def _text(value) -> str:
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)[:MAX_TEXT]


def _mark_text(mark: Mark) -> str:
    if mark.state == "right":
        return "✓"
    if mark.state == "empty":
        return ""
    return f"✗ {mark.short}"

"""The lecture's "Backpropagation: Demo", one update on one instance, phase by phase.

Receive input → Forward pass (layer by layer) → Compute error → Backward pass (δ from right to
left) → Calculate Δθ → Update weights. Every number shown is ``net.trace``'s; the update is
applied to the network when that phase is reached and taken back when one steps back over it.
"""

from __future__ import annotations

import html

import ipywidgets as w
import traitlets

from ..engine import validation as check
from ..engine.losses import LOSSES
from ..engine.mlp import MLP, check_data
from ..notation import PHASES, formulas, mathml, numbers
from ..notation.address import Parameter, key_of
from .demo_reveal import Stage, derivation_rows, shown_values
from .fallback import Pictured, demo_picture
from .views import NetworkView

# Which parts of the selected weight's derivation each phase computes (symbolic.sections).
SECTIONS = {
    "input": ("instance",),
    "forward": ("forward",),
    "error": ("error",),
    "backward": ("output", "chain", "delta"),  # "output": through a softmax, cross-entropy
    "dtheta": ("delta",),
    "update": ("delta",),
}


def steps(n_layers: int) -> list[tuple[str, int]]:
    """The demo's steps: (phase, layer), forward left to right, backward right to left."""
    L = n_layers
    return (
        [("input", 0)]
        + [("forward", l) for l in range(1, L)]
        + [("error", L - 1)]
        + [("backward", l) for l in range(L - 1, 0, -1)]
        + [("dtheta", -1), ("update", -1)]
    )


class StepThrough(Pictured, w.VBox):
    """One backpropagation update, in the lecture's phases, on a network you can see.

    Parameters
    ----------
    net : MLP
        The network; the "Update weights" phase changes it (stepping back undoes that).
    X, Y : arrays, shapes (N, sizes[0]) and (N, sizes[-1])
        Training instances; the demo takes them in order, one update each.
    learning_rate : float
        η of Δθ = η δ a.
    selected : tuple, optional
        A parameter (l, i, j) or (l, i, "bias") whose derivation is shown, with the part the
        current phase computes highlighted.
    on_update : callable, optional
        Called after the update is applied to the network or taken back.
    instance : int
        The instance to start with (then the next ones in order).
    """

    step = traitlets.Int(0)

    def __init__(
        self,
        net: MLP,
        X,
        Y,
        learning_rate: float = 0.5,
        selected=None,
        on_update=None,
        instance: int = 0,
    ) -> None:
        self.net, self.X, self.Y = check_data(net, X, Y)
        self.learning_rate = check.learning_rate(learning_rate)
        self.selected = None if selected is None else net.check_parameter(*selected)
        self.instance = 0
        self._saved = None  # parameters before an applied update
        self._on_update = on_update
        self.view = NetworkView(
            annotated=True,
            editable=False,
            root_class="bw-demo-network",
            layout=w.Layout(width="100%"),
        )
        self.view.on_msg(self._on_view_message)
        self.prev_button = w.Button(description="Previous", icon="arrow-left")
        self.prev_button.add_class("bw-prev")
        self.next_button = w.Button(description="Next", icon="arrow-right")
        self.next_button.add_class("bw-next")
        self.phase_label = w.HTML(layout=w.Layout(margin="0 0 0 12px"))
        self.phase_label.add_class("bw-phase")
        self.next_note = w.HTML()
        self.next_note.add_class("bw-demo-next")
        self.formula = w.HTML()
        self.formula.add_class("bw-demo-formula")
        self.derivation = w.HTML()
        self.derivation.add_class("bw-demo-derivation")
        self.prev_button.on_click(lambda _: self.previous())
        self.next_button.on_click(lambda _: self.next())
        self.observe(lambda _: self._show(), "step")
        controls = w.HBox(
            [self.prev_button, self.next_button, self.phase_label],
            layout=w.Layout(align_items="center"),
        )
        super().__init__([controls, self.next_note, self.view, self.formula, self.derivation])
        self.add_class("bw-demo")
        self.restart(instance)

    # -- moving through the phases -------------------------------------------------------

    @property
    def steps(self) -> list[tuple[str, int]]:
        return steps(self.net.n_layers)

    @property
    def phase(self) -> str:
        """The current phase's key ("input", "forward", … "update")."""
        return self.steps[self.step][0]

    def restart(self, instance: int | None = None) -> None:
        """Start again at "Receive input" with a fresh trace (of ``instance`` if given)."""
        if instance is not None:
            instance = check.integer(instance, "instance", minimum=0)
            if instance >= len(self.X):
                raise ValueError(f"instance must be 0 … {len(self.X) - 1}; got {instance}")
            self.instance = instance
        self._start(continued=False)

    def _start(self, continued: bool) -> None:
        self._continued = continued  # this update follows one the demo made
        self._saved = None
        self.trace = self.net.trace(
            self.X[self.instance], self.Y[self.instance], self.learning_rate
        )
        with self.hold_trait_notifications():
            self.step = 0
        self._show()

    def next(self) -> None:
        """The next phase; after "Update weights", the next instance's "Receive input" (the
        note under the buttons says which, before one presses Next)."""
        if self.step + 1 < len(self.steps):
            self.step += 1
        else:
            self.instance = (self.instance + 1) % len(self.X)
            self._start(continued=True)

    def previous(self) -> None:
        """The phase before (stepping back over "Update weights" takes the update back)."""
        if self.step > 0:
            self.step -= 1

    def _apply_update(self, on: bool) -> None:
        if on and self._saved is None:
            self._saved = self.net.snapshot()
            self.net.apply(self.trace)
        elif not on and self._saved is not None:
            self.net.restore(self._saved)
            self._saved = None
        else:
            return
        if self._on_update is not None:
            self._on_update()

    # -- drawing ---------------------------------------------------------------------------

    def _show(self) -> None:
        phase, layer = self.steps[self.step]
        stage = Stage(phase, layer)
        self._apply_update(phase == "update")
        net = self.net
        shown = shown_values(self.trace, stage)
        with self.view.hold_sync():
            self.view.sizes = net.sizes
            self.view.bias = net.bias
            self.view.weights = [W.tolist() for W in net.weights]
            self.view.biases = [b.tolist() for b in net.biases]
            for name, values in shown.items():
                setattr(self.view, name, values)
            self.view.phase = phase
            self.view.focus_layer = layer if phase in ("forward", "backward", "error") else -1
            self.view.selected = key_of(self.selected)
            self.view.output_note = self._output_note(stage)
        self.prev_button.disabled = self.step == 0
        self.next_note.value = html.escape(self._next_note())
        self.next_button.tooltip = self._next_note()
        self.formula.value = self._formula(phase, layer)
        self.derivation.value = self._derivation(stage)
        where = f" (layer {layer + 1})" if phase in ("forward", "backward") else ""
        where = f" ({self.loss_title} E)" if phase == "error" else where
        self.phase_label.value = (  # last: once it shows the step, the rest is there too
            f"<b>{html.escape(PHASES[phase])}</b>{where} · step {self.step + 1} of "
            f"{len(self.steps)} · instance n = {self.instance}"
        )

    def _next_note(self) -> str:
        """What Next does from here, in words; after the last phase, the next update."""
        if self.step + 1 < len(self.steps):
            phase, layer = self.steps[self.step + 1]
            where = f", layer {layer + 1}" if phase in ("forward", "backward") else ""
            note = f"Next: {PHASES[phase]}{where}."
            if self.step == 0 and self._continued:
                note = f"A new update, from the weights the last one left. {note}"
            return note
        n = (self.instance + 1) % len(self.X)
        return (
            f"Next: the next update starts with instance n = {n}, "
            f"x = {numbers.values_text(self.X[n])}, y = {numbers.values_text(self.Y[n])}, "
            "from the weights this update leaves."
        )

    def _output_note(self, stage: Stage) -> str:
        t = self.trace
        if not stage.reached("error"):
            return ""
        return "\n".join(
            [
                f"y = {numbers.values_text(t.y)}",  # one output: a number, as the lecture
                f"ŷ = {numbers.values_text(t.y_hat)}",
                # The lecture's E as the lecture writes it; any other loss by its name.
                f"{'' if self.net.loss_name == 'squared' else self.loss_title + ' '}E = "
                f"{numbers.text(t.error)}",
            ]
        )

    @property
    def loss_title(self) -> str:
        """The network's error, as a title says it: "squared error" or "cross-entropy"."""
        return LOSSES[self.net.loss_name].title

    def _formula(self, phase: str, layer: int) -> str:
        """The lecture's formula of this step (``notation.formulas``) with the trace's numbers."""
        t, L = self.trace, self.net.n_layers
        shown = layer + 1  # the lecture counts layers from 1
        vector = numbers.latex_vector
        if phase == "input":
            text = rf"{formulas.INPUT.latex} = {vector(t.x)}, \quad y = {vector(t.y)}"
        elif phase == "forward":
            text = (
                rf"{formulas.net_input(shown, self.net.bias).latex} = {vector(t.z[layer])}, "
                rf"\quad {formulas.activation(shown).latex} = {vector(t.a[layer])}"
            )
        elif phase == "error":
            text = (
                rf"{formulas.error_of(self.net.loss_name, self.net.output_activation).latex} = "
                rf"{numbers.latex(t.error)}, \quad "
                rf"\hat y = a^{{{L}}} = {vector(t.y_hat)}"
            )
        elif phase == "backward" and layer == L - 1:
            delta = formulas.output_delta_of(self.net.loss_name, L)
            text = rf"{delta.latex} = {vector(t.delta[layer])}"
        elif phase == "backward":
            text = (
                rf"{formulas.hidden_delta(shown).latex} = {vector(t.delta[layer])}"
                rf"\quad {formulas.carries_back(shown).latex}"
            )
        elif phase == "dtheta":
            text = (
                rf"{formulas.delta_theta().latex}, \quad "
                rf"\eta = {numbers.latex(self.learning_rate)} \quad \text{{(on every edge)}}"
            )
        else:
            text = rf"{formulas.update().latex} \quad \text{{for all parameters at once}}"
        return mathml.line(text)

    def _derivation(self, stage: Stage) -> str:
        """The selected weight's derivation, only the rows known at ``stage``; the sections
        this phase computes marked ``bw-current``."""
        if self.selected is None:
            return (
                "<i>Select a weight (click an edge) to follow its derivative ∂E/∂θ through the "
                "phases.</i>"
            )
        from ..symbolic import derive

        parameter = Parameter(*self.selected)
        x, y = self.X[self.instance], self.Y[self.instance]
        probe = self.net
        if self._saved is not None:  # derive at the weights the update started from
            probe = self.net.copy()
            probe.restore(self._saved)
        d = derive(probe, *parameter, x=x, y=y, learning_rate=self.learning_rate)
        parts = []
        for name, latex in d.sections.items():
            body = derivation_rows(name, mathml.strip_aligned(latex), stage, parameter.l)
            if not body:
                continue
            current = " bw-current" if name in SECTIONS[stage.phase] else ""
            parts.append(
                f'<div class="bw-section{current}" data-section="{name}">{mathml.rows(body)}</div>'
            )
        return (
            f'<div class="bw-demo-derivation-body" data-weight="{parameter.key()}">'
            f"{''.join(parts)}</div>"
        )

    # -- gestures ----------------------------------------------------------------------------

    def _on_view_message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("type") == "select":
            try:
                self.selected = self.net.check_parameter(*Parameter.parse(content.get("weight")))
            except (TypeError, ValueError):
                return
            self._show()

    _fallback_picture_ = demo_picture  # shown where no kernel runs (fallback.Pictured)

    def __repr__(self) -> str:
        phase, layer = self.steps[self.step]
        return (
            f"StepThrough({self.net!r}, instance={self.instance}, phase={PHASES[phase]!r}, "
            f"step={self.step + 1}/{len(self.steps)})"
        )

"""What the step-through demo shows at each step, and nothing sooner.

A number appears when the step that computes it is reached, and not before (hidden, not
dimmed): x and y at "Receive input", z and a of a layer when the forward pass reaches it, ŷ and
E at "Compute error", δ of a layer when the backward pass reaches it, Δθ at "Calculate Δθ" and
the new θ at "Update weights". The derivation of the selected weight follows the same rule,
section by section and, within a section, row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..notation import PHASES, mathml

_ORDER = list(PHASES)
_DELTA_ROW = re.compile(r"^\s*\\delta\^\{(\d+)\}")  # a row δ^q_m = … (q shown, 1-based)
_RESULT_ROWS = 3  # the delta section ends with ∂E/∂θ = −δ a, then Δθ, then the update


@dataclass(frozen=True)
class Stage:
    """One step of the demo: its phase key and the layer it computes (0-based; -1 for the
    phases that take the whole network at once)."""

    phase: str
    layer: int

    def reached(self, phase: str) -> bool:
        """Whether ``phase`` is this step's phase or one before it."""
        return _ORDER.index(self.phase) >= _ORDER.index(phase)

    def activation_known(self, l: int) -> bool:
        """z and a of layer ``l`` (a of layer 0 is x, known from the start)."""
        if l == 0:
            return True
        if self.phase == "forward":
            return l <= self.layer
        return self.reached("error")

    def delta_known(self, l: int) -> bool:
        """δ of layer ``l``: from the output back to ``l`` once the backward pass got there."""
        if self.phase == "backward":
            return l >= self.layer
        return self.reached("dtheta")


def shown_values(trace, stage: Stage) -> dict:
    """The trace's numbers the diagram may show at ``stage``, layer-aligned like the trace,
    ``[]`` for a layer not reached yet (``z[0]`` and ``delta[0]`` are always ``[]``)."""
    layers = range(len(trace.a))
    reached = stage.reached("dtheta")
    return {
        "a": [trace.a[l].tolist() if stage.activation_known(l) else [] for l in layers],
        "z": [trace.z[l].tolist() if l and stage.activation_known(l) else [] for l in layers],
        "delta": [trace.delta[l].tolist() if l and stage.delta_known(l) else [] for l in layers],
        "dtheta": [d.tolist() for d in trace.dtheta] if reached else [],
        "dbias": [d.tolist() for d in trace.dbias] if reached else [],
    }


def derivation_rows(section: str, body: str, stage: Stage, parameter_layer: int) -> str:
    """The rows of one derivation section (an ``aligned`` body) known at ``stage``, as an
    ``aligned`` body again; ``""`` when the section is not reached.

    ``parameter_layer`` is l of the derived θ^(l+1) (0-based): its ∂E/∂θ = −δ a is known once
    δ of layer l + 1 is.
    """
    rows = [row for row in mathml.split_top(body, "\\\\") if row.strip()]
    if section == "instance":
        kept = rows
    elif section == "forward":  # a title, then two rows per layer: z's formula, z and a
        layers = sum(stage.activation_known(l) for l in range(1, (len(rows) - 1) // 2 + 1))
        kept = rows[: 1 + 2 * layers] if layers else []
    elif section == "error":
        kept = rows if stage.reached("error") else []
    elif section in ("output", "chain"):  # "output": ∂E/∂z at the output, cross-entropy's
        kept = rows if stage.reached("backward") else []
    elif section == "delta":
        kept = _delta_rows(rows, stage, parameter_layer)
    else:
        raise ValueError(f"unknown derivation section {section!r}")
    return " \\\\\n".join(row.strip("\n") for row in kept)


def _delta_rows(rows: list[str], stage: Stage, parameter_layer: int) -> list[str]:
    """A title, each δ row (with the note below it) from the output back, then the results."""
    title, body, results = rows[0], rows[1:-_RESULT_ROWS], rows[-_RESULT_ROWS:]
    kept, known = [], False
    for row in body:
        found = _DELTA_ROW.match(row)
        if found:  # a note below a δ row (which θ carries δ back) goes with it
            known = stage.delta_known(int(found[1]) - 1)
        if known:
            kept.append(row)
    if not kept:
        return []
    gradient, dtheta, update = results
    known_results = [
        (gradient, stage.delta_known(parameter_layer + 1)),
        (dtheta, stage.reached("dtheta")),
        (update, stage.reached("update")),
    ]
    return [title, *kept, *(row for row, known in known_results if known)]

"""The decision surface of a softmax output: which class wins where, and how sure it is.

A network with a softmax output gives a probability ŷ_k for each of its K classes at every
point of the plane. ``ClassPictures`` (mixed into ``DecisionSurface``) sends, instead of one
output's heat map, the winning class of every pixel (one byte each), its probability as the
shading (``image``, from 1/K, a tie, to 1, certain), the lines where the winner changes, and
one small picture of ŷ_k per class. Python computes every number; ``static/surface.js`` picks
a colour per class and draws them.
"""

from __future__ import annotations

import numpy as np
import traitlets

from ..engine.losses import class_labels
from ..engine.probes import class_regions
from ..notation import SUBSCRIPTS


def to_bytes(values: np.ndarray, low: float, high: float) -> bytes:
    """Values mapped linearly from [low, high] to 0 … 255 (clipped; NaN to the middle)."""
    scaled = (np.nan_to_num(values, nan=(low + high) / 2) - low) / (high - low)
    return np.round(np.clip(scaled, 0.0, 1.0) * 255).astype(np.uint8).tobytes()


def output_name(k: int) -> str:
    """ŷ₁, ŷ₂, … for output k (0-based)."""
    return "ŷ" + str(k + 1).translate(SUBSCRIPTS)


class ClassPictures(traitlets.HasTraits):
    """The traits and pictures of a surface coloured by class (a softmax output).

    ``classes`` is K, or 0 when the surface shows one output's value instead; ``winners`` holds
    the winning class of every pixel (GRID² bytes, rows from the top, like ``image``), and
    ``class_images`` K pictures of ŷ_k, GRID² bytes each, 0 … 255 for 0 … 1. The points'
    third value is then their class, 0 … K−1.
    """

    classes = traitlets.Int(0).tag(sync=True)
    winners = traitlets.Bytes(b"").tag(sync=True)
    class_images = traitlets.Bytes(b"").tag(sync=True)

    @property
    def by_class(self) -> bool:
        """Whether the surface is coloured by the winning class (a softmax output)."""
        return self.net.output_activation == "softmax"

    def target_values(self, Y: np.ndarray, output: int) -> np.ndarray:
        """What colours each point: its class when coloured by class, else output ``output``'s
        target."""
        if self.by_class:
            labels = class_labels(Y)
            return Y.argmax(axis=1) if labels is None else labels
        return Y[:, output]

    def class_range(self) -> tuple[float, float]:
        """The shading's range: from a tie between the K classes to certainty."""
        return 1.0 / self.net.sizes[-1], 1.0

    def show_classes(self, probabilities: np.ndarray, xs, ys) -> np.ndarray | None:
        """Set the class pictures from ŷ over the grid, shape (GRID, GRID, K); return the
        boundary segments to draw, or None (and no class pictures) for another output."""
        if not self.by_class:
            self.classes, self.winners, self.class_images = 0, b"", b""
            return None
        K = probabilities.shape[-1]
        winner, confidence, boundaries = class_regions(probabilities, xs, ys)
        self.winning_class, self.confidence = winner, confidence
        self.classes = K
        self.winners = winner.astype(np.uint8).tobytes()
        self.class_images = b"".join(to_bytes(probabilities[..., k], 0.0, 1.0) for k in range(K))
        self.image = to_bytes(confidence, *self.class_range())
        return boundaries

    def output_words(self, output: int) -> str:
        """What the shading shows: max ŷₖ by class; else ŷ, or ŷ₂ of several outputs."""
        if self.by_class:
            return "max ŷₖ"
        return output_name(output) if self.net.sizes[-1] > 1 else "ŷ"

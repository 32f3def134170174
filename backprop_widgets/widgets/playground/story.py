"""The one instance (or mini-batch) every panel of the playground shows, and its words.

The diagram, the error slice, the derivation and the status line tell one story:

- **online** (the lecture's algorithm): the instance slider chooses instance n, and every panel
  shows it: the diagram its a, z and ∂E/∂θ, the slice E of that instance alone with the step an
  online update on it takes, the derivation its chain rule. Step, Epoch and Play move the
  slider to the instance the next update trains on; the words say whether n is that one.
- **mini-batch and full batch**: the panels show the next update's batch. The slice's E and
  the diagram's ∂E/∂θ are over the batch (its step is exactly the next update's); the diagram's
  a and z and the derivation are those of the batch's first instance, which the instance slider
  then shows (and cannot move).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.session import TrainingSession
from ...notation.numbers import values_text


@dataclass(frozen=True)
class Story:
    """What the panels show.

    Attributes
    ----------
    n : int
        The instance of the diagram's a and z and of the derivation (the ``data-instance``).
    batch : slice
        The instances the slice's E and the diagram's ∂E/∂θ are over: ``n`` alone online.
    next_update : bool
        Whether ``batch`` is what the next update trains on.
    cursor : int
        The instance the next update starts at.
    size : int
        Training instances, N.
    x, y : arrays, shapes (sizes[0],) and (sizes[-1],)
        Instance n.
    """

    n: int
    batch: slice
    next_update: bool
    cursor: int
    size: int
    x: np.ndarray
    y: np.ndarray

    @property
    def online(self) -> bool:
        return self.batch.stop - self.batch.start == 1

    @property
    def full_batch(self) -> bool:
        return self.batch.stop - self.batch.start == self.size and not self.online

    @property
    def data(self) -> str:
        """Instance n's data: "x = (1, 1), y = 0"."""
        return f"x = {values_text(self.x)}, y = {values_text(self.y)}"

    @property
    def batch_words(self) -> str:
        """The instances E is over, short: "instance n = 3", "the mini-batch of 4 from n = 8",
        "all 4 training instances"."""
        if self.online:
            return f"instance n = {self.n}"
        if self.full_batch:
            return f"all {self.size} training instances"
        return f"the mini-batch of {self.batch.stop - self.batch.start} from n = {self.batch.start}"

    @property
    def label(self) -> str:
        """The ``.bw-instance-label`` words: what every panel shows, and whether it is the next
        update's."""
        if self.online:
            after = (
                "the next online update"
                if self.next_update
                else f"the next update trains on n = {self.cursor}"
            )
            return f"instance n = {self.n}: {self.data} · {after}"
        return (
            f"{self.batch_words} (the next update) · diagram and derivation: its first instance, "
            f"n = {self.n}: {self.data}"
        )

    @property
    def update(self) -> str:
        """Which update the derivation's Δθ = −η ∂E/∂θ belongs to."""
        if self.online and self.next_update:
            return "the next online update"
        return "an online update on it"

    @property
    def step(self) -> str:
        """Which step the slice's arrow is."""
        return "next step" if self.next_update else "step of an online update on it"

    @property
    def error_name(self) -> str:
        """E of the panels' instances, named for the status line: "E(n = 3)", "E(n = 8 … 11)"."""
        if self.online:
            return f"E(n = {self.n})"
        return f"E(n = {self.batch.start} … {self.batch.stop - 1})"


def story_of(session: TrainingSession, n: int) -> Story:
    """The story of ``session`` with the instance slider at ``n``: online, instance n; in
    (mini-)batch mode the next batch, whatever the slider says."""
    cursor = session.cursor
    if session.batch_size == 1:
        batch, next_update = slice(n, n + 1), n == cursor
    else:
        batch, next_update = session.next_batch(), True
        n = batch.start
    return Story(n, batch, next_update, cursor, len(session.X), session.X[n], session.Y[n])

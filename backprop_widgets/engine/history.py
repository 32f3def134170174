"""A loss history that stays small however long training runs."""

from __future__ import annotations


class LossHistory:
    """Points ``(epoch, loss)`` kept at most ``capacity`` long by decimation.

    When full, every second point is dropped and from then on only every ``stride``-th offered
    point is kept (the stride doubles each time), so the curve always spans the whole run at an
    even resolution and an hour of training costs no more memory than a minute.
    """

    def __init__(self, capacity: int = 1000) -> None:
        if capacity < 4:
            raise ValueError(f"capacity must be at least 4; got {capacity}")
        self.capacity = capacity
        self.points: list[list[float]] = []
        self.stride = 1
        self._offered = 0
        self._last_epoch: float | None = None  # the epoch of the last point offered

    def add(self, epoch: float, loss: float) -> None:
        """Offer one point; it is kept when it falls on the current stride. A second point for
        the epoch offered last (a weight edited by hand, a point drawn) is always kept, so the
        curve ends at the loss the network has now: it replaces the last point when that is at
        this epoch, and is added when the stride had left this epoch out."""
        epoch, loss = float(epoch), float(loss)
        if self.points and self.points[-1][0] == epoch:
            self.points[-1][1] = loss
            return
        again = epoch == self._last_epoch
        self._last_epoch = epoch
        if again or self._offered % self.stride == 0:
            self.points.append([epoch, loss])
            if len(self.points) > self.capacity:
                self.points = self.points[::2]
                self.stride *= 2
        if not again:
            self._offered += 1

    def clear(self) -> None:
        self.points, self.stride, self._offered, self._last_epoch = [], 1, 0, None

    def __len__(self) -> int:
        return len(self.points)

    def __repr__(self) -> str:
        return f"LossHistory({len(self.points)} points, stride {self.stride})"

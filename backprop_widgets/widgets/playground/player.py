"""Play: training as an asyncio task in the kernel, in frames a class can watch.

Each frame trains for about ``FRAME`` seconds (in chunks of epochs sized to take ~5 ms, so a
pause is answered at once), then asks for one coalesced view update, then yields to the kernel
so that clicks, sliders and other cells run in between.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from ...engine.session import TrainingSession

FRAME = 1 / 40  # seconds of training per view update; with the update itself ~28 a second
CHUNK = 0.005  # seconds one call to train() aims to take


class Player:
    """Runs ``session.train`` frame after frame while ``playing()`` says so.

    Parameters
    ----------
    session : callable
        Returns the current ``TrainingSession`` (the playground replaces it on a rebuild).
    playing : callable
        Whether to go on; checked between chunks.
    on_frame : callable
        Called after each frame's training, to update the views.
    on_stop : callable
        Called with None when play ends normally, or with the exception that ended it.

    Attributes
    ----------
    stats : dict
        Frames, updates and the seconds spent training and updating views, for benchmarks.
    """

    def __init__(
        self,
        session: Callable[[], TrainingSession],
        playing: Callable[[], bool],
        on_frame: Callable[[], None],
        on_stop: Callable[[BaseException | None], None],
    ) -> None:
        self._session, self._playing = session, playing
        self._on_frame, self._on_stop = on_frame, on_stop
        self._task: asyncio.Task | None = None
        self.stats = dict.fromkeys(
            ("frames", "updates", "seconds", "training_seconds", "refresh_seconds"), 0
        )

    def start(self) -> bool:
        """Start the frame loop in the running event loop; False when there is none (plain
        Python, not a Jupyter kernel: nothing would run it)."""
        if self._task is not None and not self._task.done():
            return True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return False
        self._task = loop.create_task(self._run())
        return True

    async def _run(self) -> None:
        epochs, stats = 1, self.stats
        try:
            while self._playing():
                frame_start = time.perf_counter()
                deadline = frame_start + FRAME
                session = self._session()
                updates = session.updates
                while self._playing() and time.perf_counter() < deadline:
                    start = time.perf_counter()
                    session.train(epochs)
                    spent = time.perf_counter() - start
                    epochs = max(1, min(epochs * 2, int(epochs * CHUNK / max(spent, 1e-6))))
                trained = time.perf_counter()
                self._on_frame()
                refreshed = time.perf_counter()
                await asyncio.sleep(0.002)
                stats["frames"] += 1
                stats["updates"] += session.updates - updates
                stats["training_seconds"] += trained - frame_start
                stats["refresh_seconds"] += refreshed - trained
                stats["seconds"] += time.perf_counter() - frame_start
        except Exception as error:  # noqa: BLE001 - divergence or not, shown in the widget
            self._on_stop(error)
            return
        self._on_stop(None)

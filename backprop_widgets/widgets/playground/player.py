"""Play: training as an asyncio task in the kernel, in frames a class can watch.

Each frame trains for about ``FRAME`` seconds (in chunks of epochs sized to take ~5 ms, so a
pause is answered at once), then asks for one coalesced view update, then yields to the kernel
so that clicks, sliders and other cells run in between.
"""

from __future__ import annotations

import asyncio
import time

from ...engine.validation import DivergenceError

FRAME = 1 / 40  # seconds of training per view update; with the update itself ~28 a second
CHUNK = 0.005  # seconds one call to train() aims to take
NO_KERNEL = (
    "Play trains in the background of a Jupyter kernel, and none is running here; use Step, "
    "Epoch or pg.net.fit() instead."
)


class Player:
    """Trains a playground's session frame after frame while its ``playing`` is true.

    Parameters
    ----------
    pg : Playground
        Read and told through its public parts: ``playing``, ``session``, ``presenter``,
        ``controls``, ``refresh`` and ``say``.

    Attributes
    ----------
    stats : dict
        Frames, updates and the seconds spent training and updating views, for benchmarks.
    """

    def __init__(self, pg) -> None:
        self.pg = pg
        self._task: asyncio.Task | None = None
        self.stats = dict.fromkeys(
            ("frames", "updates", "seconds", "training_seconds", "refresh_seconds"), 0
        )

    def playing_changed(self, change) -> None:
        """Play was pressed (start the loop, if a kernel's event loop runs) or pause was."""
        self.pg.controls.show_playing(change["new"])
        if change["new"] and not self._start():
            self.pg.playing = False
            self.pg.say(NO_KERNEL, error=True)

    def _start(self) -> bool:
        if self._task is not None and not self._task.done():
            return True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python, not a Jupyter kernel: nothing would run the task
            return False
        self._task = loop.create_task(self._run())
        return True

    async def _run(self) -> None:
        pg, epochs, stats = self.pg, 1, self.stats
        try:
            while pg.playing:
                frame_start = time.perf_counter()
                deadline = frame_start + FRAME
                session = pg.session
                updates = session.updates
                while pg.playing and time.perf_counter() < deadline:
                    start = time.perf_counter()
                    session.train(epochs)
                    spent = time.perf_counter() - start
                    epochs = max(1, min(epochs * 2, int(epochs * CHUNK / max(spent, 1e-6))))
                trained = time.perf_counter()
                pg.presenter.show_frame()
                refreshed = time.perf_counter()
                await asyncio.sleep(0.002)
                stats["frames"] += 1
                stats["updates"] += session.updates - updates
                stats["training_seconds"] += trained - frame_start
                stats["refresh_seconds"] += refreshed - trained
                stats["seconds"] += time.perf_counter() - frame_start
        except DivergenceError as error:  # the weights are finite: show where it stopped
            pg.playing = False
            pg.refresh(immediately=False)
            pg.say(f"Paused: {error}", error=True)
            return
        except Exception as error:  # noqa: BLE001 - shown in the widget, never a traceback
            pg.playing = False
            pg.say(f"Paused: {type(error).__name__}: {error}", error=True)
            return
        pg.refresh()  # paused: show the final numbers

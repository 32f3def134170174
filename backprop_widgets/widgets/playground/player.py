"""Play: training as an asyncio task in the kernel, in frames a class can watch.

A frame lasts ``PERIOD`` (1/60 s). In it the player trains for at most ``TRAIN_SHARE`` of the
frame, sends one coalesced view update, and yields the rest of the frame to the kernel, which
answers clicks, sliders and other cells meanwhile: a gesture waits at most one frame.

The speed dial sets epochs per second (``pg.epochs_per_second``; None is as fast as it goes).
At a set speed the player trains by the clock: the updates owed are the speed times the time
passed (an epoch is one update per instance online, one per batch otherwise), the fraction is
carried to the next frame, and a frame in which nothing is owed sends nothing. As fast as it
goes, it trains whole epochs for the frame's training share.

``cpu_share`` caps the share of one core a playing kernel uses (for a hub where many students
press Play at once): each frame is stretched so that its busy time is at most that share.
"""

from __future__ import annotations

import asyncio
import sys
import time

from ...engine.validation import DivergenceError
from .settings import check_cpu_share

PERIOD = 1 / 60  # seconds per frame: the views update up to 60 times a second
# Of a frame spent training as fast as it goes; the rest shows and answers. In JupyterLite's
# Pyodide kernel the page draws in another thread and NumPy is slower: it trains longer.
TRAIN_SHARE = 0.75 if sys.platform == "emscripten" else 0.6
MIN_TRAINING = 0.001  # seconds of training a frame keeps however tight the CPU cap
CHUNK = 0.004  # seconds one call to train() aims to take, so a pause is answered at once
CHUNK_UPDATES = 400  # updates one call to train() makes at most at a set speed
MAX_LAG = 0.25  # seconds of owed updates kept when the machine cannot keep up with the dial
MAX_SLEEP = 0.05  # seconds between two looks at the dial and the pause button when idle
MAX_TWEEN = 0.4  # seconds the diagram takes to move from one update to the next, at most
NO_KERNEL = (
    "Play trains in the background of a Jupyter kernel, and none is running here; use Step, "
    "Epoch or pg.net.fit() instead."
)


def updates_per_epoch(session) -> int:
    """Updates in one epoch: one per instance online, one per batch otherwise."""
    return -(-len(session.X) // session.per_update)


class Pace:
    """The updates owed at a set speed, by the clock, carrying the fraction from frame to frame.

    The first look owes one update (Play is answered at once); owed updates older than
    ``MAX_LAG`` seconds are forgotten, so a machine that cannot keep up with the dial plays as
    fast as it can instead of catching up in bursts.
    """

    def __init__(self) -> None:
        self.owed = 1.0
        self.last: float | None = None

    def due(self, now: float, rate: float) -> int:
        """Whole updates owed at ``now`` at ``rate`` updates a second (taken off the books)."""
        if self.last is not None:
            self.owed = min(self.owed + (now - self.last) * rate, 1 + rate * MAX_LAG)
        self.last = now
        whole = int(self.owed)
        self.owed -= whole
        return whole

    def unmade(self, count: int) -> None:
        """``count`` of the updates taken were not made in time: owe them again."""
        self.owed += count

    def next_in(self, rate: float) -> float:
        """Seconds until the next whole update is owed."""
        return (1 - self.owed) / rate


class Player:
    """Trains a playground's session frame after frame while its ``playing`` is true.

    Parameters
    ----------
    pg : Playground
        Read and told through its public parts: ``playing``, ``epochs_per_second``,
        ``session``, ``presenter``, ``network``, ``controls``, ``refresh`` and ``say``.
    cpu_share : float or None
        The share of one core the loop may keep busy, 0 < share ≤ 1; None takes the
        environment variable ``BACKPROP_WIDGETS_CPU_SHARE``, else 1 (no cap).

    Attributes
    ----------
    stats : dict
        Frames shown, updates made and the seconds spent in all, training and updating views,
        for benchmarks.
    """

    def __init__(self, pg, cpu_share: float | None = None) -> None:
        self.pg = pg
        self._cpu_share = check_cpu_share(cpu_share)
        self._task: asyncio.Task | None = None
        self._show_cost = 0.002  # seconds one view update takes, a running estimate
        self.stats = dict.fromkeys(
            ("frames", "updates", "seconds", "training_seconds", "refresh_seconds"), 0
        )

    @property
    def cpu_share(self) -> float:
        """The share of one core the loop may keep busy (0 < share ≤ 1); settable."""
        return self._cpu_share

    @cpu_share.setter
    def cpu_share(self, value: float) -> None:
        self._cpu_share = check_cpu_share(value)

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

    def animated(self, show) -> None:
        """Call ``show`` (which sends the views one update, such as Step's) with the diagram
        asked to animate it: each edge moves to its new θ over ``MAX_TWEEN`` seconds, flashing
        by how much it moved. A weight set by hand afterwards moves at once."""
        self.pg.network.tween = MAX_TWEEN
        try:
            show()
        finally:
            self.pg.network.tween = 0.0

    def training_budget(self) -> float:
        """Seconds of training in one frame: ``TRAIN_SHARE`` of it, less under a CPU cap."""
        capped = self.cpu_share * PERIOD - self._show_cost
        return max(MIN_TRAINING, min(TRAIN_SHARE * PERIOD, capped))

    async def _run(self) -> None:
        pg, stats, clock = self.pg, self.stats, time.perf_counter
        pace, epochs = Pace(), 1
        try:
            while pg.playing:
                start = clock()
                session, speed = pg.session, pg.epochs_per_second
                before = session.updates
                deadline = start + self.training_budget()
                if speed is None:
                    epochs = self._train_epochs(session, epochs, deadline)
                    pace, tween = Pace(), 0.0  # a speed set later starts from now
                else:
                    rate = speed * updates_per_epoch(session)
                    owed = pace.due(start, rate)
                    pace.unmade(owed - self._make_updates(session, owed, deadline))
                    tween = 1 / rate if 1 / rate >= 2 * PERIOD else 0.0
                trained = clock()
                made = session.updates - before
                if made:
                    pg.network.tween = min(tween, MAX_TWEEN)
                    pg.presenter.show_frame()
                    shown = clock()
                    self._show_cost += 0.2 * (shown - trained - self._show_cost)
                    stats["frames"] += 1
                else:
                    shown = trained
                stats["updates"] += made
                stats["training_seconds"] += trained - start
                stats["refresh_seconds"] += shown - trained
                await asyncio.sleep(self._rest(start, shown, speed, pace, session))
                stats["seconds"] += clock() - start
        except DivergenceError as error:  # the weights are finite: show where it stopped
            self._stopped()
            pg.refresh(immediately=False)
            pg.say(f"Paused: {error}", error=True)
            return
        except Exception as error:  # noqa: BLE001 - shown in the widget, never a traceback
            self._stopped()
            pg.say(f"Paused: {type(error).__name__}: {error}", error=True)
            return
        self._stopped()
        pg.refresh()  # paused: show the final numbers

    def _stopped(self) -> None:
        self.pg.playing = False
        self.pg.network.tween = 0.0  # a weight set by hand moves at once

    def _rest(self, start: float, now: float, speed, pace: Pace, session) -> float:
        """Seconds to yield after a frame: to the next frame, stretched under the CPU cap, and
        at a set speed until the next update is owed (looking at the dial now and then)."""
        busy = now - start
        wake = max(start + PERIOD, start + busy / self.cpu_share)
        if speed is not None:
            rate = speed * updates_per_epoch(session)
            wake = max(wake, now + min(MAX_SLEEP, pace.next_in(rate)))
        return max(0.0, wake - time.perf_counter())

    @staticmethod
    def _train_epochs(session, epochs: int, deadline: float) -> int:
        """As fast as it goes: whole epochs in chunks of about ``CHUNK`` seconds until the
        deadline; returns the next chunk's size."""
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            session.train(epochs)
            spent = time.perf_counter() - start
            epochs = max(1, min(epochs * 2, int(epochs * CHUNK / max(spent, 1e-6))))
        return epochs

    @staticmethod
    def _make_updates(session, count: int, deadline: float) -> int:
        """Up to ``count`` updates before the deadline (whole epochs at once where an epoch
        starts); returns how many were made."""
        per_epoch, made = updates_per_epoch(session), 0
        while made < count and time.perf_counter() < deadline:
            left = count - made
            if session.cursor == 0 and left >= per_epoch:
                epochs = min(left // per_epoch, max(1, CHUNK_UPDATES // per_epoch))
                session.train(epochs)
                made += epochs * per_epoch
            else:
                session.step()
                made += 1
        return made

    def guarded(self, action) -> None:
        """Step or Epoch pressed: ``action()``, and what stopped it said in the message line
        (divergence, with the views where it stopped; a NaN weight set by hand)."""
        pg = self.pg
        try:
            action()
        except DivergenceError as error:
            pg.refresh()
            pg.say(str(error), error=True)
            return
        except (TypeError, ValueError) as error:
            pg.say(f"Refused: {error}", error=True)
            return
        pg.say("")

"""What the playground's views show: the session's numbers, sent as view traits.

``Presenter.show`` reads the playground's public state (its session, selection, instance, η)
and sets the traits of every view in one go. While training plays, the slower views are
throttled: the loss curve and the status line follow 20 times a second, the slice and the θ
slider 5 times a second, the derivation is re-typeset at
most once a second; a derivation asked for by a slider drag waits until the drag pauses.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

from ...engine.probes import gradient_of
from ...notation import key_of
from ...notation.numbers import text
from ..demo import StepThrough
from ..derivation_panel import derivation_state
from ..slice_view import ErrorSlice
from ..surface_view import DecisionSurface
from ..weights_table import WeightsTable
from .story import Story, story_of

SETTINGS_PANEL = 1  # the settings' place in ``Controls.panels`` (the demo is 0)


class Throttle:
    """At most one go every ``interval`` seconds: ``due()`` says whether now is one."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.last = -math.inf

    def due(self) -> bool:
        now = time.perf_counter()
        if now - self.last < self.interval:
            return False
        self.last = now
        return True

    def reset(self) -> None:
        """The next ``due()`` is True."""
        self.last = -math.inf


class Debounce:
    """Run ``action`` ``delay`` seconds after the last request (or at once when asked, or when
    no event loop runs to come back later)."""

    def __init__(self, delay: float, action: Callable[[], None]) -> None:
        self.delay, self.action = delay, action
        self._handle: asyncio.TimerHandle | None = None

    def request(self, immediately: bool = False) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if immediately or loop is None:
            self.action()
        else:
            self._handle = loop.call_later(self.delay, self._run)

    def _run(self) -> None:
        self._handle = None
        self.action()


def percent(share: float) -> str:
    """A share as a percentage to one decimal: 0.9333 → "93.3 %"."""
    return f"{100 * share:.1f} %"


def show_accuracy(view, session) -> None:
    """The share of instances classified right, training and test, beside the loss curve
    (nothing for a regression)."""
    train, test = session.accuracy(), session.accuracy(test=True)
    view.accuracy = [train, test]
    if train is None:
        view.accuracy_text = ""
        return
    view.accuracy_text = f"accuracy {percent(train)}" + (
        "" if test is None else f" · test {percent(test)}"
    )


class Presenter:
    """Sends a playground's numbers to its views.

    Parameters
    ----------
    pg : Playground
        Read through its public attributes: ``session``, ``net``, ``selected``, ``instance``,
        ``learning_rate``, ``playing``, and its views.
    """

    def __init__(self, pg) -> None:
        self.pg = pg
        self.slice_view: ErrorSlice | None = None
        self.surface: DecisionSurface | None = None
        self.weights_table: WeightsTable | None = None
        self.table_throttle = Throttle(0.5)
        self.slice_throttle = Throttle(0.2)
        self.slider_throttle = Throttle(0.2)
        self.derivation_throttle = Throttle(1.0)
        self.readout_throttle = Throttle(0.05)
        self.derivation = Debounce(0.15, self.show_derivation)
        self._demo: StepThrough | None = None
        self._pinning = False  # True while the presenter moves the instance slider itself

    def attach(self) -> None:
        """Point the slice and the decision surface at the playground's (new) network and data,
        building them the first time."""
        pg, session = self.pg, self.pg.session
        if self.slice_view is None:
            self.slice_view = ErrorSlice(
                pg.net, session.X, session.Y, pg.selected, pg.learning_rate
            )
            self.surface = DecisionSurface(
                pg.net, session.X, session.Y, session.X_test, session.Y_test
            )
            self.weights_table = WeightsTable(pg.net, on_edit=pg.selection.set_by_hand)
            pg.slice_box.children = [self.slice_view]
            pg.surface_box.children = [self.surface]
            pg.weights_box.children = [self.weights_table]
        else:
            if self.weights_table.net is not pg.net:
                self.weights_table.attach(pg.net)
            self.surface.update(pg.net, session.X, session.Y, session.X_test, session.Y_test)
            self.slice_view.learning_rate = pg.learning_rate  # configure() may have changed it
        if "your_data" in vars(pg):
            self.surface.on_draw(pg.your_data.drawn, pg.your_data.classes())
        # New data or a new network: the next show() sends the slice, the loss curve and the
        # status line at once, even while training plays (a drawn point shows in its frame).
        self.slice_throttle.reset()
        self.readout_throttle.reset()

    def story(self) -> Story:
        """The one instance (or batch) every panel shows (see ``story.py``)."""
        return story_of(self.pg.session, self.pg.instance)

    def show(self, derive: bool = False, immediately: bool = False) -> None:
        """Send the current numbers to the views in one message each; ask for the derivation."""
        pg, session = self.pg, self.pg.session
        net, story = pg.net, self.story()
        self._pin_instance(story.n)  # in (mini-)batch mode: the batch's first instance
        # The slider is a person's online and paused; otherwise it follows the next update.
        pg.controls.instance_slider.disabled = pg.playing or not story.online
        trace = net.trace(story.x, story.y)
        if story.online:
            dW, db = trace.gradients(net.bias)
        else:
            dW, db = net.gradients(session.X[story.batch], session.Y[story.batch])
        loss = session.loss()
        pg.epoch = session.epoch
        with pg.network.hold_sync():
            pg.network.sizes = net.sizes
            pg.network.bias = net.bias
            pg.network.weights = [W.tolist() for W in net.weights]
            pg.network.biases = [b.tolist() for b in net.biases]
            pg.network.grad_weights = [g.tolist() for g in dW]
            pg.network.grad_biases = [g.tolist() for g in db]
            pg.network.a = [a.tolist() for a in trace.a]
            pg.network.z = [[]] + [z.tolist() for z in trace.z[1:]]
            pg.network.instance_label = story.batch_words
            pg.network.instance = story.n
            pg.network.epoch = session.epoch
            pg.network.loss = loss
            pg.network.selected = key_of(pg.selected)
        # While training plays, the loss curve and the status line follow 20 times a second:
        # each view is one more message per frame, and the diagram is what moves.
        readouts = not pg.playing or self.readout_throttle.due()
        if readouts:
            with pg.loss_view.hold_sync():  # copies: the history replaces a point in place
                pg.loss_view.train = [point[:] for point in session.train_history.points]
                pg.loss_view.test = [point[:] for point in session.test_history.points]
                pg.loss_view.title = f"{session.loss_title} E over epochs"
                show_accuracy(pg.loss_view, session)
        if not pg.playing or self.slice_throttle.due():
            self.show_slice(story)
        self.surface.request_update()
        if pg.panels.selected_index == SETTINGS_PANEL and (
            not pg.playing or self.table_throttle.due()
        ):
            self.weights_table.refresh()
        if readouts:
            pg.controls.instance_label.value = story.label
            pg.status.value = self.status(story, trace.error, loss)
        # While training plays, the θ slider follows 5 times a second: it is read, not watched.
        if not pg.playing or self.slider_throttle.due():
            pg.selection.slider.follow(net, pg.selected)
        if pg.selected is None:
            pg.derivation.instance = story.n
        elif pg.derivation.instance != story.n and not pg.playing:
            derive = True  # another instance: the derivation follows it
        # While playing, the instance moves every frame: the derivation follows once a second
        # (``show_frame``), the other views at once.
        if derive:
            self.derivation.request(immediately)

    def status(self, story: Story, instance_error: float, loss: float) -> str:
        """The status line: where training is, E of the panels' instances and E of them all."""
        session = self.pg.session
        if story.full_batch:
            errors = f"E(all {story.size}) = {text(loss)}"
        else:
            shown = instance_error
            if not story.online:
                shown = self.pg.net.loss(session.X[story.batch], session.Y[story.batch])
            errors = f"{story.error_name} = {text(shown)} · E(all {story.size}) = {text(loss)}"
        test = session.test_loss()
        errors = f"{session.loss_title} {errors}"
        return f"epoch <b>{session.epoch}</b> · updates {session.updates} · {errors}" + (
            "" if test is None else f" · test E = {text(test)}"
        )

    def follow_next_update(self) -> None:
        """Online: the instance slider moves to the instance the next update trains on (after
        Step, Epoch, and every frame of Play)."""
        if self.pg.session.batch_size == 1:
            self._pin_instance(self.pg.session.cursor)

    def instance_moved(self, _change) -> None:
        """A person moved the instance slider: every panel shows that instance."""
        if not self._pinning:
            self.pg.refresh(immediately=False)

    def _pin_instance(self, n: int) -> None:
        slider = self.pg.controls.instance_slider
        if slider.value != n:
            self._pinning = True
            try:
                slider.value = n
            finally:
                self._pinning = False

    def show_learning_rate(self) -> None:
        """η changed: the slice's step, the demo's Δθ = η δ a and the derivation's
        Δθ = −η ∂E/∂θ follow."""
        pg = self.pg
        self.slice_view.learning_rate = pg.learning_rate
        if not pg.playing:
            self.sync_demo()
        if pg.selected is not None:
            self.derivation.request()

    def show_frame(self) -> None:
        """A frame of play: the views, and the derivation once a second."""
        self.follow_next_update()
        stale = self.derivation_throttle.due()
        self.show(derive=stale, immediately=stale)

    def show_slice(self, story: Story | None = None) -> None:
        """E over the panels' instances against the selected weight, with the step an update on
        them takes (the next update's, when they are the next update's)."""
        session, story = self.pg.session, story or self.story()
        view = self.slice_view
        view.data_label, view.step_label, view.instance = story.batch_words, story.step, story.n
        view.update(
            net=self.pg.net,
            parameter=self.pg.selected,
            X=session.X[story.batch],
            Y=session.Y[story.batch],
        )

    def show_derivation(self) -> None:
        pg, story = self.pg, self.story()
        self.derivation_throttle.last = time.perf_counter()
        session = pg.session
        batch = None
        if not story.online and pg.selected is not None:
            Xb, Yb = session.X[story.batch], session.Y[story.batch]
            batch = (story.batch_words, gradient_of(pg.net, pg.selected, Xb, Yb))
        state = derivation_state(
            pg.net,
            pg.selected,
            story.x,
            story.y,
            story.n,
            pg.learning_rate,
            sympy=pg.derivation.show_sympy,
            update=story.update,
            batch=batch,
        )
        with pg.derivation.hold_sync():
            for name, value in state.items():
                setattr(pg.derivation, name, value)
            pg.derivation.instance = story.n

    @property
    def demo(self) -> StepThrough:
        """The step-through demo, built when first asked for (its panel opened)."""
        pg = self.pg
        if self._demo is None:
            self._demo = StepThrough(
                pg.net,
                pg.X,
                pg.Y,
                pg.learning_rate,
                pg.selected,
                on_update=lambda: self.show(derive=True),
                instance=pg.instance,
            )
            pg.demo_box.children = [self._demo]
        return self._demo

    def panel_opened(self) -> None:
        """The demo or the settings (with the weights table) opened: up to date."""
        self.sync_demo()
        if self.pg.panels.selected_index == SETTINGS_PANEL:
            self.weights_table.refresh()

    def sync_demo(self) -> None:
        """Bring the demo up to date with the network, when it is open or was built."""
        pg = self.pg
        if pg.panels.selected_index == 0 or self._demo is not None:
            demo = self.demo
            demo.net, demo.X, demo.Y = pg.net, pg.X, pg.Y
            demo.learning_rate, demo.selected = pg.learning_rate, pg.selected
            demo.restart(min(pg.instance, len(pg.X) - 1))

"""Play by the clock, without a browser: the speed dial's pace, whole epochs as fast as it goes,
the CPU cap, Step's animation and the loss curve sent as a head and a growing tail."""

import asyncio

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.widgets.playground.player import (
    MAX_LAG,
    MAX_TWEEN,
    PERIOD,
    Pace,
    Player,
    updates_per_epoch,
)
from backprop_widgets.widgets.playground.settings import CPU_SHARE_VARIABLE, SettingError
from backprop_widgets.widgets.views import TAIL, LossView


def play_for(pg, seconds: float) -> None:
    """Press Play, let the kernel's loop run for ``seconds``, press Pause and let it stop."""

    async def run():
        pg.play()
        await asyncio.sleep(seconds)
        pg.pause()
        while pg.player._task is not None and not pg.player._task.done():
            await asyncio.sleep(0.01)

    asyncio.run(run())


def test_pace_owes_one_update_at_once_then_the_rate_times_the_time_carrying_fractions():
    pace = Pace()
    assert pace.due(10.0, rate=4.0) == 1  # Play is answered at once
    owed = [pace.due(10.0 + 0.1 * k, rate=4.0) for k in range(1, 11)]  # 0.4 per look
    assert owed == [0, 0, 1, 0, 1, 0, 0, 1, 0, 1]  # 4 in one second, none lost or doubled
    assert pace.owed == pytest.approx(0.0, abs=1e-9)
    assert pace.next_in(4.0) == pytest.approx(0.25)


def test_pace_forgets_updates_the_machine_could_not_make_in_time():
    pace = Pace()
    pace.due(0.0, rate=100.0)
    assert pace.due(5.0, rate=100.0) == 1 + int(100 * MAX_LAG)  # not 500: no burst after a stall
    pace.unmade(3)
    assert pace.due(5.0, rate=100.0) == 3


def test_updates_per_epoch_count_instances_online_and_batches_otherwise():
    assert updates_per_epoch(bw.Playground().session) == 4
    moons = bw.Playground(dataset="moons", n=50, mode="mini-batch", batch_size=8)
    assert updates_per_epoch(moons.session) == 7  # 6 batches of 8 and one of 2
    assert updates_per_epoch(bw.Playground(mode="full batch").session) == 1


def test_as_fast_as_it_goes_play_trains_whole_epochs_equal_to_the_engine():
    pg = bw.Playground()
    assert pg.epochs_per_second is None and pg.speed_dial.value is None
    play_for(pg, 0.3)
    assert pg.epoch > 10 and pg.updates == 4 * pg.epoch and pg.session.cursor == 0
    twin = bw.MLP([2, 2, 1], seed=0)
    twin.fit(pg.X, pg.Y, 0.5, epochs=pg.epoch)
    assert all(np.array_equal(a, b) for a, b in zip(twin.weights, pg.net.weights))


def test_at_a_set_speed_play_never_runs_ahead_of_the_clock_and_keeps_the_online_order():
    pg = bw.Playground(epochs_per_second=5)  # 20 updates a second, one instance at a time
    play_for(pg, 0.5)
    seconds = pg.play_stats["seconds"]
    assert 1 <= pg.updates <= 1 + 20 * seconds + 1  # one at once, then by the clock
    twin = bw.MLP([2, 2, 1], seed=0)
    for n in range(pg.updates):  # the same updates, in the same order, as Step makes them
        twin.step(pg.X[n % 4 : n % 4 + 1], pg.Y[n % 4 : n % 4 + 1], 0.5)
    assert all(np.allclose(a, b, rtol=1e-14) for a, b in zip(twin.weights, pg.net.weights))


def test_a_slow_speed_sends_a_frame_only_when_an_update_was_made_and_asks_for_a_tween():
    pg = bw.Playground(epochs_per_second=1)  # 4 updates a second: one every 0.25 s
    tweens = []
    pg.network.observe(lambda change: tweens.append(change["new"]), "tween")
    play_for(pg, 0.6)
    assert pg.play_stats["frames"] == pg.updates <= 4  # no frames between updates
    assert tweens[0] == pytest.approx(0.25) and tweens[-1] == 0.0  # reset when paused
    assert pg.network.tween == 0.0


def test_make_updates_finishes_a_part_done_epoch_one_update_at_a_time_then_whole_epochs():
    pg = bw.Playground()
    pg.step()  # cursor 1
    made = Player._make_updates(pg.session, 11, deadline=float("inf"))
    assert made == 11 and pg.updates == 12 and pg.session.epoch == 3 and pg.session.cursor == 0


def test_the_cpu_cap_keeps_the_loop_busy_at_most_that_share_of_the_time():
    pg = bw.Playground(cpu_share=0.3)
    assert pg.player.cpu_share == 0.3
    assert pg.player.training_budget() <= 0.3 * PERIOD
    play_for(pg, 0.5)
    stats = pg.play_stats
    busy = stats["training_seconds"] + stats["refresh_seconds"]
    assert pg.epoch > 0 and busy / stats["seconds"] <= 0.3 + 0.02


def test_the_cpu_cap_comes_from_the_environment_for_hubs(monkeypatch):
    monkeypatch.setenv(CPU_SHARE_VARIABLE, "0.25")
    assert bw.Playground().player.cpu_share == 0.25
    assert bw.Playground(cpu_share=1).player.cpu_share == 1.0  # the argument wins
    monkeypatch.setenv(CPU_SHARE_VARIABLE, "half")
    with pytest.raises(SettingError, match=f"environment variable {CPU_SHARE_VARIABLE}.*'half'"):
        bw.Playground()
    monkeypatch.delenv(CPU_SHARE_VARIABLE)
    assert Player(bw.Playground()).cpu_share == 1.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"epochs_per_second": 0}, "epochs_per_second must be a number of epochs per second"),
        ({"epochs_per_second": "fast"}, "epochs_per_second must be .* or None"),
        ({"epochs_per_second": True}, "epochs_per_second must be"),
        ({"epochs_per_second": 1e6}, "from 0.1 to 10000"),
        ({"cpu_share": 0}, "cpu_share must be a share of one CPU core"),
        ({"cpu_share": 1.5}, "0 < share <= 1"),
        ({"cpu_share": float("nan")}, "cpu_share must be"),
    ],
)
def test_bad_play_options_are_refused_naming_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        bw.Playground(**kwargs)


def test_the_speed_is_two_way_with_the_dial_and_checked_when_set():
    pg = bw.Playground(epochs_per_second="max")
    assert pg.epochs_per_second is None
    pg.speed_dial.value = 10  # a person turns the dial
    assert pg.epochs_per_second == 10.0
    pg.epochs_per_second = 2.5
    assert pg.speed_dial.value == 2.5
    with pytest.raises(ValueError, match="epochs_per_second must be"):
        pg.epochs_per_second = -1
    with pytest.raises(ValueError, match="epochs_per_second must be"):
        pg.speed_dial.value = 0.0
    assert pg.epochs_per_second == pg.speed_dial.value == 2.5


def test_step_asks_the_diagram_to_animate_its_update_and_nothing_after_it():
    pg = bw.Playground()
    sent = []
    pg.network.observe(lambda change: sent.append(("tween", change["new"])), "tween")
    pg.network.observe(lambda change: sent.append(("weights", None)), "weights")
    pg.step()
    assert sent == [("tween", MAX_TWEEN), ("weights", None), ("tween", 0.0)]
    assert 0.3 <= MAX_TWEEN <= 0.5


def test_the_loss_curve_is_sent_as_a_head_and_a_growing_tail_equal_to_the_points():
    view = LossView()

    def drawn():
        pairs = np.frombuffer(view.train_head + view.train_tail, dtype="<f8").reshape(-1, 2)
        return pairs.tolist()

    points = [[0.0, 0.25]]
    view.train = [p[:] for p in points]
    head = view.train_head
    for epoch in range(1, TAIL):  # grows: only the tail is sent
        points.append([float(epoch), 0.25 / (epoch + 1) + 1e-17 * epoch])
        view.train = [p[:] for p in points]
        assert view.train_head == head and drawn() == points
    points.append([float(TAIL), 1e-3])  # past a full tail: sent whole
    view.train = [p[:] for p in points]
    assert view.train_tail == b"" and drawn() == points
    points[-1][1] = 2e-3  # a point replaced (a weight edited by hand): sent whole
    view.train = [p[:] for p in points]
    assert drawn() == points
    view.train = points[::2]  # thinned out by the history
    assert drawn() == points[::2]


def test_a_speed_set_again_after_full_speed_starts_by_the_clock_without_a_burst():
    pg = bw.Playground(epochs_per_second=100)  # 400 updates a second

    async def run():
        pg.play()
        await asyncio.sleep(0.2)
        pg.epochs_per_second = None
        await asyncio.sleep(0.3)
        pg.epochs_per_second = 100
        await asyncio.sleep(0)  # the frame under way ends at full speed
        start, before = asyncio.get_running_loop().time(), pg.updates
        await asyncio.sleep(0.3)
        made, seconds = pg.updates - before, asyncio.get_running_loop().time() - start
        pg.pause()
        return made, seconds

    made, seconds = asyncio.run(run())
    assert made <= 1 + 400 * seconds + 4  # not the 100 updates owed since the dial last paced

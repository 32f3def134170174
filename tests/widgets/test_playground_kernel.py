"""The playground's Python side: defaults, validation, training, divergence, bounded history."""

import asyncio

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.engine.history import LossHistory


def test_defaults_are_the_lecture_xor_network():
    pg = bw.Playground()
    assert pg.net.sizes == [2, 2, 1] and pg.net.activation == "sigmoid"
    assert pg.dataset_select.value == "xor" and len(pg.X) == 4 and len(pg.X_test) == 0
    assert pg.mode_select.value == "online" and pg.batch_size == 1
    assert pg.learning_rate == 0.5 and pg.selected is None
    fresh = bw.MLP([2, 2, 1], seed=0)
    assert all(np.array_equal(p, q) for p, q in zip(pg.net.weights, fresh.weights))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"dataset": "mnist"}, ValueError, "dataset must be one of"),
        ({"mode": "stochastic"}, ValueError, "mode must be one of"),
        ({"activation": "softmax"}, ValueError, "activation must be one of"),
        ({"hidden": [9]}, ValueError, "must have 1 … 8 neurons"),
        ({"hidden": [2, 2, 2, 2, 2]}, ValueError, "at most 6 layers"),
        ({"learning_rate": -1}, ValueError, "learning_rate"),
        ({"learning_rate": 20}, ValueError, "learning_rate must be between"),
        ({"noise": 0.9}, ValueError, "noise must be between 0.0 and 0.5"),
        ({"seed": -1}, ValueError, "seed"),
        ({"batch_size": 1.5}, TypeError, "batch_size"),
    ],
)
def test_bad_constructor_arguments_name_themselves(kwargs, error, match):
    with pytest.raises(error, match=match):
        bw.Playground(**kwargs)


def test_selected_is_validated_and_a_bad_value_changes_nothing():
    pg = bw.Playground()
    pg.selected = (0, 1, "bias")
    with pytest.raises(Exception, match="selected"):
        pg.selected = (2, 0, 0)
    assert pg.selected == (0, 1, "bias")


def test_messages_from_the_browser_are_checked_and_refused_visibly():
    pg = bw.Playground()
    before = pg.net.to_dict()
    for content in (
        {"type": "select", "weight": "9,9,9"},
        {"type": "select", "weight": "<b>0</b>,0,0"},
        {"type": "resize", "layer": 1, "delta": 5},
        {"type": "resize", "layer": 0, "delta": 1},
        {"type": "launch"},
        "not a dict",
    ):
        pg.message.value = ""
        pg.selection.on_diagram_message(None, content, None)
        assert "Refused" in pg.message.value
        assert "<b>" not in pg.message.value  # text from the browser is escaped
    assert pg.net.to_dict() == before and pg.selected is None


def test_step_and_epoch_follow_the_engine():
    pg = bw.Playground()
    twin = pg.net.copy()
    pg.step()
    twin.step(pg.X[:1], pg.Y[:1], 0.5)
    assert all(np.array_equal(p, q) for p, q in zip(pg.net.weights, twin.weights))
    pg.step_epoch()  # finishes the epoch: instances 1, 2, 3
    twin.fit(pg.X[1:], pg.Y[1:], 0.5, epochs=1)
    assert pg.epoch == 1 and pg.updates == 4
    assert all(np.allclose(p, q, rtol=1e-14) for p, q in zip(pg.net.weights, twin.weights))


def test_playing_trains_in_the_background_and_pause_stops_it():
    pg = bw.Playground()

    async def play_for_a_moment():
        pg.play()
        await asyncio.sleep(0.5)
        pg.pause()
        await asyncio.sleep(0.1)

    asyncio.run(play_for_a_moment())
    assert pg.epoch > 10 and not pg.playing
    assert pg.play_stats["frames"] >= 3 and pg.play_stats["updates"] == pg.updates
    assert pg.net.loss(pg.X, pg.Y) < pg.train_history.points[0][1]


def test_divergence_while_playing_pauses_and_says_so():
    pg = bw.Playground(
        dataset="sine",
        hidden=[8],
        activation="tanh",
        output_activation="linear",
        learning_rate=10.0,
    )

    async def play_until_it_stops():
        pg.play()
        for _ in range(200):
            await asyncio.sleep(0.01)
            if not pg.playing:
                return

    asyncio.run(play_until_it_stops())
    assert not pg.playing
    assert "diverged" in pg.message.value and "bw-error" in pg.message.value
    assert all(np.all(np.isfinite(p)) for p in pg.net.weights + pg.net.biases)


def test_changing_the_architecture_rebuilds_the_network_and_keeps_a_valid_selection():
    pg = bw.Playground()
    pg.selected = (1, 0, 1)
    pg.selection.on_diagram_message(None, {"type": "resize", "layer": 1, "delta": 1}, None)
    assert pg.net.sizes == [2, 3, 1] and pg.selected == (1, 0, 1)
    pg.hidden_text.value = ""
    assert pg.net.sizes == [2, 1] and pg.selected is None  # that weight no longer exists


def test_loss_history_stays_bounded_and_spans_the_run():
    history = LossHistory(capacity=100)
    for epoch in range(100_000):
        history.add(epoch, 1.0 / (epoch + 1))
    assert len(history) <= 100
    assert history.points[0][0] == 0 and history.points[-1][0] > 99_000 - history.stride
    epochs = [p[0] for p in history.points]
    assert epochs == sorted(epochs) and len(set(np.diff(epochs))) == 1  # evenly spaced


def test_play_without_a_running_event_loop_explains_itself():
    pg = bw.Playground()
    pg.play()
    assert not pg.playing and "Jupyter kernel" in pg.message.value and pg.epoch == 0


@pytest.mark.parametrize(("first", "second"), [("xor", "sine"), ("sine", "xor"), ("moons", "sine")])
def test_changing_to_data_of_another_width_rebuilds_the_network(first, second):
    pg = bw.Playground(dataset=first)
    pg.dataset_select.value = second
    assert pg.net.sizes[0] == pg.X.shape[1] and pg.message.value == ""
    pg.player.guarded(pg.step)
    assert pg.updates == 1


def test_the_weight_slider_takes_an_edit_back_to_an_earlier_value():
    pg = bw.Playground()
    pg.selected = (0, 0, 0)
    for value in (1.0, 0.0, 1.0):
        pg.weight_slider.value = value
        assert pg.net[0, 0, 0] == value


def test_the_weight_slider_ignores_its_own_echo():
    pg = bw.Playground()
    pg.selected = (0, 0, 0)
    pg.step()  # Python moves the slider to the new weight
    sent = pg.net[0, 0, 0]
    pg.weight_slider.value = sent + 1e-13  # what the browser sends back, re-rounded
    assert pg.net[0, 0, 0] == sent


@pytest.mark.parametrize("value", [20, 1e-5, 0, -1, float("nan")])
def test_a_learning_rate_outside_the_slider_is_refused_and_changes_nothing(value):
    pg = bw.Playground()
    with pytest.raises(ValueError, match="learning_rate must be a number between"):
        pg.learning_rate = value
    assert pg.learning_rate == 0.5 == pg.slice_view.learning_rate


def test_a_nonexistent_selection_is_a_value_error():
    pg = bw.Playground()
    with pytest.raises(ValueError, match="selected"):
        pg.selected = (5, 0, 0)


def test_divergence_inside_an_epoch_run_keeps_the_books():
    pg = bw.Playground("sine", [8], "linear", "linear", 0.7, mode="full batch")
    with pytest.raises(bw.DivergenceError) as caught:
        pg.train(40)
    done = len(caught.value.history)
    assert done > 0 and pg.epoch == done and pg.updates == done + caught.value.updates
    assert len(pg.train_history) == done + 1


def test_a_step_whose_loss_overflows_is_refused_with_a_message():
    pg = bw.Playground("sine", [8], "linear", "linear", 10.0)
    for _ in range(30):
        pg.player.guarded(pg.step)
        if "diverged" in pg.message.value:
            break
    assert "diverged" in pg.message.value
    assert np.isfinite(pg.net.loss(pg.X, pg.Y))


def test_mode_and_learning_rate_changes_reach_the_teaching_views():
    pg = bw.Playground()
    pg.selected = (1, 0, 0)
    pg.mode_select.value = "full batch"
    assert pg.slice_view.data_label == "all 4 training instances"
    pg.demo  # noqa: B018 - built on first use
    pg.learning_rate = 2.0
    assert pg.demo.learning_rate == 2.0 and pg.demo.trace.learning_rate == 2.0


def test_removing_a_hidden_layer_that_is_not_there_is_refused_and_keeps_training():
    pg = bw.Playground(hidden=[])
    pg.step_epoch()
    pg.layers.change(add_layer=False)
    assert "no hidden layer" in pg.message.value and pg.epoch == 1
    pg.hidden_text.value = " "  # the same (no) hidden layers typed again
    assert pg.epoch == 1


def test_dragging_a_weight_keeps_one_loss_point_per_epoch():
    pg = bw.Playground()
    pg.selected = (0, 0, 0)
    for k in range(300):
        pg.weight_slider.value = k / 100
    assert len(pg.train_history) == 1 and pg.train_history.stride == 1

"""The playground's parts, each without a browser: settings, hidden layers, the throttles, the
player's refusal outside a kernel, configure and refresh."""

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.widgets.playground.presenter import Debounce, Throttle
from backprop_widgets.widgets.playground.settings import Settings


def test_settings_default_to_the_lecture_xor_network_online():
    s = Settings()
    assert s.as_dict() == {
        "dataset": "xor",
        "hidden": [2],
        "activation": "sigmoid",
        "output_activation": "sigmoid",
        "learning_rate": 0.5,
        "mode": "online",
        "seed": 0,
        "noise": 0.1,
        "test_fraction": 0.0,
        "n": 200,
        "batch_size": 8,
        "loss": "squared",
    }
    assert s.updates_batch == 1 and not s.sampled


@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        ("dataset", "mnist", "dataset must be one of"),
        ("mode", "stochastic", "mode must be one of"),
        ("activation", "softmax", "activation must be one of"),
        ("learning_rate", 20.0, "learning_rate must be a number between"),
        ("learning_rate", float("nan"), "learning_rate must be a number between"),
        ("noise", 0.9, "noise must be between 0.0 and 0.5"),
        ("hidden", [9], "must have 1 … 8 neurons"),
        ("seed", 2**31, "seed must be at most"),
        ("n", 1, "n must be an integer >= 2"),
    ],
)
def test_a_setting_out_of_its_limits_is_refused_and_kept(name, value, match):
    s = Settings()
    before = s.as_dict()
    with pytest.raises(ValueError, match=match):
        setattr(s, name, value)
    assert s.as_dict() == before


def test_checked_settings_change_nothing_until_taken():
    s = Settings()
    other = s.checked(dataset="moons", hidden=[4, 3])
    assert s.dataset == "xor" and other.hidden == [4, 3]
    with pytest.raises(ValueError, match="noise"):
        s.checked(noise=2.0)
    with pytest.raises(TypeError, match="unknown setting"):
        s.checked(colour="blue")
    s.update(other)
    assert s.as_dict() == other.as_dict()


def test_the_data_of_the_settings_splits_off_a_test_set_only_for_sampled_data():
    X, Y, X_test, Y_test = Settings("moons", n=40, test_fraction=0.25).data()
    assert len(X) == 30 and len(X_test) == 10
    X, Y, X_test, Y_test = Settings("xor", test_fraction=0.25).data()
    assert len(X) == 4 and len(X_test) == 0


def test_throttle_lets_one_go_through_per_interval():
    throttle = Throttle(60.0)
    assert throttle.due() and not throttle.due()
    throttle.reset()
    assert throttle.due()


def test_debounce_runs_at_once_without_an_event_loop():
    calls = []
    Debounce(10.0, lambda: calls.append(1)).request()
    assert calls == [1]


def test_hidden_layers_typed_added_removed_and_resized_go_through_the_settings():
    pg = bw.Playground()
    pg.hidden_text.value = "3;2"
    assert pg.net.sizes == [2, 3, 2, 1] and pg.hidden_text.value == "3, 2"
    pg.layers.change(add_layer=True)
    assert pg.settings.hidden == [3, 2, 2]
    pg.layers.resize(1, -1)
    assert pg.net.sizes == [2, 2, 2, 2, 1]
    pg.hidden_text.value = "9"
    assert "Refused" in pg.message.value and pg.hidden_text.value == "2, 2, 2"
    with pytest.raises(ValueError, match="delta must be -1 or 1"):
        pg.layers.resize(1, 2)


def test_configure_changes_several_settings_with_one_rebuild_or_nothing():
    pg = bw.Playground()
    pg.configure(dataset="moons", hidden=[4], learning_rate=0.2, mode="mini-batch", n=50)
    assert pg.net.sizes == [2, 4, 1] and len(pg.X) == 50 and pg.batch_size == 4  # as on XOR
    assert pg.dataset_select.value == "moons" and pg.hidden_text.value == "4"
    assert pg.lr_slider.value == 0.2 and pg.epoch == 0
    before = pg.settings.as_dict()
    with pytest.raises(ValueError, match="hidden layer 2 must have"):
        pg.configure(dataset="xor", hidden=[20])
    assert pg.settings.as_dict() == before and len(pg.X) == 50


def test_a_batch_size_larger_than_the_data_is_lowered_to_it():
    pg = bw.Playground(mode="mini-batch", batch_size=16)
    assert pg.settings.batch_size == 4 == pg.batch_slider.value == pg.batch_size


def test_refresh_shows_a_weight_set_by_hand():
    pg = bw.Playground()
    pg.selected = (1, 0, 0)
    pg.net.weights[1][0, 0] = 3.25
    pg.refresh()
    assert pg.network.weights[1][0][0] == 3.25 and pg.weight_slider.value == 3.25
    assert 'data-weight="1,0,0"' in pg.derivation.value


def test_the_diagram_shows_the_selection_as_its_key():
    pg = bw.Playground()
    pg.selection.on_diagram_message(None, {"type": "select", "weight": "0,1,bias"}, None)
    assert pg.selected == (0, 1, "bias") and pg.network.selected == "0,1,bias"
    assert np.isclose(pg.slice_view.theta, pg.net.biases[0][1])


def test_loading_settings_reaches_the_slice_and_the_batch_slider():
    pg = bw.Playground(learning_rate=3.0)
    pg.configure(dataset="moons", n=60, mode="mini-batch", batch_size=50, learning_rate=0.7)
    assert pg.slice_view.learning_rate == 0.7
    assert pg.settings.batch_size == 50 == pg.batch_slider.value == pg.batch_size


def test_a_batch_size_set_beyond_the_data_is_lowered_to_it():
    pg = bw.Playground(mode="mini-batch")
    pg.settings.batch_size = 100
    assert pg.settings.batch_size == 4 == pg.batch_slider.value


def test_learning_rate_and_epoch_are_traits_to_observe_and_link():
    pg = bw.Playground()
    seen = []
    pg.observe(
        lambda change: seen.append((change["name"], change["new"])), ["learning_rate", "epoch"]
    )
    pg.lr_slider.value = 2.0
    pg.step_epoch()
    assert ("learning_rate", 2.0) in seen and ("epoch", 1) in seen
    assert pg.settings.learning_rate == 2.0 == pg.session.learning_rate


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"mode": 3}, ValueError, "mode must be one of"),
        ({"dataset": None}, ValueError, "dataset must be one of"),
        ({"activation": None}, ValueError, "activation must be one of"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
        ({"seed": 3.0}, TypeError, "seed must be an integer"),
        ({"n": "100"}, TypeError, "n must be an integer"),
        ({"n": 10**6}, ValueError, "n must be at most 100000"),
        ({"mode": "x", "learning_rate": 0}, ValueError, "mode must be one of"),
    ],
)
def test_bad_settings_raise_value_or_type_errors_in_the_old_order(kwargs, error, match):
    with pytest.raises(error, match=match):
        bw.Playground(**kwargs)


def test_play_stopped_by_an_error_says_so_without_a_traceback():
    import asyncio

    pg = bw.Playground()
    pg.selected = (0, 0, 0)
    pg.net.weights[0][0, 0] = np.nan

    async def play():
        pg.play()
        await asyncio.sleep(0.2)

    asyncio.run(play())
    assert not pg.playing and "Paused: ValueError" in pg.message.value


def test_the_whole_number_box_clamps_to_its_range_like_bounded_int_text():
    from backprop_widgets.widgets.playground.text_box import WholeNumberBox

    box = WholeNumberBox(value=1, min=1, max=8)
    assert (box.value, box.kind) == (1, "integer")
    box.value = 12
    assert box.value == 8
    box.value = -3
    assert box.value == 1


def test_the_seed_and_eta_boxes_send_what_the_browser_commits():
    """The boxes are the playground's own (they send on Enter in JupyterLite too); a value
    from the browser goes through the same checks as before."""
    pg = bw.Playground()
    assert pg.seed_text.kind == "integer" and pg.seed_text.max == 2**31 - 1
    assert pg.lr_input.kind == pg.hidden_text.kind == "text"
    pg.seed_text.set_state({"value": 7})  # as a message from the browser sets it
    assert pg.settings.seed == 7 and pg.net.seed == 7
    pg.lr_input.set_state({"value": "0.125"})
    assert pg.learning_rate == 0.125
    pg.lr_input.set_state({"value": "1e9"})
    assert pg.learning_rate == 0.125 and pg.lr_input.value == "0.125"
    assert "Refused" in pg.message.value


def test_a_late_echo_of_the_log_slider_does_not_undo_a_later_eta():
    """The log slider sends back each η Python gives it, and an echo may arrive after the next
    η was set (two presets pressed quickly): it is not a drag and changes nothing."""
    import math

    pg = bw.Playground()
    pg.learning_rate = 0.3
    pg.learning_rate = 0.05
    pg.lr_slider.set_state({"value": 10 ** math.log10(0.3)})  # the echo of 0.3, late
    assert pg.learning_rate == 0.05 and pg.lr_input.value == "0.05"
    pg.lr_slider.set_state({"value": 10 ** math.log10(0.05)})  # the echo of 0.05
    assert pg.learning_rate == 0.05
    pg.lr_slider.set_state({"value": 0.23456789})  # a drag: kept to the readout's 3 digits
    assert pg.learning_rate == 0.235 and pg.lr_slider.value == 0.235

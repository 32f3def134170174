"""One story on screen: the diagram, the slice, the derivation and the status line show the same
instance (or the same batch) and say which; the η box, θ while playing and the architecture's
message. Every number is compared with the engine."""

import asyncio
import re

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.engine.probes import gradient_of
from backprop_widgets.notation.numbers import text
from backprop_widgets.widgets.playground.story import story_of


def shown_instances(pg) -> tuple:
    return pg.network.instance, pg.slice_view.instance, pg.derivation.instance


def derivation_number(pg, name: str) -> float:
    return float(re.search(f'data-{name}="([^"]+)"', pg.derivation.value).group(1))


def weight_change_of_step(pg, parameter) -> float:
    before = pg.net.get_parameter(*parameter)
    pg.step()
    return pg.net.get_parameter(*parameter) - before


def test_the_playground_starts_on_an_instance_whose_first_click_is_informative():
    pg = bw.Playground()
    pg.selected = (0, 0, 0)  # θ¹₁₁, from input x₁
    n = pg.instance
    assert n == 3 and pg.X[n].tolist() == [1.0, 1.0]
    assert shown_instances(pg) == (3, 3, 3)
    slope = gradient_of(pg.net, (0, 0, 0), pg.X[3:4], pg.Y[3:4])
    assert slope != 0
    assert pg.slice_view.slope == pytest.approx(slope, rel=1e-12)
    assert derivation_number(pg, "backprop") == pytest.approx(slope, rel=1e-12)
    assert pg.network.grad_weights[0][0][0] == pytest.approx(slope, rel=1e-12)


def test_online_every_panel_shows_the_instance_of_the_slider_and_says_which():
    pg = bw.Playground()
    pg.selected = (1, 0, 1)
    pg.instance_slider.value = 2
    X, Y = pg.X[2:3], pg.Y[2:3]
    assert shown_instances(pg) == (2, 2, 2)
    assert pg.slice_view.X.tolist() == X.tolist() and pg.slice_view.data_label == "instance n = 2"
    slope = gradient_of(pg.net, (1, 0, 1), X, Y)
    assert pg.slice_view.slope == pytest.approx(slope, rel=1e-12)
    assert derivation_number(pg, "backprop") == pytest.approx(slope, rel=1e-12)
    assert pg.network.a[1] == pytest.approx(pg.net.trace(X[0], Y[0]).a[1].tolist(), rel=1e-15)
    words = "instance n = 2: x = (1, 0), y = 1 · the next update trains on n = 0"
    assert pg.instance_label.value == words
    assert "an online update on it" in pg.derivation.value
    assert "next online update" not in pg.derivation.value
    assert pg.slice_view.step_label == "step of an online update on it"
    status = pg.status.value
    assert f"E(n = 2) = {text(pg.net.loss(X, Y))}" in status
    assert f"E(all 4) = {text(pg.net.loss(pg.X, pg.Y))}" in status


def test_on_the_next_updates_instance_the_slice_step_is_the_step_that_update_takes():
    pg = bw.Playground()
    pg.selected = (1, 0, 0)  # θ²₁₁: at x = (0, 0) the first layer's gradients are 0
    pg.instance_slider.value = 0  # the next update's instance
    assert pg.instance_label.value.endswith("· the next online update")
    assert "the next online update: Δθ" in pg.derivation.value
    assert pg.slice_view.step_label == "next step"
    step = pg.slice_view.step
    assert step != 0
    assert weight_change_of_step(pg, (1, 0, 0)) == pytest.approx(step, rel=1e-12)


def test_step_and_epoch_move_every_panel_to_the_next_updates_instance():
    pg = bw.Playground()
    pg.selected = (1, 0, 0)
    pg.step()
    assert pg.instance == pg.session.cursor == 1 and shown_instances(pg) == (1, 1, 1)
    assert "the next online update" in pg.instance_label.value
    pg.step_epoch()
    assert pg.instance == pg.session.cursor == 0 and shown_instances(pg) == (0, 0, 0)


def test_in_mini_batch_mode_the_panels_show_the_next_batch_and_say_so():
    pg = bw.Playground("moons", mode="mini-batch", batch_size=4, n=40)
    pg.selected = (0, 1, 1)
    pg.step()
    batch = slice(4, 8)
    assert pg.session.next_batch() == batch
    assert shown_instances(pg) == (4, 4, 4) and pg.instance == 4
    assert pg.instance_slider.disabled
    pg.instance_slider.value = 9  # the slider follows the batch: it cannot pick another
    assert pg.instance == 4
    label = pg.instance_label.value
    assert label.startswith("the mini-batch of 4 from n = 4 (the next update)")
    assert "its first instance, n = 4: x = (" in label
    X, Y = pg.X[batch], pg.Y[batch]
    slope = gradient_of(pg.net, (0, 1, 1), X, Y)
    assert pg.slice_view.X.tolist() == X.tolist()
    assert pg.slice_view.slope == pytest.approx(slope, rel=1e-12)
    assert pg.network.grad_weights[0][1][1] == pytest.approx(slope, rel=1e-12)
    assert pg.slice_view.step_label == "next step"
    # The derivation is of the batch's first instance, and says what the batch's update does.
    assert derivation_number(pg, "backprop") == pytest.approx(
        gradient_of(pg.net, (0, 1, 1), pg.X[4:5], pg.Y[4:5]), rel=1e-12
    )
    assert derivation_number(pg, "batch-gradient") == pytest.approx(slope, rel=1e-12)
    assert "next online update" not in pg.derivation.value
    assert "The next update is on the mini-batch of 4 from n = 4" in pg.derivation.value
    assert f"E(n = 4 … 7) = {text(pg.net.loss(X, Y))}" in pg.status.value
    step = pg.slice_view.step
    assert weight_change_of_step(pg, (0, 1, 1)) == pytest.approx(step, rel=1e-12)


def test_in_full_batch_mode_every_panel_is_over_all_instances():
    pg = bw.Playground(mode="full batch")
    pg.selected = (0, 0, 1)
    assert shown_instances(pg) == (0, 0, 0)
    assert pg.slice_view.data_label == "all 4 training instances"
    assert pg.instance_label.value.startswith("all 4 training instances (the next update)")
    assert "E(all 4)" in pg.status.value and "E(n =" not in pg.status.value
    slope = gradient_of(pg.net, (0, 0, 1), pg.X, pg.Y)
    assert derivation_number(pg, "batch-gradient") == pytest.approx(slope, rel=1e-12)
    pg.mode_select.value = "online"  # back online: the slider is a person's again
    assert not pg.instance_slider.disabled
    assert "the next online update" in pg.derivation.value


def test_the_story_of_a_session_names_its_instances():
    pg = bw.Playground()
    story = story_of(pg.session, 3)
    assert (story.n, story.batch, story.next_update, story.online) == (3, slice(3, 4), False, True)
    assert story.error_name == "E(n = 3)" and story.update == "an online update on it"


# -------------------------------------------------------------------------- the η box


def test_a_typed_learning_rate_is_kept_exactly_by_every_control():
    pg = bw.Playground()
    pg.lr_input.value = "0.4567"
    assert pg.learning_rate == 0.4567 == pg.session.learning_rate == pg.lr_slider.value
    assert pg.slice_view.learning_rate == 0.4567 and pg.message.value == ""
    pg.lr_slider.value = 10 ** np.log10(0.4567)  # the browser's echo, re-rounded
    assert pg.learning_rate == 0.4567 and pg.lr_input.value == "0.4567"


def test_a_dragged_learning_rate_is_kept_to_the_three_digits_the_slider_shows():
    pg = bw.Playground()
    pg.lr_slider.value = 0.47315125939
    assert pg.learning_rate == 0.473 and pg.lr_input.value == "0.473"


@pytest.mark.parametrize("typed", ["abc", "20", "0", "-1", "nan", "inf", ""])
def test_a_bad_typed_learning_rate_is_refused_with_a_message_and_changes_nothing(typed):
    pg = bw.Playground(learning_rate=0.2)
    pg.lr_input.value = typed
    assert "Refused: η must be a number from 0.001 to 10" in pg.message.value
    assert "η stays 0.2" in pg.message.value
    assert pg.learning_rate == 0.2 == pg.session.learning_rate and pg.lr_input.value == "0.2"


def test_the_presets_and_assignments_set_learning_rate_and_the_box_shows_it():
    pg = bw.Playground()
    [preset] = [b for b in pg.lr_presets if b.description == "0.1"]
    preset.click()
    assert pg.learning_rate == 0.1 and pg.lr_input.value == "0.1" and pg.lr_slider.value == 0.1
    pg.learning_rate = 2.5
    assert pg.lr_input.value == "2.5"


# -------------------------------------------------------------- θ while playing, architecture


def test_setting_theta_while_playing_pauses_training_and_says_so():
    pg = bw.Playground()
    pg.selected = (1, 0, 1)

    async def drag_while_playing():
        pg.play()
        await asyncio.sleep(0.3)
        assert pg.playing and pg.epoch > 0
        assert pg.instance == pg.session.cursor and pg.instance_slider.disabled  # follows
        pg.weight_slider.value = 1.25  # a person's value, not one Python sent
        await asyncio.sleep(0.2)
        return pg.epoch

    epoch = asyncio.run(drag_while_playing())
    assert not pg.playing and pg.epoch == epoch and not pg.instance_slider.disabled
    assert pg.net.get_parameter(1, 0, 1) == 1.25
    assert "Paused while you set θ²₁₂ by hand; Play trains on" in pg.message.value


def test_a_theta_set_while_paused_says_nothing():
    pg = bw.Playground()
    pg.selected = (1, 0, 1)
    pg.weight_slider.value = 1.25
    assert pg.net.get_parameter(1, 0, 1) == 1.25 and pg.message.value == ""


def test_changing_the_architecture_says_that_training_restarts():
    pg = bw.Playground()
    pg.train(3)
    pg.selection.on_diagram_message(None, {"type": "resize", "layer": 1, "delta": 1}, None)
    assert pg.net.sizes == [2, 3, 1] and pg.epoch == 0
    assert pg.message.value == (
        '<span class="bw-info">Architecture [2, 3, 1]: a new network from the initial weights '
        "of seed 0; training restarts from epoch 0 (the 3 epochs trained are gone).</span>"
    )
    pg.step_epoch()
    pg.hidden_text.value = "4, 2"
    assert "Architecture [2, 4, 2, 1]" in pg.message.value
    assert "(the epoch trained is gone)" in pg.message.value
    pg.seed_text.value = 5
    assert "Seed 5: a new network from the initial weights of seed 5" in pg.message.value
    assert "gone" not in pg.message.value  # nothing was trained since

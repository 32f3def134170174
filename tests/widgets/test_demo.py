"""The step-through demo follows the lecture's phases with net.trace's numbers."""

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.widgets.demo import PHASES, StepThrough, steps


@pytest.fixture
def demo():
    X, Y = bw.datasets.xor()
    return StepThrough(bw.MLP([2, 3, 2, 1], seed=1), X, Y, learning_rate=0.5, selected=(0, 1, 0))


def walk(demo):
    """(phase, view state) for every step of one update."""
    seen = []
    for _ in range(len(demo.steps)):
        seen.append((demo.phase, demo.view.a, demo.view.delta, demo.view.dtheta))
        if demo.step + 1 < len(demo.steps):
            demo.next()
    return seen


def test_steps_go_forward_left_to_right_and_backward_right_to_left():
    assert steps(4) == [
        ("input", 0), ("forward", 1), ("forward", 2), ("forward", 3), ("error", 3),
        ("backward", 3), ("backward", 2), ("backward", 1), ("dtheta", -1), ("update", -1),
    ]  # fmt: skip


def test_the_six_phases_come_in_the_lecture_order_with_its_words(demo):
    phases = [phase for phase, *_ in walk(demo)]
    assert list(dict.fromkeys(phases)) == list(PHASES)
    assert list(PHASES.values()) == [
        "Receive input", "Forward pass", "Compute error", "Backward pass", "Calculate Δθ",
        "Update weights",
    ]  # fmt: skip


def test_activations_appear_layer_by_layer_and_deltas_right_to_left(demo):
    t = demo.trace
    seen = walk(demo)
    # Receive input: only x.
    assert seen[0][1] == [t.a[0].tolist(), [], [], []]
    # Forward pass, layer 2 then 3 then 4 (1-based).
    assert seen[1][1][1] == t.a[1].tolist() and seen[1][1][2] == []
    assert seen[3][1] == [a.tolist() for a in t.a]
    # Backward pass: output δ first, then the hidden layers from right to left.
    assert seen[5][2] == [[], [], [], t.delta[3].tolist()]
    assert seen[6][2] == [[], [], t.delta[2].tolist(), t.delta[3].tolist()]
    assert seen[7][2] == [[]] + [d.tolist() for d in t.delta[1:]]
    # Δθ = η δ a appears with its phase, exactly the trace's.
    assert seen[7][3] == [] and seen[8][3] == [d.tolist() for d in t.dtheta]


def test_error_phase_shows_y_y_hat_and_E(demo):
    for _ in range(4):
        demo.next()
    assert demo.phase == "error"
    t = demo.trace
    assert demo.view.output_note == (f"y = {t.y[0]:.4g}\nŷ = {t.y_hat[0]:.4g}\nE = {t.error:.4g}")


def test_update_moves_the_weights_and_stepping_back_takes_it_back(demo):
    before = [p.copy() for p in demo.net.weights + demo.net.biases]
    t = demo.trace
    walk(demo)
    assert demo.phase == "update"
    for p, old, d in zip(demo.net.weights + demo.net.biases, before, t.dtheta + t.dbias):
        assert np.array_equal(p, old + d)
    demo.previous()
    for p, old in zip(demo.net.weights + demo.net.biases, before):
        assert np.array_equal(p, old)


def test_after_the_update_the_next_instance_starts_with_the_updated_weights(demo):
    walk(demo)
    demo.next()
    assert demo.phase == "input" and demo.instance == 1
    fresh = demo.net.trace(demo.X[1], demo.Y[1], 0.5)
    assert np.array_equal(demo.trace.a[-1], fresh.a[-1])


def test_the_derivation_highlights_what_the_phase_computes(demo):
    sections = {}
    for _ in range(len(demo.steps)):
        html = demo.derivation.value
        current = [part.split('"')[0] for part in html.split('bw-current" data-section="')[1:]]
        sections[demo.phase] = current
        if demo.step + 1 < len(demo.steps):
            demo.next()
    assert sections["input"] == ["instance"]
    assert sections["forward"] == ["forward"]
    assert sections["error"] == ["error"]
    assert sections["backward"] == ["chain", "delta"]


def test_bad_arguments_are_refused_and_name_the_argument():
    X, Y = bw.datasets.xor()
    with pytest.raises(TypeError, match="net must be"):
        StepThrough("net", X, Y)
    with pytest.raises(ValueError, match="X must have shape"):
        StepThrough(bw.MLP([3, 1]), X, Y)
    with pytest.raises(ValueError, match="learning_rate"):
        StepThrough(bw.MLP([2, 1]), X, Y, learning_rate=-1)
    demo = StepThrough(bw.MLP([2, 1]), X, Y)
    with pytest.raises(ValueError, match="instance must be 0 … 3"):
        demo.restart(4)


def test_the_playground_demo_follows_its_network():
    pg = bw.Playground()
    pg.selected = (1, 0, 0)
    demo = pg.demo
    assert demo.net is pg.net and demo.selected == (1, 0, 0)
    assert demo.instance == pg.instance_slider.value  # the instance the playground shows
    pg.step()
    assert demo.step == 0
    n = pg.instance_slider.value
    assert demo.instance == n == 1  # Step moved every panel to the next update's instance
    assert np.array_equal(demo.trace.a[-1], pg.net.trace(pg.X[n], pg.Y[n]).a[-1])
    pg.hidden_text.value = "3"
    assert pg.demo.net is pg.net and pg.demo.net.sizes == [2, 3, 1]


def test_each_phase_writes_the_lecture_formula_from_the_notation(demo):
    from backprop_widgets.notation import formulas

    shown = {}
    for _ in range(len(demo.steps)):
        shown.setdefault(demo.phase, []).append(demo.formula.value)
        if demo.step + 1 < len(demo.steps):
            demo.next()
    assert formulas.INPUT.latex in shown["input"][0]
    assert formulas.net_input(2).latex in shown["forward"][0]
    assert formulas.ERROR.latex in shown["error"][0]
    assert formulas.output_delta(4).latex in shown["backward"][0]
    assert formulas.hidden_delta(3).latex in shown["backward"][1]
    assert formulas.carries_back(3).latex in shown["backward"][1]
    assert formulas.delta_theta().latex in shown["dtheta"][0]
    assert formulas.update().latex in shown["update"][0]


def test_clicking_an_edge_selects_its_parameter_and_a_bad_address_is_ignored(demo):
    demo._on_view_message(demo.view, {"type": "select", "weight": "1,0,bias"}, [])
    assert demo.selected == (1, 0, "bias") and demo.view.selected == "1,0,bias"
    assert 'data-weight="1,0,bias"' in demo.derivation.value
    for bad in ("1,0", "9,0,0", None):
        demo._on_view_message(demo.view, {"type": "select", "weight": bad}, [])
        assert demo.selected == (1, 0, "bias")


def test_after_the_update_the_derivation_shows_the_weights_it_started_from():
    X, Y = bw.datasets.xor()
    demo = StepThrough(bw.MLP([2, 2, 1], seed=0), X, Y, learning_rate=0.5, selected=(1, 0, "bias"))
    before = demo.net.biases[1][0]
    walk(demo)
    assert demo.phase == "update" and demo.net.biases[1][0] == before + demo.trace.dbias[1][0]
    update_row = demo.derivation.value.split(r"\leftarrow")[1]
    assert f" = {before:.4g} " in update_row

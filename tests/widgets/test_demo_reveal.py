"""The demo shows each number from the step that computes it, and not before."""

import pytest

import backprop_widgets as bw
from backprop_widgets.widgets.demo import StepThrough
from backprop_widgets.widgets.demo_reveal import Stage, derivation_rows, shown_values


@pytest.fixture
def demo():
    X, Y = bw.datasets.xor()
    return StepThrough(bw.MLP([2, 3, 1], seed=0), X, Y, learning_rate=0.5, selected=(0, 1, 0))


def each_step(demo):
    """Yield the demo at each step of one update."""
    for k in range(len(demo.steps)):
        yield demo
        if k + 1 < len(demo.steps):
            demo.next()


def test_z_is_not_sent_before_the_forward_pass_reaches_its_layer(demo):
    t = demo.trace
    assert demo.view.z == [[], [], []]  # Receive input: no z anywhere, so none in a tooltip
    demo.next()
    assert demo.view.z == [[], t.z[1].tolist(), []]
    demo.next()
    assert demo.view.z == [[], t.z[1].tolist(), t.z[2].tolist()]


def test_y_hat_and_e_appear_at_compute_error_and_not_before(demo):
    notes = {d.phase: d.view.output_note for d in each_step(demo)}
    assert notes["input"] == notes["forward"] == ""
    assert notes["error"].startswith("y = 0\nŷ = 0.7882\nE = ")


def test_the_derivation_shows_only_the_sections_reached(demo):
    sections = []
    for d in each_step(demo):
        html = d.derivation.value
        sections.append([part.split('"')[0] for part in html.split('data-section="')[1:]])
    assert sections == [
        ["instance"],
        ["instance", "forward"],
        ["instance", "forward"],
        ["instance", "forward", "error"],
        ["instance", "forward", "error", "chain", "delta"],
        ["instance", "forward", "error", "chain", "delta"],
        ["instance", "forward", "error", "chain", "delta"],
        ["instance", "forward", "error", "chain", "delta"],
    ]


def test_derivation_rows_come_layer_by_layer_and_delta_theta_and_the_update_last(demo):
    seen = {}
    for d in each_step(demo):
        seen[(d.phase, d.steps[d.step][1])] = d.derivation.value
    forward2, forward3 = seen[("forward", 1)], seen[("forward", 2)]
    assert "z^{2} &amp;=" in forward2 and "z^{3}" not in forward2
    assert "z^{3} &amp;=" in forward3
    output_delta, hidden_delta = seen[("backward", 2)], seen[("backward", 1)]
    assert r"\delta^{3}_{1} &amp;=" in output_delta
    assert r"\delta^{2}_{2} &amp;=" not in output_delta and "carries" not in output_delta
    assert r"\delta^{2}_{2} &amp;=" in hidden_delta and "carries" in hidden_delta
    # ∂E/∂θ¹₂₁ = −δ²₂ a¹₁ once δ²₂ is known; Δθ at its phase; the update at its own.
    gradient = r"\frac{\partial E}{\partial \theta^{1}_{21}} &amp;= -\delta"
    assert gradient not in output_delta and gradient in hidden_delta
    assert r"\Delta\theta^{1}_{21} &amp;=" not in hidden_delta
    assert r"\Delta\theta^{1}_{21} &amp;=" in seen[("dtheta", -1)]
    assert r"\leftarrow" not in seen[("dtheta", -1)] and r"\leftarrow" in seen[("update", -1)]


def test_shown_values_follow_the_stage():
    net = bw.MLP([2, 2, 2, 1], seed=3)
    t = net.trace([1.0, 0.0], [1.0], 0.5)
    shown = shown_values(t, Stage("backward", 2))
    assert shown["a"] == [a.tolist() for a in t.a]
    assert shown["delta"] == [[], [], t.delta[2].tolist(), t.delta[3].tolist()]
    assert shown["dtheta"] == shown["dbias"] == []
    done = shown_values(t, Stage("dtheta", -1))
    assert done["dtheta"] == [d.tolist() for d in t.dtheta]
    assert done["dbias"] == [d.tolist() for d in t.dbias]
    assert shown_values(t, Stage("forward", 2))["a"][3] == []


def test_an_unknown_section_is_refused():
    with pytest.raises(ValueError, match="unknown derivation section 'extra'"):
        derivation_rows("extra", r"&\text{x}", Stage("input", 0), 0)


def test_next_says_what_it_does_and_after_the_last_phase_names_the_next_update(demo):
    assert demo.next_note.value == "Next: Forward pass, layer 2."
    assert demo.next_button.tooltip == "Next: Forward pass, layer 2."
    for _ in each_step(demo):
        pass
    assert demo.phase == "update"
    assert demo.next_note.value == (
        "Next: the next update starts with instance n = 1, x = (0, 1), y = 1, "
        "from the weights this update leaves."
    )
    updated = [W.copy() for W in demo.net.weights]
    demo.next()
    assert (demo.phase, demo.instance) == ("input", 1)
    assert demo.next_note.value.startswith("A new update, from the weights the last one left.")
    assert all((W == U).all() for W, U in zip(demo.net.weights, updated, strict=True))
    demo.restart(0)
    assert demo.next_note.value == "Next: Forward pass, layer 2."


def test_previous_is_disabled_at_the_first_step_only(demo):
    assert demo.prev_button.disabled
    demo.next()
    assert not demo.prev_button.disabled

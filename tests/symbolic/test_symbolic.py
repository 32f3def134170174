"""The chain-rule derivation of ∂E/∂θ against the lecture's slides, hand-worked numbers,
backpropagation, finite differences and SymPy's own differentiation of the expanded error."""

import math
import re
import subprocess
import sys

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import backprop_widgets as bw
from backprop_widgets import symbolic
from backprop_widgets.symbolic import PATH_LIMIT, PHASES, Derivation, derive


def s(z):
    return 1.0 / (1.0 + math.exp(-z))


@pytest.fixture
def lecture_net():
    """The slides' [2, 2, 1] sigmoid network, with weights that make the sums easy by hand.

    For x = (1, 1): z^2 = (0.5 - 0.5, 1 + 0) = (0, 1), a^2 = (0.5, σ(1)),
    z^3 = a^2_1 - a^2_2, a^3 = σ(z^3).
    """
    net = bw.MLP([2, 2, 1])
    net.weights[0][...] = [[0.5, -0.5], [1.0, 0.0]]
    net.weights[1][...] = [[1.0, -1.0]]
    for b in net.biases:
        b[...] = 0.0
    return net


X1, Y1 = np.array([1.0, 1.0]), 1.0


def backprop_entry(net, parameter, x, y):
    dW, db = net.gradients(np.asarray(x, float)[None], np.atleast_1d(np.asarray(y, float))[None])
    layer, i, j = parameter
    return float(db[layer][i] if j == "bias" else dW[layer][i, j])


# -- the lecture's own example ---------------------------------------------------------------


def test_output_weight_reproduces_the_slide_formula_with_hand_computed_numbers(lecture_net):
    d = derive(lecture_net, 1, 0, 0, x=X1, y=Y1)  # θ^2_11
    a2_1 = s(0.0)
    a3 = s(s(0.0) - s(1.0))
    expected = -(1.0 - a3) * a3 * (1.0 - a3) * a2_1  # −(y − a^3_1) g'(z^3) a^2_1
    assert d.value == pytest.approx(expected, rel=1e-12)
    assert d.value == pytest.approx(-0.0687667056886819, rel=1e-12)
    assert d.n_paths == 1
    assert [f.meaning for f in d.factors] == [r"-(y_{1} - a^{3}_{1})", "g'(z^{3}_{1})", "a^{2}_{1}"]
    assert [f.value for f in d.factors] == pytest.approx([-(1 - a3), a3 * (1 - a3), 0.5])
    assert (
        r"\frac{\partial E}{\partial \theta^{2}_{11}} &= \frac{\partial E}{\partial a^{3}_{1}} "
        r"\frac{\partial a^{3}_{1}}{\partial z^{3}_{1}} \frac{\partial z^{3}_{1}}"
        r"{\partial \theta^{2}_{11}}" in d.latex
    )
    assert r"&= -(y_{1} - a^{3}_{1})\, g'(z^{3}_{1})\, a^{2}_{1}" in d.latex
    assert r"&= -(1 - 0.4425) \cdot 0.2467 \cdot 0.5" in d.latex
    assert r"&= -0.06877" in d.latex
    # δ^3_1 = (y − a^3_1) g'(z^3), and ∂E/∂θ^2_11 = −δ^3_1 a^2_1.
    delta = r"\delta^{3}_{1} &= (y_{1} - a^{3}_{1})\, g'(z^{3}_{1})"
    assert delta + r" = (1 - 0.4425) \cdot 0.2467 = 0.1375" in d.latex
    assert r"-\delta^{3}_{1}\, a^{2}_{1} = -0.1375 \cdot 0.5 = -0.06877" in d.latex


def test_hidden_weight_chains_through_the_output_weight_and_both_derivatives(lecture_net):
    d = derive(lecture_net, 0, 1, 0, x=X1, y=Y1)  # θ^1_21: node 1 of layer 1 → node 2 of layer 2
    a2_2, a3 = s(1.0), s(s(0.0) - s(1.0))
    # −(y − a^3_1) g'(z^3_1) θ^2_12 g'(z^2_2) a^1_1
    expected = -(1.0 - a3) * a3 * (1 - a3) * (-1.0) * a2_2 * (1 - a2_2) * 1.0
    assert d.value == pytest.approx(expected, rel=1e-12)
    assert d.value == pytest.approx(0.02704070989619951, rel=1e-12)
    assert [f.meaning for f in d.factors] == [
        r"-(y_{1} - a^{3}_{1})",
        "g'(z^{3}_{1})",
        r"\theta^{2}_{12}",
        "g'(z^{2}_{2})",
        "a^{1}_{1}",
    ]
    assert [f.symbol for f in d.factors][2] == r"\frac{\partial z^{3}_{1}}{\partial a^{2}_{2}}"
    assert r"\delta^{2}_{2} &= \theta^{2}_{12}\, \delta^{3}_{1}\, g'(z^{2}_{2})" in d.latex
    assert d.value_from_delta == pytest.approx(expected, rel=1e-12)


def test_bias_weight_has_the_bias_unit_one_as_its_last_factor(lecture_net):
    lecture_net.biases[0][...] = [0.25, -0.25]
    d = derive(lecture_net, 0, 0, "bias", x=X1, y=Y1)  # θ^1_10
    assert d.name == r"\theta^{1}_{10}"
    assert d.factors[-1].meaning == "a^{1}_{0}"
    assert d.factors[-1].value == 1.0
    assert d.factors[-1].element == ("node", 0, "bias")
    assert r"\frac{\partial z^{2}_{1}}{\partial \theta^{1}_{10}}" in d.latex
    assert d.value == pytest.approx(backprop_entry(lecture_net, (0, 0, "bias"), X1, Y1), rel=1e-12)


def test_learning_rate_gives_delta_theta_and_the_updated_weight_without_changing_it(lecture_net):
    d = derive(lecture_net, 1, 0, 0, x=X1, y=Y1, learning_rate=0.5)
    assert d.delta_theta == pytest.approx(-0.5 * d.value, rel=1e-12)
    (update,) = d.phase("update")
    assert update.value == pytest.approx(1.0 + 0.5 * 0.06876670568868190, rel=1e-12)
    assert r"= 0.5 \cdot 0.06877 = 0.03438" in d.latex
    assert r"\theta^{2}_{11} + \Delta\theta^{2}_{11} = 1 + 0.03438 = 1.034" in d.latex
    assert lecture_net.weights[1][0, 0] == 1.0
    assert derive(lecture_net, 1, 0, 0, x=X1, y=Y1).delta_theta is None


def test_the_lecture_formulas_in_the_derivation_are_the_notations(lecture_net):
    from backprop_widgets.notation import formulas

    d = derive(lecture_net, 1, 0, 0, x=X1, y=Y1, learning_rate=0.5)

    def row(formula):  # a formula as a row of the aligned environment
        return re.sub(r" (=|\\leftarrow) ", r" &\1 ", formula.latex, count=1)

    assert formulas.activation_latex("sigmoid") in d.sections["instance"]
    assert formulas.BIAS_UNIT.latex in d.sections["instance"]
    assert row(formulas.net_input(3)) in d.sections["forward"]
    assert row(formulas.ERROR) in d.sections["error"]
    assert row(formulas.error_slope(3)) in d.sections["error"]
    assert formulas.DELTA_SIGN.latex in d.sections["delta"]
    for formula in (formulas.gradient, formulas.delta_theta, formulas.update):
        assert row(formula(2, 1, 1)) in d.sections["delta"]
    (dtheta,) = [t for t in d.terms if t.symbol == r"\Delta\theta^{2}_{11}"]
    assert dtheta.meaning == r"\eta\, \delta^{3}_{1}\, a^{2}_{1}"


# -- several paths, and too many to list ------------------------------------------------------


def test_first_layer_weight_sums_one_product_per_output_node():
    net = bw.MLP([2, 3, 2], seed=3)
    d = derive(net, 0, 2, 1, x=[0.5, -1.0], y=[0.0, 1.0])
    assert d.n_paths == 2 and d.enumerated
    assert [p.nodes for p in d.paths] == [((2, 0), (1, 2)), ((2, 1), (1, 2))]
    for path in d.paths:
        assert len(path.factors) == 5
        assert math.prod(f.value for f in path.factors) == pytest.approx(path.value, rel=1e-14)
    assert sum(p.value for p in d.paths) == pytest.approx(d.value, rel=1e-14)
    assert r"\theta^{2}_{13}\, g'(z^{2}_{3})\, a^{1}_{2}" in d.latex
    assert r"\theta^{2}_{23}\, g'(z^{2}_{3})\, a^{1}_{2}" in d.latex
    assert "each of the 2 paths" in d.latex


def test_hidden_delta_sums_over_downstream_nodes_with_the_weight_of_the_layer_above():
    net = bw.MLP([1, 2, 2, 1], activation="tanh", seed=0)
    d = derive(net, 0, 0, 0, x=[1.0], y=0.3)
    # δ^2_1 = (θ^2_11 δ^3_1 + θ^2_21 δ^3_2) g'(z^2_1): θ^2 carries δ from layer 3 back to 2.
    assert (
        r"\delta^{2}_{1} &= \Bigl(\theta^{2}_{11}\, \delta^{3}_{1} + \theta^{2}_{21}\, "
        r"\delta^{3}_{2}\Bigr)\, g'(z^{2}_{1})" in d.latex
    )
    assert (
        r"\text{(}\theta^{3}\text{ carries }\delta\text{ back from layer 4 to layer 3)}" in d.latex
    )
    trace = net.trace([1.0], 0.3)
    deltas = {t.symbol: t.value for t in d.phase("backward") if t.symbol.startswith(r"\delta")}
    assert deltas == {
        r"\delta^{4}_{1}": pytest.approx(trace.delta[3][0]),
        r"\delta^{3}_{1}": pytest.approx(trace.delta[2][0]),
        r"\delta^{3}_{2}": pytest.approx(trace.delta[2][1]),
        r"\delta^{2}_{1}": pytest.approx(trace.delta[1][0]),
    }


def test_exactly_path_limit_paths_are_still_listed_one_by_one():
    net = bw.MLP([1, 1, 2, 2], seed=0)
    d = derive(net, 0, 0, 0, x=[0.7], y=[0, 1])
    assert d.n_paths == PATH_LIMIT == 4
    assert len(d.paths) == 4 and d.enumerated
    assert "a sum over" not in d.latex and r"\sum_{k" not in d.latex


def test_a_handful_of_paths_at_most_is_listed_before_the_sigma_form():
    net = bw.MLP([3, 4, 4, 4, 1], seed=0)
    d = derive(net, 0, 0, 0, x=[-1.0, 0.0, 1.0], y=0.0)
    assert d.n_paths == 16 and not d.enumerated
    assert d.sections["chain"].count(r"\\") == 4  # title, Σ of symbols, of meanings, value, note
    assert r"\text{More than 4 paths, not listed" in d.sections["chain"]


def test_more_than_path_limit_paths_are_summed_with_sigma_in_delta_form():
    net = bw.MLP([1, 2, 3, 3, 2], seed=2)
    x, y = [0.4], [1.0, 0.0]
    d = derive(net, 0, 1, 0, x=x, y=y)  # θ^1_21: 3 · 3 · 2 = 18 paths
    assert d.n_paths == 18 and not d.enumerated
    assert d.paths == ()
    assert r"\text{(a sum over 18 paths)}" in d.latex
    assert r"\sum_{k=1}^{2} \sum_{m=1}^{3} \sum_{n=1}^{3}" in d.latex
    assert (
        r"\delta^{4}_{m} &= \Bigl(\sum_{k=1}^{2} \theta^{4}_{km}\, \delta^{5}_{k}\Bigr)" in d.latex
    )
    assert (
        r"\delta^{2}_{2} &= \Bigl(\sum_{n=1}^{3} \theta^{2}_{n2}\, \delta^{3}_{n}\Bigr)" in d.latex
    )
    assert isinstance(d.expr.args[1], sympy.Sum)
    assert d.value == pytest.approx(backprop_entry(net, (0, 1, 0), x, y), rel=1e-12)
    assert float(d.substituted()) == pytest.approx(d.value, rel=1e-12)
    # ∂E/∂a^5, then ∂a/∂z and ∂z/∂a for layers 5, 4 and 3, ∂a^2_2/∂z^2_2 and ∂z^2_2/∂θ^1_21
    assert [len(position) for position in d.chain] == [2, 2, 6, 3, 9, 3, 3, 1, 1]


def test_sigma_form_sums_over_no_layer_of_one_node_and_writes_its_node():
    net = bw.MLP([2, 8, 8, 1], seed=0)
    x, y = [0.5, -1.0], 0.3
    d = derive(net, 0, 0, 0, x=x, y=y)
    assert d.n_paths == 8 and not d.enumerated
    assert not re.search(r"\\sum_\{\w+=1\}\^\{1\}", d.latex)
    assert r"&= \sum_{m=1}^{8} \frac{\partial E}{\partial a^{4}_{1}}" in d.latex
    assert r"&= -\sum_{m=1}^{8} (y_{1} - a^{4}_{1})\, g'(z^{4}_{1})\, \theta^{3}_{1m}" in d.latex
    # The one output node's δ with its numbers; the layer below it, one term without ( ).
    assert r"\delta^{4}_{1} &= (y_{1} - a^{4}_{1})\, g'(z^{4}_{1}) = (0.3 - " in d.latex
    assert r"\delta^{3}_{m} &= \theta^{3}_{1m}\, \delta^{4}_{1}\, g'(z^{3}_{m}): \quad" in d.latex
    assert (
        r"\delta^{2}_{1} &= \Bigl(\sum_{m=1}^{8} \theta^{2}_{m1}\, \delta^{3}_{m}\Bigr)" in d.latex
    )
    (total,) = d.expr.atoms(sympy.Sum)
    assert [(str(k), first, last) for k, first, last in total.limits] == [("m", 1, 8)]
    assert d.symbolic_value == pytest.approx(d.value, rel=1e-12)
    assert float(d.substituted()) == pytest.approx(d.value, rel=1e-12)


def test_a_sum_of_several_terms_stands_in_parentheses_and_a_single_term_does_not():
    net = bw.MLP([2, 3, 1, 3, 2], seed=1)
    d = derive(net, 0, 1, 0, x=[0.3, -0.5], y=[0.1, 0.9])  # 2 · 3 · 1 = 6 paths: the Σ form
    assert d.n_paths == 6 and not d.enumerated
    assert r"\sum_{k=1}^{2} \sum_{m=1}^{3} \frac" in d.latex
    # δ^3_1 sums over the 3 nodes above it: ( ) around the Σ, its value one number.
    assert re.search(
        r"\\delta\^\{3\}_\{1\} &= \\Bigl\(\\sum_\{m=1\}\^\{3\} \\theta\^\{3\}_\{m1\}\\, "
        r"\\delta\^\{4\}_\{m\}\\Bigr\)\\, g'\(z\^\{3\}_\{1\}\) = [-\d.]+ \\cdot ",
        d.latex,
    )
    # δ^2_2 has one node above it: θ δ g'(z), no ( ), and its numbers θ · δ · g'(z).
    theta, delta = net.weights[1][0, 1], net.trace([0.3, -0.5], [0.1, 0.9]).delta[2][0]
    assert (
        rf"\delta^{{2}}_{{2}} &= \theta^{{2}}_{{12}}\, \delta^{{3}}_{{1}}\, g'(z^{{2}}_{{2}}) = "
        rf"{theta:.4g} \cdot {delta:.4g} \cdot " in d.latex
    )
    assert d.symbolic_value == pytest.approx(d.value, rel=1e-12)


def test_wide_network_first_layer_weight():
    net = bw.MLP([4, 8, 8, 3], seed=0)
    x, y = [1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 0.0]
    d = derive(net, 0, 0, 1, x=x, y=y)
    assert d.n_paths == 24
    assert "a sum over 24 paths" in d.latex
    assert d.value == pytest.approx(backprop_entry(net, (0, 0, 1), x, y), rel=1e-12)
    assert d.value == pytest.approx(d.value_from_delta, rel=1e-12)


def test_paths_beyond_what_numpy_lists_one_by_one_are_summed_layer_by_layer():
    net = bw.MLP([1, 1, 17, 16, 16, 16], activation="tanh", seed=4)
    x, y = [0.9], np.linspace(-0.5, 0.5, 16)
    d = derive(net, 0, 0, 0, x=x, y=y)
    assert d.n_paths == 17 * 16 * 16 * 16
    assert "a sum over 69632 paths" in d.latex
    assert d.value == pytest.approx(backprop_entry(net, (0, 0, 0), x, y), rel=1e-12)


# -- the structure against SymPy differentiating the expanded error --------------------------

G = {"sigmoid": lambda z: 1 / (1 + sympy.exp(-z)), "tanh": sympy.tanh, "linear": lambda z: z}


def expanded_network(net, sym):
    """Every z and a of the network as an explicit expression of the θ and x symbols."""
    a = {(0, m): sym.a_of(0, m) for m in range(net.sizes[0])}
    z = {}
    for q in range(1, net.n_layers):
        g = G[net.activation_of(q).name]
        for m in range(net.sizes[q]):
            zq = sum(sym.theta_of(q - 1, m, n) * a[q - 1, n] for n in range(net.sizes[q - 1]))
            if net.bias:
                zq += sym.theta_of(q - 1, m, "bias")
            z[q, m], a[q, m] = zq, g(zq)
    out = net.n_layers - 1
    E = sum((sym.y_of(k) - a[out, k]) ** 2 for k in range(net.sizes[-1])) / 2
    return E, z, a


def numbers(net, sym, x, y):
    values = {sym.a_of(0, m): v for m, v in enumerate(x)}
    values.update({sym.y_of(k): v for k, v in enumerate(np.atleast_1d(y))})
    for layer, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        values.update({sym.theta_of(layer, i, j): v for (i, j), v in np.ndenumerate(W)})
        values.update({sym.theta_of(layer, i, "bias"): v for i, v in enumerate(b)})
    return {k: sympy.Float(float(v)) for k, v in values.items()}


SMALL_NETS = [
    ([2, 2, 1], "sigmoid", "sigmoid", True),
    ([2, 3, 2], "tanh", "linear", True),
    ([1, 2, 2, 1], "tanh", "tanh", True),
    ([2, 2, 1], "linear", "sigmoid", False),
]


@pytest.mark.parametrize("sizes, activation, output, bias", SMALL_NETS)
def test_path_sum_equals_sympy_diff_of_the_fully_expanded_error(sizes, activation, output, bias):
    net = bw.MLP(sizes, activation=activation, output_activation=output, bias=bias, seed=5)
    rng = np.random.default_rng(5)
    for b in net.biases:
        b[...] = rng.uniform(-1, 1, b.shape) if bias else 0.0
    x, y = rng.uniform(-1, 1, sizes[0]), rng.uniform(0, 1, sizes[-1])
    sym = symbolic.symbols(len(sizes))
    E, z, a = expanded_network(net, sym)
    w = sympy.Dummy("w")
    g_prime = {
        q: sympy.Lambda(w, sympy.diff(G[net.activation_of(q).name](w), w))
        for q in range(1, len(sizes))
    }
    # In the chain rule, put each a and g'(z) in terms of θ and x: it must be ∂E/∂θ exactly.
    in_terms_of_theta = {sym.g_prime(sym.z_of(q, m)): g_prime[q](zqm) for (q, m), zqm in z.items()}
    in_terms_of_theta.update({sym.a_of(q, m): aqm for (q, m), aqm in a.items() if q})
    values = numbers(net, sym, x, y)
    for parameter in net.parameters():
        d = derive(net, *parameter, x=x, y=y)
        assert d.symbols == sym
        dE = sympy.diff(E, d.parameter_symbol)
        assert sympy.expand(d.expr.xreplace(in_terms_of_theta) - dE) == 0, parameter
        assert float(dE.xreplace(values)) == pytest.approx(d.value, rel=1e-10, abs=1e-14)
        assert float(d.substituted()) == pytest.approx(d.value, rel=1e-12, abs=1e-15)


def test_sigma_form_writes_out_to_the_same_paths_sympy_finds():
    net = bw.MLP([1, 1, 3, 3, 2], activation="tanh", seed=1)
    x, y = np.array([0.8]), np.array([0.2, -0.4])
    d = derive(net, 0, 0, 0, x=x, y=y)
    assert d.n_paths == 18 and not d.enumerated
    sym = d.symbols
    E, z, a = expanded_network(net, sym)
    dE = sympy.diff(E, d.parameter_symbol)
    written_out = d.expr.doit()
    assert len(sympy.expand(written_out).args) == 18 * 2  # each path's −(y − a) is two terms
    assert float(dE.xreplace(numbers(net, sym, x, y))) == pytest.approx(d.value, rel=1e-10)


# -- agreement with backpropagation and finite differences, on random networks ----------------

ACTIVATION_NAMES = sorted(n for n, g in bw.ACTIVATIONS.items() if not g.output_only)


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=6))
    net = bw.MLP(
        sizes,
        activation=draw(st.sampled_from(ACTIVATION_NAMES)),
        output_activation=draw(st.sampled_from(ACTIVATION_NAMES)),
        bias=draw(st.booleans()),
        seed=draw(st.integers(0, 2**16)),
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    for W, b in zip(net.weights, net.biases, strict=True):
        W[...] = rng.uniform(-1.5, 1.5, W.shape)
        b[...] = rng.uniform(-1, 1, b.shape) if net.bias else 0.0
    x, y = rng.uniform(-2, 2, sizes[0]), rng.uniform(-1, 1, sizes[-1])
    parameters = net.parameters()
    parameter = parameters[draw(st.integers(0, len(parameters) - 1))]
    return net, parameter, x, y


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_value_equals_backpropagation_gradient(case):
    net, parameter, x, y = case
    before = [p.copy() for p in net.weights + net.biases]
    d = derive(net, *parameter, x=x, y=y)
    assert d.value == pytest.approx(backprop_entry(net, parameter, x, y), rel=1e-12, abs=1e-14)
    assert d.value == pytest.approx(d.value_from_delta, rel=1e-12, abs=1e-14)
    assert all(np.array_equal(p, q) for p, q in zip(before, net.weights + net.biases, strict=True))
    if d.enumerated:
        assert sum(p.value for p in d.paths) == pytest.approx(d.value, rel=1e-12, abs=1e-14)
        assert len(d.paths) == d.n_paths
    else:
        assert d.n_paths > PATH_LIMIT and d.paths == ()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_value_equals_central_finite_difference(case):
    net, parameter, x, y = case
    trace = net.trace(x, y)
    for q in range(1, net.n_layers):  # keep relu away from its kink, where E has no derivative
        if net.activation_of(q).name == "relu":
            assume(np.min(np.abs(trace.z[q])) > 1e-3)
    d = derive(net, *parameter, x=x, y=y)
    h = 1e-6
    theta = net.get_parameter(*parameter)
    shifted = net.copy()
    shifted.set_parameter(*parameter, theta + h)
    above = shifted.loss(x[None], y[None])
    shifted.set_parameter(*parameter, theta - h)
    below = shifted.loss(x[None], y[None])
    assert d.value == pytest.approx((above - below) / (2 * h), rel=1e-6, abs=1e-8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_latex_is_balanced_and_shows_four_significant_digits(case):
    net, parameter, x, y = case
    d = derive(net, *parameter, x=x, y=y, learning_rate=0.1)
    for latex in [d.latex, *d.sections.values()]:
        assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
        assert latex.count("{") == latex.count("}")
        assert latex.count(r"\left(") == latex.count(r"\right)")
        assert latex.count(r"\bigl(") == latex.count(r"\bigr)")
        assert "$" not in latex and "nan" not in latex.lower()
    # "\ " is a macro in MathJax: expanding it copies the rest of the formula into a buffer of
    # 5 KB, which a long derivation overflows ("MathJax internal buffer size exceeded").
    assert not re.search(r"(?<!\\)\\ ", d.latex)
    assert not re.search(r"\\sum_\{\w+=1\}\^\{1\}", d.latex)  # no Σ over one node
    for term in d.phase("backward"):  # δ: ( ) around a sum of several terms, and only there
        if term.symbol.startswith(r"\delta"):
            several = r"\sum" in term.meaning or " + " in term.meaning
            assert (r"\Bigl(" in term.meaning) == several, term.meaning
    for number in re.findall(r"\d+\.\d+", d.latex):
        assert len(number.replace(".", "").lstrip("0")) <= 4, number


# -- phases and terms, for the step-through view ----------------------------------------------


def test_terms_follow_the_lecture_demo_phases_and_name_diagram_elements(lecture_net):
    d = derive(lecture_net, 0, 1, 0, x=X1, y=Y1, learning_rate=0.5)
    phases = [t.phase for t in d.terms]
    assert phases == sorted(phases, key=list(PHASES).index)
    assert set(phases) == set(PHASES)
    inputs = d.phase("input")
    assert [t.symbol for t in inputs][:2] == ["a^{1}_{1}", "a^{1}_{2}"]
    forward = {t.symbol: t for t in d.phase("forward")}
    assert forward["z^{2}_{2}"].value == 1.0
    assert forward["a^{2}_{2}"].value == pytest.approx(s(1.0))
    assert forward["a^{2}_{2}"].element == ("node", 1, 1)
    error = d.phase("error")
    assert error[0].symbol == "E" and error[0].element is None
    assert error[1].meaning == r"-(y_{1} - a^{3}_{1})"
    backward = {t.meaning: t for t in d.phase("backward")}
    assert backward[r"\theta^{2}_{12}"].element == ("weight", 1, 0, 1)
    assert backward[r"\theta^{2}_{12}"].value == -1.0
    assert backward["g'(z^{2}_{2})"].element == ("node", 1, 1)
    dtheta = d.phase("dtheta")
    assert [t.element for t in dtheta] == [("weight", 0, 1, 0)] * 2
    assert dtheta[0].value == d.value and dtheta[1].value == d.delta_theta
    with pytest.raises(ValueError, match="name must be one of"):
        d.phase("sideways")


def test_a_later_call_with_changed_weights_reuses_the_structure_and_keeps_old_numbers():
    symbolic.clear_cache()
    net = bw.MLP([2, 4, 4, 1], seed=0)
    first = derive(net, 0, 1, 1, x=[0.3, -0.2], y=1.0)
    old_value, old_factors = first.value, [f.value for f in first.factors]
    net.weights[1][2, 1] += 0.5
    second = derive(net, 0, 1, 1, x=[0.3, -0.2], y=1.0)
    info = symbolic.cache_info()
    assert (info.hits, info.misses) == (1, 1)
    assert second.expr is first.expr
    assert second.value != old_value and second.latex != first.latex
    assert second.value == pytest.approx(backprop_entry(net, (0, 1, 1), [0.3, -0.2], 1.0))
    assert first.value == old_value and [f.value for f in first.factors] == old_factors


def test_repr_and_notebook_display(lecture_net):
    d = derive(lecture_net, 1, 0, 0, x=X1, y=Y1)
    assert isinstance(d, Derivation)
    assert repr(d) == "Derivation(∂E/∂theta^2_11 = -0.0687667, parameter=(1, 0, 0), 1 path)"
    assert d._repr_latex_() == f"$${d.latex}$$"
    assert repr(d.paths[0]) == "Path(E ← a^3_1 ← θ, value=-0.0687667)"
    assert repr(d.factors[0]).startswith(r"Term(\frac{\partial E}{\partial a^{3}_{1}}")


def test_network_without_hidden_layer_is_the_delta_rule():
    net = bw.MLP([3, 2], activation="linear", bias=False, seed=0)
    x, y = [1.0, 2.0, -1.0], [0.5, 0.0]
    d = derive(net, 0, 1, 2, x=x, y=y)
    y_hat = net.predict(np.array(x))
    assert d.value == pytest.approx(-(y[1] - y_hat[1]) * x[2], rel=1e-12)
    assert [f.meaning for f in d.factors] == [r"-(y_{2} - a^{2}_{2})", "g'(z^{2}_{2})", "a^{1}_{3}"]


# -- arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments, error, message",
    [
        (dict(net="net"), TypeError, "net must be a backprop_widgets.MLP"),
        (dict(l=2), ValueError, "l must be a weight layer 0 … 1"),
        (dict(l=1.0), TypeError, "l must be an integer"),
        (dict(i=2), ValueError, "i must be a node index"),
        (dict(j=-1), ValueError, "j must be a node index"),
        (dict(j="weight"), ValueError, 'j must be a node index or "bias"'),
        (dict(x=[1.0, 2.0, 3.0]), ValueError, r"x must be one instance of shape \(2,\)"),
        (dict(x=[[1.0, 2.0]]), ValueError, r"x must be one instance of shape \(2,\)"),
        (dict(x=[1.0, np.nan]), ValueError, "x must contain only finite numbers"),
        (dict(x=["a", "b"]), TypeError, "x must be an array of 2 numbers"),
        (dict(y=[1.0, 0.0]), ValueError, r"y must be one instance of shape \(1,\) or a number"),
        (dict(y=np.inf), ValueError, "y must contain only finite numbers"),
        (dict(learning_rate=-0.1), ValueError, "learning_rate must be a number > 0"),
    ],
)
def test_bad_arguments_raise_errors_that_name_them_and_change_nothing(
    lecture_net, arguments, error, message
):
    call = dict(net=lecture_net, l=0, i=0, j=0, x=X1, y=Y1) | arguments
    before = lecture_net.to_dict()
    with pytest.raises(error, match=message):
        derive(**call)
    assert lecture_net.to_dict() == before


def test_bias_of_a_network_without_bias_units_is_refused():
    net = bw.MLP([2, 2, 1], bias=False)
    with pytest.raises(ValueError, match="bias=False"):
        derive(net, 0, 0, "bias", x=X1, y=Y1)


def test_scalar_target_is_refused_for_two_outputs():
    net = bw.MLP([2, 3, 2])
    with pytest.raises(ValueError, match=r"y must be one instance of shape \(2,\); got shape \(\)"):
        derive(net, 0, 0, 0, x=X1, y=1.0)


def test_importing_the_package_does_not_import_sympy_until_derive_is_called():
    code = (
        "import sys, backprop_widgets as bw\n"
        "net = bw.MLP([2, 2, 1])\n"
        "assert 'sympy' not in sys.modules, 'sympy imported by the package'\n"
        "d = bw.derive(net, 0, 0, 0, x=[1.0, 0.0], y=1.0)\n"
        "assert 'sympy' in sys.modules\n"
        "print(type(d).__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Derivation"

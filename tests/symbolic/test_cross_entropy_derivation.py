"""derive() under the cross-entropy: the chain rule through the softmax's Jacobian (or the
sigmoid's g'), the simplification δ^L = y − ŷ as a visible step, and the three-way check
(SymPy expression = backpropagation = finite difference) on every parameter."""

import re

import numpy as np
import pytest
import sympy

import backprop_widgets as bw
from backprop_widgets import symbolic
from backprop_widgets.engine.probes import finite_difference
from backprop_widgets.notation import formulas
from backprop_widgets.symbolic import PHASES, derive


def softmax_net(sizes, seed=0):
    return bw.MLP(sizes, output_activation="softmax", loss="cross_entropy", seed=seed)


def sigmoid_ce_net(sizes, seed=0):
    return bw.MLP(sizes, output_activation="sigmoid", loss="cross_entropy", seed=seed)


def backprop_entry(net, parameter, x, y):
    dW, db = net.gradients(np.asarray(x, float)[None], np.asarray(y, float)[None])
    layer, i, j = parameter
    return float(db[layer][i] if j == "bias" else dW[layer][i, j])


def one_hot(label, K):
    return np.eye(K)[label]


CASES = [
    pytest.param(softmax_net([2, 3, 3], seed=1), "softmax", id="softmax [2,3,3]"),
    pytest.param(softmax_net([3, 4, 4, 3], seed=2), "softmax", id="softmax [3,4,4,3]"),
    pytest.param(sigmoid_ce_net([2, 3, 1], seed=3), "sigmoid", id="sigmoid+CE [2,3,1]"),
]


def instances(net, output, n=3, seed=0):
    """A few random instances: for a softmax, each class label once as a label, once one-hot."""
    rng = np.random.default_rng(seed)
    for r in range(n):
        x = rng.uniform(-2, 2, net.sizes[0])
        if output == "softmax":
            label = r % net.sizes[-1]
            yield x, (label if r % 2 else one_hot(label, net.sizes[-1]))
        else:
            yield x, rng.uniform(0, 1, net.sizes[-1])


@pytest.mark.parametrize(("net", "output"), CASES)
def test_every_parameter_agrees_with_backprop_and_a_finite_difference(net, output):
    before = net.to_dict()
    for x, y in instances(net, output):
        y_row = one_hot(y, net.sizes[-1]) if np.ndim(y) == 0 else np.asarray(y, float)
        dW, db = net.gradients(x[None], y_row[None])
        for parameter in net.parameters():
            layer, i, j = parameter
            backprop = float(db[layer][i] if j == "bias" else dW[layer][i, j])
            d = derive(net, *parameter, x=x, y=y)
            assert d.value == pytest.approx(backprop, rel=1e-10, abs=1e-12), parameter
            assert d.value_from_delta == pytest.approx(backprop, rel=1e-10, abs=1e-12)
            assert d.symbolic_value == pytest.approx(backprop, rel=1e-10, abs=1e-12), parameter
            fd = finite_difference(net, parameter, x, y_row)
            assert abs(d.value - fd) < 1e-8, (parameter, d.value, fd)
            assert abs(d.symbolic_value - fd) < 1e-8, parameter
            if d.enumerated:
                assert sum(p.value for p in d.paths) == pytest.approx(d.value, abs=1e-14)
    assert net.to_dict() == before  # derive changes nothing


@pytest.mark.parametrize(("net", "output"), CASES)
def test_the_sympy_expression_itself_gives_the_number(net, output):
    x, y = next(instances(net, output))
    for parameter in net.parameters()[:: max(1, len(net.parameters()) // 6)]:
        d = derive(net, *parameter, x=x, y=y)
        assert float(d.substituted()) == pytest.approx(d.value, rel=1e-10, abs=1e-13)


# -- the expression against SymPy differentiating the expanded cross-entropy ------------------


def expanded_cross_entropy(net, sym):
    """E of the network written out in the θ and x symbols (sigmoid hidden layers)."""
    a = [[sym.a_of(0, m) for m in range(net.sizes[0])]]
    z = None
    for q in range(1, net.n_layers):
        z = [
            sum(sym.theta_of(q - 1, m, n) * a[-1][n] for n in range(net.sizes[q - 1]))
            + sym.theta_of(q - 1, m, "bias")
            for m in range(net.sizes[q])
        ]
        if q < net.n_layers - 1:
            a.append([1 / (1 + sympy.exp(-zm)) for zm in z])
    y = [sym.y_of(k) for k in range(net.sizes[-1])]
    if net.output_activation == "softmax":
        total = sum(sympy.exp(zk) for zk in z)
        return -sum(yk * sympy.log(sympy.exp(zk) / total) for yk, zk in zip(y, z, strict=True))
    y_hat = [1 / (1 + sympy.exp(-zk)) for zk in z]
    return -sum(
        yk * sympy.log(p) + (1 - yk) * sympy.log(1 - p) for yk, p in zip(y, y_hat, strict=True)
    )


@pytest.mark.parametrize(
    "net", [softmax_net([2, 2, 3], seed=4), sigmoid_ce_net([2, 2, 2], seed=5)], ids=str
)
def test_path_sum_equals_sympy_diff_of_the_expanded_cross_entropy(net):
    rng = np.random.default_rng(6)
    x = rng.uniform(-1, 1, net.sizes[0])
    y = one_hot(2, 3) if net.output_activation == "softmax" else np.array([1.0, 0.0])
    sym = symbolic.symbols(net.n_layers)
    E = expanded_cross_entropy(net, sym)
    values = {sym.a_of(0, m): v for m, v in enumerate(x)}
    values.update({sym.y_of(k): v for k, v in enumerate(y)})
    for layer, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        values.update({sym.theta_of(layer, i, j): v for (i, j), v in np.ndenumerate(W)})
        values.update({sym.theta_of(layer, i, "bias"): v for i, v in enumerate(b)})
    values = {k: sympy.Float(float(v), 30) for k, v in values.items()}
    for parameter in net.parameters():
        d = derive(net, *parameter, x=x, y=y)
        dE = sympy.diff(E, d.parameter_symbol)
        assert float(dE.xreplace(values).evalf(30)) == pytest.approx(d.value, rel=1e-10)


# -- what the derivation writes -----------------------------------------------------------


def row(formula):  # a formula as a row of the aligned environment
    return re.sub(r" (=|\\leftarrow) ", r" &\1 ", formula.latex, count=1)


def test_softmax_chain_rule_goes_through_the_jacobian_then_simplifies_to_y_minus_y_hat():
    net = softmax_net([2, 3, 3], seed=1)
    d = derive(net, 0, 1, 0, x=[0.5, -1.0], y=1)
    output = d.sections["output"]
    assert list(d.sections) == ["instance", "forward", "error", "output", "chain", "delta"]
    # ∂E/∂z_i = Σ_k ∂E/∂a_k ∂a_k/∂z_i, with ∂E/∂a_k = −y_k/ŷ_k, ∂a_k/∂z_i = ŷ_k (1[k = i] − ŷ_i)
    assert row(formulas.through_softmax(3)) in output
    assert formulas.softmax_jacobian(3).latex in output
    assert row(formulas.cross_entropy_slope(3, "softmax")) in d.sections["error"]
    steps = [
        r"&= \sum_k \Bigl(-\frac{y_k}{a^{3}_k}\Bigr)\, a^{3}_k\,({1[k = i]} - a^{3}_i)",
        r"&= -y_i + a^{3}_i \sum_k y_k",
        r"&= -(y_i - a^{3}_i) \quad \text{(y is one-hot: } \sum_k y_k = 1",
        r"\delta^{3}_i &= -\frac{\partial E}{\partial z^{3}_i} = y_i - a^{3}_i",
    ]
    positions = [output.index(step) for step in steps]
    assert positions == sorted(positions)  # the steps in order, each visible
    assert r"\delta = -\partial E / \partial z" in output  # in the lecture's sign
    assert "feeds each path" in output and "all 3 outputs" in output
    # the chain rule starts at ∂E/∂z^3_k: no g'(z^3) of the softmax anywhere
    assert "g'(z^{3}" not in d.latex
    assert [f.symbol for f in d.chain[0]] == [
        rf"\frac{{\partial E}}{{\partial z^{{3}}_{{{k}}}}}" for k in (1, 2, 3)
    ]
    assert all(f.meaning == rf"-(y_{{{k}}} - a^{{3}}_{{{k}}})" for k, f in zip("123", d.chain[0]))
    # with numbers: δ^3_k = y_k − a^3_k, the trace's
    trace = net.trace([0.5, -1.0], 1)
    for k in range(3):
        assert rf"\delta^{{3}}_{{{k + 1}}} &= y_{{{k + 1}}} - a^{{3}}_{{{k + 1}}} = " in d.latex
    deltas = {t.symbol: t.value for t in d.phase("backward") if t.symbol.startswith(r"\delta^{3}")}
    assert list(deltas.values()) == pytest.approx(list(trace.delta[2]))
    phases = [t.phase for t in d.terms]
    assert phases == sorted(phases, key=list(PHASES).index)


def test_softmax_jacobian_numbers_keep_only_the_target_class():
    net = softmax_net([2, 3, 3], seed=1)
    d = derive(net, 1, 2, 1, x=[0.5, -1.0], y=[0.0, 1.0, 0.0])  # θ^2_32: one path, output 3
    a = net.predict(np.array([0.5, -1.0]))
    assert d.n_paths == 1
    shown = [f"{v:.4g}" for v in a]
    assert (
        rf"\frac{{\partial E}}{{\partial z^{{3}}_{{3}}}} &= \Bigl(-\frac{{1}}{{{shown[1]}}}\Bigr)"
        rf" \cdot {shown[1]} \cdot (0 - {shown[2]}) = {shown[2]}" in d.sections["output"]
    )
    assert "feeds each path" not in d.sections["output"]  # one output on the path


def test_sigmoid_cross_entropy_shows_g_prime_cancelling():
    net = sigmoid_ce_net([2, 3, 1], seed=3)
    d = derive(net, 1, 0, 2, x=[0.2, 0.7], y=1.0)
    output = d.sections["output"]
    assert row(formulas.cross_entropy_slope(3, "sigmoid")) in d.sections["error"]
    steps = [
        r"&= -\Bigl(\frac{y_k}{a^{3}_k} - \frac{1 - y_k}{1 - a^{3}_k}\Bigr)"
        r"\, a^{3}_k\,(1 - a^{3}_k)",
        r"&= -\bigl(y_k\,(1 - a^{3}_k) - (1 - y_k)\, a^{3}_k\bigr)",
        r"&= -(y_k - a^{3}_k)",
        r"\delta^{3}_k &= -\frac{\partial E}{\partial z^{3}_k} = y_k - a^{3}_k",
    ]
    positions = [output.index(step) for step in steps]
    assert positions == sorted(positions)
    # the chain keeps the lecture's factors ∂E/∂a^3_1 and ∂a^3_1/∂z^3_1 = g'(z^3_1)
    assert [f.meaning for f in d.factors][:2] == [
        r"-\Bigl(\frac{y_{1}}{a^{3}_{1}} - \frac{1 - y_{1}}{1 - a^{3}_{1}}\Bigr)",
        "g'(z^{3}_{1})",
    ]
    assert r"\delta^{3}_{1} &= y_{1} - a^{3}_{1} = 1 - " in d.latex


def test_the_title_names_the_loss():
    d = derive(softmax_net([2, 3, 3]), 1, 0, 1, x=[0.1, 0.2], y=0)
    assert d.title == "∂E/∂θ²₁₂ for the cross-entropy E"
    assert d.loss == "cross_entropy"
    assert d.sections["instance"].startswith(
        "\\begin{aligned}\n"
        r"&\text{Derivation of } \frac{\partial E}{\partial \theta^{2}_{12}} "
        r"\text{ for the cross-entropy } E"
    )
    assert formulas.CROSS_ENTROPY.latex in d.sections["instance"]
    binary = derive(sigmoid_ce_net([2, 3, 1]), 0, 2, "bias", x=[0.1, 0.2], y=0.0)
    assert binary.title == "∂E/∂θ¹₃₀ for the cross-entropy E"
    assert formulas.BINARY_CROSS_ENTROPY.latex in binary.sections["instance"]
    squared = derive(bw.MLP([2, 3, 1]), 1, 0, 1, x=[0.1, 0.2], y=0.0)
    assert squared.title == "∂E/∂θ²₁₂ for the squared error E"
    assert "Derivation of" not in squared.latex and "output" not in squared.sections


def test_class_labels_and_one_hot_rows_give_the_same_derivation():
    net = softmax_net([3, 4, 4, 3], seed=2)
    x = [0.3, -0.4, 1.2]
    for parameter in [(0, 1, 2), (1, 3, "bias"), (2, 0, 3)]:
        by_label = derive(net, *parameter, x=x, y=2, learning_rate=0.1)
        by_row = derive(net, *parameter, x=x, y=[0, 0, 1], learning_rate=0.1)
        by_float = derive(net, *parameter, x=x, y=np.float64(2.0), learning_rate=0.1)
        assert by_label.latex == by_row.latex == by_float.latex
        assert by_label.value == by_row.value and by_label.expr is by_row.expr
        assert by_label.symbolic_value == by_row.symbolic_value


def test_the_loss_is_part_of_the_cache_key():
    symbolic.clear_cache()
    x, y = [0.4, -0.3], 1.0
    squared, cross = bw.MLP([2, 3, 1], seed=7), sigmoid_ce_net([2, 3, 1], seed=7)
    a = derive(squared, 0, 0, 0, x=x, y=y)
    b = derive(cross, 0, 0, 0, x=x, y=y)
    assert symbolic.cache_info().misses == 2
    assert a.expr != b.expr and a.latex != b.latex
    assert a.value == pytest.approx(backprop_entry(squared, (0, 0, 0), x, [y]), rel=1e-12)
    assert b.value == pytest.approx(backprop_entry(cross, (0, 0, 0), x, [y]), rel=1e-12)
    assert derive(cross, 0, 0, 0, x=x, y=0.5).expr is b.expr
    assert symbolic.cache_info().hits == 1


def test_saturated_softmax_logits_stay_finite():
    net = softmax_net([2, 3, 3], seed=1)
    net.weights[1][...] = [[800.0] * 3, [-800.0] * 3, [0.0] * 3]
    for y in (0, 1, 2):
        d = derive(net, 0, 0, 0, x=[0.5, -1.0], y=y)
        assert np.isfinite(d.value) and np.isfinite(d.symbolic_value)
        assert d.value == pytest.approx(backprop_entry(net, (0, 0, 0), [0.5, -1.0], one_hot(y, 3)))
        assert "nan" not in d.latex.lower()


@pytest.mark.parametrize(
    ("net", "y", "message"),
    [
        (softmax_net([2, 3, 3]), [0.5, 0.5, 0.0], r"y for a softmax output must be one-hot"),
        (softmax_net([2, 3, 3]), [1.0, 1.0, 0.0], r"y for a softmax output must be one-hot"),
        (softmax_net([2, 3, 3]), [0.0, 0.0, 0.0], r"y for a softmax output must be one-hot"),
        (softmax_net([2, 3, 3]), 3, r"y as class labels must be whole numbers 0 … 2"),
        (softmax_net([2, 3, 3]), 1.5, r"y as class labels must be whole numbers 0 … 2"),
        (softmax_net([2, 3, 3]), [0.0, 1.0], r"y must be one instance of shape \(3,\)"),
        (sigmoid_ce_net([2, 3, 1]), 1.5, r"y for cross-entropy on a sigmoid output must lie"),
        (sigmoid_ce_net([2, 3, 1]), -0.1, r"y for cross-entropy on a sigmoid output must lie"),
    ],
)
def test_bad_targets_raise_a_value_error_naming_y(net, y, message):
    before = net.to_dict()
    with pytest.raises(ValueError, match=message):
        derive(net, 0, 0, 0, x=[0.1, 0.2], y=y)
    assert net.to_dict() == before


# -- the panel draws it --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("net", "selected", "y"),
    [
        (softmax_net([2, 3, 3], seed=1), (0, 1, 0), np.array([0.0, 1.0, 0.0])),
        (softmax_net([3, 4, 4, 3], seed=2), (0, 0, 0), np.array([0.0, 0.0, 1.0])),
        (sigmoid_ce_net([2, 3, 1], seed=3), (0, 2, "bias"), np.array([1.0])),
    ],
)
def test_the_derivation_panel_renders_the_new_sections_as_mathml(net, selected, y):
    from backprop_widgets.widgets.derivation_panel import derivation_state

    x = np.linspace(-0.5, 0.5, net.sizes[0])
    state = derivation_state(net, selected, x, y, 0, 0.5, sympy=True)
    value = state["value"]
    assert '<div class="bw-section" data-section="output">' in value
    assert 'data-agree="true"' in value
    output = value.split('data-section="output">')[1].split('data-section="chain"')[0]
    assert output.count("<math") > 8 and "merror" not in value
    text = re.sub(r'data-latex="[^"]*"', "", value)
    assert "\\" not in "".join(re.findall(r">([^<>]*)<", text))  # no LaTeX left undrawn
    assert "for the cross-entropy" in value.split('data-section="instance">')[1]
    if net.output_activation == "softmax":
        assert "1[k = i]" in output  # the Jacobian step, kept in data-latex for slides
        assert "y is one-hot" in output
    assert state["sympy"].startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert state["latex"].startswith(r"\begin{aligned}")

"""∂E/∂θ evaluated from the SymPy expression itself (``Derivation.symbolic_value``), and the
expression as MathML (``Derivation.expr_mathml``)."""

import xml.etree.ElementTree as ET

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backprop_widgets as bw
from backprop_widgets.notation.address import Parameter
from backprop_widgets.symbolic import PATH_LIMIT, clear_cache, derive, expression
from backprop_widgets.symbolic.compiled import Compiled
from backprop_widgets.symbolic.paths import Paths
from backprop_widgets.symbolic.values import Numbers

# The activations a neuron applies alone (softmax couples a layer: tests/symbolic/test_softmax*).
ELEMENTWISE = sorted(n for n, g in bw.ACTIVATIONS.items() if not g.output_only)

MATHML = "{http://www.w3.org/1998/Math/MathML}"


def backprop_entry(net, parameter, x, y):
    dW, db = net.gradients(x[None], y[None])
    layer, i, j = parameter
    return float(db[layer][i] if j == "bias" else dW[layer][i, j])


@pytest.fixture
def fresh_cache():
    """No structure compiled before the test, and none it made (or patched) left after it."""
    clear_cache()
    yield
    clear_cache()


# -- agreement with backpropagation ---------------------------------------------------------


def random_network(draw, sizes):
    net = bw.MLP(
        sizes,
        activation=draw(st.sampled_from(ELEMENTWISE)),
        output_activation=draw(st.sampled_from(ELEMENTWISE)),
        bias=draw(st.booleans()),
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    for W, b in zip(net.weights, net.biases, strict=True):
        W[...] = rng.uniform(-1.5, 1.5, W.shape)
        b[...] = rng.uniform(-1, 1, b.shape) if net.bias else 0.0
    return net, rng.uniform(-2, 2, sizes[0]), rng.uniform(-1, 1, sizes[-1])


@st.composite
def networks(draw):
    """A small network, one of its parameters (any layer, weights and biases) and an instance."""
    net, x, y = random_network(draw, draw(st.lists(st.integers(1, 4), min_size=2, max_size=5)))
    parameter = draw(st.sampled_from(net.parameters()))
    return net, parameter, x, y


SIGMA_FORMS = [  # a first-layer parameter has more than PATH_LIMIT paths
    [2, 3, 5, 4],  # 4 · 5 = 20 paths
    [1, 2, 3, 3, 2],  # 2 · 3 · 3 = 18
    [2, 2, 5, 5, 1],  # 1 · 5 · 5 = 25
    [3, 4, 4, 4, 2],  # 2 · 4 · 4 = 32
    [2, 3, 1, 3, 2],  # 2 · 3 · 1 = 6, a hidden layer of one node
    [2, 8, 8, 1],  # 1 · 8 = 8, one output node
]


@st.composite
def sigma_networks(draw):
    """A network and a first-layer parameter, whose paths are summed with Σ."""
    net, x, y = random_network(draw, draw(st.sampled_from(SIGMA_FORMS)))
    parameter = draw(st.sampled_from([p for p in net.parameters() if p[0] == 0]))
    return net, parameter, x, y


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_symbolic_value_equals_the_backpropagation_gradient(case):
    net, parameter, x, y = case
    d = derive(net, *parameter, x=x, y=y)
    expected = backprop_entry(net, parameter, x, y)
    assert d.symbolic_value == pytest.approx(expected, rel=1e-12, abs=1e-14)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sigma_networks())
def test_symbolic_value_of_a_sigma_form_sums_every_path(case):
    net, parameter, x, y = case
    d = derive(net, *parameter, x=x, y=y)
    assert d.n_paths > PATH_LIMIT and not d.enumerated
    # One Σ, over the layers of several nodes only (no Σ from 1 to 1), covering every path.
    (total,) = d.expr.atoms(sympy.Sum)
    assert all(last > first == 1 for _, first, last in total.limits)
    assert np.prod([last for *_, last in total.limits]) == d.n_paths
    expected = backprop_entry(net, parameter, x, y)
    assert d.symbolic_value == pytest.approx(expected, rel=1e-12, abs=1e-14)


def test_symbolic_value_of_more_paths_than_numpy_lists_one_by_one():
    net = bw.MLP([1, 1, 17, 16, 16, 16], activation="tanh", seed=4)
    x, y = np.array([0.9]), np.linspace(-0.5, 0.5, 16)
    d = derive(net, 0, 0, 0, x=x, y=y)
    assert d.n_paths == 17 * 16**3
    assert d.symbolic_value == pytest.approx(backprop_entry(net, (0, 0, 0), x, y), rel=1e-12)


# -- the value really comes from SymPy ------------------------------------------------------


@pytest.mark.parametrize(
    "sizes, parameter",
    [([2, 3, 2], (0, 1, 0)), ([2, 3, 5, 4], (0, 2, "bias"))],
    ids=["listed paths", "sigma form"],
)
def test_symbolic_value_follows_the_expression_and_value_does_not(
    sizes, parameter, monkeypatch, fresh_cache
):
    net = bw.MLP(sizes, seed=7)
    x, y = np.linspace(-1, 1, sizes[0]), np.linspace(0, 1, sizes[-1])
    before = derive(net, *parameter, x=x, y=y)
    expr, value = before.expr, before.symbolic_value  # before the patch: both are lazy
    chain_rule = expression.chain_rule
    monkeypatch.setattr(expression, "chain_rule", lambda paths, s: 2 * chain_rule(paths, s))
    clear_cache()
    doubled = derive(net, *parameter, x=x, y=y)
    assert doubled.expr == 2 * expr
    assert doubled.value == before.value == pytest.approx(value, rel=1e-12)
    assert doubled.symbolic_value == pytest.approx(2 * value, rel=1e-14)


def test_the_expression_is_compiled_once_per_structure(monkeypatch, fresh_cache):
    calls = []
    lambdified = expression.lambdified
    monkeypatch.setattr(
        expression, "lambdified", lambda *args: calls.append(args) or lambdified(*args)
    )
    net = bw.MLP([2, 3, 1], seed=1)
    first = derive(net, 0, 2, 1, x=[0.5, -0.5], y=1.0)
    net.weights[1][0, 2] += 0.25
    second = derive(net, 0, 2, 1, x=[1.0, 0.0], y=0.0)
    assert first.symbolic_value != second.symbolic_value
    assert second.symbolic_value == pytest.approx(second.value, rel=1e-12)
    assert first.symbolic_value == pytest.approx(first.value, rel=1e-12)
    assert len(calls) == 1


def every_symbol(net):
    """Each symbol of ``net``'s expressions with the number a call must give it."""
    s = expression.symbols(net.n_layers)
    trace = net.trace(np.array([0.3, -0.7]), np.array([0.2, 0.9]))
    g_prime = [None] + [
        net.activation_of(q).g_prime(trace.z[q], trace.a[q]) for q in range(1, net.n_layers)
    ]
    numbers = {s.y_of(k): v for k, v in enumerate(trace.y)}
    for q in range(net.n_layers):
        numbers[s.a[q][0]] = 1.0  # the bias unit
        numbers.update({s.a_of(q, m): v for m, v in enumerate(trace.a[q])})
        if q:
            numbers.update({s.z_of(q, m): v for m, v in enumerate(trace.z[q])})
            numbers.update({s.g_prime(s.z_of(q, m)): v for m, v in enumerate(g_prime[q])})
    for layer, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        numbers.update({s.theta_of(layer, i, j): v for (i, j), v in np.ndenumerate(W)})
        numbers.update({s.theta_of(layer, i, "bias"): v for i, v in enumerate(b)})
    return s, trace, numbers


def test_every_symbol_reads_its_own_number():
    net = bw.MLP([2, 3, 2, 2], activation="tanh", seed=3)
    s, trace, numbers = every_symbol(net)
    paths = Paths(tuple(net.sizes), Parameter(0, 0, 0))
    values = Numbers(net, trace, paths, None)
    for symbol, number in numbers.items():
        compiled = Compiled(expression.lambdified(3 * symbol, s), tuple(net.sizes))
        assert compiled(values) == 3 * number, symbol


def test_a_symbol_outside_the_network_is_refused():
    s = expression.symbols(3)
    with pytest.raises(ValueError, match=r"symbols with no number: \['w'\]"):
        expression.lambdified(sympy.Symbol("w") * s.y_of(0), s)
    compiled = expression.lambdified(s.theta_of(1, 4, 0), s)
    with pytest.raises(ValueError, match="an index of theta runs outside 1 … 2"):
        Compiled(compiled, (2, 3, 2))


# -- MathML ---------------------------------------------------------------------------------


def parsed(mathml: str) -> ET.Element:
    assert mathml.isascii()
    root = ET.fromstring(mathml)  # well-formed XML, every character a numeric reference
    assert root.tag == f"{MATHML}math" and root.get("display") == "block"
    return root


def text(element: ET.Element) -> str:
    return "".join(element.itertext())


def test_mathml_writes_the_lecture_symbols_with_layer_above_and_nodes_below():
    net = bw.MLP([2, 2, 1], seed=0)
    d = derive(net, 0, 1, 0, x=[1.0, 0.5], y=1.0)  # θ^1_21: one path, through θ^2_12
    root = parsed(d.expr_mathml)
    scripts = {(text(e[0]), text(e[1]), text(e[2])) for e in root.iter(f"{MATHML}msubsup")}
    assert scripts == {
        ("a", "1", "3"),
        ("z", "1", "3"),
        ("z", "2", "2"),
        ("θ", "12", "2"),
        ("a", "1", "1"),
    }
    assert {text(e) for e in root.iter(f"{MATHML}msub")} == {"y1"}
    assert "g′" in text(root) and "\\" not in text(root) and "{" not in text(root)
    assert text(root).startswith("\u2212")  # the minus sign of −(y − a) …


def test_mathml_separates_node_indices_with_a_comma_once_one_has_two_digits():
    d = derive(bw.MLP([2, 12, 1], seed=0), 0, 11, 0, x=[0.0, 1.0], y=0.0)  # θ^1_12,1
    root = parsed(d.expr_mathml)
    scripts = [(text(e[0]), text(e[1]), text(e[2])) for e in root.iter(f"{MATHML}msubsup")]
    assert ("θ", "1,12", "2") in scripts and ("z", "12", "2") in scripts


def test_mathml_of_a_sigma_form_has_one_sum_per_letter():
    d = derive(bw.MLP([1, 2, 3, 3, 2], seed=2), 0, 1, 0, x=[0.4], y=[1.0, 0.0])
    root = parsed(d.expr_mathml)
    sums = [(text(e[1]), text(e[2])) for e in root.iter(f"{MATHML}munderover")]
    assert sums == [("k=1", "2"), ("m=1", "3"), ("n=1", "3")]
    assert all(text(e[0]) == "∑" for e in root.iter(f"{MATHML}munderover"))
    weights = {text(e[1]) for e in root.iter(f"{MATHML}msubsup") if text(e[0]) == "θ"}
    assert weights == {"km", "mn", "n2"}


def test_mathml_of_a_sigma_form_writes_the_one_output_node_instead_of_summing_over_it():
    d = derive(bw.MLP([2, 8, 8, 1], seed=0), 0, 0, 0, x=[0.5, -1.0], y=0.3)
    root = parsed(d.expr_mathml)
    assert [(text(e[1]), text(e[2])) for e in root.iter(f"{MATHML}munderover")] == [("m=1", "8")]
    scripts = {(text(e[0]), text(e[1]), text(e[2])) for e in root.iter(f"{MATHML}msubsup")}
    assert {("a", "1", "4"), ("θ", "1m", "3"), ("θ", "m1", "2")} <= scripts
    assert {text(e) for e in root.iter(f"{MATHML}msub")} == {"y1"}

"""Every public call validates at its boundary.

Bad input raises ValueError or TypeError whose message names the argument and says what is
expected, and nothing changes: each test snapshots the object before the call and compares after.
Training that goes non-finite raises an error saying it diverged and keeps the last finite values.
"""

import json
import re

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets import datasets

NAN, INF = float("nan"), float("inf")

X_XOR, Y_XOR = datasets.xor()


@pytest.fixture
def net():
    """A [2, 3, 1] network: weights[0] is (3, 2), weights[1] is (1, 3)."""
    return bw.MLP([2, 3, 1], seed=0)


def refuses(obj, error, match, call, *args, **kwargs):
    """Assert ``call(*args, **kwargs)`` raises ``error`` matching ``match``, and ``obj`` (an MLP or
    a Perceptron) is exactly as it was."""
    before = snapshot(obj)
    with pytest.raises(error, match=match):
        call(*args, **kwargs)
    assert snapshot(obj) == before


def snapshot(obj):
    if isinstance(obj, bw.Perceptron):
        return {"n_inputs": obj.n_inputs, "seed": obj.seed, "theta": obj.theta.tolist()}
    return obj.to_dict()


def with_entry(array, index, value):
    array = np.array(array, dtype=float)
    array[index] = value
    return array


# -- MLP constructor ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "error", "match"),
    [
        ([2], ValueError, r"sizes must list at least 2 layers"),
        ([], ValueError, r"sizes must list at least 2 layers"),
        ([2, 0, 1], ValueError, r"sizes\[1\] must be at least 1 neuron"),
        ([2, -3, 1], ValueError, r"sizes\[1\] must be at least 1 neuron"),
        ([0, 1], ValueError, r"sizes\[0\] must be at least 1 neuron"),
        ([2, 1, 0], ValueError, r"sizes\[2\] must be at least 1 neuron"),
        ([2, 2.5, 1], TypeError, r"sizes\[1\] must be an integer"),
        ([2, 2.0, 1], TypeError, r"sizes\[1\] must be an integer"),
        ([2, "3", 1], TypeError, r"sizes\[1\] must be an integer"),
        ([2, None, 1], TypeError, r"sizes\[1\] must be an integer"),
        ([2, True, 1], TypeError, r"sizes\[1\] must be an integer"),
        (3, TypeError, r"sizes must be a list of layer sizes"),
        ("221", TypeError, r"sizes must be a list of layer sizes"),
        (None, TypeError, r"sizes must be a list of layer sizes"),
    ],
)
def test_constructor_refuses_bad_sizes(sizes, error, match):
    with pytest.raises(error, match=match):
        bw.MLP(sizes)


@pytest.mark.parametrize(
    ("name", "error"),
    [("swish", ValueError), ("Sigmoid", ValueError), ("", ValueError), (1, TypeError)],
)
@pytest.mark.parametrize("argument", ["activation", "output_activation"])
def test_constructor_refuses_unknown_activation_and_names_the_argument(argument, name, error):
    with pytest.raises(error, match=rf"^{argument} must be .*one of \['linear', 'relu'"):
        bw.MLP([2, 2, 1], **{argument: name})


def test_constructor_refuses_no_hidden_activation():
    # None means "as the hidden layers" for output_activation only.
    with pytest.raises(TypeError, match=r"^activation must be a string"):
        bw.MLP([2, 2, 1], activation=None)


@pytest.mark.parametrize("bias", ["yes", 1, 0, None])
def test_constructor_refuses_a_bias_that_is_not_a_bool(bias):
    with pytest.raises(TypeError, match=r"bias must be True or False"):
        bw.MLP([2, 1], bias=bias)


@pytest.mark.parametrize(
    ("seed", "error", "match"),
    [
        (-1, ValueError, r"seed must be an integer >= 0"),
        (1.5, TypeError, r"seed must be an integer"),
        ("0", TypeError, r"seed must be an integer"),
        (True, TypeError, r"seed must be an integer"),
    ],
)
def test_constructor_refuses_a_bad_seed(seed, error, match):
    with pytest.raises(error, match=match):
        bw.MLP([2, 1], seed=seed)


# -- X and Y of every batch call -----------------------------------------------------------------

BATCH_CALLS = {
    "predict": lambda net, X, Y: net.predict(X),
    "loss": lambda net, X, Y: net.loss(X, Y),
    "gradients": lambda net, X, Y: net.gradients(X, Y),
    "step": lambda net, X, Y: net.step(X, Y, 0.5),
    "fit online": lambda net, X, Y: net.fit(X, Y, 0.5, 3),
    "fit full batch": lambda net, X, Y: net.fit(X, Y, 0.5, 3, batch_size=None),
}
TARGET_CALLS = {name: call for name, call in BATCH_CALLS.items() if name != "predict"}

BAD_X = {
    "three columns": (np.zeros((4, 3)), ValueError, r"X must have shape \(N, 2\) or \(2,\)"),
    "one column": (np.zeros((4, 1)), ValueError, r"X must have shape \(N, 2\) or \(2,\)"),
    "3-D": (np.zeros((4, 2, 1)), ValueError, r"X must have shape \(N, 2\) or \(2,\)"),
    "a number": (1.0, ValueError, r"X must have shape \(N, 2\) or \(2,\)"),
    "one instance too long": ([0.0, 1.0, 2.0], ValueError, r"X must have shape \(N, 2\)"),
    "NaN": (with_entry(X_XOR, (2, 1), NAN), ValueError, r"X must contain only finite numbers"),
    "inf": (with_entry(X_XOR, (0, 0), INF), ValueError, r"X must contain only finite numbers"),
    "-inf": (with_entry(X_XOR, (3, 1), -INF), ValueError, r"X must contain only finite numbers"),
    "strings": ([["a", "b"]] * 4, TypeError, r"X must be an array of numbers"),
    "ragged rows": ([[0, 0], [1], [0, 1], [1, 1]], TypeError, r"X must be an array of numbers"),
    "a dict": ({"x": 1}, TypeError, r"X must be an array of numbers"),
}


@pytest.mark.parametrize("case", BAD_X)
@pytest.mark.parametrize("call", BATCH_CALLS)
def test_batch_calls_refuse_bad_X_and_change_nothing(net, call, case):
    X, error, match = BAD_X[case]
    refuses(net, error, match, BATCH_CALLS[call], net, X, Y_XOR)


@pytest.mark.parametrize("call", BATCH_CALLS)
def test_batch_calls_refuse_an_empty_batch_and_change_nothing(net, call):
    refuses(
        net,
        ValueError,
        r"X must hold at least one instance; got an empty batch",
        BATCH_CALLS[call],
        net,
        np.zeros((0, 2)),
        np.zeros((0, 1)),
    )


BAD_Y = {
    "one row short": (Y_XOR[:3], ValueError, r"Y must have shape \(4, 1\)"),
    "one row too many": (np.zeros((5, 1)), ValueError, r"Y must have shape \(4, 1\)"),
    "two outputs": (np.zeros((4, 2)), ValueError, r"Y must have shape \(4, 1\)"),
    "flat, wrong length": ([0.0, 1.0, 1.0], ValueError, r"Y must have shape \(4, 1\)"),
    "3-D": (np.zeros((4, 1, 1)), ValueError, r"Y must have shape \(4, 1\)"),
    "a number": (0.0, ValueError, r"Y must have shape \(4, 1\)"),
    "NaN": (with_entry(Y_XOR, (1, 0), NAN), ValueError, r"Y must contain only finite numbers"),
    "inf": (with_entry(Y_XOR, (3, 0), INF), ValueError, r"Y must contain only finite numbers"),
    "-inf": (with_entry(Y_XOR, (0, 0), -INF), ValueError, r"Y must contain only finite numbers"),
    "strings": ([["no"], ["yes"], ["yes"], ["no"]], TypeError, r"Y must be an array of numbers"),
    "ragged rows": ([[0], [1, 1], [1], [0]], TypeError, r"Y must be an array of numbers"),
}


@pytest.mark.parametrize("case", BAD_Y)
@pytest.mark.parametrize("call", TARGET_CALLS)
def test_calls_with_targets_refuse_bad_Y_and_change_nothing(net, call, case):
    Y, error, match = BAD_Y[case]
    refuses(net, error, match, TARGET_CALLS[call], net, X_XOR, Y)


@pytest.mark.filterwarnings("ignore:Casting complex values to real")
@pytest.mark.parametrize("call", BATCH_CALLS)
def test_batch_calls_refuse_complex_X_instead_of_dropping_the_imaginary_part(net, call):
    X = X_XOR + 1j
    refuses(net, (TypeError, ValueError), r"^X must be .*real", BATCH_CALLS[call], net, X, Y_XOR)


# -- learning rate -------------------------------------------------------------------------------

BAD_LEARNING_RATES = {
    "zero": (0, ValueError, r"learning_rate must be a number > 0"),
    "0.0": (0.0, ValueError, r"learning_rate must be a number > 0"),
    "negative": (-0.1, ValueError, r"learning_rate must be a number > 0"),
    "NaN": (NAN, ValueError, r"learning_rate must be a finite number"),
    "inf": (INF, ValueError, r"learning_rate must be a finite number"),
    "-inf": (-INF, ValueError, r"learning_rate must be a finite number"),
    "numpy NaN": (np.float64("nan"), ValueError, r"learning_rate must be a finite number"),
    "a string": ("0.5", TypeError, r"learning_rate must be a real number"),
    "None": (None, TypeError, r"learning_rate must be a real number"),
    "True": (True, TypeError, r"learning_rate must be a real number"),
    "a list": ([0.5], TypeError, r"learning_rate must be a real number"),
    "an array": (np.array([0.5]), TypeError, r"learning_rate must be a real number"),
}


@pytest.mark.parametrize("case", BAD_LEARNING_RATES)
def test_step_refuses_bad_learning_rate_and_changes_nothing(net, case):
    learning_rate, error, match = BAD_LEARNING_RATES[case]
    refuses(net, error, match, net.step, X_XOR, Y_XOR, learning_rate)


@pytest.mark.parametrize("batch_size", [1, 2, None])
@pytest.mark.parametrize("case", BAD_LEARNING_RATES)
def test_fit_refuses_bad_learning_rate_and_changes_nothing(net, case, batch_size):
    learning_rate, error, match = BAD_LEARNING_RATES[case]
    refuses(net, error, match, net.fit, X_XOR, Y_XOR, learning_rate, 5, batch_size=batch_size)


@pytest.mark.parametrize("case", [case for case in BAD_LEARNING_RATES if case != "None"])
def test_trace_refuses_bad_learning_rate_and_changes_nothing(net, case):
    # learning_rate=None is trace's way of asking for no Δθ.
    learning_rate, error, match = BAD_LEARNING_RATES[case]
    refuses(net, error, match, net.trace, [1.0, 0.0], 1.0, learning_rate=learning_rate)


# -- fit's own arguments -------------------------------------------------------------------------

BAD_FIT_ARGUMENTS = {
    "epochs negative": ({"epochs": -1}, ValueError, r"epochs must be an integer >= 0"),
    "epochs float": ({"epochs": 1.5}, TypeError, r"epochs must be an integer"),
    "epochs whole float": ({"epochs": 10.0}, TypeError, r"epochs must be an integer"),
    "epochs string": ({"epochs": "10"}, TypeError, r"epochs must be an integer"),
    "epochs None": ({"epochs": None}, TypeError, r"epochs must be an integer"),
    "epochs True": ({"epochs": True}, TypeError, r"epochs must be an integer"),
    "batch_size zero": ({"batch_size": 0}, ValueError, r"batch_size must be an integer >= 1"),
    "batch_size negative": ({"batch_size": -2}, ValueError, r"batch_size must be an integer >= 1"),
    "batch_size float": ({"batch_size": 1.5}, TypeError, r"batch_size must be an integer"),
    "batch_size string": ({"batch_size": "1"}, TypeError, r"batch_size must be an integer"),
    "batch_size True": ({"batch_size": True}, TypeError, r"batch_size must be an integer"),
    "shuffle string": ({"shuffle": "yes"}, TypeError, r"shuffle must be True or False"),
    "shuffle 1": ({"shuffle": 1}, TypeError, r"shuffle must be True or False"),
    "shuffle None": ({"shuffle": None}, TypeError, r"shuffle must be True or False"),
    "shuffle_seed negative": (
        {"shuffle": True, "shuffle_seed": -1},
        ValueError,
        r"shuffle_seed must be an integer >= 0",
    ),
    "shuffle_seed float": (
        {"shuffle": True, "shuffle_seed": 0.5},
        TypeError,
        r"shuffle_seed must be an integer",
    ),
    "shuffle_seed string": (
        {"shuffle": True, "shuffle_seed": "7"},
        TypeError,
        r"shuffle_seed must be an integer",
    ),
    "target_loss negative": (
        {"target_loss": -0.1},
        ValueError,
        r"target_loss must be a number >= 0",
    ),
    "target_loss NaN": ({"target_loss": NAN}, ValueError, r"target_loss must be a finite number"),
    "target_loss inf": ({"target_loss": INF}, ValueError, r"target_loss must be a finite number"),
    "target_loss string": ({"target_loss": "0.1"}, TypeError, r"target_loss must be a real"),
}


@pytest.mark.parametrize("case", BAD_FIT_ARGUMENTS)
def test_fit_refuses_bad_training_options_and_changes_nothing(net, case):
    arguments, error, match = BAD_FIT_ARGUMENTS[case]
    arguments = {"learning_rate": 0.5, "epochs": 5, **arguments}
    refuses(net, error, match, net.fit, X_XOR, Y_XOR, **arguments)


# -- trace ---------------------------------------------------------------------------------------

BAD_TRACE_INSTANCES = {
    "x too long": ([0.0, 1.0, 2.0], 1.0, ValueError, r"^x must have shape \(N, 2\) or \(2,\)"),
    "x too short": ([0.0], 1.0, ValueError, r"^x must have shape \(N, 2\) or \(2,\)"),
    "x empty": ([], 1.0, ValueError, r"^x must have shape"),
    "x a batch": (X_XOR, 1.0, ValueError, r"^x must be one instance of shape \(2,\)"),
    "x NaN": ([NAN, 0.0], 1.0, ValueError, r"^x must contain only finite numbers"),
    "x inf": ([0.0, INF], 1.0, ValueError, r"^x must contain only finite numbers"),
    "x strings, array": (np.array(["a", "b"]), 1.0, TypeError, r"^x must be an array of numbers"),
    "y too long": ([0.0, 1.0], [0.0, 1.0], ValueError, r"^y must have shape \(1, 1\)"),
    "y NaN": ([0.0, 1.0], NAN, ValueError, r"^y must contain only finite numbers"),
    "y -inf": ([0.0, 1.0], [-INF], ValueError, r"^y must contain only finite numbers"),
    "y None": ([0.0, 1.0], None, (TypeError, ValueError), r"^y must"),
}


@pytest.mark.parametrize("case", BAD_TRACE_INSTANCES)
def test_trace_refuses_a_bad_instance_and_changes_nothing(net, case):
    x, y, error, match = BAD_TRACE_INSTANCES[case]
    refuses(net, error, match, net.trace, x, y, learning_rate=0.5)


@pytest.mark.parametrize(
    ("x", "y", "argument"),
    [
        (["a", "b"], 1.0, "x"),
        ([0.0, [1.0, 2.0]], 1.0, "x"),
        ([0.0, 1.0], "one", "y"),
        ([0.0, 1.0], [[0.0], [1.0, 2.0]], "y"),
    ],
    ids=["x strings, list", "x ragged", "y string", "y ragged"],
)
def test_trace_names_x_or_y_when_given_something_that_is_not_numbers(net, x, y, argument):
    refuses(net, (TypeError, ValueError), rf"^{argument} must be", net.trace, x, y)


# -- single parameters ---------------------------------------------------------------------------

PARAMETER_CALLS = {
    "get_parameter": lambda net, key: net.get_parameter(*key),
    "set_parameter": lambda net, key: net.set_parameter(*key, 0.5),
    "net[l, i, j]": lambda net, key: net[key],
    "net[l, i, j] = ": lambda net, key: net.__setitem__(key, 0.5),
}

BAD_ADDRESSES = {
    "layer past the last": ((2, 0, 0), ValueError, r"^l must be a weight layer 0 … 1"),
    "layer -1": ((-1, 0, 0), ValueError, r"^l must be a weight layer 0 … 1"),
    "layer float": ((1.0, 0, 0), TypeError, r"^l must be an integer"),
    "layer string": (("0", 0, 0), TypeError, r"^l must be an integer"),
    "node past layer 1": (
        (0, 3, 0),
        ValueError,
        r"^i must be a node index 0 … 2 .*layer 2 as the lecture counts",
    ),
    "node past layer 2": (
        (1, 1, 0),
        ValueError,
        r"^i must be a node index 0 … 0 .*layer 3 as the lecture counts",
    ),
    "node -1": ((0, -1, 0), ValueError, r"^i must be a node index 0 … 2"),
    "node float": ((0, 0.5, 0), TypeError, r"^i must be an integer"),
    "source past layer 0": (
        (0, 0, 2),
        ValueError,
        r'^j must be a node index 0 … 1 .*layer 1 as the lecture counts\), or "bias"',
    ),
    "source past layer 1": (
        (1, 0, 3),
        ValueError,
        r'^j must be a node index 0 … 2 .*layer 2 as the lecture counts\), or "bias"',
    ),
    "source -1": ((0, 0, -1), ValueError, r"^j must be a node index 0 … 1"),
    "source misspelt": ((0, 0, "Bias"), ValueError, r'^j must be a node index or "bias"'),
    "source None": ((0, 0, None), TypeError, r"^j must be an integer"),
    "source float": ((0, 0, 1.0), TypeError, r"^j must be an integer"),
}


@pytest.mark.parametrize("case", BAD_ADDRESSES)
@pytest.mark.parametrize("call", PARAMETER_CALLS)
def test_parameter_access_refuses_parameters_that_do_not_exist(net, call, case):
    key, error, match = BAD_ADDRESSES[case]
    refuses(net, error, match, PARAMETER_CALLS[call], net, key)


@pytest.mark.parametrize("call", PARAMETER_CALLS)
def test_parameter_access_refuses_a_bias_on_a_network_without_biases(call):
    net = bw.MLP([2, 2, 1], bias=False, seed=0)
    refuses(net, ValueError, r'^j="bias" .*bias=False', PARAMETER_CALLS[call], net, (0, 0, "bias"))


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (NAN, ValueError, r"^value must be a finite number"),
        (INF, ValueError, r"^value must be a finite number"),
        (-INF, ValueError, r"^value must be a finite number"),
        ("1.0", TypeError, r"^value must be a real number"),
        (None, TypeError, r"^value must be a real number"),
        ([1.0], TypeError, r"^value must be a real number"),
        (True, TypeError, r"^value must be a real number"),
    ],
)
@pytest.mark.parametrize("key", [(0, 1, 0), (1, 0, "bias")])
def test_set_parameter_refuses_a_value_that_is_not_a_finite_number(net, key, value, error, match):
    refuses(net, error, match, net.set_parameter, *key, value)
    refuses(net, error, match, net.__setitem__, key, value)


@pytest.mark.parametrize("key", [(0, 0), 0, "w", (0, 0, 0, 0), [0, 0, 0]])
def test_indexing_refuses_anything_but_three_indices(net, key):
    refuses(net, TypeError, r"addressed as net\[l, i, j\]", net.__getitem__, key)
    refuses(net, TypeError, r"addressed as net\[l, i, j\]", net.__setitem__, key, 0.5)


# -- from_dict and load --------------------------------------------------------------------------


def saved(**changes):
    """``MLP([2, 3, 1], seed=0).to_dict()`` with some fields changed (None deletes one)."""
    data = bw.MLP([2, 3, 1], seed=0).to_dict()
    for key, value in changes.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    return data


GOOD = saved()
BAD_DICTS = {
    "format missing": (saved(format=None), ValueError, r'data\["format"\] must be'),
    "format other": (saved(format="keras"), ValueError, r'data\["format"\] must be'),
    "sizes one layer": (saved(sizes=[2]), ValueError, r"sizes must list at least 2 layers"),
    "sizes zero": (saved(sizes=[2, 0, 1]), ValueError, r"sizes\[1\] must be at least 1"),
    "activation unknown": (saved(activation="swish"), ValueError, r"^activation must be one of"),
    "output_activation unknown": (
        saved(output_activation="softplus"),
        ValueError,
        r"^output_activation must be one of",
    ),
    "bias not a bool": (saved(bias="true"), TypeError, r"bias must be True or False"),
    "seed negative": (saved(seed=-1), ValueError, r"seed must be an integer >= 0"),
    "weights not a list": (saved(weights="0.1"), ValueError, r'data\["weights"\] must be a list'),
    "weights one array short": (
        saved(weights=GOOD["weights"][:1]),
        ValueError,
        r'data\["weights"\] must be a list of 2 arrays',
    ),
    "biases one array too many": (
        saved(biases=GOOD["biases"] * 2),
        ValueError,
        r'data\["biases"\] must be a list of 2 arrays',
    ),
    "weights transposed": (
        saved(weights=[np.transpose(GOOD["weights"][0]).tolist(), GOOD["weights"][1]]),
        ValueError,
        r'data\["weights"\]\[0\] must have shape \(3, 2\); got \(2, 3\)',
    ),
    "biases too long": (
        saved(biases=[GOOD["biases"][0], [0.1, 0.2]]),
        ValueError,
        r'data\["biases"\]\[1\] must have shape \(1,\); got \(2,\)',
    ),
    "weights ragged": (
        saved(weights=[[[0.1, 0.2], [0.3], [0.5, 0.6]], GOOD["weights"][1]]),
        ValueError,
        r'data\["weights"\]\[0\] must be an array of numbers',
    ),
    "weights strings": (
        saved(weights=[GOOD["weights"][0], [["a", "b", "c"]]]),
        ValueError,
        r'data\["weights"\]\[1\] must be an array of numbers',
    ),
    "weights NaN": (
        saved(weights=[GOOD["weights"][0], [[0.1, NAN, 0.3]]]),
        ValueError,
        r'data\["weights"\]\[1\] must contain only finite numbers',
    ),
    "biases inf": (
        saved(biases=[[0.0, INF, 0.0], GOOD["biases"][1]]),
        ValueError,
        r'data\["biases"\]\[0\] must contain only finite numbers',
    ),
}


@pytest.mark.parametrize("case", BAD_DICTS)
def test_from_dict_refuses_a_malformed_description(case):
    data, error, match = BAD_DICTS[case]
    with pytest.raises(error, match=match):
        bw.MLP.from_dict(data)


@pytest.mark.parametrize(
    "field", ["sizes", "activation", "output_activation", "bias", "seed", "weights", "biases"]
)
def test_from_dict_names_each_missing_field(field):
    with pytest.raises(ValueError, match=rf"data is missing the field\(s\) \['{field}'\]"):
        bw.MLP.from_dict(saved(**{field: None}))


@pytest.mark.parametrize("data", [[], "MLP", None, json.dumps(GOOD)])
def test_from_dict_refuses_anything_but_a_dict(data):
    with pytest.raises(TypeError, match=r"^data must be a dict made by MLP.to_dict\(\)"):
        bw.MLP.from_dict(data)


@pytest.mark.parametrize("version", [2, 0, "1", None], ids=["2", "0", "string 1", "None"])
def test_from_dict_refuses_a_format_version_it_does_not_know(version):
    data = GOOD | {"version": version}
    with pytest.raises(ValueError, match=r'data\["version"\] must be 1'):
        bw.MLP.from_dict(data)


def test_from_dict_refuses_nonzero_biases_for_a_network_without_biases():
    data = bw.MLP([2, 2, 1], bias=False, seed=0).to_dict() | {"biases": [[0.5, -0.5], [0.25]]}
    with pytest.raises(ValueError, match=r'data\["biases"\]'):
        bw.MLP.from_dict(data)


@pytest.mark.parametrize(
    "text",
    ["", "{not json", '{"format": "backprop_widgets.MLP", "sizes": [2, 1]', "MLP([2, 1])"],
    ids=["empty", "broken", "truncated", "not JSON at all"],
)
def test_load_refuses_a_file_that_is_not_json_and_names_the_path(tmp_path, text):
    path = tmp_path / "net.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^path '{re.escape(str(path))}' is not valid JSON"):
        bw.MLP.load(path)


def test_load_refuses_a_file_cut_short(tmp_path, net):
    path = tmp_path / "net.json"
    net.save(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(ValueError, match=r"is not valid JSON"):
        bw.MLP.load(path)


@pytest.mark.parametrize("case", ["format other", "weights transposed", "weights NaN"])
def test_load_refuses_valid_json_that_is_not_a_network(tmp_path, case):
    data, error, match = BAD_DICTS[case]
    path = tmp_path / "net.json"
    path.write_text(json.dumps(data), encoding="utf-8")  # NaN is written as JSON's NaN
    with pytest.raises(error, match=match):
        bw.MLP.load(path)


@pytest.mark.parametrize("field", ["weights", "sizes"])
def test_load_refuses_a_file_with_a_missing_field(tmp_path, field):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(saved(**{field: None})), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"data is missing the field\(s\) \['{field}'\]"):
        bw.MLP.load(path)


def test_load_refuses_a_json_list(tmp_path):
    path = tmp_path / "net.json"
    path.write_text("[1, 2, 3]", encoding="utf-8")
    with pytest.raises(TypeError, match=r"^data must be a dict"):
        bw.MLP.load(path)


def test_load_refuses_a_file_that_is_not_text_and_names_the_path(tmp_path):
    path = tmp_path / "net.json"
    path.write_bytes(b"\xff\xfe\x00\x81 not utf-8")
    with pytest.raises(ValueError, match=r"path"):
        bw.MLP.load(path)


@pytest.mark.parametrize("path", [None, 3.5, ["net.json"]], ids=["None", "float", "list"])
def test_save_and_load_name_the_path_when_it_is_not_a_path(net, path):
    with pytest.raises(TypeError, match=r"^path must be"):
        bw.MLP.load(path)
    refuses(net, TypeError, r"^path must be", net.save, path)


# -- divergence ----------------------------------------------------------------------------------


def last_finite_by_hand(net, X, Y, learning_rate, batch_size, orders):
    """Replay training with ``step``, batch after batch in each epoch's order, until an update gives
    a non-finite parameter or loss; return the network as it was just before that update."""
    net = net.copy()
    for order in orders:
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            before = net.to_dict()
            with np.errstate(all="ignore"):
                try:
                    net.step(X[batch], Y[batch], learning_rate)
                    finite = np.isfinite(net.loss(X, Y))
                except bw.DivergenceError:
                    finite = False
            if not finite:
                return bw.MLP.from_dict(before)
    raise AssertionError("the replay never diverged")


LINEAR_X = np.array([[1.0], [2.0], [3.0], [-1.5]])
LINEAR_Y = np.array([[1.0], [2.0], [3.0], [-1.0]])


@pytest.mark.parametrize(
    ("batch_size", "shuffle"),
    [(1, False), (1, True), (2, False), (3, True), (None, False)],
    ids=["online", "online shuffled", "mini-batch", "mini-batch shuffled", "full batch"],
)
def test_fit_that_diverges_says_so_and_keeps_the_last_finite_parameters(batch_size, shuffle):
    net = bw.MLP([1, 1], activation="linear", seed=0)
    start = net.copy()
    epochs, shuffle_seed = 100_000, 3
    with pytest.raises(bw.DivergenceError, match=r"training diverged in epoch \d+"):
        net.fit(
            LINEAR_X, LINEAR_Y, 10.0, epochs, batch_size, shuffle=shuffle, shuffle_seed=shuffle_seed
        )
    rng = np.random.default_rng(shuffle_seed)
    orders = (rng.permutation(4) if shuffle else np.arange(4) for _ in range(epochs))
    expected = last_finite_by_hand(start, LINEAR_X, LINEAR_Y, 10.0, batch_size or 4, orders)
    parameters = net.weights + net.biases
    assert all(np.all(np.isfinite(p)) for p in parameters)
    assert np.isfinite(net.loss(LINEAR_X, LINEAR_Y))
    for p, q in zip(parameters, expected.weights + expected.biases, strict=True):
        assert np.allclose(p, q, rtol=1e-12, atol=0)
    assert abs(net.weights[0][0, 0]) > 1e100  # it did train, far, before giving up


def test_divergence_error_is_a_floating_point_error_not_a_bad_argument():
    assert issubclass(bw.DivergenceError, FloatingPointError)
    assert not issubclass(bw.DivergenceError, (ValueError, TypeError))


@pytest.mark.parametrize("weight", [1e300, -1e300])
def test_step_that_would_diverge_says_so_and_changes_nothing(weight):
    net = bw.MLP([1, 1], activation="linear", seed=0)
    net.weights[0][...] = weight
    refuses(net, bw.DivergenceError, r"training diverged", net.step, [[1e10]], [[0.0]], 1e10)


def test_fit_that_diverges_slowly_names_the_epoch_and_keeps_the_last_finite_update():
    # One instance x = 1, y = 0: the error e = θ_1 + θ_0 becomes e (1 − 2η) each update, so
    # η = 1.05 makes it grow by 1.1 an epoch until E = e²/2 overflows, thousands of epochs in.
    net = bw.MLP([1, 1], activation="linear", seed=0)
    w, b, eta = net.weights[0][0, 0], net.biases[0][0], 1.05
    epoch = 0
    while True:
        epoch += 1
        eta_delta = eta * (0.0 - (w * 1.0 + b))
        w_next, b_next = w + eta_delta * 1.0, b + eta_delta
        with np.errstate(over="ignore"):
            if not np.isfinite((0.0 - (w_next * 1.0 + b_next)) ** 2):
                break
        w, b = w_next, b_next
    assert epoch > 1000
    with pytest.raises(bw.DivergenceError, match=rf"training diverged in epoch {epoch} "):
        net.fit([[1.0]], [[0.0]], eta, 100_000)
    assert net.weights[0][0, 0] == w and net.biases[0][0] == b


# -- Perceptron ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n_inputs", "error", "match"),
    [
        (0, ValueError, r"^n_inputs must be an integer >= 1"),
        (-2, ValueError, r"^n_inputs must be an integer >= 1"),
        (1.5, TypeError, r"^n_inputs must be an integer"),
        (2.0, TypeError, r"^n_inputs must be an integer"),
        ("2", TypeError, r"^n_inputs must be an integer"),
        (None, TypeError, r"^n_inputs must be an integer"),
        (True, TypeError, r"^n_inputs must be an integer"),
    ],
)
def test_perceptron_refuses_a_bad_number_of_inputs(n_inputs, error, match):
    with pytest.raises(error, match=match):
        bw.Perceptron(n_inputs)


@pytest.mark.parametrize(
    ("seed", "error", "match"),
    [
        (-1, ValueError, r"^seed must be an integer >= 0"),
        (0.5, TypeError, r"^seed must be an integer"),
        ("0", TypeError, r"^seed must be an integer"),
    ],
)
def test_perceptron_refuses_a_bad_seed(seed, error, match):
    with pytest.raises(error, match=match):
        bw.Perceptron(2, seed=seed)


@pytest.fixture
def perceptron():
    return bw.Perceptron(2, seed=0)


@pytest.mark.parametrize("case", BAD_X)
def test_perceptron_predict_refuses_bad_X_and_changes_nothing(perceptron, case):
    X, error, match = BAD_X[case]
    refuses(perceptron, error, match, perceptron.predict, X)


@pytest.mark.parametrize("case", BAD_X)
def test_perceptron_fit_refuses_bad_X_and_changes_nothing(perceptron, case):
    X, error, match = BAD_X[case]
    refuses(perceptron, error, match, perceptron.fit, X, Y_XOR)


def test_perceptron_refuses_an_empty_batch(perceptron):
    match = r"^X must hold at least one instance"
    refuses(perceptron, ValueError, match, perceptron.predict, np.zeros((0, 2)))
    refuses(perceptron, ValueError, match, perceptron.fit, np.zeros((0, 2)), np.zeros(0))


@pytest.mark.parametrize(
    ("y", "error", "match"),
    [
        ([0, 1, 1], ValueError, r"^y must have shape \(4, 1\)"),
        (np.zeros((4, 2)), ValueError, r"^y must have shape \(4, 1\)"),
        ([0, 1, NAN, 0], ValueError, r"^y must contain only finite numbers"),
        ([0, 1, 1, INF], ValueError, r"^y must contain only finite numbers"),
        (["no", "yes", "yes", "no"], TypeError, r"^y must be an array of numbers"),
        ([0, 1, 2, 1], ValueError, r"^y must hold class labels 0 or 1"),
        ([-1, 1, 1, -1], ValueError, r"^y must hold class labels 0 or 1"),
        ([0, 0.5, 1, 1], ValueError, r"^y must hold class labels 0 or 1"),
    ],
)
def test_perceptron_fit_refuses_bad_labels_and_changes_nothing(perceptron, y, error, match):
    refuses(perceptron, error, match, perceptron.fit, X_XOR, y)


@pytest.mark.parametrize("case", BAD_LEARNING_RATES)
def test_perceptron_fit_refuses_bad_learning_rate_and_changes_nothing(perceptron, case):
    learning_rate, error, match = BAD_LEARNING_RATES[case]
    refuses(perceptron, error, match, perceptron.fit, X_XOR, Y_XOR, learning_rate=learning_rate)


@pytest.mark.parametrize(
    ("epochs", "error", "match"),
    [
        (-1, ValueError, r"^epochs must be an integer >= 0"),
        (2.5, TypeError, r"^epochs must be an integer"),
        ("10", TypeError, r"^epochs must be an integer"),
        (None, TypeError, r"^epochs must be an integer"),
    ],
)
def test_perceptron_fit_refuses_bad_epochs_and_changes_nothing(perceptron, epochs, error, match):
    refuses(perceptron, error, match, perceptron.fit, X_XOR, Y_XOR, epochs=epochs)


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_perceptron_fit_that_overflows_says_it_diverged_and_keeps_finite_theta():
    perceptron = bw.Perceptron(1, seed=None)
    with pytest.raises(bw.DivergenceError, match="diverged"):
        perceptron.fit([[10.0]], [0.0], learning_rate=1e308, epochs=3)
    # θ = 0 predicts 1 for x = 10, so the first update is θ − 1e308·(1, 10): non-finite.
    assert perceptron.theta.tolist() == [0.0, 0.0]


# -- datasets ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mnist", "XOR", "", "circle", None, 3])
def test_load_refuses_an_unknown_dataset_and_lists_the_names(name):
    with pytest.raises(ValueError, match=r"^name must be one of \['and', 'or', 'nand', 'xor'"):
        datasets.load(name)


@pytest.mark.parametrize("name", list(datasets.GATES))
@pytest.mark.parametrize("arguments", [{"n": 10}, {"noise": 0.1}, {"n": 4, "noise": 0.0}])
def test_load_refuses_n_and_noise_for_a_truth_table(name, arguments):
    with pytest.raises(ValueError, match=r"^n and noise do not apply to the truth table"):
        datasets.load(name, **arguments)


@pytest.mark.parametrize("seed", [-1, 1.5, "0"], ids=["negative", "float", "string"])
def test_load_checks_the_seed_even_for_a_truth_table(seed):
    with pytest.raises((TypeError, ValueError), match=r"^seed must be an integer"):
        datasets.load("xor", seed=seed)


BAD_SAMPLING = {
    "n one": ({"n": 1}, ValueError, r"^n must be an integer >= 2"),
    "n zero": ({"n": 0}, ValueError, r"^n must be an integer >= 2"),
    "n negative": ({"n": -5}, ValueError, r"^n must be an integer >= 2"),
    "n float": ({"n": 2.5}, TypeError, r"^n must be an integer"),
    "n whole float": ({"n": 100.0}, TypeError, r"^n must be an integer"),
    "n string": ({"n": "100"}, TypeError, r"^n must be an integer"),
    "n True": ({"n": True}, TypeError, r"^n must be an integer"),
    "noise negative": ({"noise": -0.1}, ValueError, r"^noise must be a number >= 0"),
    "noise NaN": ({"noise": NAN}, ValueError, r"^noise must be a finite number"),
    "noise inf": ({"noise": INF}, ValueError, r"^noise must be a finite number"),
    "noise string": ({"noise": "0.1"}, TypeError, r"^noise must be a real number"),
    "seed negative": ({"seed": -1}, ValueError, r"^seed must be an integer >= 0"),
    "seed float": ({"seed": 1.5}, TypeError, r"^seed must be an integer"),
    "seed None": ({"seed": None}, TypeError, r"^seed must be an integer"),
    "seed string": ({"seed": "0"}, TypeError, r"^seed must be an integer"),
}


@pytest.mark.parametrize("case", BAD_SAMPLING)
@pytest.mark.parametrize("name", list(datasets.SAMPLED))
def test_sampled_datasets_refuse_bad_n_noise_and_seed(name, case):
    arguments, error, match = BAD_SAMPLING[case]
    with pytest.raises(error, match=match):
        datasets.SAMPLED[name](**arguments)
    with pytest.raises(error, match=match):
        datasets.load(name, **arguments)


@pytest.mark.parametrize(
    ("function", "argument"), [(datasets.circles, "factor"), (datasets.spiral, "turns")]
)
@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (0, ValueError, r"must be a number > 0"),
        (-0.5, ValueError, r"must be a number > 0"),
        (NAN, ValueError, r"must be a finite number"),
        ("0.5", TypeError, r"must be a real number"),
    ],
)
def test_shape_parameters_must_be_positive_numbers(function, argument, value, error, match):
    with pytest.raises(error, match=rf"^{argument} {match}"):
        function(**{argument: value})


@pytest.mark.parametrize(
    ("test_fraction", "error", "match"),
    [
        (0, ValueError, r"^test_fraction must be strictly between 0 and 1"),
        (1, ValueError, r"^test_fraction must be strictly between 0 and 1"),
        (-0.25, ValueError, r"^test_fraction must be strictly between 0 and 1"),
        (1.5, ValueError, r"^test_fraction must be strictly between 0 and 1"),
        (NAN, ValueError, r"^test_fraction must be a finite number"),
        ("0.25", TypeError, r"^test_fraction must be a real number"),
        (None, TypeError, r"^test_fraction must be a real number"),
    ],
)
def test_train_test_split_refuses_a_bad_fraction(test_fraction, error, match):
    X, Y = datasets.gaussians(n=20)
    with pytest.raises(error, match=match):
        datasets.train_test_split(X, Y, test_fraction=test_fraction)


@pytest.mark.parametrize(
    ("X", "Y", "arguments", "error", "match"),
    [
        ([[0.0, 1.0]], [1.0], {}, ValueError, r"^X must hold at least 2 instances to split; got 1"),
        (X_XOR, Y_XOR[:3], {}, ValueError, r"^Y must have shape \(4, 1\)"),
        (with_entry(X_XOR, (1, 1), NAN), Y_XOR, {}, ValueError, r"^X must contain only finite"),
        (X_XOR, Y_XOR, {"seed": -1}, ValueError, r"^seed must be an integer >= 0"),
        (X_XOR, Y_XOR, {"seed": 0.5}, TypeError, r"^seed must be an integer"),
    ],
    ids=["one instance", "mismatched lengths", "NaN", "seed negative", "seed float"],
)
def test_train_test_split_refuses_bad_data_and_seed(X, Y, arguments, error, match):
    with pytest.raises(error, match=match):
        datasets.train_test_split(X, Y, **arguments)


BAD_ARRAYS = {
    "X flat": ([1.0, 2.0, 3.0], [0.0, 1.0, 0.0], ValueError, r"^X must be a 2-D array of numbers"),
    "X 3-D": (np.zeros((3, 2, 1)), np.zeros(3), ValueError, r"^X must be a 2-D array of numbers"),
    "X strings": ([["a", "b"]], [1.0], ValueError, r"^X must be a 2-D array of numbers"),
    "X ragged": ([[1.0, 2.0], [3.0]], [0.0, 1.0], ValueError, r"^X must be a 2-D array"),
    "X empty": (np.zeros((0, 2)), np.zeros(0), ValueError, r"^X must hold at least one instance"),
    "X NaN": ([[0.0, NAN], [1.0, 1.0]], [0.0, 1.0], ValueError, r"^X must contain only finite"),
    "X inf": ([[0.0, 1.0], [-INF, 1.0]], [0.0, 1.0], ValueError, r"^X must contain only finite"),
    "Y NaN": ([[0.0, 1.0], [1.0, 1.0]], [0.0, NAN], ValueError, r"^Y must contain only finite"),
    "Y inf": ([[0.0, 1.0], [1.0, 1.0]], [[INF], [0.0]], ValueError, r"^Y must contain only finite"),
    "Y short": (np.zeros((3, 2)), [0.0, 1.0], ValueError, r"^Y must have shape \(3, 1\)"),
    "Y long": (np.zeros((3, 2)), np.zeros((4, 2)), ValueError, r"^Y must have shape \(3, 2\)"),
    "Y 3-D": (np.zeros((3, 2)), np.zeros((3, 1, 1)), ValueError, r"^Y must be an array of numbers"),
    "Y strings": (np.zeros((2, 2)), ["a", "b"], ValueError, r"^Y must be an array of numbers"),
    "Y a number": (np.zeros((2, 2)), 1.0, ValueError, r"^Y must be an array of numbers"),
}


@pytest.mark.parametrize("case", BAD_ARRAYS)
def test_from_arrays_refuses_bad_shapes_and_non_finite_values(case):
    X, Y, error, match = BAD_ARRAYS[case]
    with pytest.raises(error, match=match):
        datasets.from_arrays(X, Y)


@pytest.mark.parametrize(
    ("X", "Y", "argument"),
    [(np.zeros((3, 0)), np.zeros(3), "X"), (np.zeros((3, 2)), np.zeros((3, 0)), "Y")],
    ids=["X without inputs", "Y without outputs"],
)
def test_from_arrays_refuses_zero_columns(X, Y, argument):
    with pytest.raises(ValueError, match=rf"^{argument} must"):
        datasets.from_arrays(X, Y)


BAD_CSV = {
    "non-numeric row": ("x1,x2,y\n0,0,0\n0,one,1\n", {}, r": data row 2 is not all numbers"),
    "empty cell": ("0,0,0\n0,,1\n", {}, r": data row 2 is not all numbers"),
    "ragged rows": (
        "0,0,0\n0,1\n1,0,1\n",
        {},
        r": rows have different numbers of columns \[2, 3\]",
    ),
    "one column": ("y\n0\n1\n", {}, r" has 1 column\(s\); with n_outputs=1 at least 2"),
    "no input column": (
        "0,0\n1,1\n",
        {"n_outputs": 2},
        r" has 2 column\(s\); with n_outputs=2 at least 3",
    ),
    "empty file": ("", {}, r" holds no rows of numbers"),
    "blank lines only": ("\n  \n\n", {}, r" holds no rows of numbers"),
    "header only": ("x1,x2,y\n", {}, r" holds no rows of numbers"),
}


@pytest.mark.parametrize("case", BAD_CSV)
def test_from_csv_refuses_a_malformed_file_and_names_it(tmp_path, case):
    text, arguments, match = BAD_CSV[case]
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^path '{re.escape(str(path))}'{match}"):
        datasets.from_csv(path, **arguments)


def test_from_csv_refuses_nan_cells(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("0,0,0\nnan,1,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^X must contain only finite numbers"):
        datasets.from_csv(path)


@pytest.mark.parametrize(
    ("n_outputs", "error", "match"),
    [
        (0, ValueError, r"^n_outputs must be an integer >= 1"),
        (-1, ValueError, r"^n_outputs must be an integer >= 1"),
        ("1", TypeError, r"^n_outputs must be an integer"),
        (1.0, TypeError, r"^n_outputs must be an integer"),
    ],
)
def test_from_csv_refuses_a_bad_number_of_outputs(tmp_path, n_outputs, error, match):
    path = tmp_path / "data.csv"
    path.write_text("0,0,0\n1,1,1\n", encoding="utf-8")
    with pytest.raises(error, match=match):
        datasets.from_csv(path, n_outputs=n_outputs)


@pytest.mark.parametrize("delimiter", ["", 3, b","], ids=["empty", "int", "bytes"])
def test_from_csv_names_a_bad_delimiter(tmp_path, delimiter):
    path = tmp_path / "data.csv"
    path.write_text("0,0,0\n1,1,1\n", encoding="utf-8")
    with pytest.raises((TypeError, ValueError), match=r"^delimiter must be"):
        datasets.from_csv(path, delimiter=delimiter)


def test_from_csv_names_the_path_when_it_is_not_a_path():
    with pytest.raises(TypeError, match=r"^path must be"):
        datasets.from_csv(None)

"""WeightsTable without a browser: exact numbers, edits checked like every browser message,
undo, refresh, attach, and "copy as Python" that gives the same weights back to the last bit."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backprop_widgets as bw
from backprop_widgets.notation import Parameter
from backprop_widgets.widgets.weights_table import UNDO_LEVELS, WeightsTable


@pytest.fixture
def net():
    return bw.MLP([2, 3, 1], seed=0)


@pytest.fixture
def edits():
    return []


@pytest.fixture
def table(net, edits):
    return WeightsTable(net, on_edit=edits.append)


def bits(net):
    """Every parameter's bytes: equal only when every number is the same to the last bit."""
    return b"".join(p.tobytes() for p in net.weights + net.biases)


def message(table, **content):
    table.on_browser_message(table, content, [])


# -- what is shown ------------------------------------------------------------------------


def test_every_parameter_has_a_box_keyed_as_the_diagram_keys_it(table, net):
    assert set(table.values) == {p.key() for p in net.parameters()}
    first = table.tables[0]
    assert first["title"] == "θ¹" and first["caption"] == "layer 1 → layer 2"
    assert first["columns"] == ["0 (+1)", "1", "2"]  # the bias unit's θ_i0 first
    assert first["rows"] == ["1", "2", "3"]
    assert first["keys"][1] == ["0,1,bias", "0,1,0", "0,1,1"]
    assert first["names"][1] == ["θ¹₂₀", "θ¹₂₁", "θ¹₂₂"]
    assert table.tables[1]["title"] == "θ²" and table.tables[1]["caption"] == "layer 2 → layer 3"


def test_numbers_are_sent_as_their_shortest_exact_text(table, net):
    for p in net.parameters():
        text = table.values[p.key()]
        assert text == repr(net.get_parameter(*p)) and float(text) == net.get_parameter(*p)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.1 + 0.2, "0.30000000000000004"), (1e-300, "1e-300"), (5e-324, "5e-324"),
     (-0.0, "-0.0"), (1e16, "1e+16"), (123456789.12345679, "123456789.12345679")],
)  # fmt: skip
def test_an_edit_keeps_every_bit_of_the_number(table, net, value, text):
    table.edit((0, 1, 0), value)
    assert table.values["0,1,0"] == text
    assert net.weights[0][1, 0].tobytes() == np.float64(value).tobytes()


def test_a_typed_number_is_read_exactly_as_python_reads_it(table, net):
    message(table, type="edit", weight="0,2,bias", text="0.30000000000000004")
    assert net.biases[0][2] == 0.1 + 0.2 and table.values["0,2,bias"] == "0.30000000000000004"
    message(table, type="edit", weight="1,0,2", text=" 1e-300 ")
    assert net.weights[1][0, 2] == 1e-300 and table.error == ""


@pytest.mark.parametrize(("text", "value"), [("−0.25", -0.25), ("0,5", 0.5), ("-3", -3.0)])
def test_the_true_minus_sign_and_a_decimal_comma_are_read(table, net, text, value):
    message(table, type="edit", weight="0,0,0", text=text)
    assert net.weights[0][0, 0] == value and table.error == ""


def test_without_biases_there_is_no_bias_column():
    table = WeightsTable(bw.MLP([2, 2, 1], bias=False, seed=0))
    assert table.tables[0]["columns"] == ["1", "2"]
    assert not any(key.endswith("bias") for key in table.values)
    assert "biases" not in table.python_code()


# -- edits ----------------------------------------------------------------------------------


def test_an_edit_sets_the_weight_tells_on_edit_and_resends(table, net, edits):
    revision = table.revision
    message(table, type="edit", weight="0,1,1", text="0.25")
    assert net.weights[0][1, 1] == 0.25 and table.values["0,1,1"] == "0.25"
    assert edits == [Parameter(0, 1, 1)] and edits[0] == (0, 1, 1)
    assert table.revision > revision and table.error == ""
    assert "θ¹₂₂ = 0.25" in table.note
    assert "net.weights[0][:] = [" in table.code and "0.25" in table.code


def test_the_python_edit_takes_a_bias_and_returns_its_address(table, net, edits):
    assert table.edit([1, 0, "bias"], -2) == (1, 0, "bias")
    assert net.biases[1][0] == -2.0 and table.values["1,0,bias"] == "-2.0"
    assert edits == [(1, 0, "bias")]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("abc", "θ¹₂₁ (weights[0][1, 0]) must be a number such as 0.25"),
        ("", "must be a number"),
        ("1/3", "must be a number"),
        ("0.1.2", "must be a number"),
        ("nan", "θ¹₂₁ (weights[0][1, 0]) must be a finite number; got 'nan'"),
        ("inf", "must be a finite number"),
        ("-Infinity", "must be a finite number"),
        ("1e999", "must be a finite number"),
        ("9" * 500, "must be a number"),
    ],
)
def test_a_typed_entry_that_is_no_finite_number_is_refused_and_changes_nothing(
    table, net, edits, text, words
):
    before, values, revision = bits(net), dict(table.values), table.revision
    message(table, type="edit", weight="0,1,0", text=text)
    assert words in table.error and table.error.startswith("Refused: ")
    assert "Nothing changed" in table.error
    assert bits(net) == before and table.values == values and edits == []
    assert table.revision > revision  # the box is put back even when the message repeats
    assert table.undo_label == ""


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ({"type": "edit", "weight": "9,0,0", "text": "1"}, "'9,0,0' is not in this network: l"),
        ({"type": "edit", "weight": "0,3,0", "text": "1"}, "i must be a node index 0 … 2"),
        ({"type": "edit", "weight": "0,0,2", "text": "1"}, "j must be a node index 0 … 1"),
        ({"type": "edit", "weight": "0,0", "text": "1"}, 'weight must be "l,i,j"'),
        ({"type": "edit", "weight": "a,b,c", "text": "1"}, 'weight must be "l,i,j"'),
        ({"type": "edit", "weight": 3, "text": "1"}, 'weight must be "l,i,j"'),
        ({"type": "edit", "text": "1"}, 'weight must be "l,i,j"'),
        ({"type": "edit", "weight": "0,0,0", "text": 1.5}, "the text typed must be a string"),
        ({"type": "edit", "weight": "0,0,0"}, "the text typed must be a string"),
        ({"type": "drop", "weight": "0,0,0"}, "unknown message type 'drop'"),
        ({}, "unknown message type None"),
    ],
)
def test_a_malformed_message_is_refused_and_changes_nothing(table, net, edits, content, words):
    before = bits(net)
    message(table, **content)
    assert words in table.error, table.error
    assert bits(net) == before and edits == []


def test_a_message_that_is_no_object_is_refused(table, net):
    before = bits(net)
    table.on_browser_message(table, ["edit", "0,0,0", "1"], [])
    assert "a message must be an object" in table.error and bits(net) == before


def test_the_refused_box_is_named_until_the_next_good_edit_clears_the_error(table):
    message(table, type="edit", weight="0,0,0", text="abc")
    assert table.refused == "0,0,0"
    message(table, type="edit", weight=["0,0,0"], text="1")
    assert table.refused == "" and "weight must be" in table.error
    message(table, type="edit", weight="0,0,0", text="1.5")
    assert table.error == "" and table.refused == "" and table.values["0,0,0"] == "1.5"


@pytest.mark.parametrize(
    ("parameter", "value", "error", "words"),
    [
        ((0, 0, 0), "0.5", TypeError, "value must be a real number"),
        ((0, 0, 0), True, TypeError, "value must be a real number"),
        ((0, 0, 0), None, TypeError, "value must be a real number"),
        ((0, 0, 0), float("nan"), ValueError, "value must be a finite number"),
        ((0, 0, 0), float("-inf"), ValueError, "value must be a finite number"),
        ((2, 0, 0), 1.0, ValueError, "l must be a weight layer 0 … 1"),
        ((0, -1, 0), 1.0, ValueError, "i must be a node index"),
        ((0, 0, "b"), 1.0, ValueError, 'j must be a node index or "bias"'),
        ((0, 0.5, 0), 1.0, TypeError, "i must be an integer"),
        ((0, 0), 1.0, TypeError, 'parameter must be (l, i, j) or (l, i, "bias")'),
        ("0,0,0", 1.0, TypeError, "parameter must be"),
    ],
)
def test_a_bad_python_edit_raises_naming_the_argument_and_changes_nothing(
    table, net, edits, parameter, value, error, words
):
    before, values = bits(net), dict(table.values)
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        table.edit(parameter, value)
    assert bits(net) == before and table.values == values and edits == []


def test_setting_the_same_number_again_is_no_edit(table, net, edits):
    value = float(net.weights[0][0, 1])
    table.edit((0, 0, 1), value)
    assert edits == [] and table.undo_label == "" and "already" in table.note


# -- undo ---------------------------------------------------------------------------------


def test_undo_puts_back_each_edit_in_turn(table, net, edits):
    original = bits(net)
    old = float(net.weights[0][0, 0])
    table.edit((0, 0, 0), 1.0)
    table.edit((0, 0, 0), 2.0)
    table.edit((1, 0, "bias"), 3.0)
    assert table.undo_label.startswith("Undo: θ²₁₀ back to ")
    assert table.undo() == (1, 0, "bias")
    assert table.undo() == (0, 0, 0) and net.weights[0][0, 0] == 1.0
    assert table.undo_label == f"Undo: θ¹₁₁ back to {old!r}"
    message(table, type="undo")
    assert bits(net) == original and table.values["0,0,0"] == repr(old)
    assert edits[-3:] == [(1, 0, "bias"), (0, 0, 0), (0, 0, 0)]
    assert table.undo_label == ""


def test_undo_with_nothing_to_undo_says_so(table, net, edits):
    before = bits(net)
    assert table.undo() is None
    assert table.note == "Nothing to undo." and bits(net) == before and edits == []


def test_undo_keeps_a_bounded_history(table):
    for n in range(UNDO_LEVELS + 5):
        table.edit((0, 0, 0), float(n))
    undone = 0
    while table.undo() is not None:
        undone += 1
    assert undone == UNDO_LEVELS and table.values["0,0,0"] == "4.0"


# -- refresh and attach ------------------------------------------------------------------------


def test_refresh_sends_only_when_the_numbers_changed(table, net):
    revision = table.revision
    assert table.refresh() is False and table.revision == revision
    X, Y = bw.datasets.xor()
    net.fit(X, Y, 0.5, epochs=3)
    assert table.refresh() is True
    assert table.values["0,0,0"] == repr(float(net.weights[0][0, 0]))
    assert table.code == table.python_code()
    assert table.refresh() is False


def test_training_after_an_edit_clears_the_undo_history(table, net):
    table.edit((0, 0, 0), 1.0)
    X, Y = bw.datasets.xor()
    net.fit(X, Y, 0.5, epochs=1)
    trained = bits(net)
    assert table.undo() is None and bits(net) == trained


def test_refresh_is_cheap_when_nothing_changed(table):
    import timeit

    net = bw.MLP([8, 8, 8, 8, 8, 8], seed=0)
    table.attach(net)
    assert timeit.timeit(table.refresh, number=200) / 200 < 1e-3


def test_attach_shows_another_network_and_clears_the_history(table, net):
    table.edit((0, 0, 0), 1.0)
    other = bw.MLP([3, 4, 2, 1], seed=5)
    table.net = other
    assert table.net is other and table.undo_label == ""
    assert len(table.tables) == 3 and set(table.values) == {p.key() for p in other.parameters()}
    assert table.undo() is None and net.weights[0][0, 0] == 1.0
    table.attach(net)
    assert table.net is net


def test_refresh_rebuilds_the_tables_of_a_network_resized_in_place(table, net):
    net.weights[1] = np.zeros((2, 3))
    net.biases[1] = np.zeros(2)
    net.sizes[2] = 2
    assert table.refresh() is True
    assert table.tables[1]["rows"] == ["1", "2"] and table.values["1,1,2"] == "0.0"


@pytest.mark.parametrize("bad", [None, "net", [2, 2, 1]])
def test_attach_refuses_what_is_no_network(table, net, bad):
    with pytest.raises(TypeError, match="net must be a backprop_widgets.MLP"):
        table.attach(bad)
    assert table.net is net
    with pytest.raises(TypeError, match="net must be"):
        WeightsTable(bad)


# -- copy as Python ---------------------------------------------------------------------------


def test_the_code_sets_the_weights_on_a_fresh_network_bit_for_bit(table, net):
    table.edit((0, 0, 1), 0.1 + 0.2)
    table.edit((0, 2, "bias"), 1e-300)
    table.edit((1, 0, 0), -0.0)
    code = table.python_code()
    assert code == table.code
    assert "net.weights[0][:] = [" in code and "net.biases[1][:] = [" in code
    assert "0.30000000000000004" in code and "1e-300" in code
    fresh = bw.MLP([2, 3, 1], seed=99)
    exec(code, {"net": fresh})
    assert bits(fresh) == bits(net)


def test_the_code_may_name_the_network_otherwise(table, net):
    fresh = bw.MLP([2, 3, 1], seed=1)
    exec(table.python_code("lecture_net"), {"lecture_net": fresh})
    assert bits(fresh) == bits(net)
    with pytest.raises(ValueError, match="name must be a Python identifier"):
        table.python_code("my net")


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 8), min_size=2, max_size=6))
    net = bw.MLP(sizes, bias=draw(st.booleans()), seed=draw(st.integers(0, 2**32 - 1)))
    numbers = st.floats(allow_nan=False, allow_infinity=False, width=64)
    for parameter in draw(st.lists(st.sampled_from(net.parameters()), max_size=10)):
        net.set_parameter(*parameter, draw(numbers))
    return net


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.integers(0, 2**32 - 1))
def test_the_code_round_trips_any_network_bit_for_bit(net, seed):
    fresh = bw.MLP(net.sizes, bias=net.bias, seed=seed)
    exec(WeightsTable(net).python_code(), {"net": fresh})
    assert bits(fresh) == bits(net)

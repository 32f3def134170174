"""Bring your own: the lecturer's network, the student's data, points drawn on the plane.

Every constructor form, every bad input (a clear message naming the argument, the row or the
column, and nothing changed), drawing through the surface's messages, the CSV upload, the
weights table inside the playground, and saving a playground that holds your own data.
"""

import datetime
import json
import re

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.widgets.playground import Playground
from backprop_widgets.widgets.playground.files import check_state, playground_state
from backprop_widgets.widgets.playground.sources import MAX_ROWS, OwnData

pd = pytest.importorskip("pandas")


def weights_of(pg):
    return [p.copy() for p in pg.net.weights + pg.net.biases]


def same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def draw(pg, **message):
    """Send a drawing gesture as the browser does; the surface's answer."""
    pg.surface._on_message(pg.surface, {"type": "point", **message}, [])
    return pg.surface.draw_message


@pytest.fixture
def blobs():
    rng = np.random.default_rng(3)
    X = np.r_[rng.normal(-1, 0.3, (10, 2)), rng.normal(1, 0.3, (10, 2))]
    Y = np.r_[np.zeros(10), np.ones(10)]
    return X, Y


# -- your own network --------------------------------------------------------------------------


def test_a_given_network_is_the_one_shown_and_trained_and_reset_returns_to_its_weights():
    net = bw.MLP([2, 3, 1], activation="tanh", output_activation="sigmoid", seed=7)
    net.weights[0][1, 0] = 0.125  # set by hand, as on a slide
    given = [p.copy() for p in net.weights + net.biases]
    pg = Playground(net=net)
    assert pg.net is net
    assert pg.settings.hidden == [3] and pg.settings.activation == "tanh"
    assert pg.settings.output_activation == "sigmoid" and pg.settings.seed == 7
    assert pg.network.weights[0][1][0] == 0.125
    pg.train(5)
    assert not same(weights_of(pg), given)
    pg.reset()
    assert pg.net is net and same(weights_of(pg), given) and pg.epoch == 0


def test_a_given_network_comes_back_after_its_settings_return():
    net = bw.MLP([2, 2, 1], seed=None)  # weights of its own: no seed
    pg = Playground(net=net)
    pg.hidden_text.value = "3"
    assert pg.net is not net and pg.net.sizes == [2, 3, 1]
    pg.hidden_text.value = "2"
    assert pg.net is net


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        ({"hidden": [4]}, r"^hidden=\[4\] disagrees with net, whose hidden is \[2\]"),
        ({"activation": "relu"}, r"^activation='relu' disagrees with net"),
        ({"output_activation": "linear"}, r"^output_activation='linear' disagrees with net"),
        ({"seed": 3}, r"^seed=3 disagrees with net, whose seed is 0"),
    ],
)
def test_arguments_that_disagree_with_the_given_network_are_refused(arguments, match):
    with pytest.raises(ValueError, match=match):
        Playground(net=bw.MLP([2, 2, 1]), **arguments)


def test_arguments_that_agree_with_the_given_network_are_fine():
    net = bw.MLP([2, 4, 1], activation="tanh", seed=2)
    pg = Playground(net=net, hidden=[4], activation="tanh", seed=2, learning_rate=0.1)
    assert pg.net is net and pg.learning_rate == 0.1


@pytest.mark.parametrize(
    ("net", "error", "match"),
    [
        ("mlp", TypeError, r"^net must be a backprop_widgets.MLP; got str"),
        (bw.MLP([2, 2, 1], bias=False), ValueError, r"^net must have bias units"),
        (bw.MLP([9, 2, 1]), ValueError, r"^net has 9 inputs; the diagram shows at most 8"),
        (bw.MLP([2, 9, 1]), ValueError, r"hidden layer 2 must have 1 … 8 neurons; got 9"),
        (bw.MLP([2, 2, 2, 2, 2, 2, 1]), ValueError, r"at most 6 layers"),
        (bw.MLP([3, 2, 1]), ValueError, r"^net \[3, 2, 1\] takes 3 input\(s\).*dataset 'xor'"),
    ],
)
def test_a_network_the_playground_cannot_take_is_refused_by_name(net, error, match):
    with pytest.raises(error, match=match):
        Playground(net=net)


def test_a_given_network_trains_on_given_data_of_its_width(blobs):
    X, Y = blobs
    net = bw.MLP([2, 3, 1], seed=1)
    pg = Playground(net=net, X=X, Y=Y)
    assert pg.net is net and np.array_equal(pg.X, X)
    with pytest.raises(ValueError, match=r"net \[2, 3, 1\] .* X and Y has 3 input"):
        Playground(net=net, X=np.c_[X, X[:, :1]], Y=Y)


# -- your own data ---------------------------------------------------------------------------


def test_arrays_become_the_training_data(blobs):
    X, Y = blobs
    pg = Playground(X=X.tolist(), Y=Y.tolist(), hidden=[3])
    assert pg.settings.dataset == "own" and pg.dataset_select.value == "own"
    assert np.array_equal(pg.X, X) and np.array_equal(pg.Y, Y[:, None])
    assert pg.net.sizes == [2, 3, 1] and len(pg.X_test) == 0
    assert ("your data", "own") in pg.dataset_select.options


def test_a_test_fraction_holds_rows_out_of_your_data(blobs):
    X, Y = blobs
    pg = Playground(X=X, Y=Y, test_fraction=0.25)
    assert len(pg.X) + len(pg.X_test) == 20 and 1 <= len(pg.X_test) <= 10
    rows = {tuple(x) for x in np.r_[pg.X, pg.X_test]}
    assert rows == {tuple(x) for x in X}
    assert not pg.test_slider.disabled and pg.noise_slider.disabled


def test_a_dataframe_with_a_target_column():
    frame = pd.DataFrame({"a": [0.0, 1, 2, 3], "y": [0, 1, 1, 0], "b": [1.0, 0, 1, 0]})
    pg = Playground(X=frame, target="y")
    assert np.array_equal(pg.X, frame[["a", "b"]].to_numpy(float))
    assert np.array_equal(pg.Y[:, 0], [0, 1, 1, 0])
    pg = Playground(X=frame[["a", "b"]], Y=frame["y"])
    assert pg.X.shape == (4, 2)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"target": "z"}, r"^target: no column 'z' in X; its columns are \['a', 'colour', 'y'\]"),
        ({"target": "y"}, r"^X: column 'colour' is not numeric"),
        ({"target": ["a", "colour", "y"]}, r"^X has no input column left"),
    ],
)
def test_a_dataframe_that_cannot_be_used_is_refused_by_column(kwargs, match):
    frame = pd.DataFrame({"a": [0.0, 1], "colour": ["red", "blue"], "y": [0, 1]})
    with pytest.raises(ValueError, match=match):
        Playground(X=frame, **kwargs)


def test_one_input_gives_the_fitted_curve_and_more_than_two_a_plane_of_two():
    x = np.linspace(0, 1, 12)[:, None]
    pg = Playground(X=x, Y=0.5 + 0.3 * np.sin(6 * x), output_activation="linear")
    assert pg.surface.kind == "1d"
    rng = np.random.default_rng(0)
    pg = Playground(X=rng.normal(size=(30, 5)), Y=rng.integers(0, 2, 30))
    assert pg.surface.kind == "2d" and pg.surface.n_inputs == 5
    assert pg.surface.held.startswith("x₃ = ") and pg.surface.held.endswith("their means")


BAD_DATA = {
    "NaN": (
        lambda X, Y: (np.where(np.arange(40).reshape(20, 2) == 13, np.nan, X), Y),
        r"^X must contain only finite numbers; X\[6, 1\] is nan \(row 6, column 1",
    ),
    "inf target": (
        lambda X, Y: (X, np.where(np.arange(20) == 4, np.inf, Y)),
        r"^Y must contain only finite numbers; Y\[4, 0\] is inf",
    ),
    "lengths": (lambda X, Y: (X, Y[:-1]), r"^Y must have shape \(20, 1\)"),
    "out of reach": (
        lambda X, Y: (X, Y * 2),
        r"^Y\[10, 0\] = 2 lies outside \[0, 1\]: a sigmoid output .* can never reach it",
    ),
    "too many rows": (
        lambda X, Y: (np.zeros((MAX_ROWS + 1, 2)), np.zeros(MAX_ROWS + 1)),
        r"^X has 10001 rows; the playground takes at most 10,000",
    ),
    "too many inputs": (
        lambda X, Y: (np.zeros((3, 9)), np.zeros(3)),
        r"^X has 9 columns; the diagram shows at most 8 inputs",
    ),
    "too many outputs": (
        lambda X, Y: (X, np.zeros((20, 9))),
        r"^Y has 9 columns; the diagram shows at most 8 outputs",
    ),
    "text": (lambda X, Y: ([["a", "b"]] * 20, Y), r"^X must be a 2-D array of numbers"),
}


@pytest.mark.parametrize("case", BAD_DATA)
def test_bad_data_is_refused_by_row_and_column_and_changes_nothing(blobs, case):
    make, match = BAD_DATA[case]
    X, Y = make(*blobs)
    with pytest.raises(ValueError, match=match):
        Playground(X=X, Y=Y)
    pg = Playground(X=blobs[0], Y=blobs[1], seed=4)
    pg.train(2)
    before, data = weights_of(pg), (pg.X.copy(), pg.Y.copy())
    with pytest.raises(ValueError, match=match):
        pg.set_data(X, Y)
    assert same(weights_of(pg), before) and np.array_equal(pg.X, data[0]) and pg.epoch == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"Y": [0, 1]}, ValueError, r"^X is missing"),
        ({"X": [[0, 0]]}, ValueError, r"^Y is missing"),
        ({"X": [[0, 0]], "target": "y"}, TypeError, r"^target names columns of a pandas"),
        ({"X": [[0, 0]], "Y": [0], "dataset": "moons"}, ValueError, r"dataset or your own X"),
    ],
)
def test_data_arguments_that_do_not_go_together(kwargs, error, match):
    with pytest.raises(error, match=match):
        Playground(**kwargs)


def test_a_linear_output_takes_any_targets_and_a_sigmoid_output_is_then_refused(blobs):
    X, Y = blobs
    pg = Playground(X=X, Y=3 * Y - 1, output_activation="linear")
    with pytest.raises(ValueError, match=r"output_activation='sigmoid': Y\[0, 0\] = -1"):
        pg.configure(output_activation="sigmoid")
    assert pg.settings.output_activation == "linear"
    pg.output_select.value = "tanh"  # as a person chooses it: 2 is outside [−1, 1]
    assert pg.settings.output_activation == "linear" == pg.output_select.value
    assert "Refused: output_activation='tanh': Y[10, 0] = 2" in pg.message.value.replace(
        "&#x27;", "'"
    )


def test_set_data_sizes_a_new_network_for_the_data(blobs):
    pg = Playground(hidden=[3])
    X = np.c_[blobs[0], blobs[0][:, :1]]
    pg.set_data(X, blobs[1])
    assert pg.net.sizes == [3, 3, 1] and pg.settings.dataset == "own"
    assert "20 rows, 3 input(s), 1 output(s)" in pg.message.value
    pg.configure(dataset="xor")  # back to a named dataset; your data stays in the menu
    assert pg.net.sizes == [2, 3, 1] and ("your data", "own") in pg.dataset_select.options
    pg.dataset_select.value = "own"
    assert pg.X.shape == (20, 3)


# -- the CSV upload --------------------------------------------------------------------------


def upload(pg, content: bytes, name="data.csv"):
    pg.upload.value = (
        {"name": name, "type": "text/csv", "size": len(content), "content": memoryview(content),
         "last_modified": datetime.datetime.now(datetime.timezone.utc)},
    )  # fmt: skip
    return pg.message.value


def test_an_uploaded_csv_becomes_the_data():
    pg = Playground()
    said = upload(pg, b"x1,x2,y\n" + b"".join(b"%d,%d,%d\n" % (i, i % 3, i % 2) for i in range(9)))
    assert "Loaded data.csv" in said and pg.X.shape == (9, 2) and pg.settings.dataset == "own"
    assert pg.upload.value == ()  # ready for the next file
    pg.upload_outputs.value = 2
    upload(pg, b"a,b,c,d\n1,2,0,1\n3,4,1,0\n")
    assert pg.X.shape == (2, 2) and pg.Y.shape == (2, 2) and pg.net.sizes[-1] == 2


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"x1,x2,y\n0,0,0\n0,one,1\n", r"data row 2 is not all numbers: column 'x2' holds 'one'"),
        (b"", r"data.csv is empty"),
        (b"\n\n", r"data.csv is empty"),
        (b"x,y\n", r"data.csv holds no rows of numbers"),
        (b"0,0,2\n1,1,0\n", r"Y\[0, 0\] = 2 lies outside \[0, 1\]"),
        (b"\xff\xfe0,1\n", r"is not UTF-8 text"),
        (b"0,nan,1\n1,1,0\n", r"X\[0, 1\] is nan"),
    ],
)
def test_an_upload_that_cannot_be_used_is_refused_and_changes_nothing(content, match):
    pg = Playground("moons", hidden=[3])
    before = (pg.X.copy(), weights_of(pg))
    said = upload(pg, content)
    assert "Could not use data.csv" in said and "bw-error" in said
    assert re.search(match, said.replace("&#x27;", "'"))
    assert np.array_equal(pg.X, before[0]) and same(weights_of(pg), before[1])
    assert pg.settings.dataset == "moons"


# -- drawing ---------------------------------------------------------------------------------


def test_drawing_adds_moves_and_removes_points_and_training_goes_on():
    pg = Playground()  # XOR
    pg.train(3)
    before = weights_of(pg)
    assert pg.surface.drawable and pg.surface.draw_classes == [0.0, 1.0]
    said = draw(pg, action="add", x=[0.5, 0.5], target=1)
    assert said.startswith("Point added: 5 points") and pg.settings.dataset == "own"
    assert np.array_equal(pg.X[-1], [0.5, 0.5]) and pg.Y[-1, 0] == 1
    assert same(weights_of(pg), before) and pg.epoch == 3  # the network and books stay
    assert pg.surface.train[-1] == [0.5, 0.5, 1.0] and pg.instance_slider.max == 4
    assert draw(pg, action="move", set="train", index=4, x=[0.25, 0.75]).startswith("Point moved")
    assert np.array_equal(pg.X[4], [0.25, 0.75]) and pg.Y[4, 0] == 1  # the class is kept
    assert draw(pg, action="remove", set="train", index=0).startswith("Point removed")
    assert len(pg.X) == 4 and np.array_equal(pg.X[0], [0, 1])
    pg.train(1)
    assert pg.epoch == 4
    assert draw(pg, action="clear") == "Back to the data from before drawing."
    assert pg.settings.dataset == "xor" and np.array_equal(pg.X, bw.datasets.xor()[0])
    assert draw(pg, action="clear") == "Nothing drawn to undo."


def test_a_point_drawn_while_playing_reaches_the_loss_curve_with_the_point():
    """While training plays the loss curve and the status line follow 20 times a second; the
    loss on data with a drawn point goes out with the point, not with the next due frame."""
    pg = Playground()  # XOR
    pg.train(2)
    pg._trait_values["playing"] = True  # as while Play runs (no kernel loop here to start)
    assert pg.presenter.readout_throttle.due()  # a frame has just sent the readouts
    draw(pg, action="add", x=[0.5, 0.5], target=1)
    assert pg.loss_view.train[-1] == [2, pg.session.loss()]
    assert "E(all 5)" in pg.status.value


@pytest.mark.parametrize(
    ("message", "match"),
    [
        (
            {"action": "add", "x": [5.0, 0.5], "target": 1},
            r"must lie inside the plot: 5 is outside",
        ),
        ({"action": "add", "x": [0.5], "target": 1}, r"has 2 coordinate\(s\)"),
        ({"action": "add", "x": [0.5, 0.5], "target": 0.5}, r"class must be one of \[0.0, 1.0\]"),
        ({"action": "add", "x": [0.5, "a"], "target": 1}, r"coordinate must be a finite number"),
        ({"action": "add", "x": [0.5, 0.5], "target": None}, r"target must be a finite number"),
        ({"action": "move", "set": "train", "index": 9, "x": [0, 0]}, r"no train point 9"),
        ({"action": "remove", "set": "test", "index": 0}, r"no test point 0: there are 0"),
        ({"action": "remove", "set": "all", "index": 0}, r"set must be one of"),
        ({"action": "explode"}, r"must have an action"),
    ],
)
def test_a_bad_drawing_message_is_refused_and_changes_nothing(message, match):
    pg = Playground()
    said = draw(pg, **message)
    assert said.startswith("Refused: ") and pg.surface.draw_error
    assert re.search(match, said)
    assert pg.settings.dataset == "xor" and len(pg.X) == 4


def test_the_last_training_point_stays():
    pg = Playground(X=[[0.0, 0.0], [1.0, 1.0]], Y=[0, 1])
    draw(pg, action="remove", set="train", index=0)
    said = draw(pg, action="remove", set="train", index=0)
    assert "the last training point stays" in said and len(pg.X) == 1


def test_drawing_a_regression_on_the_plane_and_on_the_line():
    rng = np.random.default_rng(2)
    pg = Playground(X=rng.uniform(size=(10, 2)), Y=rng.uniform(size=10))
    assert pg.surface.draw_classes == []  # any number
    draw(pg, action="add", x=[0.5, 0.5], target=0.3)
    assert pg.Y[-1, 0] == 0.3
    assert "lies outside [0, 1]" in draw(pg, action="add", x=[0.5, 0.5], target=1.5)
    pg = Playground("sine")
    assert pg.surface.kind == "1d"
    n = len(pg.X)
    draw(pg, action="add", x=[0.5], target=0.75)
    assert len(pg.X) == n + 1 and pg.X[-1, 0] == 0.5 and pg.Y[-1, 0] == 0.75
    draw(pg, action="move", set="train", index=0, x=[0.1], target=0.2)
    assert np.array_equal(pg.X[0], [0.1]) and pg.Y[0, 0] == 0.2


def test_a_point_drawn_on_two_of_four_inputs_holds_the_others_at_their_mean():
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(20, 4)), rng.integers(0, 2, 20)
    pg = Playground(X=X, Y=Y)
    pg.surface.shown_inputs = [3, 1]
    draw(pg, action="add", x=[0.5, -0.5], target=1)
    expected = X.mean(axis=0)
    expected[[3, 1]] = [0.5, -0.5]
    np.testing.assert_array_equal(pg.X[-1], expected)
    draw(pg, action="move", set="train", index=0, x=[0.0, 0.0])
    assert pg.X[0, 3] == 0 and pg.X[0, 1] == 0 and pg.X[0, 0] == X[0, 0]


def test_drawing_past_the_row_limit_is_refused():
    X = np.random.default_rng(0).uniform(size=(MAX_ROWS, 2))
    pg = Playground(X=X, Y=(X[:, 0] > 0.5).astype(float))
    assert "at most 10,000" in draw(pg, action="add", x=[0.5, 0.5], target=1)
    assert len(pg.X) == MAX_ROWS


def test_own_rows_split_so_that_a_new_row_moves_no_other():
    X, Y = np.arange(40.0).reshape(20, 2), np.zeros((20, 1))
    first = OwnData.split(X, Y, 0.3)
    longer = OwnData.split(np.r_[X, [[1.0, 1.0]]], np.r_[Y, [[0.0]]], 0.3)
    assert np.array_equal(first.is_test, longer.is_test[:20])
    assert first.is_test.any() and not first.is_test.all()


# -- the weights table inside the playground -------------------------------------------------


def test_an_edit_in_the_weights_table_updates_every_view():
    pg = Playground()
    pg.train(2)
    trained = pg.train_history.points[-1][1]
    pg.weights_table.edit((0, 1, 0), 0.30000000000000004)
    assert pg.net.weights[0][1, 0] == 0.30000000000000004
    assert pg.network.weights[0][1][0] == 0.30000000000000004
    assert pg.train_history.points[-1] == [2, pg.net.loss(pg.X, pg.Y)] != [2, trained]
    pg.weights_table.undo()
    assert pg.network.weights[0][1][0] == pg.net.weights[0][1, 0] != 0.30000000000000004


def test_the_weights_table_follows_a_new_network():
    pg = Playground()
    table = pg.weights_table
    pg.hidden_text.value = "3"
    assert table.net is pg.net and pg.net.sizes == [2, 3, 1]


# -- saving your data ------------------------------------------------------------------------


def test_a_playground_with_drawn_data_saves_and_loads_exactly(tmp_path):
    pg = Playground("moons", test_fraction=0.2, n=60)
    draw(pg, action="add", x=[0.0, 0.0], target=1)
    draw(pg, action="remove", set="test", index=0)
    pg.train(2)
    path = tmp_path / "drawn.json"
    pg.save(path)
    saved = json.loads(path.read_text())
    assert saved["dataset"] == "own" and len(saved["data"]["X"]) == 60
    loaded = Playground.load(path)
    assert np.array_equal(loaded.X, pg.X) and np.array_equal(loaded.X_test, pg.X_test)
    assert np.array_equal(loaded.Y, pg.Y) and same(weights_of(loaded), weights_of(pg))
    assert loaded.epoch == 2


def test_a_version_1_file_is_still_read(tmp_path):
    state = playground_state(Playground("moons"))
    state["version"] = 1
    del state["data"]
    assert check_state(state)["data"] is None


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda s: s.update(data=None), r'state\["data"\] must hold your rows when'),
        (lambda s: s["data"].update(test=[True] * 5), r'\["test"\] must be 4 true/false flags'),
        (lambda s: s["data"].update(test=[True] * 4), r"at least one row must be for training"),
        (lambda s: s["data"]["X"][1].append(1.0), r'state\["data"\]: X must be a 2-D'),
        (lambda s: s["data"]["Y"].__setitem__(0, [3.0]), r"Y\[0, 0\] = 3 lies outside"),
        (
            lambda s: [row.append(0.0) for row in s["data"]["X"]],
            r'state\["net"\]\["sizes"\] must be \[3, 2, 1\] to fit',
        ),
        (lambda s: s.update(data={"X": []}), r'must be an object with "X", "Y" and "test"'),
    ],
)
def test_a_save_file_whose_data_does_not_fit_is_refused(change, match):
    pg = Playground(X=[[0.0, 0], [0, 1], [1, 0], [1, 1]], Y=[0, 1, 1, 0])
    state = json.loads(json.dumps(playground_state(pg)))
    change(state)
    with pytest.raises((TypeError, ValueError), match=match):
        check_state(state)

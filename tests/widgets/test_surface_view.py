"""DecisionSurface: the network's output over its input space and each hidden unit's, without a
browser."""

import asyncio

import numpy as np
import pytest
import traitlets

import backprop_widgets as bw
from backprop_widgets.widgets.surface_view import (
    CURVE_POINTS,
    GRID,
    DecisionSurface,
    activation_name,
    to_bytes,
)


@pytest.fixture
def xor():
    X, Y = bw.datasets.xor()
    return bw.MLP([2, 3, 1], seed=0), X, Y


@pytest.fixture
def moons():
    X, Y = bw.datasets.moons(80, seed=0)
    X_train, Y_train, X_test, Y_test = bw.datasets.train_test_split(X, Y, 0.25)
    net = bw.MLP([2, 4, 3, 1], activation="tanh", output_activation="sigmoid", seed=1)
    return net, X_train, Y_train, X_test, Y_test


@pytest.fixture
def sine():
    X, Y = bw.datasets.sine(30)
    return bw.MLP([1, 5, 1], seed=0), X, Y


def test_grid_values_are_the_networks_predictions(moons):
    net, *data = moons
    view = DecisionSurface(net, *data)
    assert view.kind == "2d"
    assert view.grid_points.shape == (GRID * GRID, 2)
    assert view.grid_values.shape == (GRID, GRID)
    np.testing.assert_allclose(
        view.grid_values.ravel(), net.predict(view.grid_points)[:, 0], rtol=1e-14
    )


def test_grid_covers_all_points_with_a_margin_at_equal_scale(moons):
    net, X, Y, X_test, Y_test = moons
    view = DecisionSurface(net, X, Y, X_test, Y_test)
    x0, x1, y0, y1 = view.extent
    everything = np.concatenate([X, X_test])
    assert x1 - x0 == pytest.approx(y1 - y0)
    assert np.all(everything[:, 0] > x0) and np.all(everything[:, 0] < x1)
    assert np.all(everything[:, 1] > y0) and np.all(everything[:, 1] < y1)
    # Rows from the top: x₂ decreases down the image, x₁ increases along a row.
    points = view.grid_points.reshape(GRID, GRID, 2)
    assert np.all(np.diff(points[:, 0, 1]) < 0) and np.all(np.diff(points[0, :, 0]) > 0)


def test_image_bytes_map_the_output_range_to_0_and_255(xor):
    net, X, Y = xor
    view = DecisionSurface(net, X, Y)
    assert view.value_range == [0.0, 1.0] and view.level == 0.5
    pixels = np.frombuffer(view.image, dtype=np.uint8)
    assert pixels.shape == (GRID * GRID,)
    np.testing.assert_array_equal(pixels, np.round(view.grid_values.ravel() * 255))


def test_to_bytes_clips_and_puts_nan_in_the_middle():
    values = np.array([-1.0, 0.0, 0.5, 1.0, 2.0, np.nan])
    assert list(to_bytes(values, 0.0, 1.0)) == [0, 0, 128, 255, 255, 128]


def test_points_carry_their_targets_train_and_test_apart(moons):
    net, X, Y, X_test, Y_test = moons
    view = DecisionSurface(net, X, Y, X_test, Y_test)
    assert view.train == np.c_[X, Y].tolist()
    assert view.test == np.c_[X_test, Y_test].tolist()


def test_level_line_lies_where_the_output_crosses_one_half():
    net = bw.MLP([2, 1], seed=0)
    net.weights[0][...] = [[4.0, 0.0]]
    net.biases[0][...] = [-2.0]  # ŷ = 0.5 on the line x₁ = 0.5
    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    view = DecisionSurface(net, X, np.array([0.0, 1.0]))
    segments = np.array(view.contour)
    assert len(segments) == GRID - 1
    np.testing.assert_allclose(segments[:, [0, 2]], 0.5, atol=1e-3)


def test_one_thumbnail_per_hidden_neuron_in_lecture_notation(moons):
    net, *data = moons
    view = DecisionSurface(net, *data)
    assert [h["label"] for h in view.hidden] == ["a²₁", "a²₂", "a²₃", "a²₄", "a³₁", "a³₂", "a³₃"]
    assert [(h["layer"], h["index"]) for h in view.hidden][3:5] == [(1, 3), (2, 0)]
    assert len(view.hidden_values) == sum(net.sizes[1:-1])
    assert len(view.hidden_images) == sum(net.sizes[1:-1]) * GRID * GRID
    assert all(h["range"] == [-1.0, 1.0] for h in view.hidden)  # tanh


def test_thumbnails_show_each_hidden_activation_on_the_grid(moons):
    net, *data = moons
    view = DecisionSurface(net, *data)
    first = np.tanh(view.grid_points @ net.weights[0].T + net.biases[0])
    for i in range(4):
        np.testing.assert_allclose(view.hidden_values[i].ravel(), first[:, i], rtol=1e-13)
    second = np.frombuffer(view.hidden_images, dtype=np.uint8)[GRID * GRID : 2 * GRID * GRID]
    np.testing.assert_array_equal(second, np.frombuffer(to_bytes(first[:, 1], -1, 1), np.uint8))


def test_unbounded_activations_are_coloured_by_their_own_range():
    X, Y = bw.datasets.xor()
    net = bw.MLP([2, 2, 1], activation="relu", output_activation="sigmoid", seed=4)
    view = DecisionSurface(net, X, Y)
    for entry, values in zip(view.hidden, view.hidden_values):
        low, high = entry["range"]
        if values.max() > values.min():
            assert (low, high) == (values.min(), values.max())


def test_no_hidden_layer_means_no_thumbnails(xor):
    _, X, Y = xor
    view = DecisionSurface(bw.MLP([2, 1]), X, Y)
    assert view.hidden == [] and view.hidden_images == b""


def test_one_input_gives_the_fitted_curve_over_the_data(sine):
    net, X, Y = sine
    view = DecisionSurface(net, X, Y)
    assert view.kind == "1d"
    assert len(view.curve) == CURVE_POINTS
    x0, x1 = view.extent
    assert x0 < X.min() and X.max() < x1
    curve = np.array(view.curve)
    np.testing.assert_allclose(curve[:, 1], net.predict(curve[:, :1])[:, 0], rtol=1e-14)
    assert view.train == np.c_[X, Y].tolist() and view.test == []
    assert view.image == b"" and view.contour == []
    assert len(view.hidden) == 5
    a = bw.sigmoid(curve[:, 0] * net.weights[0][2, 0] + net.biases[0][2])
    np.testing.assert_allclose(view.hidden_values[2], a, rtol=1e-14)
    np.testing.assert_allclose(view.hidden[2]["values"], a, atol=0.5e-4)  # sent rounded


def test_more_than_two_inputs_show_two_with_the_others_held_at_their_mean():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(30, 4)), rng.uniform(size=(30, 1))
    net = bw.MLP([4, 3, 1], seed=2)
    view = DecisionSurface(net, X, Y)
    assert view.kind == "2d" and view.n_inputs == 4 and view.shown_inputs == [0, 1]
    assert view.input_labels == ["x₁", "x₂"] and "x₃ = " in view.held and "their means" in view.held
    view.shown_inputs = [2, 0]
    assert view.input_labels == ["x₃", "x₁"]
    points = np.repeat(X.mean(axis=0)[None, :], len(view.grid_points), axis=0)
    points[:, [2, 0]] = view.grid_points
    np.testing.assert_array_equal(view.grid_values.ravel(), net.predict(points)[:, 0])
    assert view.train == np.c_[X[:, [2, 0]], Y].tolist()
    for bad in ([1, 1], [0, 4], [0]):
        with pytest.raises(traitlets.TraitError, match="shown_inputs must be two different"):
            view.shown_inputs = bad
    assert view.shown_inputs == [2, 0]
    view.shown_inputs = [3, 1]
    view.update(bw.MLP([3, 2, 1]), X[:, :3], Y)  # input 4 is gone: back to the first two
    assert view.shown_inputs == [0, 1] and view.held.startswith("x₃ = ")


def test_update_follows_training(xor):
    net, X, Y = xor
    view = DecisionSurface(net, X, Y)
    before, updates = view.image, view.updates
    net.fit(X, Y, 0.5, 300)
    view.update()
    assert view.image != before and view.updates == updates + 1
    np.testing.assert_allclose(
        view.grid_values.ravel(), net.predict(view.grid_points)[:, 0], rtol=1e-14
    )


def test_update_takes_a_new_network_and_new_data(xor, sine):
    net, X, Y = xor
    view = DecisionSurface(net, X, Y)
    bigger = bw.MLP([2, 5, 1], seed=3)
    view.update(net=bigger)
    assert view.net is bigger and len(view.hidden) == 5
    line_net, X1, Y1 = sine
    view.update(net=line_net, X=X1, Y=Y1)
    assert view.kind == "1d" and view.grid_values is None
    view.update(net=net, X=X, Y=Y, X_test=X[:2], Y_test=Y[:2])
    assert view.kind == "2d" and len(view.test) == 2


def test_request_update_without_an_event_loop_updates_at_once(xor):
    net, X, Y = xor
    view = DecisionSurface(net, X, Y, min_interval=10.0)
    updates = view.updates
    view.request_update()
    assert view.updates == updates + 1


def test_request_update_merges_requests_within_the_interval(xor):
    net, X, Y = xor

    async def scenario():
        view = DecisionSurface(net, X, Y, min_interval=0.05)
        first = view.updates
        for _ in range(20):
            view.request_update()
        merged = view.updates
        await asyncio.sleep(0.1)
        return first, merged, view.updates

    first, merged, last = asyncio.run(scenario())
    assert merged == first  # the constructor's update was just now: wait
    assert last == first + 1  # ... then one update for all twenty requests


def test_sampling_leaves_the_network_unchanged(moons):
    net, *data = moons
    before = [p.copy() for p in net.weights + net.biases]
    DecisionSurface(net, *data).update()
    for p, q in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, q)


def test_several_outputs_show_the_chosen_one():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 0.0]])
    net = bw.MLP([2, 2, 2], seed=0)
    view = DecisionSurface(net, X, Y, output=1)
    assert view.output_label == "ŷ₂"
    np.testing.assert_allclose(view.grid_values.ravel(), net.predict(view.grid_points)[:, 1])
    assert view.train == np.c_[X, Y[:, 1]].tolist()


def test_activation_names_are_one_based():
    assert activation_name(1, 0) == "a²₁"
    assert activation_name(2, 3) == "a³₄"


def test_repr_says_what_is_shown(moons):
    net, *data = moons
    text = repr(DecisionSurface(net, *data))
    assert text == (
        "DecisionSurface(kind='2d', MLP [2, 4, 3, 1], 60 training and 20 test instances, "
        "7 hidden neuron(s), output=0)"
    )


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"net": None}, TypeError, "net must be a backprop_widgets.MLP"),
        ({"X": np.zeros((4, 3))}, ValueError, "X must have shape"),
        ({"Y": np.zeros(5)}, ValueError, "Y must have shape"),
        ({"X_test": np.zeros((2, 2))}, ValueError, "X_test and Y_test must be given together"),
        ({"X_test": np.zeros((2, 3)), "Y_test": np.zeros(2)}, ValueError, "X_test must have"),
        ({"X_test": np.zeros((2, 2)), "Y_test": np.zeros(3)}, ValueError, "Y_test must have"),
        ({"X": [[0, 0], [np.nan, 1], [1, 0], [1, 1]]}, ValueError, "X must contain only finite"),
        ({"output": 1}, ValueError, "output must be an output neuron 0 … 0"),
        ({"output": 0.5}, TypeError, "output must be an integer"),
        ({"min_interval": -1.0}, ValueError, "min_interval must be a number >= 0"),
    ],
)
def test_bad_arguments_raise_naming_the_argument(xor, kwargs, error, words):
    net, X, Y = xor
    with pytest.raises(error) as raised:
        DecisionSurface(**{"net": net, "X": X, "Y": Y, **kwargs})
    assert words in str(raised.value)


def test_bad_update_changes_nothing(xor):
    net, X, Y = xor
    view = DecisionSurface(net, X, Y)
    state = (view.net, view.X, view.image, view.updates)
    with pytest.raises(ValueError, match="X must have shape"):
        view.update(net=bw.MLP([1, 1]))
    with pytest.raises(ValueError, match="only be given with new X and Y"):
        view.update(X_test=X, Y_test=Y)
    assert (view.net, view.X, view.image, view.updates) == state


def test_an_empty_test_set_is_no_test_set(xor):
    net, X, Y = xor
    view = DecisionSurface(net, X, Y, X[:0], Y[:0])  # how the playground holds "no test set"
    assert view.test == [] and len(view.X_test) == 0

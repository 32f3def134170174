"""The datasets: shapes, exact truth tables, seeds, and the geometry each generator promises."""

import numpy as np
import pytest

from backprop_widgets import datasets

CLASSIFICATION = ["circles", "moons", "spiral", "gaussians"]

SHAPES = {
    "and": ((4, 2), (4, 1)),
    "or": ((4, 2), (4, 1)),
    "nand": ((4, 2), (4, 1)),
    "xor": ((4, 2), (4, 1)),
    "circles": ((200, 2), (200, 1)),
    "moons": ((200, 2), (200, 1)),
    "spiral": ((200, 2), (200, 1)),
    "gaussians": ((200, 2), (200, 1)),
    "sine": ((50, 1), (50, 1)),
    "blobs3": ((300, 2), (300, 3)),
    "spiral3": ((300, 2), (300, 3)),
}


def test_names_are_the_four_truth_tables_then_the_sampled_sets():
    assert datasets.NAMES == (
        "and",
        "or",
        "nand",
        "xor",
        "circles",
        "moons",
        "spiral",
        "gaussians",
        "sine",
        "blobs3",
        "spiral3",
    )
    assert set(SHAPES) == set(datasets.NAMES)


@pytest.mark.parametrize("name", datasets.NAMES)
def test_load_gives_finite_float64_X_of_shape_N_by_d_and_Y_of_shape_N_by_k(name):
    X, Y = datasets.load(name)
    assert (X.shape, Y.shape) == SHAPES[name]
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.all(np.isfinite(X)) and np.all(np.isfinite(Y))


@pytest.mark.parametrize("name", list(datasets.SAMPLED))
def test_load_passes_n_noise_and_seed_to_the_generator(name):
    X, Y = datasets.load(name, n=37, noise=0.2, seed=5)
    X_direct, Y_direct = datasets.SAMPLED[name](n=37, noise=0.2, seed=5)
    assert X.shape == (37, SHAPES[name][0][1]) and Y.shape == (37, SHAPES[name][1][1])
    assert np.array_equal(X, X_direct) and np.array_equal(Y, Y_direct)


# -- truth tables --------------------------------------------------------------------------------

INPUTS = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
TRUTH_TABLES = {
    "and": (datasets.and_, [0.0, 0.0, 0.0, 1.0]),
    "or": (datasets.or_, [0.0, 1.0, 1.0, 1.0]),
    "nand": (datasets.nand, [1.0, 1.0, 1.0, 0.0]),
    "xor": (datasets.xor, [0.0, 1.0, 1.0, 0.0]),
}


@pytest.mark.parametrize("name", TRUTH_TABLES)
def test_truth_tables_are_exact(name):
    function, outputs = TRUTH_TABLES[name]
    for X, Y in (function(), datasets.load(name)):
        assert X.tolist() == INPUTS
        assert Y.tolist() == [[y] for y in outputs]


def test_truth_tables_follow_their_logic_row_by_row():
    X, _ = datasets.xor()
    a, b = X[:, 0].astype(bool), X[:, 1].astype(bool)
    assert datasets.and_()[1][:, 0].tolist() == (a & b).astype(float).tolist()
    assert datasets.or_()[1][:, 0].tolist() == (a | b).astype(float).tolist()
    assert datasets.nand()[1][:, 0].tolist() == (~(a & b)).astype(float).tolist()
    assert datasets.xor()[1][:, 0].tolist() == (a ^ b).astype(float).tolist()


def test_each_call_returns_fresh_arrays():
    X, Y = datasets.xor()
    X[...] = 7.0
    Y[...] = 7.0
    assert datasets.xor()[0].tolist() == INPUTS
    assert datasets.xor()[1].tolist() == [[0.0], [1.0], [1.0], [0.0]]


# -- seeds ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(datasets.SAMPLED))
def test_same_seed_gives_the_same_data(name):
    X1, Y1 = datasets.load(name, seed=11)
    X2, Y2 = datasets.load(name, seed=11)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)


@pytest.mark.parametrize("name", list(datasets.SAMPLED))
def test_different_seeds_give_different_data(name):
    X1, Y1 = datasets.load(name, seed=0)
    X2, Y2 = datasets.load(name, seed=1)
    assert not np.any(np.all(X1 == X2, axis=1))  # no instance is the same
    if name == "sine":
        assert not np.any(Y1 == Y2)
    else:
        assert np.array_equal(Y1, Y2)  # the labels are laid out by n alone


# -- labels --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CLASSIFICATION)
@pytest.mark.parametrize(
    ("n", "zeros", "ones"), [(200, 100, 100), (10, 5, 5), (7, 4, 3), (2, 1, 1)]
)
def test_classification_labels_are_0_or_1_and_balanced(name, n, zeros, ones):
    _, Y = datasets.load(name, n=n)
    assert set(np.unique(Y)) <= {0.0, 1.0}
    assert (np.sum(Y == 0.0), np.sum(Y == 1.0)) == (zeros, ones)


# -- geometry at noise 0 -------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [0.5, 0.3, 0.8])
def test_circles_without_noise_lie_on_radius_1_and_radius_factor(factor):
    X, Y = datasets.circles(n=101, noise=0.0, seed=2, factor=factor)
    radius = np.hypot(X[:, 0], X[:, 1])
    outer, inner = Y[:, 0] == 0.0, Y[:, 0] == 1.0
    assert np.allclose(radius[outer], 1.0, rtol=0, atol=1e-15)
    assert np.allclose(radius[inner], factor, rtol=0, atol=1e-15)


def test_circles_noise_spreads_the_radius_by_about_its_size():
    X, Y = datasets.circles(n=4000, noise=0.05, seed=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    outer = Y[:, 0] == 0.0
    assert np.mean(radius[outer]) == pytest.approx(1.0, abs=0.01)
    assert np.std(radius[outer]) == pytest.approx(0.05, rel=0.1)


def test_gaussians_without_noise_sit_exactly_on_their_centres():
    X, Y = datasets.gaussians(n=40, noise=0.0)
    assert np.all(X[Y[:, 0] == 0.0] == -1.0)
    assert np.all(X[Y[:, 0] == 1.0] == 1.0)


def test_gaussians_are_centred_on_minus_one_and_plus_one_with_noise_as_deviation():
    X, Y = datasets.gaussians(n=4000, noise=0.5, seed=3)
    for label, centre in ((0.0, -1.0), (1.0, 1.0)):
        blob = X[Y[:, 0] == label]
        assert np.allclose(blob.mean(axis=0), centre, atol=0.05)
        assert np.allclose(blob.std(axis=0), 0.5, rtol=0.06)


def test_moons_without_noise_are_two_unit_half_circles():
    X, Y = datasets.moons(n=100, noise=0.0, seed=4)
    upper, lower = X[Y[:, 0] == 0.0], X[Y[:, 0] == 1.0]
    # class 0: (cos t, sin t) shifted by (−0.5, −0.25); class 1: (1 − cos t, 0.5 − sin t) shifted
    assert np.allclose(np.hypot(upper[:, 0] + 0.5, upper[:, 1] + 0.25), 1.0, atol=1e-15)
    assert np.allclose(np.hypot(lower[:, 0] - 0.5, lower[:, 1] - 0.25), 1.0, atol=1e-15)
    assert np.all(upper[:, 1] >= -0.25) and np.all(lower[:, 1] <= 0.25)


@pytest.mark.parametrize("turns", [1.0, 2.5])
def test_spiral_without_noise_turns_with_the_radius(turns):
    X, Y = datasets.spiral(n=100, noise=0.0, seed=5, turns=turns)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert np.all((radius >= 0.05) & (radius <= 1.0))
    angle = 2 * np.pi * turns * radius + np.pi * Y[:, 0]
    assert np.allclose(X[:, 0], radius * np.cos(angle), atol=1e-12)
    assert np.allclose(X[:, 1], radius * np.sin(angle), atol=1e-12)


def test_sine_without_noise_is_exactly_the_curve_and_inside_0_1():
    X, Y = datasets.sine(n=200, noise=0.0, seed=6)
    x, y = X[:, 0], Y[:, 0]
    assert np.all((x >= 0.0) & (x <= 1.0))
    assert np.all(np.diff(x) >= 0.0)  # sorted, for plotting
    assert np.allclose(y, 0.5 + 0.4 * np.sin(2 * np.pi * x), rtol=0, atol=1e-15)
    assert np.all((y > 0.0) & (y < 1.0))
    assert y.min() >= 0.1 - 1e-15 and y.max() <= 0.9 + 1e-15


def test_sine_noise_is_added_to_the_same_curve():
    X, Y = datasets.sine(n=2000, noise=0.05, seed=7)
    residual = Y[:, 0] - (0.5 + 0.4 * np.sin(2 * np.pi * X[:, 0]))
    assert np.mean(residual) == pytest.approx(0.0, abs=0.005)
    assert np.std(residual) == pytest.approx(0.05, rel=0.06)


def numbered(n):
    """X rows (i, −i) and Y rows (10 i): every instance and its target can be told apart."""
    i = np.arange(n, dtype=float)
    return np.c_[i, -i], (10 * i)[:, None]


@pytest.mark.parametrize(
    ("n", "test_fraction", "n_train", "n_test"),
    [(200, 0.25, 150, 50), (10, 0.3, 7, 3), (2, 0.5, 1, 1), (5, 0.01, 4, 1), (5, 0.99, 1, 4)],
)
def test_split_sizes_keep_at_least_one_instance_each_side(n, test_fraction, n_train, n_test):
    X, Y = numbered(n)
    X_train, Y_train, X_test, Y_test = datasets.train_test_split(X, Y, test_fraction)
    assert (len(X_train), len(Y_train), len(X_test), len(Y_test)) == (
        n_train,
        n_train,
        n_test,
        n_test,
    )


def test_split_is_disjoint_covers_everything_and_keeps_targets_with_their_inputs():
    X, Y = numbered(40)
    X_train, Y_train, X_test, Y_test = datasets.train_test_split(X, Y, 0.25, seed=3)
    train, test = X_train[:, 0], X_test[:, 0]
    assert not set(train) & set(test)
    assert sorted(np.r_[train, test]) == list(range(40))
    assert np.array_equal(X_train[:, 1], -train) and np.array_equal(X_test[:, 1], -test)
    assert np.array_equal(Y_train[:, 0], 10 * train) and np.array_equal(Y_test[:, 0], 10 * test)


def test_split_shuffles_rather_than_cutting_the_end_off():
    X, Y = numbered(40)
    _, _, X_test, _ = datasets.train_test_split(X, Y, 0.25, seed=0)
    assert sorted(X_test[:, 0]) != list(range(30, 40))


def test_split_is_reproducible_by_seed_and_differs_across_seeds():
    X, Y = datasets.circles(n=60)
    first = datasets.train_test_split(X, Y, seed=4)
    again = datasets.train_test_split(X, Y, seed=4)
    other = datasets.train_test_split(X, Y, seed=5)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[2], other[2])


def test_split_accepts_flat_targets_and_returns_columns():
    X, Y = numbered(8)
    X_train, Y_train, X_test, Y_test = datasets.train_test_split(X.tolist(), Y[:, 0].tolist())
    assert Y_train.shape == (6, 1) and Y_test.shape == (2, 1)
    assert X_train.dtype == np.float64 and Y_test.dtype == np.float64


def test_split_leaves_its_inputs_alone():
    X, Y = numbered(12)
    X_before, Y_before = X.copy(), Y.copy()
    X_train, *_ = datasets.train_test_split(X, Y)
    X_train[...] = -99.0
    assert np.array_equal(X, X_before) and np.array_equal(Y, Y_before)


# -- the user's own data -------------------------------------------------------------------------


def test_from_arrays_converts_to_float64_and_makes_flat_targets_a_column():
    X, Y = datasets.from_arrays([[1, 2], [3, 4], [5, 6]], [0, 1, 1])
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert X.tolist() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert Y.tolist() == [[0.0], [1.0], [1.0]]


def test_from_arrays_keeps_several_outputs():
    X, Y = datasets.from_arrays(np.ones((3, 4)), np.arange(6).reshape(3, 2))
    assert X.shape == (3, 4) and Y.tolist() == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]


def write(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_from_csv_without_header_reads_inputs_then_the_target(tmp_path):
    X, Y = datasets.from_csv(write(tmp_path, "0,0,0\n0,1,1\n1,0,1\n1,1,0\n"))
    assert X.tolist() == INPUTS and Y.tolist() == [[0.0], [1.0], [1.0], [0.0]]
    assert X.dtype == np.float64 and Y.dtype == np.float64


def test_from_csv_skips_a_header_and_blank_lines(tmp_path):
    text = "x1, x2, y\n\n0.5, -1.5, 1\n  \n2e-1, 3, 0\n"
    X, Y = datasets.from_csv(write(tmp_path, text))
    assert X.tolist() == [[0.5, -1.5], [0.2, 3.0]] and Y.tolist() == [[1.0], [0.0]]


def test_from_csv_with_two_outputs_takes_the_last_two_columns(tmp_path):
    text = "a,b,c,y1,y2\n1,2,3,0,1\n4,5,6,1,0\n"
    X, Y = datasets.from_csv(write(tmp_path, text), n_outputs=2)
    assert X.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert Y.tolist() == [[0.0, 1.0], [1.0, 0.0]]


def test_from_csv_reads_another_delimiter(tmp_path):
    X, Y = datasets.from_csv(write(tmp_path, "x;y\n1.5;0\n-2;1\n"), delimiter=";")
    assert X.tolist() == [[1.5], [-2.0]] and Y.tolist() == [[0.0], [1.0]]


def test_from_csv_round_trips_a_dataset(tmp_path):
    X, Y = datasets.moons(n=30, seed=8)
    path = tmp_path / "moons.csv"
    np.savetxt(path, np.c_[X, Y], delimiter=",", header="x1,x2,y", comments="", fmt="%.17g")
    X_read, Y_read = datasets.from_csv(path)
    assert np.array_equal(X_read, X) and np.array_equal(Y_read, Y)


# -- three classes -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["blobs3", "spiral3"])
@pytest.mark.parametrize("n", [300, 10, 3])
def test_three_class_targets_are_one_hot_rows_in_balanced_classes(name, n):
    _, Y = datasets.load(name, n=n)
    assert Y.shape == (n, 3) and set(np.unique(Y)) == {0.0, 1.0}
    assert np.all(Y.sum(axis=1) == 1.0)
    counts = Y.sum(axis=0)
    assert counts.max() - counts.min() <= 1
    assert datasets.n_outputs(name) == 3 == datasets.CLASSES[name]


def test_every_other_dataset_has_one_output():
    assert [name for name in datasets.NAMES if datasets.n_outputs(name) != 1] == [
        "blobs3",
        "spiral3",
    ]


def test_blobs3_centres_its_classes_on_the_unit_circle_a_third_of_a_turn_apart():
    X, Y = datasets.blobs3(n=3000, noise=0.1)
    labels = Y.argmax(axis=1)
    for k in range(3):
        angle = np.pi / 2 + 2 * np.pi * k / 3
        centre = X[labels == k].mean(axis=0)
        assert np.allclose(centre, [np.cos(angle), np.sin(angle)], atol=0.02)


def test_spiral3_without_noise_keeps_each_arm_on_its_own_curve():
    X, Y = datasets.spiral3(n=300, noise=0.0, turns=0.75)
    r = np.hypot(X[:, 0], X[:, 1])
    labels = Y.argmax(axis=1)
    angle = np.arctan2(X[:, 1], X[:, 0])
    expected = 2 * np.pi * 0.75 * r + 2 * np.pi * labels / 3
    assert np.allclose(np.cos(angle), np.cos(expected)) and np.allclose(
        np.sin(angle), np.sin(expected)
    )


def test_a_softmax_network_learns_blobs3_with_cross_entropy():
    from backprop_widgets import MLP

    X, Y = datasets.blobs3(n=150, noise=0.3)
    net = MLP([2, 4, 3], output_activation="softmax", loss="cross_entropy", seed=0)
    net.fit(X, Y, 0.1, epochs=30)
    assert np.mean(net.predict(X).argmax(axis=1) == Y.argmax(axis=1)) > 0.9

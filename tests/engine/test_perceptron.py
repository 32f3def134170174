"""The perceptron of the lecture's recap: ŷ = f(θᵀx) with a step f, trained by
θ_i ← θ_i + η (y − ŷ) x_i (x_0 = 1 for the bias). It separates AND, OR and NAND, never XOR."""

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets import datasets

SEPARABLE = ["and", "or", "nand"]


def with_theta(theta):
    perceptron = bw.Perceptron(len(theta) - 1, seed=None)
    perceptron.theta[...] = theta
    return perceptron


# -- learning the gates --------------------------------------------------------------------------


@pytest.mark.parametrize("learning_rate", [1.0, 0.5, 0.1])
@pytest.mark.parametrize("seed", [None, 0, 1, 2, 3])
@pytest.mark.parametrize("name", SEPARABLE)
def test_learns_a_linearly_separable_gate_and_then_predicts_it_exactly(name, seed, learning_rate):
    X, Y = datasets.load(name)
    perceptron = bw.Perceptron(2, seed=seed)
    history = perceptron.fit(X, Y, learning_rate=learning_rate, epochs=100)
    assert history.converged is True
    assert history.errors[-1] == 0
    assert all(
        mistakes >= 1 for mistakes in history.errors[:-1]
    )  # it stops at the first clean epoch
    assert len(history.errors) < 100
    assert perceptron.predict(X).tolist() == Y[:, 0].tolist()


@pytest.mark.parametrize("name", SEPARABLE)
def test_the_learned_line_separates_the_classes_with_the_bias_included(name):
    X, Y = datasets.load(name)
    perceptron = bw.Perceptron(2, seed=4)
    perceptron.fit(X, Y, epochs=100)
    score = perceptron.theta[0] + X @ perceptron.theta[1:]
    assert np.all(score[Y[:, 0] == 1.0] >= 0.0)
    assert np.all(score[Y[:, 0] == 0.0] < 0.0)


def test_a_converged_perceptron_changes_nothing_on_more_training():
    X, Y = datasets.or_()
    perceptron = bw.Perceptron(2, seed=1)
    perceptron.fit(X, Y, epochs=100)
    theta = perceptron.theta.copy()
    history = perceptron.fit(X, Y, epochs=100)
    assert history.errors == [0] and history.converged is True
    assert np.array_equal(perceptron.theta, theta)


@pytest.mark.parametrize("learning_rate", [1.0, 0.1])
@pytest.mark.parametrize("seed", [None, 0, 1, 2])
def test_never_separates_xor(seed, learning_rate):
    X, Y = datasets.xor()
    perceptron = bw.Perceptron(2, seed=seed)
    history = perceptron.fit(X, Y, learning_rate=learning_rate, epochs=200)
    assert history.converged is False
    assert len(history.errors) == 200
    assert min(history.errors) >= 1


@pytest.mark.parametrize("seed", [None, 0, 5])
def test_xor_predictions_are_never_all_correct_epoch_after_epoch(seed):
    X, Y = datasets.xor()
    perceptron = bw.Perceptron(2, seed=seed)
    for _ in range(100):
        history = perceptron.fit(X, Y, learning_rate=0.5, epochs=1)
        assert history.errors[0] >= 1 and history.converged is False
        assert np.sum(perceptron.predict(X) != Y[:, 0]) >= 1


# -- the rule, by hand ---------------------------------------------------------------------------


def test_one_update_when_it_fires_but_should_not():
    # θᵀx̃ = 0.5 + (−0.25)(1) + 0.5(0) = 0.25 ≥ 0, so ŷ = 1 but y = 0:
    # θ ← θ + η (y − ŷ) x̃ = (0.5, −0.25, 0.5) + 0.5 (0 − 1) (1, 1, 0) = (0, −0.75, 0.5).
    perceptron = with_theta([0.5, -0.25, 0.5])
    history = perceptron.fit([[1.0, 0.0]], [0.0], learning_rate=0.5, epochs=1)
    assert history.errors == [1] and history.converged is False
    assert perceptron.theta.tolist() == [0.0, -0.75, 0.5]


def test_one_update_when_it_should_fire_but_does_not():
    # θᵀx̃ = −0.5 + 0.25 + 0.125 = −0.125 < 0, so ŷ = 0 but y = 1:
    # θ ← (−0.5, 0.25, 0.125) + 0.25 (1 − 0) (1, 1, 1) = (−0.25, 0.5, 0.375).
    perceptron = with_theta([-0.5, 0.25, 0.125])
    perceptron.fit([[1.0, 1.0]], [1.0], learning_rate=0.25, epochs=1)
    assert perceptron.theta.tolist() == [-0.25, 0.5, 0.375]


def test_a_correct_prediction_changes_nothing():
    perceptron = with_theta([0.5, -0.25, 0.5])
    history = perceptron.fit([[0.0, 1.0]], [1.0], learning_rate=0.5, epochs=5)
    assert history.errors == [0] and history.converged is True
    assert perceptron.theta.tolist() == [0.5, -0.25, 0.5]


def test_updates_go_instance_by_instance_with_the_current_theta():
    # From θ = 0: (1, 0) with y = 0 fires (0 ≥ 0), so θ = (0, 0, 0) − (1, 1, 0) = (−1, −1, 0);
    # then (0, 1) with y = 0 scores −1 + 0 = −1 < 0, right, so no change. Epoch 2 is clean.
    perceptron = bw.Perceptron(2, seed=None)
    history = perceptron.fit([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], learning_rate=1.0, epochs=5)
    assert history.errors == [1, 0] and history.converged is True
    assert perceptron.theta.tolist() == [-1.0, -1.0, 0.0]


def test_zero_epochs_changes_nothing():
    perceptron = bw.Perceptron(2, seed=3)
    theta = perceptron.theta.copy()
    history = perceptron.fit(*datasets.xor(), epochs=0)
    assert history.errors == [] and history.converged is False
    assert np.array_equal(perceptron.theta, theta)


# -- predict, start, repr ------------------------------------------------------------------------


def test_predict_is_a_step_at_zero_that_fires_on_the_boundary():
    perceptron = with_theta([-1.0, 1.0, 1.0])  # fires when x1 + x2 ≥ 1
    X = [[0.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.4, 0.5], [2.0, -1.0], [3.0, 3.0]]
    assert perceptron.predict(X).tolist() == [0.0, 1.0, 1.0, 0.0, 1.0, 1.0]


def test_predict_gives_a_vector_for_a_batch_and_a_number_for_one_instance():
    perceptron = with_theta([-1.0, 1.0, 1.0])
    batch = perceptron.predict(np.ones((3, 2)))
    assert batch.shape == (3,) and batch.dtype == np.float64
    one = perceptron.predict([1.0, 1.0])
    assert np.shape(one) == () and one == 1.0


def test_seed_none_starts_at_zero_and_so_fires_everywhere():
    perceptron = bw.Perceptron(3, seed=None)
    assert perceptron.theta.tolist() == [0.0, 0.0, 0.0, 0.0]
    assert perceptron.seed is None
    assert perceptron.predict(np.array([[1.0, -2.0, 3.0], [-5.0, 0.0, 0.0]])).tolist() == [1.0, 1.0]


def test_seeded_start_is_small_reproducible_and_differs_by_seed():
    a, b, c = bw.Perceptron(4, seed=7), bw.Perceptron(4, seed=7), bw.Perceptron(4, seed=8)
    assert a.theta.shape == (5,) and a.theta.dtype == np.float64
    assert np.all(np.abs(a.theta) <= 0.5)
    assert np.array_equal(a.theta, b.theta)
    assert not np.array_equal(a.theta, c.theta)


def test_repr_shows_inputs_and_theta_rounded():
    assert repr(bw.Perceptron(2, seed=None)) == "Perceptron(n_inputs=2, theta=[0.0, 0.0, 0.0])"
    perceptron = with_theta([0.123456, -1.0, 2.5])
    assert repr(perceptron) == "Perceptron(n_inputs=2, theta=[0.1235, -1.0, 2.5])"

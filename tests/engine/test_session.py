"""The training session: the books of training (cursor, epoch, updates, loss curves), kept by
the engine without widgets or a kernel."""

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.engine.session import TrainingSession


@pytest.fixture
def xor_session():
    X, Y = bw.datasets.xor()
    return TrainingSession(bw.MLP([2, 2, 1], seed=0), X, Y, learning_rate=0.5)


def test_a_new_session_starts_at_epoch_zero_with_the_loss_of_the_network_as_it_is(xor_session):
    s = xor_session
    assert (s.epoch, s.updates, s.cursor) == (0, 0, 0)
    assert s.train_history.points == [[0.0, s.net.loss(s.X, s.Y)]]
    assert s.test_loss() is None and len(s.test_history) == 0


def test_online_steps_walk_the_epoch_instance_by_instance_then_record_its_loss(xor_session):
    s = xor_session
    twin = s.net.copy()
    for n in range(4):
        assert s.next_batch() == slice(n, n + 1)
        s.step()
        twin.step(s.X[n : n + 1], s.Y[n : n + 1], 0.5)
    assert (s.epoch, s.updates, s.cursor) == (1, 4, 0)
    assert all(np.array_equal(p, q) for p, q in zip(s.net.weights, twin.weights))
    assert s.train_history.points[-1] == [1.0, twin.loss(s.X, s.Y)]


def test_train_finishes_a_part_done_epoch_before_whole_ones(xor_session):
    s = xor_session
    s.step()
    s.train(3)
    assert (s.epoch, s.updates, s.cursor) == (3, 12, 0)
    assert [p[0] for p in s.train_history.points] == [0.0, 1.0, 2.0, 3.0]


def test_mini_batches_and_a_new_batch_size_restart_the_epoch():
    X, Y = bw.datasets.moons(n=10, seed=1)
    s = TrainingSession(bw.MLP([2, 3, 1], seed=0), X, Y, learning_rate=0.3, batch_size=4)
    s.step()
    assert s.cursor == 4 and s.next_batch() == slice(4, 8)
    s.step()
    s.step()  # the last batch is smaller: instances 8 and 9
    assert (s.epoch, s.updates, s.cursor) == (1, 3, 0)
    s.step()
    s.change_batch_size(None)
    assert s.cursor == 0 and s.next_batch() == slice(0, 10) and s.per_update == 10


def test_a_diverging_step_changes_nothing_and_says_so():
    X, Y = bw.datasets.sine(n=20)
    net = bw.MLP([1, 8, 1], "linear", seed=0)
    s = TrainingSession(net, X, Y, learning_rate=1e3)
    with pytest.raises(bw.DivergenceError, match="diverged"):
        for _ in range(100):
            s.step()
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)
    assert np.isfinite(s.loss())


def test_divergence_inside_train_keeps_the_books_of_what_was_done():
    X, Y = bw.datasets.sine(n=20)
    s = TrainingSession(
        bw.MLP([1, 8, 1], "linear", seed=0), X, Y, learning_rate=0.7, batch_size=None
    )
    with pytest.raises(bw.DivergenceError) as caught:
        s.train(40)
    done = len(caught.value.history)
    assert done > 0 and s.epoch == done and s.updates == done + caught.value.updates


def test_a_test_set_has_its_own_loss_curve():
    X, Y = bw.datasets.moons(n=20, seed=0)
    s = TrainingSession(bw.MLP([2, 2, 1], seed=0), X[:15], Y[:15], X[15:], Y[15:])
    s.train(2)
    assert s.test_loss() == s.net.loss(X[15:], Y[15:])
    assert [p[0] for p in s.test_history.points] == [0.0, 2.0]  # after each train()


def test_resume_takes_up_a_saved_place_in_training(xor_session):
    s = xor_session
    s.resume(7, 30, 2, [[0, 0.2], [7, 0.1]], [])
    assert (s.epoch, s.updates, s.cursor) == (7, 30, 2)
    assert s.train_history.points == [[0.0, 0.2], [7.0, 0.1]]
    assert s.next_batch() == slice(2, 3)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"net": "net"}, TypeError, "net must be a backprop_widgets.MLP"),
        ({"X": np.zeros((4, 3))}, ValueError, "X must have shape"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be a number > 0"),
        ({"batch_size": 0}, ValueError, "batch_size must be an integer >= 1"),
        ({"X_test": np.zeros((2, 2))}, ValueError, "X_test and Y_test must be given together"),
    ],
)
def test_bad_arguments_name_themselves(kwargs, error, match):
    X, Y = bw.datasets.xor()
    arguments = {"net": bw.MLP([2, 2, 1]), "X": X, "Y": Y, **kwargs}
    with pytest.raises(error, match=match):
        TrainingSession(**arguments)


def test_a_hand_edit_after_long_training_reaches_the_loss_curve(xor_session):
    # 2002 epochs: the curve keeps every 4th epoch and its last point is at 2000. A weight
    # edited (or the data changed) at epoch 2002 must still end the curve, at the new loss.
    s = xor_session
    s.train(2002)
    assert s.train_history.stride == 4 and s.train_history.points[-1][0] == 2000.0
    s.net.weights[0][1, 0] = 0.3
    s.record_loss()
    assert s.train_history.points[-1] == [2002.0, s.loss()]
    s.net.weights[0][1, 0] = -0.3  # a second edit at the same epoch replaces that point
    s.record_loss()
    assert s.train_history.points[-1] == [2002.0, s.loss()]
    s.train(2)  # training goes on at its stride
    assert s.train_history.points[-1][0] == 2004.0

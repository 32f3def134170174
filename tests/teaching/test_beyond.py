"""The two exercises beyond the lecture: δ at a softmax output under cross-entropy, and the
gradient for one weight, checked as the sheet's exercises are."""

import numpy as np
import pytest

from backprop_widgets.engine.losses import log_softmax
from backprop_widgets.teaching import beyond
from backprop_widgets.teaching.exercises import REGISTRY


@pytest.fixture(scope="module")
def worked():
    return beyond.worked()


def test_the_network_is_a_softmax_over_three_classes_with_cross_entropy():
    net = beyond.network()
    assert net.sizes == [2, 2, 3] and net.output_activation == "softmax"
    assert net.loss_name == "cross_entropy"
    assert "softmax" in beyond.describe() and "target y = (0, 1, 0)" in beyond.describe()


def test_the_right_delta_is_y_minus_softmax_of_z(worked):
    t = worked.trace
    y_hat = np.exp(log_softmax(t.z[2]))
    assert np.allclose(t.delta[2], worked.y - y_hat)
    assert beyond.check_softmax_delta([float(v) for v in worked.y - y_hat])
    assert beyond.check_softmax_delta(np.round(worked.y - y_hat, 4))  # to 4 digits


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda t: -(t.y - t.a[2]), "Wrong sign"),
        (lambda t: (t.y - t.a[2]) * t.a[2] * (1 - t.a[2]), "no g'"),
    ],
)
def test_a_likely_wrong_delta_is_named(worked, wrong, says):
    feedback = beyond.check_softmax_delta(wrong(worked.trace))
    assert not feedback and says in str(feedback)


def test_the_right_gradient_is_backprops_and_minus_delta_times_a(worked):
    t, (l, i, j) = worked.trace, beyond.PARAMETER
    dW, _ = worked.net.gradients(worked.x[None], worked.y[None])
    assert np.isclose(dW[l][i, j], -t.delta[l + 1][i] * t.a[l][j])
    assert beyond.check_softmax_gradient(dW[l][i, j])
    assert beyond.grade_softmax_gradient(round(float(dW[l][i, j]), 4)) == 1


@pytest.mark.parametrize(
    ("wrong", "says"),
    [
        (lambda t: t.delta[2][1] * t.a[1][0], "the step direction"),
        (lambda t: -t.delta[2][1] * t.a[1][1], "a²₁"),
        (lambda t: -t.delta[2][1], "one more factor"),
        (lambda t: -t.delta[2][1] * t.a[2][1] * (1 - t.a[2][1]) * t.a[1][0], "no g'"),
    ],
)
def test_a_likely_wrong_gradient_is_named(worked, wrong, says):
    feedback = beyond.check_softmax_gradient(wrong(worked.trace))
    assert not feedback and says in str(feedback)


def test_blank_and_unreadable_answers_are_not_errors():
    assert "Not answered yet" in str(beyond.check_softmax_delta(None))
    assert not beyond.check_softmax_delta([0.1, 0.2])  # two numbers for three outputs
    assert not beyond.check_softmax_gradient("abc")
    with pytest.raises(AssertionError):
        beyond.assert_softmax_gradient(None)


def test_both_are_declared_like_the_sheets_and_leave_the_sheet_alone():
    assert [e.number for e in beyond.BEYOND.values()] == [1, 2]
    for name in beyond.BEYOND:
        for kind in ("check", "assert", "grade", "hint"):
            assert f"{kind}_{name}" in beyond.__all__ and callable(
                getattr(beyond, f"{kind}_{name}")
            )
        assert "δ" in str(getattr(beyond, f"hint_{name}")()) or "∂E" in str(
            getattr(beyond, f"hint_{name}")()
        )
    assert not set(beyond.BEYOND) & set(REGISTRY)
    assert len(REGISTRY) == 11

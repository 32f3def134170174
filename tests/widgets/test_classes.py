"""Several classes in the playground and its views: softmax outputs trained with cross-entropy.

The loss setting and the refused combinations, three-class datasets choosing softmax, class
labels from a CSV and from drawn points, save files, the surface coloured by the winning class,
accuracy and the loss's name in every title, the demo, the δ quiz and the slice.
"""

import datetime
import json

import numpy as np
import pytest

import backprop_widgets as bw
from backprop_widgets.engine.losses import accuracy, class_labels
from backprop_widgets.engine.probes import class_regions
from backprop_widgets.widgets.delta_quiz import DeltaQuiz
from backprop_widgets.widgets.demo import StepThrough
from backprop_widgets.widgets.playground import Playground
from backprop_widgets.widgets.playground.files import check_state, playground_state
from backprop_widgets.widgets.playground.settings import Settings
from backprop_widgets.widgets.slice_view import ErrorSlice
from backprop_widgets.widgets.surface_view import GRID, DecisionSurface


def softmax_net(sizes=(2, 4, 3), seed=0):
    return bw.MLP(list(sizes), output_activation="softmax", loss="cross_entropy", seed=seed)


@pytest.fixture(scope="module")
def blobs():
    return bw.datasets.blobs3(n=90, noise=0.3)


def upload(pg, content: bytes, name="labels.csv"):
    pg.upload.value = (
        {"name": name, "type": "text/csv", "size": len(content), "content": memoryview(content),
         "last_modified": datetime.datetime.now(datetime.timezone.utc)},
    )  # fmt: skip
    return pg.message.value


def draw(pg, **message):
    pg.surface._on_message(pg.surface, {"type": "point", **message}, [])
    return pg.surface.draw_message


# -- the engine's numbers the views show ----------------------------------------------------


def test_accuracy_counts_the_rows_whose_largest_output_is_their_class():
    Y = np.eye(3)[[0, 1, 2, 2]]
    Y_hat = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.5, 0.2, 0.3], [0.1, 0.1, 0.8]])
    assert accuracy(Y, Y_hat) == 0.75
    assert accuracy(np.array([[0.0], [1.0]]), np.array([[0.4], [0.6]])) == 1.0  # ŷ ≥ ½
    assert accuracy(np.array([[0.3], [0.9]]), np.array([[0.3], [0.9]])) is None  # regression
    assert class_labels(np.array([[0.0, 1.0], [1.0, 1.0]])) is None  # not one-hot


def test_class_regions_give_the_winner_its_probability_and_the_lines_between():
    xs = ys = np.linspace(-1, 1, 5)
    X1, _ = np.meshgrid(xs, ys)
    P = np.stack([0.5 - X1 / 4, 0.25 + X1 / 4, np.full_like(X1, 0.25)], axis=-1)
    winner, confidence, lines = class_regions(P, xs, ys)
    assert winner[:, 0].tolist() == [0] * 5 and winner[:, -1].tolist() == [1] * 5
    assert np.allclose(confidence, P.max(axis=-1))
    assert len(lines) and np.allclose(lines[:, [0, 2]], 0.5)  # where 0.5 − x/4 = 0.25 + x/4


# -- settings: the loss, checked with the output ----------------------------------------------


def test_a_three_class_dataset_defaults_to_softmax_with_cross_entropy():
    pg = Playground("blobs3", hidden=[4], n=60)
    assert pg.net.sizes == [2, 4, 3] and pg.net.output_activation == "softmax"
    assert pg.net.loss_name == "cross_entropy" == pg.settings.loss
    assert pg.output_select.value == "softmax" and pg.loss_select.value == "cross_entropy"
    assert "softmax" in pg.output_select.options
    assert Settings().loss == "squared"  # the lecture's, by default


def test_choosing_a_three_class_dataset_in_the_menu_switches_to_softmax_and_says_so():
    pg = Playground()
    pg.dataset_select.value = "spiral3"
    assert pg.net.output_activation == "softmax" and pg.net.loss_name == "cross_entropy"
    assert pg.net.sizes[-1] == 3 and pg.Y.shape[1] == 3
    assert "output g = softmax with cross-entropy" in pg.message.value
    pg.dataset_select.value = "xor"  # one output again: the lecture's sigmoid and squared error
    assert pg.net.sizes == [2, 2, 1] and pg.net.output_activation == "sigmoid"
    assert pg.settings.loss == "squared" and "sigmoid with squared error" in pg.message.value


def test_configure_picks_the_output_for_the_data_unless_told():
    pg = Playground()
    pg.configure(dataset="blobs3", n=30)
    assert (pg.settings.output_activation, pg.settings.loss) == ("softmax", "cross_entropy")
    pg.configure(dataset="moons")
    assert (pg.settings.output_activation, pg.settings.loss) == ("sigmoid", "squared")
    pg.configure(dataset="blobs3", output_activation="sigmoid")  # three sigmoid outputs
    assert pg.net.sizes[-1] == 3 and pg.net.loss_name == "squared"


@pytest.mark.parametrize(
    ("start", "control", "value", "match"),
    [
        ("blobs3", "loss_select", "squared", "trained with loss='cross_entropy'"),
        ("blobs3", "output_select", "tanh", "needs output_activation 'softmax' or 'sigmoid'"),
        ("blobs3", "output_select", "linear", "needs output_activation 'softmax' or 'sigmoid'"),
        ("xor", "output_select", "softmax", "trained with loss='cross_entropy'"),
    ],
)
def test_a_combination_the_engine_refuses_is_refused_in_the_message_line(
    start, control, value, match
):
    pg = Playground(start, n=30)
    before = (pg.settings.as_dict(), [W.copy() for W in pg.net.weights])
    getattr(pg, control).value = value
    assert "Refused:" in pg.message.value and match in pg.message.value.replace("&#x27;", "'")
    assert pg.settings.as_dict() == before[0]
    assert all(np.array_equal(a, b) for a, b in zip(pg.net.weights, before[1]))
    assert getattr(pg, control).value != value  # the control shows the setting again


def test_softmax_with_one_output_is_refused_naming_the_classes():
    pg = Playground()
    pg.loss_select.value = "cross_entropy"  # sigmoid + cross-entropy: allowed
    assert pg.net.loss_name == "cross_entropy" and "Loss: cross-entropy" in pg.message.value
    pg.output_select.value = "softmax"
    assert "at least 2 outputs" in pg.message.value and pg.net.output_activation == "sigmoid"
    with pytest.raises(ValueError, match="output_activation='softmax' needs at least 2"):
        Playground(output_activation="softmax", loss="cross_entropy")
    with pytest.raises(ValueError, match="loss must be one of"):
        Playground(loss="hinge")


def test_the_loss_and_the_output_change_together_through_a_sigmoid():
    pg = Playground("blobs3", n=30)
    pg.output_select.value = "sigmoid"
    pg.loss_select.value = "squared"
    pg.output_select.value = "tanh"
    assert (pg.net.output_activation, pg.net.loss_name) == ("tanh", "squared")


# -- your data: class labels -------------------------------------------------------------------


def test_class_labels_become_one_hot_rows_for_a_softmax_output():
    X = np.random.default_rng(0).normal(size=(12, 2))
    labels = np.arange(12) % 3
    pg = Playground(X=X, Y=labels, output_activation="softmax", loss="cross_entropy")
    assert pg.Y.shape == (12, 3) and np.array_equal(pg.Y.argmax(axis=1), labels)
    with pytest.raises(ValueError, match="choose output_activation='softmax'"):
        Playground(X=X, Y=labels)  # a sigmoid cannot reach 2


def test_an_uploaded_label_column_becomes_one_hot_with_a_softmax_output():
    pg = Playground("blobs3", n=30)
    rows = b"".join(b"%d,%d,%d\n" % (i, i % 4, i % 3) for i in range(12))
    said = upload(pg, b"x1,x2,class\n" + rows)
    assert "Loaded labels.csv" in said
    assert pg.Y.shape == (12, 3) and pg.net.sizes[-1] == 3
    assert pg.Y.argmax(axis=1).tolist() == [i % 3 for i in range(12)]
    said = upload(pg, b"x1,x2,class\n0,0,0.5\n1,1,1\n")
    assert "Could not use" in said and pg.Y.shape == (12, 3)  # nothing changed


def test_drawing_chooses_the_class_among_k(blobs):
    X, Y = blobs
    pg = Playground(X=X, Y=Y)
    assert pg.surface.draw_classes == [0.0, 1.0, 2.0] and pg.surface.classes == 3
    said = draw(pg, action="add", x=[0.1, 0.2], target=2)
    assert "Point added" in said and pg.Y.shape == (91, 3)
    assert pg.Y[-1].tolist() == [0.0, 0.0, 1.0]
    assert pg.surface.train[-1][2] == 2  # drawn in the colour of class 3
    assert "class must be one of" in draw(pg, action="add", x=[0.1, 0.2], target=3)


# -- save files ---------------------------------------------------------------------------------


def test_a_saved_softmax_playground_loads_with_its_loss(tmp_path):
    pg = Playground("blobs3", hidden=[3], n=30, learning_rate=0.3)
    pg.train(3)
    path = tmp_path / "classes.json"
    pg.save(path)
    data = json.loads(path.read_text())
    assert data["loss"] == "cross_entropy" and data["output_activation"] == "softmax"
    again = Playground.load(path)
    assert again.net.loss_name == "cross_entropy" and again.epoch == 3
    assert all(np.array_equal(a, b) for a, b in zip(again.net.weights, pg.net.weights))


def test_a_version_2_file_is_read_as_squared_error():
    state = playground_state(Playground())
    del state["loss"]
    state["version"] = 2
    assert check_state(state)["loss"] == "squared"


def test_a_file_whose_loss_disagrees_with_its_network_is_refused():
    state = playground_state(Playground("blobs3", n=30))
    with pytest.raises(ValueError, match=r'state\["loss"\] must be one of'):
        check_state({**state, "loss": "hinge"})
    state["net"]["loss"] = "squared"
    with pytest.raises(ValueError, match=r"loss"):
        check_state(state)


# -- the surface coloured by the winning class --------------------------------------------------


def test_the_surface_of_a_softmax_output_shows_the_winning_class_and_its_probability(blobs):
    X, Y = blobs
    net = softmax_net()
    net.fit(X, Y, 0.2, epochs=20)
    surface = DecisionSurface(net, X, Y)
    P = net.predict(surface.grid_points)
    winners = np.frombuffer(surface.winners, np.uint8)
    assert surface.classes == 3 and winners.tolist() == P.argmax(axis=1).tolist()
    assert set(winners.tolist()) == {0, 1, 2}
    shading = np.frombuffer(surface.image, np.uint8) / 255
    assert np.allclose(1 / 3 + shading * (2 / 3), P.max(axis=1), atol=1 / 255)
    pictures = np.frombuffer(surface.class_images, np.uint8).reshape(3, GRID * GRID)
    assert np.allclose(pictures / 255, P.T, atol=1 / 255)
    assert surface.value_range == [1 / 3, 1.0] and surface.output_label == "max ŷₖ"
    assert [row[2] for row in surface.train] == Y.argmax(axis=1).tolist()
    assert len(surface.contour) > 0


def test_one_and_two_output_surfaces_stay_as_they_were():
    X, Y = bw.datasets.xor()
    surface = DecisionSurface(bw.MLP([2, 2, 1]), X, Y)
    assert surface.classes == 0 and surface.winners == b"" and surface.class_images == b""
    two = DecisionSurface(bw.MLP([2, 2, 2]), X, np.c_[Y, 1 - Y])
    assert two.classes == 0 and two.output_label == "ŷ₁" and two.value_range == [0.0, 1.0]


# -- titles and readouts ------------------------------------------------------------------------


def test_the_loss_curve_and_status_line_name_the_loss_and_show_accuracy():
    pg = Playground("blobs3", hidden=[4], n=60, test_fraction=0.2)
    pg.train(10)
    view = pg.loss_view
    assert view.title == "cross-entropy E over epochs"
    train, test = view.accuracy
    assert train == accuracy(pg.Y, pg.net.predict(pg.X))
    assert test == accuracy(pg.Y_test, pg.net.predict(pg.X_test))
    assert view.accuracy_text.startswith("accuracy ") and " · test " in view.accuracy_text
    assert "cross-entropy E(n = " in pg.status.value
    lecture = Playground()
    assert lecture.loss_view.title == "squared error E over epochs"
    assert "squared error E(n = " in lecture.status.value
    assert lecture.loss_view.accuracy_text.startswith("accuracy ")  # XOR: 0/1 classes


def test_a_regression_has_no_accuracy():
    pg = Playground("sine", hidden=[3])
    assert pg.loss_view.accuracy == [None, None] and pg.loss_view.accuracy_text == ""


def test_the_demo_names_cross_entropy_and_its_output_delta(blobs):
    X, Y = blobs
    demo = StepThrough(softmax_net(), X, Y, 0.5)
    while demo.steps[demo.step][0] != "error":
        demo.next()
    assert "(cross-entropy E)" in demo.phase_label.value
    assert "cross-entropy E = " in demo.view.output_note
    assert "log" in demo.formula.value
    demo.next()  # the output's δ: y − ŷ, no g′
    assert demo.steps[demo.step] == ("backward", 2)
    assert "g&#x27;" not in demo.formula.value and "g'" not in demo.formula.value
    assert np.allclose(demo.view.delta[2], demo.trace.y - demo.trace.y_hat)


def test_the_delta_quiz_judges_a_softmax_output_under_cross_entropy():
    quiz = DeltaQuiz(softmax_net((2, 3, 3)), [0.5, -1.0], [0, 1, 0])
    t = quiz.trace
    assert any("cross-entropy" in line for line in quiz.inputs.notes)
    right = [[float(v) for v in t.delta[l]] for l in (1, 2)]
    quiz.fill(right)
    assert quiz.check() and quiz.solved
    a = t.a[2]
    with_slope = [right[0], [float(v) for v in (t.y - a) * a * (1 - a)]]
    quiz.fill(with_slope)
    feedback = quiz.check()
    assert not feedback and "g'" in quiz.inputs.marks["2,0"]["text"]


def test_the_slice_names_the_loss(blobs):
    X, Y = blobs
    view = ErrorSlice(softmax_net(), X, Y, (1, 0, 0), 0.5)
    assert view.loss_title == "cross-entropy"
    assert np.isfinite(view.error) and np.isfinite(view.slope)

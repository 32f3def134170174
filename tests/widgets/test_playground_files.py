"""Saving and loading a playground: the exact worked example comes back, a bad file changes nothing.

A lecturer saves a trained playground (weights, selected θ, η, mode, data settings, the place in
training) and hands the file to a class; loading it must give the same network to the bit, the
same settings and the same next update. Every field of a file is checked before anything is
used: a wrong one raises ValueError or TypeError naming it, and the playground stays as it was.
"""

import asyncio
import copy
import json

import numpy as np
import pytest

from backprop_widgets import MLP
from backprop_widgets.widgets.playground import Playground
from backprop_widgets.widgets.playground.files import (
    FORMAT,
    LEARNING_RATE_RANGE,
    MAX_LOSS_POINTS,
    MAX_SEED,
    MIN_BATCH_SIZE,
    NOISE_RANGE,
    TEST_FRACTION_RANGE,
    apply_state,
    check_state,
    load_state,
    playground_kwargs,
    playground_state,
    save_state,
)

HAS_METHODS = hasattr(Playground, "save") and hasattr(Playground, "load")


def save(pg, path, methods):
    if methods:
        pg.save(path)
    else:
        save_state(pg, path)


def load(path, methods):
    """``Playground.load`` when it exists; otherwise what it is meant to do, in three lines."""
    if methods:
        return Playground.load(path)
    state = load_state(path)
    pg = Playground(**playground_kwargs(state))
    apply_state(pg, state)
    return pg


both_ways = pytest.mark.parametrize(
    "methods",
    [
        False,
        pytest.param(
            True,
            marks=pytest.mark.skipif(not HAS_METHODS, reason="Playground.save/load not added yet"),
        ),
    ],
    ids=["state-functions", "playground-methods"],
)


def parameters(pg):
    """Every weight and bias of the playground's network, as raw bytes: equal means bit-equal."""
    return [p.tobytes() for p in pg.net.weights + pg.net.biases]


def snapshot(pg):
    """All a person can see or use of a playground."""
    return {
        "state": playground_state(pg),
        "parameters": parameters(pg),
        "data": [a.tobytes() for a in (pg.X, pg.Y, pg.X_test, pg.Y_test)],
        "weight_slider": (pg.weight_slider.value, pg.weight_slider.description),
        "network": (pg.network.weights, pg.network.a, pg.network.selected, pg.network.epoch),
        "loss_view": (pg.loss_view.train, pg.loss_view.test),
        "status": pg.status.value,
        "derivation": pg.derivation.value,
        "batch_size": pg.batch_size,
    }


@pytest.fixture
def worked_example():
    """A playground far from the defaults: moons with a test set, two tanh hidden layers,
    mini-batch, η = 0.3, trained three epochs and two batches, a bias selected."""
    pg = Playground(
        dataset="moons",
        hidden=[3, 2],
        activation="tanh",
        output_activation="sigmoid",
        learning_rate=0.3,
        mode="mini-batch",
        seed=7,
        noise=0.15,
        test_fraction=0.2,
        n=60,
        batch_size=5,
    )
    pg.step_epoch()
    pg.step_epoch()
    pg.step_epoch()
    pg.step()
    pg.step()
    pg.selected = (1, 0, "bias")
    pg.instance_slider.value = 5
    return pg


@pytest.fixture(scope="module")
def trained_xor():
    """The default XOR playground, trained 20 epochs and one update, θ²₁₂ selected."""
    pg = Playground()
    for _ in range(20):
        pg.step_epoch()
    pg.step()
    pg.selected = (1, 0, 1)
    return pg


# -------------------------------------------------------------------------- round trips


@both_ways
def test_loaded_playground_is_the_saved_one_to_the_bit(worked_example, tmp_path, methods):
    path = tmp_path / "worked.json"
    save(worked_example, path, methods)
    loaded = load(path, methods)
    assert parameters(loaded) == parameters(worked_example)
    assert snapshot(loaded) == snapshot(worked_example)
    assert loaded.selected == (1, 0, "bias")
    assert loaded.learning_rate == 0.3
    assert loaded.mode_select.value == "mini-batch" and loaded.batch_size == 5
    assert loaded.epoch == 3 and loaded.updates == worked_example.updates
    assert np.array_equal(loaded.net.predict(loaded.X), worked_example.net.predict(loaded.X))


@both_ways
def test_loaded_playground_trains_on_exactly_as_the_saved_one(worked_example, tmp_path, methods):
    path = tmp_path / "worked.json"
    save(worked_example, path, methods)
    loaded = load(path, methods)
    for pg in (worked_example, loaded):  # finishes the part-done epoch, then one more
        pg.step()
        pg.step_epoch()
        pg.step_epoch()
    assert loaded.epoch == worked_example.epoch == 5
    assert parameters(loaded) == parameters(worked_example)
    assert loaded.train_history.points == worked_example.train_history.points


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"dataset": "sine", "hidden": [4], "output_activation": "linear", "mode": "full batch"},
        {"dataset": "spiral", "hidden": [], "activation": "relu", "learning_rate": 10.0},
        {"dataset": "and", "hidden": [8, 8, 8, 8], "learning_rate": 0.001, "seed": MAX_SEED},
    ],
    ids=["defaults", "sine", "no-hidden-layer", "largest"],
)
def test_playgrounds_of_every_kind_survive_the_round_trip(settings, tmp_path):
    pg = Playground(**settings)
    pg.step_epoch()
    path = tmp_path / "pg.json"
    save_state(pg, path)
    assert snapshot(load(path, methods=False)) == snapshot(pg)


def test_applying_a_state_turns_any_playground_into_the_saved_one(worked_example):
    other = Playground()
    other.selected = (0, 1, 1)
    other.step_epoch()
    apply_state(other, playground_state(worked_example))
    assert snapshot(other) == snapshot(worked_example)


def test_applying_a_state_pauses_training(trained_xor):
    pg = Playground()

    async def load_while_playing():
        pg.play()
        await asyncio.sleep(0.05)
        assert pg.playing and pg.epoch > 0
        apply_state(pg, playground_state(trained_xor))
        assert pg.playing is False
        await asyncio.sleep(0.05)  # the training task ends without touching the loaded state

    asyncio.run(load_while_playing())
    assert pg.epoch == trained_xor.epoch


def test_saved_file_is_plain_json_with_format_version_and_weights(trained_xor, tmp_path):
    path = tmp_path / "xor.json"
    save_state(trained_xor, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT == "backprop_widgets.Playground"
    assert data["version"] == 3 and data["data"] is None  # a named dataset: no rows saved
    assert data["loss"] == "squared"
    assert data["selected"] == [1, 0, 1]
    assert data["learning_rate"] == 0.5 and data["mode"] == "online" and data["dataset"] == "xor"
    assert data["net"]["format"] == "backprop_widgets.MLP"
    assert data["net"]["weights"] == [W.tolist() for W in trained_xor.net.weights]
    assert data["epoch"] == 20 and data["cursor"] == 1


def test_checking_a_state_gives_it_back_unchanged(trained_xor):
    state = playground_state(trained_xor)
    assert check_state(state) == state
    assert check_state(json.loads(json.dumps(state))) == state


def test_constructor_arguments_are_the_saved_settings(worked_example):
    assert playground_kwargs(playground_state(worked_example)) == {
        "dataset": "moons",
        "hidden": [3, 2],
        "activation": "tanh",
        "output_activation": "sigmoid",
        "learning_rate": 0.3,
        "mode": "mini-batch",
        "seed": 7,
        "noise": 0.15,
        "test_fraction": 0.2,
        "n": 60,
        "batch_size": 5,
        "loss": "squared",
    }


def test_state_limits_are_the_ranges_of_the_playground_controls():
    """A value outside a control's range would be clamped on load; the checks use the same."""
    pg = Playground(dataset="moons")
    lr = pg.lr_slider
    assert (lr.base**lr.min, lr.base**lr.max) == pytest.approx(LEARNING_RATE_RANGE)
    assert (pg.noise_slider.min, pg.noise_slider.max) == NOISE_RANGE
    assert (pg.test_slider.min, pg.test_slider.max) == TEST_FRACTION_RANGE
    assert pg.batch_slider.min == MIN_BATCH_SIZE
    assert pg.seed_text.max == MAX_SEED
    assert pg.train_history.capacity == MAX_LOSS_POINTS


# -------------------------------------------------------------------------- refusals


def labelled(change, label):
    change.label = label
    return change


def tweak(**fields):
    label = ",".join(f"{key}={value!r}" for key, value in fields.items())
    return labelled(lambda state: state.update(fields), label)


def tweak_net(**fields):
    label = ",".join(f"net.{key}={value!r}" for key, value in fields.items())
    return labelled(lambda state: state["net"].update(fields), label)


def drop(key):
    return labelled(lambda state: state.pop(key), f"no-{key}")


def set_weight(value):
    def change(state):
        state["net"]["weights"][0][0][0] = value

    return labelled(change, f"net.weights[0][0][0]={value!r}")


BAD = [
    (tweak(format="backprop_widgets.MLP"), ValueError, r'state\["format"\] must be'),
    (tweak(version=4), ValueError, r'state\["version"\] must be 1, 2 or 3'),
    (drop("epoch"), ValueError, r"missing the field\(s\) \['epoch'\]"),
    (tweak(lr=0.5), ValueError, r"unknown field\(s\) \['lr'\]"),
    (tweak(dataset="mnist"), ValueError, r'state\["dataset"\] must be one of'),
    (tweak(dataset=None), TypeError, r'state\["dataset"\] must be one of'),
    (tweak(dataset="sine"), ValueError, r'state\["net"\]\["sizes"\] must be \[1, 2, 1\]'),
    (tweak(noise=0.9), ValueError, r'state\["noise"\] must be a number from 0 to 0.5; got 0.9'),
    (tweak(noise="0.1"), TypeError, r'state\["noise"\] must be a real number'),
    (tweak(test_fraction=-0.1), ValueError, r'state\["test_fraction"\] must be a number from 0'),
    (tweak(n=1), ValueError, r'state\["n"\] must be an integer 2 … 100000; got 1'),
    (tweak(n=2.5), TypeError, r'state\["n"\] must be an integer'),
    (tweak(n=True), TypeError, r'state\["n"\] must be an integer'),
    (tweak(mode="stochastic"), ValueError, r'state\["mode"\] must be one of'),
    (tweak(batch_size=1), ValueError, r'state\["batch_size"\] must be an integer 2 … 4; got 1'),
    (tweak(batch_size=5), ValueError, r'state\["batch_size"\] must be an integer 2 … 4; got 5'),
    (tweak(learning_rate=-1), ValueError, r'state\["learning_rate"\] must be a number > 0'),
    (tweak(learning_rate=20), ValueError, r'state\["learning_rate"\] .*η slider.*got 20'),
    (tweak(learning_rate=float("nan")), ValueError, r'state\["learning_rate"\] must be a finite'),
    (tweak(learning_rate="0.5"), TypeError, r'state\["learning_rate"\] must be a real number'),
    (tweak(seed=-1), ValueError, r'state\["seed"\] must be an integer 0 … 2147483647; got -1'),
    (tweak(seed=2**31), ValueError, r'state\["seed"\] must be an integer 0 … 2147483647'),
    (tweak(hidden="2"), TypeError, r'state\["hidden"\] must be a list'),
    (tweak(hidden=[9]), ValueError, r'state\["hidden"\]: hidden layer 2 must have 1 … 8'),
    (tweak(hidden=[2] * 5), ValueError, r'state\["hidden"\]: at most 6 layers'),
    (tweak(hidden=[2.0]), TypeError, r'state\["hidden"\]\[0\] must be an integer'),
    (tweak(hidden=[3]), ValueError, r'state\["net"\]\["sizes"\] must be \[2, 3, 1\]'),
    (tweak(activation="softmax"), ValueError, r'state\["activation"\] must be one of'),
    (tweak(activation="tanh"), ValueError, r'state\["net"\]\["activation"\] must be .tanh.'),
    (tweak(output_activation=3), TypeError, r'state\["output_activation"\] must be one of'),
    (tweak(seed=3), ValueError, r'state\["net"\]\["seed"\] must be 3'),
    (tweak(selected=[0, 9, 0]), ValueError, r'state\["selected"\]: i must be a node index'),
    (tweak(selected=[0, 0, "biass"]), ValueError, r'state\["selected"\]: j must be'),
    (tweak(selected="0,0,bias"), TypeError, r'state\["selected"\] must be null, \[l, i, j\]'),
    (tweak(instance=4), ValueError, r'state\["instance"\] must be an integer 0 … 3; got 4'),
    (tweak(epoch=-1), ValueError, r'state\["epoch"\] must be an integer >= 0; got -1'),
    (tweak(updates=None), TypeError, r'state\["updates"\] must be an integer'),
    (tweak(cursor=4), ValueError, r'state\["cursor"\] must be an integer 0 … 3; got 4'),
    (tweak(train_loss="none"), TypeError, r'state\["train_loss"\] must be a list'),
    (tweak(train_loss=[[0, float("nan")]]), ValueError, r"\[0\]\[1\] \(the loss\) must be"),
    (tweak(train_loss=[[0, 0.2], [99, 0.1]]), ValueError, r'state\["train_loss"\]\[1\]: epochs'),
    (tweak(train_loss=[[0, 0.2, 1]]), TypeError, r'state\["train_loss"\]\[0\] must be an'),
    (tweak(test_loss=[[0, 0.2]]), ValueError, r'state\["test_loss"\] must be empty'),
    (tweak(net=[]), TypeError, r'state\["net"\] must be a dict made by MLP.to_dict'),
    (tweak_net(format="x"), ValueError, r'state\["net"\]\["format"\] must be'),
    (tweak_net(bias=False), ValueError, r'state\["net"\]\["biases"\]\[0\] must be all zeros'),
    (tweak_net(sizes=[2, 0, 1]), ValueError, r'state\["net"\]: sizes\[1\] must be at least 1'),
    (set_weight(float("inf")), ValueError, r'state\["net"\]\["weights"\]\[0\] must contain only'),
    (set_weight("a"), ValueError, r'state\["net"\]\["weights"\]\[0\] must be an array'),
]


@pytest.fixture
def bad_state(request, trained_xor):
    state = copy.deepcopy(playground_state(trained_xor))
    request.param(state)
    return state


@pytest.mark.parametrize(
    "bad_state, error, match",
    BAD,
    indirect=["bad_state"],
    ids=[change.label for change, _, _ in BAD],
)
def test_bad_state_is_refused_by_name_and_changes_nothing(trained_xor, bad_state, error, match):
    before = snapshot(trained_xor)
    with pytest.raises(error, match=match):
        check_state(bad_state)
    with pytest.raises(error, match=match):
        playground_kwargs(bad_state)
    with pytest.raises(error, match=match):
        apply_state(trained_xor, bad_state)
    assert snapshot(trained_xor) == before


@pytest.mark.parametrize(
    "bad_state, error, match",
    BAD[:12],
    indirect=["bad_state"],
    ids=[change.label for change, _, _ in BAD[:12]],
)
def test_bad_file_names_the_file_and_the_field(bad_state, error, match, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad_state), encoding="utf-8")
    with pytest.raises(error, match=match) as raised:
        load_state(path)
    assert str(path) in str(raised.value)


def test_bias_free_net_is_refused_as_the_playground_always_has_biases(trained_xor):
    state = playground_state(trained_xor)
    net = MLP([2, 2, 1], bias=False, seed=0).to_dict()
    with pytest.raises(ValueError, match=r'state\["net"\]\["bias"\] must be True'):
        check_state({**state, "net": net})


def test_state_that_is_not_a_dict_is_refused():
    with pytest.raises(TypeError, match="must be a dict"):
        check_state([1, 2])


def test_cursor_and_batch_size_are_checked_against_the_training_set_size(worked_example):
    state = playground_state(worked_example)  # 60 moons, 12 of them for testing
    assert check_state({**state, "batch_size": 48, "cursor": 47})
    with pytest.raises(ValueError, match=r'state\["batch_size"\] must be an integer 2 … 48'):
        check_state({**state, "batch_size": 49})
    with pytest.raises(ValueError, match=r'state\["cursor"\] must be an integer 0 … 47'):
        check_state({**state, "cursor": 48})


# -------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    "content, match",
    [
        (b"", "is not valid JSON"),
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe\x00junk", "is not UTF-8 text"),
        (b"[1, 2, 3]", "must be a dict"),
        (b'{"format": "backprop_widgets.Playground", "version": 4}', r'state\["version"\]'),
        (b'{"format": "something else"}', r'state\["format"\] must be'),
    ],
    ids=["empty", "not-json", "not-utf8", "a-list", "version-4", "other-format"],
)
def test_file_that_is_not_a_saved_playground_is_refused(content, match, tmp_path):
    path = tmp_path / "not-a-playground.json"
    path.write_bytes(content)
    with pytest.raises((ValueError, TypeError), match=match):
        load_state(path)


def test_saved_network_is_not_a_saved_playground(tmp_path):
    path = tmp_path / "net.json"
    MLP([2, 2, 1]).save(path)
    with pytest.raises(
        ValueError, match="this is not a saved playground; got 'backprop_widgets.MLP'"
    ):
        load_state(path)


def test_path_of_the_wrong_type_is_refused(trained_xor):
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        load_state(3)
    with pytest.raises(TypeError, match="path must be a str or os.PathLike"):
        save_state(trained_xor, None)


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_state(tmp_path / "nowhere.json")

"""The exercise sheet's network, its instance and the right answer of every exercise, computed
here from the engine (not from the teaching layer they test), for the sheet's tests."""

from backprop_widgets import exercises as ex

NET = ex.network()
X, Y = ex.instance()
ETA = ex.LEARNING_RATE
T = NET.trace(X, Y, ETA)
THETA1, THETA2 = NET.weights[0], NET.weights[1]
BIAS1, BIAS2 = NET.biases[0], NET.biases[1]
G2 = T.a[1] * (1 - T.a[1])  # g'(z²)
G3 = T.a[2] * (1 - T.a[2])  # g'(z³)
NEW_WEIGHTS = [W + d for W, d in zip(NET.weights, T.dtheta)]

DEEP = ex.deep_network()
DEEP_X, DEEP_Y = ex.deep_instance()
DEEP_T = DEEP.trace(DEEP_X, DEEP_Y)
DEEP_DELTAS = [d.tolist() for d in DEEP_T.delta[1:]]

# The right answer of each exercise.
RIGHT = {
    "z_hidden": T.z[1],
    "a_hidden": T.a[1],
    "output": T.a[2][0],
    "error": T.error,
    "output_delta": T.delta[2][0],
    "hidden_delta": T.delta[1],
    "dtheta_output": T.dtheta[1],
    "update": NEW_WEIGHTS,
    "gradient_signs": ["-", "+", "0"],
    "diverging_eta": 3.0,
    "deltas": DEEP_DELTAS,
}

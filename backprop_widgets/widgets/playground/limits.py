"""The playground's limits: the ranges of its controls and the largest network it draws.

A value outside a control's range would be clamped silently by the slider, so the playground
and its saved files refuse such values instead.
"""

LEARNING_RATE_RANGE = (1e-3, 10.0)  # the η log slider, 10^-3 … 10^1
NOISE_RANGE = (0.0, 0.5)
TEST_FRACTION_RANGE = (0.0, 0.5)
MIN_BATCH_SIZE = 2
MAX_SEED = 2**31 - 1
MAX_SAMPLES = 100_000  # points of a sampled dataset
MAX_LAYERS = 6  # a diagram that stays readable on a projector
MAX_NEURONS = 8

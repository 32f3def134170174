"""∂E/∂θ evaluated from the SymPy expression: the compiled functions fed with a call's numbers.

``expression.lambdified`` turns the expression into Python functions whose arguments are named by
address (θ^2_12, g'(z^3_k), …). Here each address is resolved once per structure into a position
in one flat vector of a call's numbers, so that a call only assembles that vector with NumPy,
takes the arguments out of it and calls the functions: no SymPy at call time.
"""

from __future__ import annotations

import numpy as np

from .expression import Lambdified, Part

_ONE = np.ones(1)  # the bias unit a^l_0 = 1


class Layout:
    """Where each number of a call lives in one flat vector.

    The vector holds y, then a^q of every layer, z^q and g'(z^q) of every layer but the input,
    the weights of each θ^l (row by row), the biases of each θ^l, and a 1 for the bias unit.

    Parameters
    ----------
    sizes : tuple of int
        Nodes per layer, input first.
    """

    def __init__(self, sizes: tuple) -> None:
        self.sizes = sizes
        lengths = [("y", None, sizes[-1])]
        lengths += [("a", q, n) for q, n in enumerate(sizes)]
        lengths += [("z", q, n) for q, n in enumerate(sizes) if q]
        lengths += [("gp", q, n) for q, n in enumerate(sizes) if q]
        lengths += [("weights", q, n * m) for q, (m, n) in enumerate(zip(sizes, sizes[1:]))]
        lengths += [("biases", q, n) for q, n in enumerate(sizes[1:])]
        ends = np.cumsum([n for *_, n in lengths])
        self.start = {(kind, q): int(end - n) for (kind, q, n), end in zip(lengths, ends)}
        self.one = int(ends[-1])

    def flat(self, values) -> np.ndarray:
        """The numbers of one call (``values.Numbers``) in one vector, in the layout's order."""
        return np.concatenate(
            [
                values.y,
                *values.a,
                *values.z[1:],
                *values.g_prime[1:],
                *[W.ravel() for W in values.weights],
                *values.biases,
                _ONE,
            ]
        )

    def position(self, kind: str, q: int | None, indices: tuple) -> np.ndarray:
        """The position of a number in ``flat``, from its indices as shown (1-based, 0 for the
        bias unit): ints or integer arrays, which broadcast."""
        sizes = self.sizes
        if kind == "theta":
            i, j = indices
            _check(kind, i, 1, sizes[q + 1])
            _check(kind, j, 0, sizes[q])
            weight = self.start["weights", q] + (i - 1) * sizes[q] + (j - 1)
            return np.where(j == 0, self.start["biases", q] + (i - 1), weight)
        (m,) = indices
        if kind == "a":
            _check(kind, m, 0, sizes[q])
            return np.where(m == 0, self.one, self.start["a", q] + (m - 1))
        _check(kind, m, 1, sizes[-1] if kind == "y" else sizes[q])
        return np.asarray(self.start[kind, q] + (m - 1))


def _check(kind: str, index, first: int, last: int) -> None:
    if np.min(index) < first or np.max(index) > last:
        raise ValueError(f"an index of {kind} runs outside {first} … {last}")


class Compiled:
    """∂E/∂θ of one structure as compiled functions that read a call's numbers.

    Parameters
    ----------
    lambdified : Lambdified
        The expression compiled (``expression.lambdified``).
    sizes : tuple of int
        Nodes per layer, input first.

    Calling it with a call's ``values.Numbers`` returns ∂E/∂θ as a float.
    """

    def __init__(self, lambdified: Lambdified, sizes: tuple) -> None:
        self.layout = Layout(sizes)
        self.whole = lambdified.whole.function
        addresses = lambdified.whole.addresses
        self.positions = np.array([self._position(a, {}) for a in addresses], dtype=np.intp)
        self.sums = tuple(self._summand(part) for part in lambdified.sums)

    def _summand(self, part: Part) -> tuple:
        """A Σ's summand, each argument's positions over the grid of its letters (an array that
        varies along the axis of each letter it has, one axis per letter), the grid's shape."""
        letters = {}
        for axis, (letter, first, last) in enumerate(part.limits):
            shape = [1] * len(part.limits)
            shape[axis] = -1
            letters[letter] = np.arange(first, last + 1).reshape(shape)
        positions = [self._position(address, letters) for address in part.addresses]
        shape = tuple(last - first + 1 for _, first, last in part.limits)
        return part.function, positions, shape

    def _position(self, address: tuple, letters: dict) -> np.ndarray:
        kind, q, indices = address
        try:
            values = tuple(letters[k] if isinstance(k, str) else k for k in indices)
        except KeyError as error:
            raise ValueError(f"index {error} is not a letter of a Σ around it") from None
        return self.layout.position(kind, q, values)

    def __call__(self, values) -> float:
        """∂E/∂θ at the numbers of one call (``values.Numbers``)."""
        flat = self.layout.flat(values)
        totals = []
        for function, positions, shape in self.sums:
            terms = function(*[flat[p] for p in positions])
            totals.append(float(np.broadcast_to(terms, shape).sum()))
        try:
            return float(self.whole(*flat[self.positions].tolist(), *totals))
        except ZeroDivisionError:  # a saturated output: (1 − y) / (1 − a) with a = 1
            return float("nan")

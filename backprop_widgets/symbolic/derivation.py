"""``derive``: ∂E/∂θ for one parameter and one instance, and the cache that makes it quick.

The structure of a derivation (its paths, its terms, its SymPy expression, its LaTeX with slots
for the numbers) depends only on the architecture, the activations, the bias flag, the error E
(the lecture's squared error, or a cross-entropy) and the parameter. It is built once and
cached, so a later call with other weights or another instance only fills in numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..engine import validation as check
from ..engine.mlp import MLP
from ..notation import PHASES, formulas, tex
from ..notation.address import Parameter
from . import expression
from .compiled import Compiled
from .latex import Sections, aligned
from .paths import SIGMOID, SOFTMAX, SQUARED, Path, Paths
from .terms import Term, Terms
from .values import Numbers

if TYPE_CHECKING:
    import sympy


class _Structure:
    """Everything of a derivation that does not depend on the weights or the instance.

    Parameters
    ----------
    sizes : tuple of int
    activations : tuple of str
        Names of g in layers 1 … L-1 (0-based).
    bias : bool
    parameter : Parameter
        Already checked.
    error : str
        ``paths.SQUARED`` (the lecture's E), ``paths.SOFTMAX`` or ``paths.SIGMOID`` (the
        cross-entropy on that output).
    """

    def __init__(
        self, sizes: tuple, activations: tuple, bias: bool, parameter: Parameter, error: str
    ):
        self.paths = Paths(sizes, Parameter(*parameter), error)
        self.terms = Terms(self.paths, bias)
        self.templates = Sections(self.terms, activations, bias).templates()

    @cached_property
    def symbols(self) -> expression.Symbols:
        return expression.symbols(len(self.paths.sizes))

    @cached_property
    def expr(self) -> sympy.Expr:
        return expression.chain_rule(self.paths, self.symbols)

    @cached_property
    def compiled(self) -> Compiled:
        """``expr`` compiled with ``sympy.lambdify``: called with a call's numbers, ∂E/∂θ."""
        return Compiled(expression.lambdified(self.expr, self.symbols), self.paths.sizes)

    @cached_property
    def mathml(self) -> str:
        return expression.mathml(self.expr, self.symbols)


@lru_cache(maxsize=4096)
def _structure(
    sizes: tuple, activations: tuple, bias: bool, parameter: tuple, error: str = SQUARED
) -> _Structure:
    return _Structure(sizes, activations, bias, parameter, error)


def error_of(net: MLP) -> str:
    """Which E a derivation for ``net`` writes out: ``SQUARED``, ``SOFTMAX`` or ``SIGMOID``."""
    if net.loss_name == "squared":
        return SQUARED
    return SOFTMAX if net.output_activation == "softmax" else SIGMOID


def cache_info() -> tuple:
    """Hits and misses of the cache of derivation structures (``functools.lru_cache`` info)."""
    return _structure.cache_info()


def clear_cache() -> None:
    """Forget every cached derivation structure."""
    _structure.cache_clear()


@dataclass(frozen=True, eq=False, repr=False)
class Derivation:
    """∂E/∂θ for one parameter and one instance, written out with the chain rule.

    Attributes
    ----------
    parameter : Parameter
        ``(l, i, j)`` for ``weights[l][i, j]`` or ``(l, i, "bias")`` for ``biases[l][i]``.
    value : float
        ∂E/∂θ, summed over the paths from θ to E; E = ½ Σ_k (y_k − ŷ_k)² (the lecture's), or
        the network's cross-entropy.
    value_from_delta : float
        The same by the backward pass, −δ^(l+1)_i a^l_j; equal to ``value`` up to rounding.
    n_paths : int
        How many paths lead from θ to E.
    latex : str
        The whole derivation, one ``aligned`` environment (no ``$`` delimiters).
    sections : dict of str
        Its parts, each an ``aligned`` environment: "instance", "forward", "error", "chain"
        (the paths, or their Σ when there are more than ``PATH_LIMIT``) and "delta"; with the
        cross-entropy "output" before "chain" (∂E/∂z^L through the softmax's Jacobian or the
        sigmoid's g', simplified to δ^L = y − ŷ) and a title naming the loss in "instance".
    learning_rate : float or None
        η, if one was given; then Δθ is shown as a number too.
    """

    parameter: Parameter
    value: float
    value_from_delta: float
    n_paths: int
    latex: str
    sections: dict
    learning_rate: float | None
    _structure: _Structure = field(repr=False)
    _numbers: Numbers = field(repr=False)

    @property
    def name(self) -> str:
        """The parameter in the lecture's notation, LaTeX: ``\\theta^{2}_{11}``."""
        return tex.theta(*self.parameter)

    @property
    def loss(self) -> str:
        """The network's loss: "squared" (the lecture's) or "cross_entropy"."""
        return "squared" if self._structure.paths.error == SQUARED else "cross_entropy"

    @property
    def title(self) -> str:
        """What is derived, naming the loss: "∂E/∂θ²₁₂ for the cross-entropy E"."""
        layer, i, j = self.parameter
        theta = f"θ{formulas.sup(layer + 1)}{formulas.sub(tex.sub(i, j))}"
        return f"∂E/∂{theta} for the {formulas.LOSS_TITLES[self.loss]} E"

    @property
    def enumerated(self) -> bool:
        """Whether the paths are listed one by one (at most ``PATH_LIMIT`` of them)."""
        return self._structure.paths.enumerated

    @property
    def delta_theta(self) -> float | None:
        """Δθ = η δ^(l+1)_i a^l_j = −η ∂E/∂θ, or None without a learning rate."""
        return self._numbers.dtheta

    @property
    def symbols(self) -> expression.Symbols:
        """The SymPy symbols ``expr`` is written in."""
        return self._structure.symbols

    @property
    def parameter_symbol(self) -> sympy.Indexed:
        """θ as a SymPy symbol, to differentiate by."""
        return self.symbols.theta_of(*self.parameter)

    @property
    def expr(self) -> sympy.Expr:
        """∂E/∂θ as the chain-rule product-sum in symbols (cached; no numbers).

        With at most ``PATH_LIMIT`` paths it is the sum of one product per path,
        −(y_k − a^L_k) g'(z^L_k) θ^(L-1)_km … g'(z^(l+1)_i) a^l_j; beyond, the same as a
        ``sympy.Sum`` over the node indices, which ``.doit()`` writes out path by path.
        """
        return self._structure.expr

    @cached_property
    def symbolic_value(self) -> float:
        """∂E/∂θ by evaluating the SymPy expression ``expr`` at this call's numbers (compiled
        once per structure).

        The third voice of the check symbolic = backprop = finite difference: ``value`` is the
        path sum in NumPy, this is ``expr`` itself, compiled with ``sympy.lambdify`` the first
        time a structure needs it (tens of milliseconds), then read in microseconds; a Σ form is
        summed over every value of its letters, one product per path.
        """
        return self._structure.compiled(self._numbers)

    @property
    def expr_mathml(self) -> str:
        """``expr`` as presentation MathML, a complete ``<math display="block">`` element in the
        lecture's symbols (cached per structure)."""
        return self._structure.mathml

    def substituted(self) -> sympy.Float:
        """``expr`` with this call's numbers put in for every symbol: ∂E/∂θ as a SymPy number."""
        expr = self.expr if self.enumerated else self.expr.doit()
        return expr.xreplace(expression.substitutions(self.symbols, self._numbers))

    @cached_property
    def _factor_terms(self) -> dict:
        get = self._numbers.get
        return {
            key: Term(s.symbol, s.meaning, get(key), s.phase, s.element)
            for key, s in self._structure.terms.factors.items()
        }

    @cached_property
    def chain(self) -> tuple:
        """The chain rule's factors by position, from ∂E/∂a^L to ∂z^(l+1)_i/∂θ^l_ij.

        Each position is a tuple of Terms, one per node or weight the paths pass there.
        """
        factors = self._factor_terms
        return tuple(tuple(factors[key] for key in pos) for pos in self._structure.paths.chain)

    @property
    def factors(self) -> tuple:
        """Every distinct chain-rule factor, in chain order (``chain`` flattened)."""
        return tuple(term for position in self.chain for term in position)

    @cached_property
    def paths(self) -> tuple:
        """The paths from θ to E with their factors, or ``()`` when there are more than
        ``PATH_LIMIT``."""
        paths = self._structure.paths
        if not paths.enumerated:
            return ()
        return tuple(
            Path(
                tuple((q, int(n)) for q, n in zip(paths.path_layers, row, strict=True)),
                tuple(self._factor_terms[key] for key in paths.path_keys(row)),
                float(self._numbers.path_values[p]),
            )
            for p, row in enumerate(paths.path_nodes)
        )

    @cached_property
    def terms(self) -> tuple:
        """Every quantity shown, in the order of the lecture's demo (see ``PHASES``).

        Δθ and the updated θ are there only when a learning rate was given.
        """
        get = self._numbers.get
        terms = []
        for s in self._structure.terms.in_order:
            if s.key in {("dtheta",), ("updated",)} and self.learning_rate is None:
                continue
            if s.factor:
                terms.append(self._factor_terms[s.key])
            else:
                terms.append(Term(s.symbol, s.meaning, get(s.key), s.phase, s.element))
        return tuple(terms)

    def phase(self, name: str) -> tuple:
        """The Terms one phase of the demo computes: a key of ``PHASES`` such as "backward"."""
        if name not in PHASES:
            raise ValueError(f"name must be one of {list(PHASES)}; got {name!r}")
        return tuple(t for t in self.terms if t.phase == name)

    def __repr__(self) -> str:
        layer, i, j = self.parameter
        shown = f"theta^{layer + 1}_{tex.sub(i, j)}"
        paths = f"{self.n_paths} path" + ("" if self.n_paths == 1 else "s")
        return f"Derivation(∂E/∂{shown} = {self.value:.6g}, parameter={self.parameter}, {paths})"

    def _repr_latex_(self) -> str:
        return f"$${self.latex}$$"


def _instance(value: object, size: int, name: str, scalar: bool = False) -> np.ndarray:
    """One instance as a float64 array of shape (size,): a copy, checked."""
    try:
        array = np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array of {size} numbers; got {type(value).__name__}"
        ) from None
    if scalar and size == 1 and array.shape == ():
        array = array.reshape(1)
    if array.shape != (size,):
        expected = f"shape ({size},)" + (" or a number" if scalar and size == 1 else "")
        raise ValueError(f"{name} must be one instance of {expected}; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers; it contains NaN or inf")
    return array


def derive(
    net: MLP,
    l: int,
    i: int,
    j: int | str,
    x,
    y,
    learning_rate: float | None = None,
) -> Derivation:
    """Write out ∂E/∂θ for one parameter of ``net`` and one instance, by the chain rule.

    Parameters
    ----------
    net : MLP
        The network; it is not changed.
    l, i, j : int, int, int or "bias"
        The parameter ``net.weights[l][i, j]`` (θ^(l+1)_(i+1)(j+1) as shown), or the bias
        ``net.biases[l][i]`` with ``j="bias"`` (θ^(l+1)_(i+1)0).
    x : array, shape (sizes[0],)
        The instance's input.
    y : array, shape (sizes[-1],), or a number when there is one output
        Its target. With a softmax output: a one-hot row, or the class label 0 … K−1 (the
        same derivation); with the cross-entropy on a sigmoid output, values in [0, 1].
    learning_rate : float, optional
        η > 0: show Δθ = η δ a and the updated θ as numbers too.

    Returns
    -------
    Derivation
        ``.latex``, ``.expr``, ``.value`` (∂E/∂θ of the network's E, equal to
        ``net.gradients(x[None], y[None])`` at that entry), ``.symbolic_value`` (the same from
        ``.expr``), and the paths, factors and terms a widget can highlight.

    Raises
    ------
    TypeError, ValueError
        For a bad argument, with a message that names it.

    Examples
    --------
    >>> net = MLP([2, 2, 1], seed=0)
    >>> d = derive(net, 1, 0, 0, x=[1.0, 0.0], y=1.0)  # θ^2_11
    >>> d.n_paths
    1
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a backprop_widgets.MLP; got {type(net).__name__}")
    parameter = net.check_parameter(l, i, j)
    x = _instance(x, net.sizes[0], "x")
    error = error_of(net)
    if error == SOFTMAX and np.ndim(y) == 0 and not isinstance(y, str):  # a class label
        y = check.one_hot([y], net.sizes[-1], "y")[0]
    y = _instance(y, net.sizes[-1], "y", scalar=True)
    if error != SQUARED:  # one-hot rows (softmax) or probabilities (sigmoid)
        y = net.targets(y[None], 1, "y")[0]
    if learning_rate is not None:
        learning_rate = check.learning_rate(learning_rate)
    activations = tuple(net.activation_of(q).name for q in range(1, net.n_layers))
    structure = _structure(tuple(net.sizes), activations, net.bias, parameter, error)
    numbers = Numbers(net, net.trace(x, y), structure.paths, learning_rate)
    sections = {name: t.fill(numbers) for name, t in structure.templates.items()}
    return Derivation(
        parameter=parameter,
        value=numbers.value,
        value_from_delta=numbers.value_from_delta,
        n_paths=structure.paths.n_paths,
        latex=aligned(" \\\\[1ex]\n".join(sections.values())),
        sections={name: aligned(body) for name, body in sections.items()},
        learning_rate=learning_rate,
        _structure=structure,
        _numbers=numbers,
    )

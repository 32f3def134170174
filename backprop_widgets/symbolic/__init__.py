"""The chain rule for one parameter, written out as the lecture's "Derivation" slides do.

``derive(net, l, i, j, x=x, y=y)`` explains ∂E/∂θ for the weight ``net.weights[l][i, j]``, shown
as θ^(l+1)_(i+1)(j+1), or for the bias ``net.biases[l][i]`` (``j="bias"``), shown as
θ^(l+1)_(i+1)0, the weight of the bias unit a^(l+1)_0 = 1. It writes

- the chain rule along every path from θ to E, ∂E/∂a^L_k · ∂a^L_k/∂z^L_k · ∂z^L_k/∂a^(L-1)_m ·
  … · ∂z^(l+1)_i/∂θ^l_ij, summed over the paths;
- each factor evaluated: −(y_k − a^L_k), g'(z), θ, a;
- the same with the error terms of the backward pass: δ^L_k = (y_k − a^L_k) g'(z^L_k) at the
  output, δ^l_j = (Σ_i θ^l_ij δ^(l+1)_i) g'(z^l_j) below it, ∂E/∂θ^l_ij = −δ^(l+1)_i a^l_j and
  Δθ^l_ij = η δ^(l+1)_i a^l_j;
- today's weights and instance substituted, and the resulting number.

The modules, one idea each:

- ``paths``: the paths from θ to E and the chain rule's factors along them;
- ``terms``: what each quantity shown is and means (``Term``);
- ``notation.tex`` (in notation): the lecture's symbols in LaTeX at 0-based addresses;
- ``latex``: the LaTeX templates of the sections, filled with each call's numbers;
- ``values``: the numbers of one call;
- ``expression``: the SymPy symbols and expression (the only module that imports SymPy);
- ``derivation``: ``derive``, ``Derivation`` and the cache of structures.

PHASES (from notation) are the steps of the lecture's "Backpropagation: Demo", in order; the
``phase`` of every Term is one of its keys.
"""

from ..notation import PHASES
from .derivation import Derivation, cache_info, clear_cache, derive
from .expression import Symbols, symbols
from .paths import PATH_LIMIT, Path
from .terms import Term

__all__ = [
    "PATH_LIMIT",
    "PHASES",
    "Derivation",
    "Path",
    "Symbols",
    "Term",
    "cache_info",
    "clear_cache",
    "derive",
    "symbols",
]

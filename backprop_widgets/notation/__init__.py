"""The lecture's notation, without NumPy: names, parameter addresses, formulas and numbers.

Everything a person reads comes from here: layers and nodes counted from 1, θ^l_ij, the six
phases of the lecture's demo, the parameter address "l,i,j" (``address``), each lecture formula
written once (``formulas``), and the one family of number formats (``numbers``).
"""

from . import formulas, numbers
from .address import BIAS, Parameter, key_of, node_key
from .names import PHASES, SUBSCRIPTS, SUPERSCRIPTS, node_name, subscript, superscript, theta_name

__all__ = [
    "BIAS",
    "PHASES",
    "SUBSCRIPTS",
    "SUPERSCRIPTS",
    "Parameter",
    "formulas",
    "key_of",
    "node_key",
    "node_name",
    "numbers",
    "subscript",
    "superscript",
    "theta_name",
]

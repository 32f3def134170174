"""The lecture's notation, without NumPy: names, parameter addresses, formulas and numbers.

Everything a person reads comes from here: layers and nodes counted from 1, θ^l_ij, the six
phases of the lecture's demo, each lecture formula written once, and the number formats.
"""

from .names import PHASES, SUBSCRIPTS, SUPERSCRIPTS, node_name, subscript, superscript, theta_name

__all__ = [
    "PHASES",
    "SUBSCRIPTS",
    "SUPERSCRIPTS",
    "node_name",
    "subscript",
    "superscript",
    "theta_name",
]

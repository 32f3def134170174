"""Where a parameter or a node is: one type for "l,i,j" / "l,i,bias", and the node's "l,i".

Addresses are 0-based, as Python stores them: ``Parameter(l, i, j)`` is ``weights[l][i, j]``
(shown θ^(l+1)_(i+1)(j+1)) and ``Parameter(l, i, "bias")`` is ``biases[l][i]`` (shown
θ^(l+1)_(i+1)0). The browser names them by ``key()``: ``"l,i,j"`` or ``"l,i,bias"``, the
``data-weight`` hook; nodes are ``"l,i"``, the ``data-node`` hook.
"""

from __future__ import annotations

from typing import NamedTuple

BIAS = "bias"


class Parameter(NamedTuple):
    """The address of one parameter: ``(l, i, j)`` or ``(l, i, "bias")``.

    A tuple, so it compares equal to ``(l, i, j)`` and saves as a JSON list.
    """

    l: int
    i: int
    j: int | str

    def __repr__(self) -> str:
        return repr(tuple(self))  # (1, 0, "bias"), as people type it

    def key(self) -> str:
        """The browser's name for it: ``"0,1,2"`` or ``"0,1,bias"``."""
        return f"{self.l},{self.i},{self.j}"

    @classmethod
    def parse(cls, text: object, name: str = "weight") -> Parameter:
        """``"l,i,j"`` or ``"l,i,bias"`` as sent by the browser; only its form is checked here
        (``MLP.check_parameter`` checks that the network has it)."""
        problem = ValueError(f'{name} must be "l,i,j" or "l,i,bias"; got {text!r}')
        if not isinstance(text, str) or text.count(",") != 2:
            raise problem
        parts = [part.strip() for part in text.split(",")]
        try:
            l, i = int(parts[0]), int(parts[1])
            j = BIAS if parts[2] == BIAS else int(parts[2])
        except ValueError:
            raise problem from None
        return cls(l, i, j)


def key_of(parameter) -> str:
    """The ``"l,i,j"`` key of any (l, i, j) triple; ``""`` for None (nothing selected)."""
    return "" if parameter is None else Parameter(*parameter).key()


def node_key(layer: int, i: int) -> str:
    """The browser's name for node i of layer ``layer`` (0-based): ``"1,0"``."""
    return f"{layer},{i}"

"""LaTeX with slots for numbers: a derivation's sections are built once per structure as
``Template``s and filled with the numbers of every call (``values.Numbers``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..notation import numbers
from .paths import Key


class Template:
    """LaTeX with slots for numbers: built once per structure, filled in on every call."""

    def __init__(self) -> None:
        self.parts: list = []

    def text(self, latex: str) -> Template:
        if self.parts and isinstance(self.parts[-1], str):
            self.parts[-1] += latex
        else:
            self.parts.append(latex)
        return self

    def slot(self, key: Key, style: Callable[[Any], str] = numbers.latex) -> Template:
        """The number ``key`` names, written by ``style``."""
        self.parts.append((style, key))
        return self

    def when(self, key: Key, inner: Template) -> Template:
        """``inner``, filled only when the number ``key`` names is known (not None)."""
        self.parts.append((None, key, inner))
        return self

    def row(self) -> Template:
        return self.text(" \\\\\n")

    def fill(self, values) -> str:
        """The LaTeX with the numbers of ``values`` (``values.Numbers``) in its slots."""
        get = values.get
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] is not None:
                out.append(part[0](get(part[1])))
            elif get(part[1]) is not None:
                out.append(part[2].fill(values))
        return "".join(out)


def aligned(body: str) -> str:
    return "\\begin{aligned}\n" + body + "\n\\end{aligned}"

"""The playground, assembled from small parts (see ``playground.py``)."""

from .playground import Playground

__all__ = ["Playground"]

"""A network as JSON: ``MLP.to_dict``/``from_dict``/``save``/``load`` read and write
``{"format": "backprop_widgets.MLP", "version": 1, ...}``, every field checked on the way in."""

from __future__ import annotations

import json

import numpy as np

from . import validation as check

FORMAT = "backprop_widgets.MLP"


def network_dict(net) -> dict:
    """A JSON-ready description of ``net`` and its parameters."""
    return {
        "format": FORMAT,
        "version": 1,
        "sizes": list(net.sizes),
        "activation": net.activation,
        "output_activation": net.output_activation,
        "bias": net.bias,
        "seed": net.seed,
        "loss": net.loss_name,
        "weights": [W.tolist() for W in net.weights],
        "biases": [b.tolist() for b in net.biases],
    }


def network_from_dict(cls, data: dict):
    """A network of class ``cls`` rebuilt from ``network_dict``'s output, every field checked."""
    if not isinstance(data, dict):
        raise TypeError(f"data must be a dict made by MLP.to_dict(); got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise ValueError(f'data["format"] must be {FORMAT!r}; got {data.get("format")!r}')
    if data.get("version") != 1:
        raise ValueError(f'data["version"] must be 1; got {data.get("version")!r}')
    missing = {"sizes", "activation", "output_activation", "bias", "seed", "weights", "biases"}
    missing -= set(data)
    if missing:
        raise ValueError(f"data is missing the field(s) {sorted(missing)}")
    net = cls(
        data["sizes"],
        activation=data["activation"],
        output_activation=data["output_activation"],
        bias=data["bias"],
        seed=data["seed"],
        loss=data.get("loss", "squared"),  # files written before cross-entropy have none
    )
    for name, arrays in (("weights", net.weights), ("biases", net.biases)):
        given = data[name]
        if not isinstance(given, list) or len(given) != len(arrays):
            raise ValueError(f'data["{name}"] must be a list of {len(arrays)} arrays')
        for l, (target, values) in enumerate(zip(arrays, given)):
            try:
                values = np.asarray(values, dtype=float)
            except (TypeError, ValueError):
                raise ValueError(f'data["{name}"][{l}] must be an array of numbers') from None
            if values.shape != target.shape:
                raise ValueError(
                    f'data["{name}"][{l}] must have shape {target.shape}; got {values.shape}'
                )
            if not np.all(np.isfinite(values)):
                raise ValueError(f'data["{name}"][{l}] must contain only finite numbers')
            if name == "biases" and not net.bias and values.any():
                raise ValueError(f'data["biases"][{l}] must be all zeros when bias is False')
            target[...] = values
    return net


class Files:
    """An ``MLP``'s copies and files (mixed into it): ``copy``, ``to_dict``/``from_dict``,
    ``save``/``load``."""

    def copy(self):
        """An independent copy: same architecture, same parameters (NaN included)."""
        twin = type(self)(
            self.sizes, self.activation, self.output_activation, self.bias, self.seed,
            self.loss_name,
        )  # fmt: skip
        twin.restore(self.snapshot())
        return twin

    def to_dict(self) -> dict:
        """A JSON-ready description of the network and its parameters."""
        return network_dict(self)

    @classmethod
    def from_dict(cls, data: dict):
        """Rebuild a network from ``to_dict()``'s output, checking every field."""
        return network_from_dict(cls, data)

    def save(self, path) -> None:
        """Write the network as JSON to ``path`` (a str or os.PathLike)."""
        save_network(self, path)

    @classmethod
    def load(cls, path):
        """Read a network saved with ``save``; a malformed file raises ``ValueError``."""
        return cls.from_dict(check.read_json(path))


def save_network(net, path) -> None:
    """Write ``net`` as JSON to ``path`` (a str or os.PathLike)."""
    check.path(path)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(network_dict(net), f, indent=1)

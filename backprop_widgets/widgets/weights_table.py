"""The weights table: every θ and bias of a network as an exact number, editable, with undo and
"copy as Python".

Numbers travel as text, Python's shortest round-trip ``repr`` (``0.30000000000000004`` stays
``0.30000000000000004``), so the browser never rounds them. One table per weight layer, titled
as the lecture writes it (θ¹, "layer 1 → layer 2"): row i is node i of layer l+1, column 0 the
bias unit's θ_i0, columns j the nodes of layer l. Each box is an ``<input data-weight="l,i,j">``
(0-based, the diagram's keys). What is typed comes back as a message that Python checks
(``WeightsTable.on_browser_message``); a refused one is said in ``.bw-weights-error`` and
changes nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import anywidget
import traitlets

from ..engine.mlp import MLP
from ..engine.validation import real
from ..notation import Parameter, superscript, theta_name
from .views import STATIC, esm

UNDO_LEVELS = 100  # edits kept for undo
MAX_TEXT = 64  # characters a typed number may have


def number_code(value: float) -> str:
    """``value`` as exact Python source: its shortest round-trip repr (``float('nan')`` and
    ``float('inf')`` for what has no literal)."""
    value = float(value)
    return repr(value) if math.isfinite(value) else f"float({str(value)!r})"


def where(parameter: Parameter) -> str:
    """A parameter in the lecture's notation and in Python's: ``θ¹₂₁ (weights[0][1, 0])``."""
    l, i, j = parameter
    stored = f"biases[{l}][{i}]" if j == "bias" else f"weights[{l}][{i}, {j}]"
    return f"{theta_name(l, i, j)} ({stored})"


def read_number(text: object, parameter: Parameter) -> float:
    """A number typed for ``parameter``: text such as ``0.25``, ``-1.5e-3``, ``−0.25`` (the
    true minus sign) or ``0,25``, read exactly as Python reads it; anything else, NaN and ±inf
    raise ``ValueError`` naming the weight."""
    name = where(parameter)
    if not isinstance(text, str):
        raise ValueError(f"{name}: the text typed must be a string; got {text!r}")
    typed = text.strip().replace("−", "-")
    if typed.count(",") == 1 and "." not in typed:
        typed = typed.replace(",", ".")
    try:
        if len(typed) > MAX_TEXT:
            raise ValueError
        value = float(typed)
    except ValueError:
        shown = text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"
        raise ValueError(
            f"{name} must be a number such as 0.25 or -1.5e-3; got {shown!r}. Nothing changed."
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {text.strip()!r}. Nothing changed.")
    return value


def python_code(net: MLP, name: str = "net") -> str:
    """The lines that set ``net``'s weights and biases on an ``MLP`` of its sizes called
    ``name``, each number exact: ``net.weights[0][:] = [[…], …]`` and ``net.biases[0][:] =
    […]`` per layer (no biases for ``bias=False``, whose biases stay zero)."""
    lines = []
    for l, W in enumerate(net.weights):
        lines.append(f"# θ{superscript(l + 1)}: layer {l + 1} → layer {l + 2}")
        rows = [f"[{', '.join(number_code(v) for v in row)}]" for row in W]
        if len(rows) == 1:
            lines.append(f"{name}.weights[{l}][:] = [{rows[0]}]")
        else:
            lines += [f"{name}.weights[{l}][:] = [", *(f"    {row}," for row in rows), "]"]
        if net.bias:
            biases = ", ".join(number_code(v) for v in net.biases[l])
            lines.append(f"{name}.biases[{l}][:] = [{biases}]")
    return "\n".join(lines) + "\n"


def layer_tables(net: MLP) -> list[dict]:
    """What each layer's table shows around the numbers: its title and caption, the header of
    each column (the bias unit's 0 first), the label of each row, and each box's key and name
    (θ^l_ij in the lecture's notation)."""
    tables = []
    for l, W in enumerate(net.weights):
        n_out, n_in = W.shape
        js = (["bias"] if net.bias else []) + list(range(n_in))
        bias_unit = ", 0: bias unit +1" if net.bias else ""
        tables.append(
            {
                "title": f"θ{superscript(l + 1)}",
                "caption": f"layer {l + 1} → layer {l + 2}",
                "rows_are": f"i: node of layer {l + 2}",
                "columns_are": f"j: node of layer {l + 1}{bias_unit}",
                "columns": ["0 (+1)" if j == "bias" else str(j + 1) for j in js],
                "rows": [str(i + 1) for i in range(n_out)],
                "keys": [[Parameter(l, i, j).key() for j in js] for i in range(n_out)],
                "names": [[theta_name(l, i, j) for j in js] for i in range(n_out)],
            }
        )
    return tables


class WeightsTable(anywidget.AnyWidget):
    """Every θ and bias of ``net`` as an exact number in an editable table (``.bw-weights-table``).

    Parameters
    ----------
    net : MLP
        The network shown and edited (in place).
    on_edit : callable, optional
        Called with the ``Parameter`` just set, by an edit in the browser, ``edit`` or ``undo``,
        after the network holds the new value (a playground refreshes its views there).

    Traits (synced): ``tables`` (each layer's titles, labels and keys, from ``layer_tables``),
    ``values`` (key "l,i,j" → the exact number as text), ``code`` (``python_code()``),
    ``error`` and ``note`` (what the last edit did), ``refused`` (the key of the box whose
    entry ``error`` refuses, marked ``aria-invalid``), ``undo_label`` (what Undo would undo;
    "" disables the button), ``revision`` (counts every answer, so the browser puts a refused
    entry back even when the message repeats).
    """

    _esm = esm("weights_table")
    _css = STATIC / "widgets.css"

    tables = traitlets.List([]).tag(sync=True)
    values = traitlets.Dict({}).tag(sync=True)
    code = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    note = traitlets.Unicode("").tag(sync=True)
    undo_label = traitlets.Unicode("").tag(sync=True)
    refused = traitlets.Unicode("").tag(sync=True)
    revision = traitlets.Int(0).tag(sync=True)

    def __init__(self, net: MLP, on_edit: Callable[[Parameter], object] | None = None) -> None:
        super().__init__()
        self.on_edit = on_edit
        self._net: MLP | None = None
        self._shown = b""  # the bytes of the parameters last sent
        self._shown_structure: tuple = ()  # bias and the weights' shapes last shown
        self._undo: list[tuple[Parameter, float]] = []  # (parameter, its value before the edit)
        self.attach(net)
        self.on_msg(self.on_browser_message)

    def __repr__(self) -> str:
        net = self._net
        return (
            f"<WeightsTable of MLP({net.sizes}): {len(net.parameters())} parameters, "
            f"{len(self._undo)} edits to undo>"
        )

    # -- the network -----------------------------------------------------------------------

    @property
    def net(self) -> MLP:
        """The network shown; setting it is ``attach``."""
        return self._net

    @net.setter
    def net(self, net: MLP) -> None:
        self.attach(net)

    def attach(self, net: MLP) -> None:
        """Show ``net`` instead (after a new architecture, a load): the tables are rebuilt and
        the undo history is cleared."""
        if not isinstance(net, MLP):
            raise TypeError(f"net must be a backprop_widgets.MLP; got {type(net).__name__}")
        self._net = net
        self._undo.clear()
        self._shown_structure = self._structure()
        with self.hold_sync():
            self.tables = layer_tables(net)
            self.error = self.note = self.refused = ""
            self._show_numbers()

    def refresh(self) -> bool:
        """Read the network's numbers again (training moved them); send them only when they
        changed, and return whether they did. A change made outside the table clears the
        undo history: its edits were made on numbers that are gone. A network whose sizes
        changed in place is shown anew, as ``attach`` does."""
        if self._structure() != self._shown_structure:
            self.attach(self._net)
            return True
        if self._parameter_bytes() == self._shown:
            return False
        self._undo.clear()
        with self.hold_sync():
            self.note = ""
            self._show_numbers()
        return True

    def python_code(self, name: str = "net") -> str:
        """The lines that set these weights on an ``MLP`` of the same sizes called ``name``."""
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"name must be a Python identifier such as 'net'; got {name!r}")
        return python_code(self._net, name)

    # -- edits -----------------------------------------------------------------------------

    def edit(self, parameter, value: float) -> Parameter:
        """Set ``parameter`` ((l, i, j) or (l, i, "bias"), 0-based) to ``value`` (a finite real
        number), as typing it in the table does; returns its ``Parameter``. Bad input raises
        ``TypeError``/``ValueError`` naming the argument, and nothing changes."""
        if not isinstance(parameter, (tuple, list)) or len(parameter) != 3:
            raise TypeError(f'parameter must be (l, i, j) or (l, i, "bias"); got {parameter!r}')
        parameter = self._net.check_parameter(*parameter)
        value = real(value, "value")
        self._set(parameter, value)
        return parameter

    def undo(self) -> Parameter | None:
        """Put back the value the last edit replaced; returns its parameter, or None (and says
        so) when there is nothing to undo."""
        self.refresh()
        if not self._undo:
            with self.hold_sync():
                self.error = self.refused = ""
                self.note = "Nothing to undo."
                self.revision += 1
            return None
        parameter, before = self._undo.pop()
        self._net.set_parameter(*parameter, before)
        with self.hold_sync():
            self.error = self.refused = ""
            self.note = f"Undone: {theta_name(*parameter)} = {number_code(before)} again."
            self._show_numbers()
        self._told(parameter)
        return parameter

    def on_browser_message(self, _widget, content, _buffers) -> None:
        """A message from the table: ``{"type": "edit", "weight": "l,i,j", "text": "0.25"}`` or
        ``{"type": "undo"}``. Everything is checked; a refused message is said in
        ``.bw-weights-error``, changes nothing, and the box shows the current number again."""
        try:
            if not isinstance(content, dict):
                raise ValueError(f"a message must be an object; got {content!r}")
            kind = content.get("type")
            if kind == "undo":
                self.undo()
            elif kind == "edit":
                parameter = self._address(content.get("weight"))
                self._set(parameter, read_number(content.get("text"), parameter))
            else:
                raise ValueError(f"unknown message type {kind!r}")
        except (TypeError, ValueError) as error:
            key = content.get("weight") if isinstance(content, dict) else None
            with self.hold_sync():
                self.error, self.note = f"Refused: {error}", ""
                self.refused = key if isinstance(key, str) and key in self.values else ""
                self.revision += 1

    def _address(self, key: object) -> Parameter:
        """The parameter a browser key "l,i,j" names, checked against the network."""
        parameter = Parameter.parse(key)
        try:
            return self._net.check_parameter(*parameter)
        except (TypeError, ValueError) as error:
            raise ValueError(f"weight {key!r} is not in this network: {error}") from None

    def _set(self, parameter: Parameter, value: float) -> None:
        self.refresh()  # an edit is made on the numbers as they are now
        before = self._net.get_parameter(*parameter)
        if number_code(before) == number_code(value):
            with self.hold_sync():
                self.error = self.refused = ""
                self.note = f"{theta_name(*parameter)} is {number_code(value)} already."
                self.revision += 1
            return
        self._net.set_parameter(*parameter, value)
        self._undo.append((parameter, before))
        del self._undo[:-UNDO_LEVELS]
        with self.hold_sync():
            self.error = self.refused = ""
            self.note = (
                f"{theta_name(*parameter)} = {number_code(value)} (was {number_code(before)})."
            )
            self._show_numbers()
        self._told(parameter)

    def _told(self, parameter: Parameter) -> None:
        if self.on_edit is not None:
            self.on_edit(parameter)

    # -- what is sent ----------------------------------------------------------------------

    def _structure(self) -> tuple:
        net = self._net
        return net.bias, tuple(W.shape for W in net.weights)

    def _parameter_bytes(self) -> bytes:
        net = self._net
        return b"".join(p.tobytes() for p in net.weights + net.biases)

    def _show_numbers(self) -> None:
        """Send the numbers (as exact text), the code and the undo button's label."""
        net = self._net
        self._shown = self._parameter_bytes()
        values = {}
        for l, (W, b) in enumerate(zip(net.weights, net.biases)):
            for i, row in enumerate(W.tolist()):
                if net.bias:
                    values[f"{l},{i},bias"] = number_code(b[i])
                values.update({f"{l},{i},{j}": number_code(v) for j, v in enumerate(row)})
        self.values = values
        self.code = python_code(net)
        self.undo_label = ""
        if self._undo:
            parameter, before = self._undo[-1]
            self.undo_label = f"Undo: {theta_name(*parameter)} back to {number_code(before)}"
        self.revision += 1

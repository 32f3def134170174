"""A still picture of the network, for where no kernel runs (a reopened notebook, nbviewer, GitHub).

``network_png`` draws an MLP as ``static/network.js`` does: the same columns, "+1" bias nodes,
colours (blue θ ≥ 0, orange θ < 0) and edge widths; ``view_png`` draws a ``NetworkView`` from
its synced traits, so a picture shows exactly the numbers its live view shows. ``fallback.py``
puts the pictures in front of the live views.

matplotlib is imported when the first picture is drawn, and only its object-oriented API is
used: no pyplot, so the notebook's own backend and figures are left alone. Pillow (which
matplotlib needs) writes the PNG with a palette, about 10 kB for the lecture's network.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np

from ..engine.mlp import MLP
from ..notation import Parameter, node_name, numbers, theta_name

POSITIVE = "#2166ac"  # as --bw-positive in static/widgets.css
NEGATIVE = "#e66101"  # --bw-negative
ACCENT = "#1976d2"  # --bw-accent: the selected edge
INK = "#1a1a1a"
MUTED = "#616161"
PAPER = "#ffffff"
NOTE = "A still picture: run the notebook for the live view."

# Geometry in pixels, as in static/network.js; one pixel is one point at DPI 72.
NODE_R = 22
COL_W = 190
ROW_H = 64
TOP = 56
DPI = 100
FOOT = 22  # height of one caption line
COLOURS = 64  # in the PNG's palette


def _layout(sizes: list[int], bias: bool) -> tuple[float, float, list[dict]]:
    """Node centres by layer, as ``layout`` in network.js: the bias node on top of its column."""
    rows = max(n + (1 if bias and l < len(sizes) - 1 else 0) for l, n in enumerate(sizes))
    width = max(2, len(sizes)) * COL_W
    height = TOP + rows * ROW_H + 24
    columns = []
    for l, n in enumerate(sizes):
        x = COL_W / 2 + l * COL_W
        has_bias = bias and l < len(sizes) - 1
        count = n + (1 if has_bias else 0)
        y0 = TOP + (rows - count) * ROW_H / 2 + ROW_H / 2
        first = 1 if has_bias else 0
        columns.append(
            {
                "x": x,
                "nodes": [(x, y0 + (i + first) * ROW_H) for i in range(n)],
                "bias": (x, y0) if has_bias else None,
            }
        )
    return width, height, columns


def _check_activations(a, sizes: list[int]) -> list | None:
    """One array per layer, or None for a layer whose activations are not shown (given as
    None or empty, as the demo's view holds the layers a phase has not reached)."""
    if a is None:
        return None
    if isinstance(a, (str, bytes)) or not hasattr(a, "__len__") or len(a) != len(sizes):
        raise ValueError(
            f"a must hold one array of activations per layer ({len(sizes)}), like "
            f"net.trace(x, y).a; got {type(a).__name__}"
        )
    result = []
    for l, (values, n) in enumerate(zip(a, sizes)):
        values = np.asarray([] if values is None else values, dtype=float).ravel()
        if values.size == 0:
            result.append(None)
            continue
        if values.shape != (n,):
            raise ValueError(f"a[{l}] must hold {n} activations (layer {l + 1}); got {values.size}")
        result.append(values)
    return result


def network_png(
    net: MLP,
    selected=None,
    a=None,
    title: str | None = None,
    caption: str | None = None,
    note: str | None = NOTE,
) -> bytes:
    """Draw ``net`` as the playground does and return the PNG's bytes.

    Parameters
    ----------
    net : MLP
        The network: nodes in columns by layer, edges coloured by the sign of θ and as wide as
        |θ| (relative to the largest), "+1" bias nodes when ``net.bias``.
    selected : tuple, optional
        ``(l, i, j)`` or ``(l, i, "bias")``: this edge is highlighted and labelled with its θ.
    a : list of arrays, optional
        Activations by layer, ``a[l]`` of shape (sizes[l],) as ``net.trace(x, y).a``; written
        in the nodes. Without them (or where ``a[l]`` is None or empty) the nodes carry their
        names, a^l_i.
    title : str, optional
        A line above the diagram.
    caption, note : str, optional
        Lines below it: ``caption`` (say, the epoch and E) and a note that this is a picture.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net must be an MLP; got {type(net).__name__}")
    if selected is not None:
        if not isinstance(selected, (tuple, list)) or len(selected) != 3:
            raise TypeError(f'selected must be None, (l, i, j) or (l, i, "bias"); got {selected!r}')
        selected = net.check_parameter(*selected)
    activations = _check_activations(a, net.sizes)

    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Circle

    width, height, columns = _layout(net.sizes, net.bias)
    head = 30 if title else 0
    lines = [text for text in (caption, note) if text]
    total = head + height + FOOT * (len(lines) + 1) + 8
    fig = Figure(figsize=(width / DPI, total / DPI), dpi=DPI, facecolor=PAPER)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(total - head, -head)
    ax.set_aspect("equal")
    ax.axis("off")
    points = 72 / DPI  # one pixel in points (line widths, font sizes)

    # Edges, as wide as network.js draws them: 1 + 9·|θ|/max|θ| pixels.
    edges = []
    for l, W in enumerate(net.weights):
        source, target = columns[l], columns[l + 1]
        for i, (x2, y2) in enumerate(target["nodes"]):
            starts = [((x, y), j) for j, (x, y) in enumerate(source["nodes"])]
            if source["bias"] is not None:
                starts.insert(0, (source["bias"], "bias"))
            for (x1, y1), j in starts:
                value = net.biases[l][i] if j == "bias" else W[i, j]
                edges.append(((x1 + NODE_R, y1), (x2 - NODE_R, y2), float(value), (l, i, j)))
    biggest = max([abs(value) for *_, value, _ in edges] + [1e-12])
    segments = [(start, end) for start, end, _, _ in edges]
    widths = [(1 + 9 * min(1.0, abs(value) / biggest)) * points for _, _, value, _ in edges]
    colours = [POSITIVE if value >= 0 else NEGATIVE for _, _, value, _ in edges]
    for start, end, value, key in edges:
        if key == selected:
            ax.plot(*zip(start, end), color=ACCENT, alpha=0.4, lw=16 * points, zorder=1)
            middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 - 12)
            ax.text(
                *middle,
                f"{theta_name(*key)} = {numbers.text(value)}",
                ha="center",
                va="bottom",
                fontsize=13 * points,
                color=INK,
                zorder=5,
                bbox={"boxstyle": "round,pad=0.2", "fc": PAPER, "ec": ACCENT, "lw": 1},
            )
    ax.add_collection(
        LineCollection(segments, linewidths=widths, colors=colours, capstyle="round", zorder=2)
    )

    # Nodes: activation values (or names), "+1" bias units, layer labels.
    L = len(net.sizes)
    circles, edge_colours, line_widths, styles = [], [], [], []
    for l, column in enumerate(columns):
        role = "input" if l == 0 else "output" if l == L - 1 else "hidden"
        ax.text(
            column["x"],
            22,
            f"Layer {l + 1} ({role})",
            ha="center",
            va="center",
            fontsize=16 * points,
            fontweight="bold",
            color=INK,
        )
        if column["bias"] is not None:
            x, y = column["bias"]
            circles.append(Circle((x, y), NODE_R * 0.8))
            edge_colours.append(MUTED)
            line_widths.append(2 * points)
            styles.append((0, (4, 3)))
            ax.text(x, y, "+1", ha="center", va="center", fontsize=15 * points, color=INK, zorder=4)
        for i, (x, y) in enumerate(column["nodes"]):
            circles.append(Circle((x, y), NODE_R))
            edge_colours.append(INK)
            line_widths.append((3 if role == "output" else 2) * points)
            styles.append("solid")
            if activations is None or activations[l] is None:
                text = node_name("a", l, i)
            else:
                value = activations[l][i]
                text = f"{value:.2f}" if np.isfinite(value) else ""
            ax.text(x, y, text, ha="center", va="center", fontsize=15 * points, color=INK, zorder=4)
    ax.add_collection(
        PatchCollection(
            circles,
            facecolors=PAPER,
            edgecolors=edge_colours,
            linewidths=line_widths,
            linestyles=styles,
            zorder=3,
        )
    )

    if title:
        ax.text(
            width / 2, -head / 2, title, ha="center", va="center", fontsize=16 * points, color=INK
        )
    # A key to the colours, then the caption and the note.
    y = height + 4 + FOOT / 2
    for x, colour, text in ((12, POSITIVE, "θ ≥ 0"), (112, NEGATIVE, "θ < 0")):
        ax.plot([x, x + 28], [y, y], color=colour, lw=5 * points, solid_capstyle="round")
        ax.text(x + 36, y, text, va="center", fontsize=13 * points, color=INK)
    ax.text(212, y, "line width ∝ |θ|", va="center", fontsize=13 * points, color=MUTED)
    for k, text in enumerate(lines, start=1):
        first = k == 1 and caption
        ax.text(
            12,
            y + FOOT * k,
            text,
            va="center",
            fontsize=(14 if first else 12) * points,
            color=INK if first else MUTED,
            style="normal" if first else "italic",
        )

    return figure_png(fig)


def figure_png(fig, heat_map: bool = False) -> bytes:
    """The figure as a PNG with a palette: a quarter of the bytes of a full-colour one, which
    matters in a notebook file. A drawing of few colours gets ``COLOURS`` of them, exact; a
    ``heat_map`` 256, by octree, which keeps a data point's few pixels in their own colour (a
    median cut gives them to the map's gradient)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    buffer = io.BytesIO()
    if heat_map:
        image = Image.fromarray(rgb).quantize(256, method=Image.Quantize.FASTOCTREE)
    else:
        image = Image.fromarray(rgb).quantize(COLOURS, method=Image.Quantize.MEDIANCUT)
    image.save(buffer, "png", optimize=True)
    return buffer.getvalue()


def playground_png(pg) -> bytes:
    """The picture of a playground: its network, the instance shown, epoch and E beneath."""
    n = pg.instance
    trace = pg.net.trace(pg.X[n], pg.Y[n])
    loss = numbers.text(pg.session.loss(), 5)
    caption = (
        f"{pg.settings.dataset} · epoch {pg.epoch} · E = {loss} · η = "
        f"{pg.learning_rate:g} · {pg.settings.mode} · activations of instance n = {n}"
    )
    return network_png(pg.net, pg.selected, a=trace.a, caption=caption)


def view_png(view, title: str | None = None, caption: str | None = None) -> bytes:
    """The picture of a ``NetworkView`` from its synced traits: its weights, the activations it
    shows (layers it leaves empty carry their names) and its selected edge."""
    net = MLP(view.sizes, bias=view.bias)
    for W, values in zip(net.weights, view.weights):
        W[...] = values
    for b, values in zip(net.biases, view.biases):
        b[...] = values
    a = list(view.a) + [[]] * (len(view.sizes) - len(view.a))
    selected = Parameter.parse(view.selected) if view.selected else None
    return network_png(net, selected, a=a if view.a else None, title=title, caption=caption)


# The derivation's rows, laid out without the package's style sheet (which only a live view
# loads): for an exported HTML file or nbviewer.
FALLBACK_STYLE = """<style>
.bw-fallback .bw-math-rows { display: grid; grid-template-columns: max-content 1fr;
  column-gap: .35em; row-gap: .3em; align-items: baseline; }
.bw-fallback .bw-math-row { display: contents; }
.bw-fallback .bw-math-lhs { text-align: right; }
.bw-fallback .bw-math-rhs { display: flex; flex-wrap: wrap; column-gap: .3em; }
.bw-fallback .bw-math-title { grid-column: 1 / -1; margin-top: .5em; font-weight: 600; }
.bw-fallback math { font-family: "STIX Two Math", "Latin Modern Math", math; }
</style>"""


def picture_body(png: bytes | None, html_after: str = "") -> str:
    """The picture (if any) as an image, then ``html_after`` (such as a derivation in MathML)."""
    image = ""
    if png is not None:
        source = base64.b64encode(png).decode("ascii")
        image = f'<img alt="{html.escape(NOTE)}" src="data:image/png;base64,{source}">'
    return image + html_after


def fallback_html(png: bytes | None, html_after: str = "") -> str:
    """The picture (if any) and ``html_after`` (``picture_body``) in one ``.bw-fallback``
    element, laid out without the package's style sheet."""
    return f'{FALLBACK_STYLE}<div class="bw-fallback">{picture_body(png, html_after)}</div>'

"""Still pictures of the error slice and the decision surface, for where no kernel runs.

Like ``static_image``'s network, each is drawn from the view's synced traits, so the picture
shows what the live view showed: the slice's sampled curve E(θ), the point, its tangent and the
next step; the surface's heat map (or each pixel's winning class, shaded by its probability),
its ŷ = level line and the data, or in 1-D the fitted curve over the data. The colours are
``static/surface.js``'s and ``static/slice.js``'s.
"""

from __future__ import annotations

import numpy as np

from .static_image import ACCENT, DPI, INK, MUTED, NEGATIVE, NOTE, figure_png

SIZE = (5.6, 3.6)  # inches at DPI: about the live plots' size on screen

# surface.js's diverging map, orange (low ŷ) – light grey – blue (high ŷ), and its class colours.
STOPS = [
    (0.0, (230, 97, 1)),
    (0.25, (253, 184, 99)),
    (0.5, (247, 247, 247)),
    (0.75, (146, 197, 222)),
    (1.0, (33, 102, 172)),
]
CLASS_COLOURS = [
    (27, 158, 119),
    (217, 95, 2),
    (117, 112, 179),
    (231, 41, 138),
    (102, 166, 30),
    (230, 171, 2),
    (166, 118, 29),
    (102, 102, 102),
]


def _figure(title: str):
    from matplotlib.figure import Figure

    fig = Figure(figsize=SIZE, dpi=DPI)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11, color=INK, loc="left", wrap=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.text(0.01, 0.01, NOTE, fontsize=8, color=MUTED, style="italic")
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.2, top=0.86)
    return fig, ax


def _ramp(t: np.ndarray) -> np.ndarray:
    """RGB in 0 … 1 of values t in 0 … 1 on surface.js's diverging map."""
    t = np.clip(np.nan_to_num(np.asarray(t, dtype=float), nan=0.5), 0.0, 1.0)
    stops = np.array([s for s, _ in STOPS])
    colours = np.array([c for _, c in STOPS], dtype=float) / 255
    return np.stack([np.interp(t, stops, colours[:, k]) for k in range(3)], axis=-1)


def _tint(k: np.ndarray, shade: np.ndarray) -> np.ndarray:
    """Class k's colour from a pale tint (shade 0: a tie) to the full colour (1), as surface.js."""
    colours = np.array(CLASS_COLOURS, dtype=float)[np.asarray(k) % len(CLASS_COLOURS)]
    f = (0.12 + 0.73 * np.asarray(shade, dtype=float))[..., None]
    return (255 + (colours - 255) * f) / 255


def slice_png(view) -> bytes | None:
    """The error slice E(θ) of its selected weight, or None when no weight is selected."""
    if not view.weight or not view.thetas:
        return None
    thetas = np.array(view.thetas, dtype=float)
    errors = np.array([np.nan if e is None else e for e in view.errors], dtype=float)
    over = f" of {view.data_label}" if view.data_label else ""
    fig, ax = _figure(f"{view.loss_title} E{over} as a function of {view.label}")
    ax.plot(thetas, errors, color=INK, lw=1.6)
    theta, error, slope, step = view.theta, view.error, view.slope, view.step
    if error is not None and slope is not None:
        half = (thetas[-1] - thetas[0]) / 8
        ends = np.array([theta - half, theta + half])
        ax.plot(ends, error + slope * (ends - theta), "--", color=NEGATIVE, lw=1.4)
    if error is not None:
        ax.plot([theta], [error], "o", color=INK, ms=6, zorder=3)
        if step is not None and view.error_after is not None:
            ax.annotate(
                "",
                xy=(theta + step, view.error_after),
                xytext=(theta, error),
                arrowprops={"arrowstyle": "->", "color": ACCENT, "lw": 1.6},
            )
    ax.set_xlabel(view.label, color=INK)
    ax.set_ylabel("E", color=INK)
    return figure_png(fig)


def surface_png(view) -> bytes | None:
    """The decision surface as its live view draws it, or None before its first update."""
    if view.kind == "2d":
        return _plane(view)
    if view.kind == "1d":
        return _curve(view)
    return None


def _plane(view) -> bytes:
    n = view.grid_size
    shade = np.frombuffer(view.image, dtype=np.uint8).reshape(n, n) / 255
    if view.classes:
        winners = np.frombuffer(view.winners, dtype=np.uint8).reshape(n, n)
        rgb = _tint(winners, shade)
        title = "The winning class over the input plane, shaded by its probability max ŷₖ"
    else:
        rgb = _ramp(shade)
        title = f"Network output {view.output_label} over the input plane"
    fig, ax = _figure(title + (f" ({view.held})" if view.held else ""))
    x0, x1, y0, y1 = view.extent
    ax.imshow(rgb, extent=(x0, x1, y0, y1), origin="upper", interpolation="bilinear")
    for a, b, c, d in view.contour:
        ax.plot([a, c], [b, d], color=INK, lw=1.2)
    low, high = view.value_range
    for points, marker in ((view.train, "o"), (view.test, "s")):
        if not points:
            continue
        p = np.array(points, dtype=float)
        if view.classes:
            colours = _tint(p[:, 2].astype(int), np.ones(len(p)))
        else:
            colours = _ramp((p[:, 2] - low) / ((high - low) or 1.0))
        ax.scatter(p[:, 0], p[:, 1], c=colours, marker=marker, s=28, edgecolors=INK, lw=0.8)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    x_label, y_label = view.input_labels[:2]  # the names of the inputs on the axes
    ax.set_xlabel(x_label, color=INK)
    ax.set_ylabel(y_label, color=INK, rotation=0, labelpad=12)
    return figure_png(fig, heat_map=True)


def _curve(view) -> bytes:
    label = view.output_label
    fig, ax = _figure(f"Fitted curve {label}(x) over the data")
    for points, marker, name in ((view.train, "o", "training data"), (view.test, "s", "test data")):
        if points:
            p = np.array(points, dtype=float)
            ax.scatter(p[:, 0], p[:, 1], marker=marker, s=16, color=ACCENT, label=name)
    if view.curve:
        c = np.array([[x, np.nan if y is None else y] for x, y in view.curve], dtype=float)
        ax.plot(c[:, 0], c[:, 1], color=NEGATIVE, lw=2, label=f"{label}(x), the network's output")
    ax.set_xlabel(view.input_labels[0], color=INK)
    ax.set_ylabel("y", color=INK, rotation=0, labelpad=10)
    ax.legend(fontsize=9, frameon=False, loc="best")
    return figure_png(fig)

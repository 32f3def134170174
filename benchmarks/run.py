"""Side-by-side speed comparison of backprop_widgets against references, in one process.

Run from the repository root (``make bench`` installs PyTorch and runs it)::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python benchmarks/run.py [--quick]

Ours and the reference run interleaved in repeated rounds in this one process, in blocks of
about the same duration, so machine noise hits both alike; the script prints medians and RATIOS
and never asserts on time. It measures this process's CPU time by default (``--clock wall`` for
wall-clock time): on a shared machine other processes then do not inflate either side. What it
does assert (untimed) is that both sides compute the same maths: one online epoch of ours and of
PyTorch from the same initial weights agree to 1e-10 (and so does one full-batch step).

Cases (float64, sigmoid hidden and output units, bias on, E = 1/(2N) Σ_n Σ_k (y − ŷ)², plain SGD):

1. Online SGD, ``net.fit(X, Y, learning_rate=0.5, epochs=E, batch_size=1)`` on XOR with
   [2, 2, 1] and on 200 random 2-D points with [2, 8, 8, 1], per update, against a plain PyTorch
   eager loop over the instances (each a batch of 1): forward, loss, ``backward()``,
   ``SGD.step()``, ``zero_grad()``, plus the epoch's training loss as ``fit`` returns it.
   Target: ours ≥ 10× faster.
2. One full-batch update on 1000 instances with [2, 16, 16, 1]: ``net.step`` against the same
   PyTorch step. Target: ≥ 2× faster. Row 2b times ours again in a fresh process that never
   imported PyTorch (see "allocator" below); its ratio crosses processes, so it is indicative.
2c. Training epochs on the same 1000 instances: ``net.fit(X, Y, learning_rate=0.5, epochs=E,
   batch_size=B)`` with B = None (full batch) and B = 32 (mini-batches in order, the last one of
   8), per epoch, against the PyTorch loop doing the same: a step per batch, then the epoch's
   training loss, which ``fit`` returns. Targets: full batch ≥ 2.5×, mini-batch 32 ≥ 5× faster.
3. ``import backprop_widgets`` against ``import numpy, ipywidgets, anywidget``, each in fresh
   interpreters, net of the bare interpreter's start-up. Target: ≤ 1.3×.
4. ``backprop_widgets.symbolic.derive`` after a weight changed (warm): the slowest parameter of
   [2, 4, 4, 1] (target ≤ 50 ms) and a first-layer weight of [4, 8, 8, 3] (target ≤ 300 ms).
5. Several classes: online ``fit`` of a softmax output trained on cross-entropy, [2, 8, 8, 3]
   with sigmoid hidden units on 300 points of three classes, per update, against the PyTorch
   eager loop with ``F.cross_entropy`` on the logits (checked equal first). Target: ≥ 10×.

Allocator: glibc's malloc gives heap memory back to the system when more than
M_TRIM_THRESHOLD (128 KiB at start) is free at the top, and raises that threshold the first
time a large block is freed. Importing PyTorch (or matplotlib, SymPy, ...) raises it; in a
process with only NumPy and backprop_widgets it stays low, and the ~128 KB temporaries of a
1000-instance batch are trimmed and page-faulted back on every step. So the same NumPy code can
be several times slower without PyTorch around: row 2b and the "torch-free process" details
show it, with the page faults per call.

The details also show numbers that are not targets: the training loop alone, NumPy calls per
update, and PROTOTYPES of faster code written here (not the package's code) to show what a
change in ``backprop_widgets/engine/training.py`` would gain.
"""

from __future__ import annotations

import os

# One thread everywhere. NumPy's OpenBLAS and PyTorch's OpenMP/MKL read these when they load,
# so they are set here, before either is imported.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import collections  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import shlex  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import backprop_widgets as bw  # noqa: E402
from backprop_widgets.engine import training  # noqa: E402
from backprop_widgets.engine import validation as check  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
LR = 0.5
WORKER_FLAG = "--torch-free-worker"


# -- environment ---------------------------------------------------------------------------


def reproduce_commands() -> list[tuple[str, str]]:
    """The exact command for this run and, when it differs, the recommended one."""
    exe = Path(os.path.abspath(sys.executable))  # not resolved: keep the venv's own path
    try:
        python = str(exe.relative_to(ROOT))
    except ValueError:
        python = str(exe)
    script = os.path.relpath(Path(__file__).resolve(), ROOT)
    args = " ".join(shlex.quote(a) for a in sys.argv[1:])
    tail = f"{shlex.quote(python)} {script}" + (f" {args}" if args else "")
    cd = f"cd {shlex.quote(str(ROOT))} && "
    unset = "env " + " ".join(f"-u {v}" for v in OPENBLAS_VARS)
    set_now = {v: os.environ[v] for v in OPENBLAS_VARS if v in os.environ}
    if not set_now:
        return [("reproduce this run", f"{cd}{unset} {tail}")]
    exact = " ".join(f"{k}={shlex.quote(v)}" for k, v in set_now.items())
    return [
        ("reproduce this run", f"{cd}env {exact} {tail}"),
        ("recommended (env README: unset both for benchmarks)", f"{cd}{unset} {tail}"),
    ]


def blas_description() -> list[str]:
    """Which BLAS NumPy runs and which kernel it picked (threadpoolctl, else ctypes)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        lines = [
            f"{lib.get('internal_api')} {lib.get('version')} kernel={lib.get('architecture')} "
            f"threads={lib.get('num_threads')} ({Path(lib.get('filepath', '')).name})"
            for lib in threadpool_info()
        ]
        return lines or ["threadpoolctl found no BLAS/OpenMP library"]
    # Without threadpoolctl: ask the OpenBLAS that NumPy loaded for its kernel, as
    # threadpoolctl would (openblas_get_corename, with scipy-openblas' symbol names).
    lines = []
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    except OSError:
        paths = []
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (
            ("scipy_openblas_", "64_"),
            ("scipy_openblas_", ""),
            ("openblas_", "64_"),
            ("openblas_", ""),
        ):
            core = getattr(lib, f"{prefix}get_corename{suffix}", None)
            if core is None:
                continue
            core.restype = ctypes.c_char_p
            text = f"OpenBLAS kernel={core().decode()} ({Path(path).name})"
            config = getattr(lib, f"{prefix}get_config{suffix}", None)
            if config is not None:
                config.restype = ctypes.c_char_p
                text += f"; {config().decode().strip()}"
            lines.append(text + "  [threadpoolctl not installed: read with ctypes]")
            break
    if lines:
        return lines
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return [
            f"{blas.get('name')} {blas.get('version')} (build configuration only: "
            f"{blas.get('openblas configuration', '?')})"
        ]
    except Exception as error:  # noqa: BLE001 - any failure just means "unknown"
        return [f"unknown ({error})"]


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def print_header(torch) -> None:
    print("# backprop_widgets benchmarks\n")
    for label, command in reproduce_commands():
        print(f"{label}:\n    {command}")
    print()
    print(f"python {platform.python_version()} on {platform.platform()}")
    print(f"cpu: {cpu_model()}, {os.cpu_count()} logical cores")
    print(f"numpy {np.__version__}, torch {torch.__version__}, backprop_widgets {bw.__version__}")
    threads = ", ".join(
        f"{v}={os.environ.get(v)}"
        for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    )
    print(f"threads: {threads}, torch.get_num_threads()={torch.get_num_threads()}")
    print(f"clock: {CLOCK_NAME} ({clock.__name__}); load average {os.getloadavg()[0]:.1f}")
    for var in OPENBLAS_VARS:
        state = f"set to {os.environ[var]!r}" if var in os.environ else "not set"
        print(f"{var}: {state}")
    if any(v in os.environ for v in OPENBLAS_VARS):
        print("  note: these can slow NumPy; see the recommended command above")
    for line in blas_description():
        print(f"numpy BLAS: {line}")
    print()


# -- timing helpers ------------------------------------------------------------------------


# The clock: CPU time of this process (user + system, all its threads) by default. These
# machines are shared: CPU time does not count the time other processes hold the cores, which
# wall-clock time does. --clock wall switches to time.perf_counter.
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
CLOCK_NAME = "cpu"
clock = CLOCKS[CLOCK_NAME]


def use_clock(name: str) -> None:
    global CLOCK_NAME, clock
    CLOCK_NAME, clock = name, CLOCKS[name]


def timed(run) -> float:
    """Seconds one call of ``run`` takes on ``clock``, with the garbage collector off (as
    timeit does)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = clock()
        run()
        return clock() - start
    finally:
        if enabled:
            gc.enable()


def timed_child(command: list, **kwargs) -> float:
    """Seconds a subprocess takes: its CPU time (user + system) with the cpu clock, else
    wall-clock time."""
    if clock is time.perf_counter:
        return timed(lambda: subprocess.run(command, check=True, **kwargs))

    def children() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    before = children()
    subprocess.run(command, check=True, **kwargs)
    return children() - before


def page_faults(run) -> int:
    """Minor page faults (memory the kernel had to map in) during one call of ``run``."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    run()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def interleaved(rounds: int, contenders: dict, block: float) -> dict:
    """Seconds per unit of work of each contender: one block each per round, alternating the
    order every round, medians taken by the caller.

    ``contenders`` maps a name to ``(setup, run, units)``: ``run(k)`` does k repetitions of
    ``units`` units of work (updates), ``setup()`` (untimed) runs before every block. Each
    contender's k is calibrated first (which also warms it up) so that every block takes
    about ``block`` seconds: fast and slow sides are then exposed to the same stretch of
    machine noise. Returns name -> list of seconds per unit, one per round.
    """
    reps = {}
    for name, (setup, run, _) in contenders.items():
        k = 1
        while True:
            setup()
            t = timed(lambda k=k, run=run: run(k))
            if t >= block / 5 or k >= 10**6:
                break
            k *= 5
        reps[name] = max(1, round(k * block / max(t, 1e-9)))
    names = list(contenders)
    per_unit = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            setup, run, units = contenders[name]
            setup()
            t = timed(lambda k=reps[name], run=run: run(k))
            per_unit[name].append(t / (reps[name] * units))
    return per_unit


def median(values) -> float:
    return statistics.median(values)


def spread(values) -> str:
    """Interquartile range as a percentage of the median: how noisy the rounds were."""
    if len(values) < 4:
        return "n/a"
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"±{50 * (q3 - q1) / median(values):.0f}%"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.1f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds < 0.01 else f"{seconds * 1e3:.1f} ms"


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def row(self, case, ours, reference, ratio, target, met) -> None:
        self.rows.append((case, ours, reference, ratio, target, "yes" if met else "**no**"))

    @staticmethod
    def detail(text: str) -> None:
        print(f"  {text}")

    def table(self) -> str:
        header = ("case", "ours", "reference", "ratio", "target", "met?")
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


# -- data ----------------------------------------------------------------------------------


def xor_data() -> tuple[np.ndarray, np.ndarray]:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return X, np.array([[0.0], [1.0], [1.0], [0.0]])


def quadrant_data(n: int = 200, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """n random points in [-1, 1]², target 1 where x₁x₂ > 0 (XOR of the signs)."""
    X = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(float)[:, None]


def disc_data(n: int = 1000, seed: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """n random points in [-1, 1]², target 1 inside the disc of radius 0.7."""
    X = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(n, 2))
    return X, ((X**2).sum(axis=1) < 0.49).astype(float)[:, None]


ONLINE_CASES = (
    ("XOR [2,2,1]", [2, 2, 1], xor_data),
    ("200 pts [2,8,8,1]", [2, 8, 8, 1], quadrant_data),
)
BATCH_SIZES = [2, 16, 16, 1]


def snapshot(net) -> list[np.ndarray]:
    return [p.copy() for p in net.weights + net.biases]


def restore(net, saved: list[np.ndarray]) -> None:
    for p, s in zip(net.weights + net.biases, saved, strict=True):
        p[...] = s


def max_difference(first: list, second: list) -> float:
    return max(float(np.max(np.abs(a - b))) for a, b in zip(first, second, strict=True))


# -- the reference: PyTorch twins of our networks --------------------------------------------


def torch_twin(torch, net):
    """nn.Sequential(Linear, Sigmoid, ...) in float64 with exactly ``net``'s parameters."""
    layers = []
    for W, b in zip(net.weights, net.biases, strict=True):
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    return model, torch.optim.SGD(model.parameters(), lr=LR)


def torch_loss(out, y):
    """E = 1/(2N) Σ_n Σ_k (y − ŷ)²: half the squared error summed over outputs, batch mean."""
    return 0.5 * ((out - y) ** 2).sum(dim=1).mean()


def torch_tensors(torch, X, Y):
    """The data as tensors, and as lists of one-instance batches (split once, untimed)."""
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    return [Xt[n : n + 1] for n in range(len(X))], [Yt[n : n + 1] for n in range(len(Y))], Xt, Yt


def torch_online(torch, model, opt, xs, ys, X, Y, epochs: int, loss_time: list | None = None):
    """The reference online loop: one instance (a batch of 1) per update, then the epoch's
    training loss, which ``MLP.fit`` computes and returns too. ``loss_time`` collects the
    seconds spent on that loss."""
    history = []
    for _ in range(epochs):
        for x, y in zip(xs, ys, strict=True):
            loss = torch_loss(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad()
        start = clock()
        with torch.no_grad():
            history.append(float(torch_loss(model(X), Y)))
        if loss_time is not None:
            loss_time.append(clock() - start)
    return history


def torch_parameters(model) -> list[np.ndarray]:
    linears = [m for m in model if hasattr(m, "weight")]
    return [m.weight.detach().numpy() for m in linears] + [m.bias.detach().numpy() for m in linears]


# -- correctness of the comparison ---------------------------------------------------------


def check_same_maths(torch) -> None:
    """Untimed: from the same initial weights, one online epoch (and one full-batch step) of
    ours and of PyTorch give the same weights, so both sides compute the same thing; and the
    prototypes below give what the package gives."""
    print("## Same maths on both sides (asserted, untimed)")
    for label, sizes, data in ONLINE_CASES:
        X, Y = data()
        net = bw.MLP(sizes, seed=0)
        model, opt = torch_twin(torch, net)
        xs, ys, Xt, Yt = torch_tensors(torch, X, Y)
        ours = net.fit(X, Y, learning_rate=LR, epochs=1, batch_size=1)
        theirs = torch_online(torch, model, opt, xs, ys, Xt, Yt, epochs=1)
        diff = max_difference(net.weights + net.biases, torch_parameters(model))
        assert diff < 1e-10, f"{label}: online epoch differs from PyTorch by {diff:.3g}"
        assert abs(ours[0] - theirs[0]) < 1e-10, f"{label}: epoch loss {ours[0]} != {theirs[0]}"
        Report.detail(f"online epoch, {label}: max |Δθ| vs PyTorch = {diff:.1e} (< 1e-10)")
        # the prototype gives what fit gives
        a, b = bw.MLP(sizes, seed=0), bw.MLP(sizes, seed=0)
        ours = a.fit(X, Y, learning_rate=LR, epochs=3, batch_size=1)
        proto = prototype_fit(b, X, Y, LR, epochs=3)
        diff = max(
            max_difference(a.weights + a.biases, b.weights + b.biases),
            max(abs(p - q) for p, q in zip(ours, proto, strict=True)),
        )
        assert diff < 1e-12, f"{label}: prototype_fit differs from fit by {diff:.3g}"
    X, Y = disc_data()
    net = bw.MLP(BATCH_SIZES, seed=0)
    model, opt = torch_twin(torch, net)
    dW, db, E0 = training.batch_gradients(net, X, Y)
    pW, pb, pE = prototype_gradients(net, X, Y)
    diff = max(max_difference(dW + db, pW + pb), abs(E0 - pE))
    assert diff < 1e-12, f"prototype_gradients differs from batch_gradients by {diff:.3g}"
    twin = bw.MLP(BATCH_SIZES, seed=0)
    prototype_step(twin, X, Y, LR)
    E = net.step(X, Y, LR)
    diff = max_difference(net.weights + net.biases, twin.weights + twin.biases)
    assert diff < 1e-12, f"prototype_step differs from step by {diff:.3g}"
    loss = torch_loss(model(torch.from_numpy(X)), torch.from_numpy(Y))
    loss.backward()
    opt.step()
    diff = max_difference(net.weights + net.biases, torch_parameters(model))
    assert diff < 1e-10, f"full-batch step differs from PyTorch by {diff:.3g}"
    assert abs(E - loss.item()) < 1e-10, f"full-batch loss {E} != {loss.item()}"
    Report.detail(f"full-batch step, 1000 × {BATCH_SIZES}: max |Δθ| vs PyTorch = {diff:.1e}")
    for label, batch_size, _ in FIT_CASES:
        net = bw.MLP(BATCH_SIZES, seed=0)
        model, opt = torch_twin(torch, net)
        ours = net.fit(X, Y, learning_rate=LR, epochs=2, batch_size=batch_size)
        Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
        theirs = torch_epochs(torch, model, opt, Xt, Yt, batch_size, epochs=2)
        diff = max_difference(net.weights + net.biases, torch_parameters(model))
        assert diff < 1e-10, f"fit, {label}, differs from PyTorch by {diff:.3g}"
        gap = max(abs(p - q) for p, q in zip(ours, theirs, strict=True))
        assert gap < 1e-10, f"fit, {label}: epoch losses {ours} != {theirs}"
        Report.detail(f"2 epochs of fit, {label}: max |Δθ| vs PyTorch = {diff:.1e}")
    Report.detail("prototypes (below) agree with fit, batch_gradients and step to < 1e-12")
    print()


# -- PROTOTYPES (not the package's code) ----------------------------------------------------

_ONE = np.array(1.0)  # a 0-d array: `one - a` is cheaper than `1.0 - a` (no conversion)


class PrototypeOnline:
    """PROTOTYPE of a faster online loop for sigmoid networks (``training.online_epoch`` and
    the epoch bookkeeping of ``MLP.fit``); same maths, same numbers to rounding.

    What it changes against ``backprop_widgets/engine/training.py``:

    - Each layer is one matrix −[θ | θ₀] (bias as the last column, negated) and each activation
      vector ends in the bias unit a₀ = 1 (0 with ``bias=False``): one product gives −z, so the
      sigmoid is exp, add, divide (no negation), and one update moves θ and θ₀ together. The
      sign is folded into g': δ θ = −(δ (−θ)) and h(h − 1) = −h(1 − h).
    - ``A.dot(a)`` rather than ``A @ a`` (about half the call overhead on tiny arrays), the outer
      product δ aᵀ as a (m, 1)·(1, n) ``dot`` rather than ``np.multiply.outer``, constants as
      0-d arrays, η folded into δ once at the output (δ is linear in it), ``out=`` into
      preallocated activation buffers, the instance order as a list of ints.
    - Per epoch: the loss from the same matrices; one ``sum`` per layer as the finiteness test
      (the exact test only if that sum is not finite); the write-back to ``net.weights`` doubles
      as the copy of the last finite parameters, so no ``_parameters_copy`` per epoch.
    """

    def __init__(self, net, X, Y, learning_rate) -> None:
        assert net.activation == net.output_activation == "sigmoid", "prototype: sigmoid only"
        unit = 1.0 if net.bias else 0.0
        self.net, self.Y = net, Y
        self.neg = [
            -np.concatenate((W, b[:, None]), axis=1)
            for W, b in zip(net.weights, net.biases, strict=True)
        ]
        self.plain = [A[:, :-1] for A in self.neg]
        self.xa = np.concatenate((X, np.full((len(X), 1), unit)), axis=1)
        self.hidden = [np.full(m + 1, unit) for m in net.sizes[1:-1]]
        self.h_view = [h[:-1] for h in self.hidden]
        self.h_row = [h[None, :] for h in self.hidden]
        self.batch = [np.full((len(X), m + 1), unit) for m in net.sizes[1:-1]]
        self.eta = np.array(float(learning_rate))

    def epoch(self, order: list) -> None:
        neg, plain, hidden, h_view, h_row = (
            self.neg,
            self.plain,
            self.hidden,
            self.h_view,
            self.h_row,
        )
        xa, Y, eta, one = self.xa, self.Y, self.eta, _ONE
        exp, divide = np.exp, np.divide
        last = len(neg) - 1
        for n in order:
            x = xa[n]
            a = x
            for k in range(last):
                z = neg[k].dot(a)  # −z
                exp(z, out=z)
                z += one
                divide(one, z, out=h_view[k])
                a = hidden[k]
            out = neg[last].dot(a)
            exp(out, out=out)
            out += one
            divide(one, out, out=out)
            d = Y[n] - out  # η δ, lecture sign, after the next three lines
            d *= out
            d *= one - out
            d *= eta
            for k in range(last, 0, -1):
                h = h_view[k - 1]
                below = d.dot(plain[k])  # −(η δ θ)
                below *= h
                below *= h - one  # × −g'
                neg[k] -= d[:, None].dot(h_row[k - 1])
                d = below
            neg[0] -= d[:, None].dot(x[None, :])

    def loss(self) -> float:
        a = self.xa
        last = len(self.neg) - 1
        for k, A in enumerate(self.neg):
            z = a.dot(A.T)  # −z for the whole batch
            np.exp(z, out=z)
            z += _ONE
            if k < last:
                np.divide(_ONE, z, out=self.batch[k][:, :-1])
                a = self.batch[k]
            else:
                np.divide(_ONE, z, out=z)
        err = z - self.Y
        return 0.5 * float(np.vdot(err, err)) / len(err)

    def finite(self) -> bool:
        return all(math.isfinite(A.sum()) or bool(np.isfinite(A).all()) for A in self.neg)

    def write_back(self) -> None:
        for W, b, A in zip(self.net.weights, self.net.biases, self.neg, strict=True):
            np.negative(A[:, :-1], out=W)
            if self.net.bias:
                np.negative(A[:, -1], out=b)


def prototype_fit(net, X, Y, learning_rate, epochs: int) -> list[float]:
    """PROTOTYPE of ``net.fit(X, Y, learning_rate, epochs, batch_size=1)``: same history."""
    state = PrototypeOnline(net, X, Y, learning_rate)
    order = list(range(len(X)))
    history = []
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            state.epoch(order)
            E = state.loss()
            if not (math.isfinite(E) and state.finite()):
                # net.weights still hold the last finite epoch: the engine would replay this
                # epoch from them (_replay_until_divergence) and raise DivergenceError
                raise bw.DivergenceError("prototype: training diverged")
            state.write_back()
            history.append(E)
    return history


_WORKSPACES: dict = {}


def prototype_gradients(net, X, Y):
    """PROTOTYPE of ``training.batch_gradients`` for sigmoid networks: the same (dW, db, E).

    - Batch arrays are laid out features × instances (the transpose of the package's): the
      bias add broadcasts along rows of N contiguous numbers (the package's ``z += b`` adds a
      16-vector to each of 1000 rows, ~3× slower) and ``db`` is a row sum (the package's
      ``sum(axis=0)`` over a C-ordered (N, m) array is ~6× slower than it needs to be).
    - Every batch-sized array is a reused workspace, filled with ``out=``: no ~128 KB
      temporaries, so no trimming of the heap and no page faults on the next step (see the
      module docstring). The package would keep it on the net, rebuilt when N changes.
    - −1/N is folded into δ once at the output instead of into every dW and db.
    """
    assert net.activation == net.output_activation == "sigmoid", "prototype: sigmoid only"
    n = X.shape[0]
    L = len(net.weights)
    key = (id(net), n)
    if key not in _WORKSPACES:
        _WORKSPACES[key] = [[np.empty((m, n)) for m in net.sizes[1:]] for _ in range(3)]
    acts, deltas, temps = _WORKSPACES[key]
    with np.errstate(over="ignore", invalid="ignore"):
        prev = X.T
        for k in range(L):
            z = acts[k]
            np.dot(net.weights[k], prev, out=z)
            if net.bias:
                z += net.biases[k][:, None]
            np.negative(z, out=z)
            np.exp(z, out=z)
            z += 1.0
            np.reciprocal(z, out=z)
            prev = z
        out, d, t = acts[-1], deltas[-1], temps[-1]
        np.subtract(out, Y.T, out=d)  # −(y − ŷ)
        E = 0.5 * float(np.vdot(d, d)) / n
        np.subtract(1.0, out, out=t)
        d *= out
        d *= t
        d *= 1.0 / n  # now ∂E/∂z of the output layer, averaged over the batch
        dW, db = [None] * L, [None] * L
        for k in range(L - 1, -1, -1):
            below = acts[k - 1] if k else X.T
            dW[k] = d.dot(below.T)
            db[k] = d.sum(axis=1) if net.bias else np.zeros(net.sizes[k + 1])
            if k:
                d_below, t = deltas[k - 1], temps[k - 1]
                np.dot(net.weights[k].T, d, out=d_below)
                np.subtract(1.0, below, out=t)
                d_below *= below
                d_below *= t
                d = d_below
    return dW, db, E


def prototype_step(net, X, Y, learning_rate) -> float:
    """PROTOTYPE of ``MLP.step``: the same checks and guarantees, ``prototype_gradients``
    inside, and the finiteness test as one ``sum`` per array (``np.all(np.isfinite(p))``
    costs ~2 µs per array), the exact test only when that sum is not finite."""
    X, Y = net._check_batch(X, Y)
    learning_rate = check.learning_rate(learning_rate)
    dW, db, E = prototype_gradients(net, X, Y)
    params = net.weights + net.biases
    with np.errstate(over="ignore", invalid="ignore"):
        new = [p - learning_rate * g for p, g in zip(params, dW + db, strict=True)]
    if not (
        math.isfinite(E) and all(math.isfinite(q.sum()) or bool(np.isfinite(q).all()) for q in new)
    ):
        raise bw.DivergenceError("prototype: the update gives non-finite parameters")
    for p, q in zip(params, new, strict=True):
        p[...] = q
    return E


# -- counting NumPy calls -------------------------------------------------------------------


class _Counted(np.ndarray):
    """An ndarray that counts every ufunc (operators, ``@`` and ``np.exp`` included) and
    array-function call made on it, to show how many NumPy calls one update takes."""

    calls: collections.Counter = collections.Counter()

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
        _Counted.calls[name] += 1
        plain = tuple(x.view(np.ndarray) if isinstance(x, _Counted) else x for x in inputs)
        out = kwargs.get("out")
        if out:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, _Counted) else o for o in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if out:
            return out[0] if len(out) == 1 else out
        return result.view(_Counted) if isinstance(result, np.ndarray) else result

    def __array_function__(self, func, types, args, kwargs):
        _Counted.calls[func.__name__] += 1
        return super().__array_function__(func, types, args, kwargs)


def count_online_calls(sizes, X, Y) -> tuple[int, collections.Counter]:
    """NumPy calls per update in ``training.online_epoch`` (one epoch, divided by its length)."""
    net = bw.MLP(sizes, seed=0)
    net.weights = [W.view(_Counted) for W in net.weights]
    net.biases = [b.view(_Counted) for b in net.biases]
    _Counted.calls.clear()
    with np.errstate(all="ignore"):
        training.online_epoch(net, X.view(_Counted), Y.view(_Counted), LR, np.arange(len(X)))
    per_step = collections.Counter({k: v / len(X) for k, v in _Counted.calls.items()})
    return round(sum(per_step.values())), per_step


def call_costs() -> dict[str, float]:
    """Seconds per call of a few tiny NumPy operations, as the online loop makes them."""
    x, y = np.ones(2), np.ones(2)
    W = np.ones((2, 2))
    X = np.ones((4, 2))
    cases = {
        "x * y": lambda: x * y,
        "1.0 - x": lambda: 1.0 - x,
        "one - x (0-d array)": lambda: _ONE - x,
        "W @ x": lambda: W @ x,
        "W.dot(x)": lambda: W.dot(x),
        "np.multiply.outer(x, y)": lambda: np.multiply.outer(x, y),
        "x[:, None].dot(y[None, :])": lambda: x[:, None].dot(y[None, :]),
        "X[n]": lambda: X[1],
    }
    n_calls = 20000
    costs = {}
    for name, fn in cases.items():
        best = min(timed(lambda fn=fn: [fn() for _ in range(n_calls)]) for _ in range(3))
        costs[name] = best / n_calls
    order = np.arange(len(X))

    def bare_loop():  # fit's loop with nothing in it: the floor per update
        for n in order:
            X[n]
            X[n]

    costs["bare instance loop, per update"] = (
        min(timed(lambda: [bare_loop() for _ in range(n_calls // len(X))]) for _ in range(3))
        / n_calls
    )
    return costs


# -- ours, as contenders (shared by this process and the torch-free worker) -------------------


def ours_online(sizes, X, Y) -> dict:
    """Contenders for one online case (units: updates): fit, the bare loop, the prototype."""
    net = bw.MLP(sizes, seed=0)
    proto = bw.MLP(sizes, seed=0)
    start = snapshot(net)
    N = len(X)

    def fit(epochs):
        net.fit(X, Y, learning_rate=LR, epochs=epochs, batch_size=1)

    def online(epochs):
        with np.errstate(all="ignore"):
            training.online_epoch(net, X, Y, LR, np.tile(np.arange(N), epochs))

    return {
        "ours fit": (lambda: restore(net, start), fit, N),
        "ours online_epoch": (lambda: restore(net, start), online, N),
        "prototype fit": (
            lambda: restore(proto, start),
            lambda epochs: prototype_fit(proto, X, Y, LR, epochs),
            N,
        ),
    }


def ours_batch(X, Y) -> dict:
    """Contenders for the full-batch case (units: updates): step, batch_gradients, the prototype."""
    net = bw.MLP(BATCH_SIZES, seed=0)
    start = snapshot(net)

    def step(k):
        for _ in range(k):
            net.step(X, Y, LR)

    def gradients(k):
        for _ in range(k):
            training.batch_gradients(net, X, Y)

    def proto(k):
        for _ in range(k):
            prototype_gradients(net, X, Y)

    def proto_step(k):
        for _ in range(k):
            prototype_step(net, X, Y, LR)

    return {
        "ours step": (lambda: restore(net, start), step, 1),
        "ours batch_gradients": (lambda: restore(net, start), gradients, 1),
        "prototype gradients": (lambda: restore(net, start), proto, 1),
        "prototype step": (lambda: restore(net, start), proto_step, 1),
    }


FIT_CASES = (("full batch", None, 2.5), ("mini-batch 32", 32, 5.0))


def ours_fit(X, Y) -> dict:
    """Contenders for the epochs case (units: epochs): ``fit`` full batch and mini-batch 32."""
    contenders = {}
    for label, batch_size, _ in FIT_CASES:
        net = bw.MLP(BATCH_SIZES, seed=0)
        start = snapshot(net)

        def fit(epochs, net=net, batch_size=batch_size):
            net.fit(X, Y, learning_rate=LR, epochs=epochs, batch_size=batch_size)

        contenders[f"ours fit, {label}"] = (lambda net=net, s=start: restore(net, s), fit, 1)
    return contenders


def torch_epochs(torch, model, opt, X, Y, batch_size, epochs: int) -> list[float]:
    """The reference for ``fit(batch_size=...)``: the batches in order (None: all of them),
    one step each, then the epoch's training loss, which ``fit`` returns."""
    n = len(X)
    size = n if batch_size is None else batch_size
    history = []
    for _ in range(epochs):
        for start in range(0, n, size):
            loss = torch_loss(model(X[start : start + size]), Y[start : start + size])
            loss.backward()
            opt.step()
            opt.zero_grad()
        with torch.no_grad():
            history.append(float(torch_loss(model(X), Y)))
    return history


def faults_per_call(contenders: dict, calls: int = 20) -> dict:
    result = {}
    for name, (setup, run, _) in contenders.items():
        setup()
        run(1)
        result[name] = page_faults(lambda run=run: run(calls)) / calls
    return result


def settings(quick: bool) -> dict:
    """Rounds and seconds per block: ~20 s in all with --quick, ~1 min without."""
    return {"rounds": 7 if quick else 15, "block": 0.03 if quick else 0.1}


def medians(per_unit: dict) -> dict:
    return {k: median(v) for k, v in per_unit.items()}


def torch_free_worker(quick: bool) -> None:
    """Run in a fresh process that never imports PyTorch: ours alone, JSON on stdout."""
    n = settings(quick)
    result = {}
    for label, sizes, data in ONLINE_CASES:
        result[label] = medians(interleaved(n["rounds"], ours_online(sizes, *data()), n["block"]))
    contenders = ours_batch(*disc_data())
    result["batch"] = medians(interleaved(n["rounds"], contenders, n["block"]))
    result["batch faults"] = faults_per_call(contenders)
    fits = ours_fit(*disc_data())
    result["fit"] = medians(interleaved(n["rounds"], fits, n["block"]))
    result["fit faults"] = faults_per_call(fits, calls=5)
    result["torch imported"] = "torch" in sys.modules
    print(json.dumps(result))


def run_torch_free_worker(quick: bool) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), WORKER_FLAG, "--clock", CLOCK_NAME]
    if quick:
        command.append("--quick")
    done = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not result["torch imported"], "the torch-free worker imported torch"
    return result


# -- case 1: online SGD ----------------------------------------------------------------------


def case_online(torch, report: Report, quick: bool, torch_free: dict | None) -> None:
    print("## 1. Online SGD (batch_size=1), per update")
    n = settings(quick)
    for label, sizes, data in ONLINE_CASES:
        X, Y = data()
        N = len(X)
        contenders = ours_online(sizes, X, Y)
        model, opt = torch_twin(torch, bw.MLP(sizes, seed=0))  # ours starts from seed 0 too
        start_torch = {k: v.clone() for k, v in model.state_dict().items()}
        xs, ys, Xt, Yt = torch_tensors(torch, X, Y)
        loss_times: list[float] = []

        def torch_run(
            epochs, model=model, opt=opt, xs=xs, ys=ys, Xt=Xt, Yt=Yt, loss_times=loss_times
        ):
            torch_online(torch, model, opt, xs, ys, Xt, Yt, epochs, loss_times)

        contenders["torch"] = (lambda m=model, s=start_torch: m.load_state_dict(s), torch_run, N)
        times = interleaved(n["rounds"], contenders, n["block"])
        per = medians(times)
        torch_loop = per["torch"] - median(loss_times) / N
        ratio = per["torch"] / per["ours fit"]
        report.row(
            f"1. online SGD, {label}, `fit(batch_size=1)`, per update",
            us(per["ours fit"]),
            f"{us(per['torch'])} (PyTorch eager)",
            f"{ratio:.1f}× faster",
            "≥ 10× faster",
            ratio >= 10,
        )
        print(f"  {label}: {n['rounds']} rounds of ~{n['block']:g} s blocks, epochs of {N}")
        Report.detail(
            f"fit: ours {us(per['ours fit'])} {spread(times['ours fit'])}, torch "
            f"{us(per['torch'])} {spread(times['torch'])} per update → {ratio:.1f}×"
        )
        Report.detail(
            f"loop alone: ours `online_epoch` {us(per['ours online_epoch'])}, torch without the "
            f"epoch loss {us(torch_loop)} → {torch_loop / per['ours online_epoch']:.1f}×; "
            f"fit's per-epoch work costs {us(per['ours fit'] - per['ours online_epoch'])} "
            f"per update"
        )
        Report.detail(
            f"PROTOTYPE `prototype_fit` (this file): {us(per['prototype fit'])} per "
            f"update → {per['torch'] / per['prototype fit']:.1f}× faster than torch, "
            f"{per['ours fit'] / per['prototype fit']:.2f}× faster than `fit`"
        )
        if torch_free:
            free = torch_free[label]
            Report.detail(
                f"in a torch-free process: ours fit {us(free['ours fit'])}, "
                f"`online_epoch` {us(free['ours online_epoch'])}, prototype "
                f"{us(free['prototype fit'])} per update"
            )
        calls, breakdown = count_online_calls(sizes, X, Y)
        top = ", ".join(f"{k} {v:g}" for k, v in breakdown.most_common())
        Report.detail(f"`online_epoch` makes {calls} NumPy calls per update ({top})")
    costs = call_costs()
    Report.detail(
        "one tiny NumPy call (2-vectors) costs: "
        + "; ".join(f"{k} {v * 1e9:.0f} ns" for k, v in costs.items())
    )
    print()


# -- case 2: one full batch ------------------------------------------------------------------


def case_full_batch(torch, report: Report, quick: bool, torch_free: dict | None) -> None:
    print(f"## 2. Full batch of 1000, {BATCH_SIZES}, per update")
    n = settings(quick)
    X, Y = disc_data()
    contenders = ours_batch(X, Y)
    model, opt = torch_twin(torch, bw.MLP(BATCH_SIZES, seed=0))
    start_torch = {k: v.clone() for k, v in model.state_dict().items()}
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)

    def torch_steps(k):
        for _ in range(k):
            loss = torch_loss(model(Xt), Yt)
            loss.backward()
            opt.step()
            opt.zero_grad()

    def torch_gradients(k):
        for _ in range(k):
            loss = torch_loss(model(Xt), Yt)
            loss.backward()
            opt.zero_grad()

    def reset_torch():
        model.load_state_dict(start_torch)

    contenders["torch step"] = (reset_torch, torch_steps, 1)
    contenders["torch forward+backward"] = (reset_torch, torch_gradients, 1)
    times = interleaved(n["rounds"], contenders, n["block"])
    per = medians(times)
    ratio = per["torch step"] / per["ours step"]
    report.row(
        f"2. full batch, 1000 × {BATCH_SIZES}, `step`, per update",
        us(per["ours step"]),
        f"{us(per['torch step'])} (PyTorch eager)",
        f"{ratio:.1f}× faster",
        "≥ 2× faster",
        ratio >= 2,
    )
    print(f"  {n['rounds']} rounds of ~{n['block']:g} s blocks")
    Report.detail(
        f"step: ours {us(per['ours step'])} {spread(times['ours step'])}, torch "
        f"{us(per['torch step'])} {spread(times['torch step'])} → {ratio:.2f}×"
    )
    grad_ratio = per["torch forward+backward"] / per["ours batch_gradients"]
    Report.detail(
        f"gradients alone: ours `batch_gradients` {us(per['ours batch_gradients'])}, torch "
        f"forward+backward {us(per['torch forward+backward'])} → {grad_ratio:.2f}×; "
        f"step's own work (checks, update) "
        f"{us(per['ours step'] - per['ours batch_gradients'])}"
    )
    Report.detail(
        f"PROTOTYPE `prototype_step` (this file): {us(per['prototype step'])} → "
        f"{per['torch step'] / per['prototype step']:.2f}× faster than torch step, "
        f"{per['ours step'] / per['prototype step']:.2f}× faster than `step`"
    )
    proto_ratio = per["torch forward+backward"] / per["prototype gradients"]
    Report.detail(
        f"PROTOTYPE `prototype_gradients` (this file): "
        f"{us(per['prototype gradients'])} → {proto_ratio:.2f}× vs torch "
        f"forward+backward, {per['ours batch_gradients'] / per['prototype gradients']:.2f}× "
        f"vs `batch_gradients`"
    )
    faults = faults_per_call(
        {k: contenders[k] for k in ("ours step", "ours batch_gradients", "prototype step")}
    )
    Report.detail(
        "page faults per call here: " + ", ".join(f"{k} {v:.0f}" for k, v in faults.items())
    )
    if torch_free:
        free, free_faults = torch_free["batch"], torch_free["batch faults"]
        free_ratio = per["torch step"] / free["ours step"]
        report.row(
            "2b. the same, ours timed in a process without torch (cross-process: indicative)",
            us(free["ours step"]),
            f"{us(per['torch step'])} (above)",
            f"{free_ratio:.1f}× faster",
            "≥ 2× faster",
            free_ratio >= 2,
        )
        gain = free["ours step"] / free["prototype step"]
        Report.detail(
            "in a torch-free process: "
            + ", ".join(
                f"{k} {us(free[k])} ({free_faults[k]:.0f} page faults per call)"
                for k in ("ours step", "ours batch_gradients", "prototype step")
            )
            + f" → `prototype_step` is {gain:.1f}× faster than `step` there"
        )
    print()


# -- case 2c: epochs of fit, full batch and mini-batch ---------------------------------------


def case_fit_epochs(torch, report: Report, quick: bool, torch_free: dict | None) -> None:
    print(f"## 2c. Epochs of `fit` on 1000 instances, {BATCH_SIZES}, per epoch")
    n = settings(quick)
    X, Y = disc_data()
    contenders = ours_fit(X, Y)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    for label, batch_size, _ in FIT_CASES:
        model, opt = torch_twin(torch, bw.MLP(BATCH_SIZES, seed=0))
        start = {k: v.clone() for k, v in model.state_dict().items()}

        def run(epochs, model=model, opt=opt, batch_size=batch_size):
            torch_epochs(torch, model, opt, Xt, Yt, batch_size, epochs)

        contenders[f"torch, {label}"] = (lambda m=model, s=start: m.load_state_dict(s), run, 1)
    times = interleaved(n["rounds"], contenders, n["block"])
    per = medians(times)
    print(f"  {n['rounds']} rounds of ~{n['block']:g} s blocks")
    for label, batch_size, target in FIT_CASES:
        ours, theirs = f"ours fit, {label}", f"torch, {label}"
        ratio = per[theirs] / per[ours]
        updates = -(-len(X) // (batch_size or len(X)))
        report.row(
            f"2c. `fit(batch_size={batch_size})`, {label} of 1000 × {BATCH_SIZES}, per epoch "
            f"({updates} update{'s' if updates > 1 else ''} + the epoch's loss)",
            us(per[ours]),
            f"{us(per[theirs])} (PyTorch eager)",
            f"{ratio:.1f}× faster",
            f"≥ {target:g}× faster",
            ratio >= target,
        )
        Report.detail(
            f"{label}: ours {us(per[ours])} {spread(times[ours])}, torch {us(per[theirs])} "
            f"{spread(times[theirs])} per epoch → {ratio:.2f}×"
        )
    faults = faults_per_call({k: v for k, v in contenders.items() if k.startswith("ours")}, 5)
    Report.detail(
        "page faults per epoch here: " + ", ".join(f"{k} {v:.0f}" for k, v in faults.items())
    )
    if torch_free:
        free, free_faults = torch_free["fit"], torch_free["fit faults"]
        Report.detail(
            "in a torch-free process (cross-process: indicative): "
            + ", ".join(
                f"{k} {us(free[k])} → {per[k.replace('ours fit', 'torch')] / free[k]:.1f}× "
                f"({free_faults[k]:.0f} page faults per epoch)"
                for k in free
            )
        )
    print()


# -- case 3: import time -------------------------------------------------------------------


IMPORTS = {
    "bare interpreter": "pass",
    "numpy": "import numpy",
    "ipywidgets": "import ipywidgets",
    "anywidget": "import anywidget",
    "numpy + ipywidgets + anywidget": "import numpy, ipywidgets, anywidget",
    "backprop_widgets": "import backprop_widgets",
}
NO_CACHE = "backprop_widgets, no bytecode cache"
HEAVY = ("ipywidgets", "anywidget", "sympy", "matplotlib", "IPython", "traitlets", "torch")


def case_import(report: Report, quick: bool) -> None:
    print("## 3. Import time, fresh interpreters")
    runs = 5 if quick else 10
    # Bytecode caching on for every contender, as after a pip install. With
    # PYTHONDONTWRITEBYTECODE set (it is on these machines) an editable install would compile
    # backprop_widgets from source at every import while numpy & co. have their .pyc files;
    # a throw-away PYTHONPYCACHEPREFIX keeps the repository clean.
    cache_dir = tempfile.TemporaryDirectory(prefix="bw-bench-pyc-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache_dir.name
    envs = {name: env for name in IMPORTS}
    codes = dict(IMPORTS)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        no_cache = {k: v for k, v in os.environ.items() if k != "PYTHONPYCACHEPREFIX"}
        envs[NO_CACHE], codes[NO_CACHE] = no_cache, IMPORTS["backprop_widgets"]

    def run(name) -> float:
        command = [sys.executable, "-c", codes[name]]
        return timed_child(command, env=envs[name], cwd=ROOT)

    with cache_dir:
        for name in codes:  # warm the file cache and write the .pyc files
            run(name)
        times = {name: [] for name in codes}
        order = list(codes)
        shuffler = random.Random(0)
        for _ in range(runs):
            shuffler.shuffle(order)
            for name in order:
                times[name].append(run(name))
    raw = {name: median(v) for name, v in times.items()}
    net = {name: t - raw["bare interpreter"] for name, t in raw.items()}
    ref = "numpy + ipywidgets + anywidget"
    ratio = net["backprop_widgets"] / net[ref]
    report.row(
        "3. `import backprop_widgets` (net of interpreter start-up)",
        ms(net["backprop_widgets"]),
        f"{ms(net[ref])} (`import numpy, ipywidgets, anywidget`)",
        f"{ratio:.2f}×",
        "≤ 1.3×",
        ratio <= 1.3,
    )
    print(
        f"  median of {runs} fresh interpreters each, interleaved in shuffled order, "
        f"bytecode cached, {CLOCK_NAME} time"
    )
    for name in codes:
        Report.detail(f"{name}: raw {ms(raw[name])} {spread(times[name])}, net {ms(net[name])}")
    Report.detail(f"raw ratio (start-up included) {raw['backprop_widgets'] / raw[ref]:.2f}×")
    if NO_CACHE in net:
        Report.detail(
            f"PYTHONDONTWRITEBYTECODE is set here: without a bytecode cache "
            f"backprop_widgets compiles at every import, "
            f"+{ms(net[NO_CACHE] - net['backprop_widgets'])}"
        )
    probe = (
        f"import sys, backprop_widgets; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    Report.detail(
        "`import backprop_widgets` also loads: " + (loaded or "none of " + ", ".join(HEAVY))
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import backprop_widgets"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    top = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        # top-level modules are the ones whose name is not indented
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            top.append((int(parts[1]), parts[2].strip()))
    top.sort(reverse=True)
    Report.detail(
        "-X importtime, biggest top-level imports: "
        + ", ".join(f"{name} {t / 1000:.1f} ms" for t, name in top[:3])
    )
    print()


# -- case 4: derive --------------------------------------------------------------------------


def case_derive(report: Report, quick: bool) -> bool:
    """Returns False when ``derive`` could not be imported or run (the section is skipped)."""
    print("## 4. derive(), warm, a weight changed between calls")
    start = time.perf_counter()
    try:
        from backprop_widgets.symbolic import derive
    except Exception as error:  # noqa: BLE001 - not written yet, or broken: skip either way
        print(
            f"  SKIPPED: backprop_widgets.symbolic.derive is not importable "
            f"({type(error).__name__}: {error})\n"
        )
        return False
    preloaded = "sympy" in sys.modules  # PyTorch's optimizer imports SymPy
    Report.detail(
        f"import of backprop_widgets.symbolic here: {ms(time.perf_counter() - start)}"
        + (" (SymPy was already loaded by PyTorch)" if preloaded else "")
    )
    repeats = 3 if quick else 7
    rng = np.random.default_rng(3)

    first_calls: dict = {}

    def timed_derive(net, key, x, y) -> list[float]:
        """The warm-up call (kept in first_calls), then ``repeats`` timed calls, each after a
        new value for the parameter, as when its slider moves. ``.latex`` is read too: the
        panel shows it."""
        layer, i, j = key
        first_calls[(tuple(net.sizes), key)] = timed(
            lambda: derive(net, layer, i, j, x=x, y=y).latex
        )
        times = []
        for _ in range(repeats):
            net.set_parameter(layer, i, j, float(rng.uniform(-1.0, 1.0)))
            times.append(timed(lambda: derive(net, layer, i, j, x=x, y=y).latex))
        return times

    def value_error(net, key, x, y) -> float:
        layer, i, j = key
        value = float(derive(net, layer, i, j, x=x, y=y).value)
        dW, db = net.gradients(x[None], y[None])
        exact = db[layer][i] if j == "bias" else dW[layer][i, j]
        return abs(value - float(exact))

    try:
        net = bw.MLP([2, 4, 4, 1], seed=0)
        x, y = np.array([0.3, -0.7]), np.array([1.0])
        warm_start = time.perf_counter()
        per_parameter = {key: median(timed_derive(net, key, x, y)) for key in net.parameters()}
        elapsed = time.perf_counter() - warm_start
        worst_key = max(per_parameter, key=per_parameter.get)
        worst = per_parameter[worst_key]
        errors = [value_error(net, key, x, y) for key in net.parameters()]
        big = bw.MLP([4, 8, 8, 3], seed=0)
        bx, by = np.array([0.3, -0.7, 0.2, 0.9]), np.array([1.0, 0.0, 1.0])
        big_key = (0, 0, 0)
        big_times = timed_derive(big, big_key, bx, by)
        big_median = median(big_times)
        errors.append(value_error(big, big_key, bx, by))
        # .expr (the SymPy expression) is built on first access, then cached per structure
        expr_first = timed(lambda: derive(big, *big_key, x=bx, y=by).expr)
        expr_again = timed(lambda: derive(big, *big_key, x=bx, y=by).expr)
    except Exception as error:  # noqa: BLE001 - a half-written derive: report, don't crash
        print(f"  SKIPPED: derive raised {type(error).__name__}: {error}\n")
        return False
    report.row(
        f"4. `derive`, [2,4,4,1], slowest of its {len(per_parameter)} parameters "
        f"(median of {repeats})",
        ms(worst),
        "—",
        f"{worst / 0.050:.2g}× of budget",
        "≤ 50 ms",
        worst <= 0.050,
    )
    report.row(
        f"4. `derive`, [4,8,8,3], θ{big_key} (median of {repeats})",
        ms(big_median),
        "—",
        f"{big_median / 0.300:.2g}× of budget",
        "≤ 300 ms",
        big_median <= 0.300,
    )
    Report.detail(
        f"[2,4,4,1]: slowest {worst_key} {ms(worst)}, fastest "
        f"{ms(min(per_parameter.values()))}, median over parameters "
        f"{ms(median(per_parameter.values()))}; all {len(per_parameter)} × "
        f"{repeats + 1} calls took {ms(elapsed)}"
    )
    small_first = max(t for (sizes, _), t in first_calls.items() if sizes == (2, 4, 4, 1))
    Report.detail(
        f"first call per parameter (builds and caches its chain-rule structure): "
        f"[2,4,4,1] at most {ms(small_first)}, [4,8,8,3] {big_key} "
        f"{ms(first_calls[((4, 8, 8, 3), big_key)])}"
    )
    Report.detail(
        f"[4,8,8,3] {big_key} warm: {', '.join(ms(t) for t in big_times)}; "
        f"derive + first `.expr` {ms(expr_first)}, then {ms(expr_again)}"
    )
    Report.detail(f"d.value vs net.gradients: max |difference| {max(errors):.1e}")
    cold = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", COLD_DERIVE],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(3)
    ]
    Report.detail(
        f"first click in a fresh process (median of 3, wall clock): import "
        f"backprop_widgets.symbolic with SymPy {ms(median(c[0] for c in cold))}, "
        f"first derive on [2,2,1] {ms(median(c[1] for c in cold))}"
    )
    print()
    return True


COLD_DERIVE = """
import json, time
import backprop_widgets as bw
start = time.perf_counter()
from backprop_widgets.symbolic import derive
imported = time.perf_counter()
derive(bw.MLP([2, 2, 1], seed=0), 0, 0, 0, x=[0.0, 1.0], y=[1.0])
print(json.dumps([imported - start, time.perf_counter() - imported]))
"""


# -- main ----------------------------------------------------------------------------------


# -- case 5: several classes, softmax and cross-entropy ----------------------------------------

CLASSES_SIZES = [2, 8, 8, 3]


def three_class_data(n: int = 300, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """n points around three centres, with their class labels 0, 1, 2."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    centres = np.array([[0.0, 1.0], [-1.0, -0.6], [1.0, -0.6]])
    return centres[labels] + rng.normal(0.0, 0.45, (n, 2)), labels


def torch_classes_twin(torch, net):
    """Linear, Sigmoid, …, Linear: the logits, for ``F.cross_entropy``."""
    model, opt = torch_twin(torch, net)
    return torch.nn.Sequential(*list(model)[:-1]), opt


def torch_classes_online(torch, model, opt, xs, ys, X, labels, epochs: int) -> list[float]:
    cross_entropy = torch.nn.functional.cross_entropy
    history = []
    for _ in range(epochs):
        for x, y in zip(xs, ys, strict=True):
            cross_entropy(model(x), y).backward()
            opt.step()
            opt.zero_grad()
        with torch.no_grad():
            history.append(float(cross_entropy(model(X), labels)))
    return history


def case_cross_entropy(torch, report: Report, quick: bool) -> None:
    print("## 5. Several classes: online SGD, softmax + cross-entropy, per update")
    n = settings(quick)
    X, labels = three_class_data()
    N = len(X)
    net = bw.MLP(CLASSES_SIZES, output_activation="softmax", loss="cross_entropy", seed=0)
    start = snapshot(net)
    model, opt = torch_classes_twin(torch, net)
    start_torch = {k: v.clone() for k, v in model.state_dict().items()}
    Xt, Lt = torch.from_numpy(X), torch.from_numpy(labels)
    xs, ys = [Xt[k : k + 1] for k in range(N)], [Lt[k : k + 1] for k in range(N)]
    ours = net.fit(X, labels, learning_rate=LR, epochs=1, batch_size=1)  # the same maths first
    theirs = torch_classes_online(torch, model, opt, xs, ys, Xt, Lt, 1)
    diff = max_difference(net.weights + net.biases, torch_parameters(model))
    assert diff < 1e-10 and abs(ours[0] - theirs[0]) < 1e-10, f"cross-entropy differs: {diff}"
    Report.detail(f"1 epoch from the same weights: max |Δθ| vs PyTorch = {diff:.1e}")

    def fit(epochs):
        net.fit(X, labels, learning_rate=LR, epochs=epochs, batch_size=1)

    def torch_run(epochs):
        torch_classes_online(torch, model, opt, xs, ys, Xt, Lt, epochs)

    contenders = {
        "ours fit": (lambda: restore(net, start), fit, N),
        "torch": (lambda: model.load_state_dict(start_torch), torch_run, N),
    }
    times = interleaved(n["rounds"], contenders, n["block"])
    per = medians(times)
    ratio = per["torch"] / per["ours fit"]
    report.row(
        "5. online SGD, 300 pts [2,8,8,3] softmax + cross-entropy, per update",
        us(per["ours fit"]),
        f"{us(per['torch'])} (PyTorch eager)",
        f"{ratio:.1f}× faster",
        "≥ 10× faster",
        ratio >= 10,
    )
    Report.detail(
        f"fit: ours {us(per['ours fit'])} {spread(times['ours fit'])}, torch "
        f"{us(per['torch'])} {spread(times['torch'])} per update → {ratio:.1f}×"
    )
    print()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (about 20 s)")
    parser.add_argument(
        "--only",
        default="1,2,3,4,5",
        help="comma-separated cases to run, e.g. --only 4 (default: all)",
    )
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="cpu (default): this process's CPU time, which other processes on a shared "
        "machine do not inflate; wall: wall-clock time",
    )
    parser.add_argument(WORKER_FLAG, action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    use_clock(args.clock)
    if args.torch_free_worker:
        torch_free_worker(args.quick)
        return 0
    only = {part.strip() for part in args.only.split(",")}
    try:
        import torch
    except ImportError:
        print(
            "PyTorch is the reference: install it with  .venv/bin/pip install -e '.[bench]'",
            file=sys.stderr,
        )
        return 2
    torch.set_num_threads(1)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    began = time.perf_counter()
    print_header(torch)
    check_same_maths(torch)
    report = Report()
    torch_free = None
    if only & {"1", "2"}:
        print("(timing ours in a fresh torch-free process first ...)\n")
        torch_free = run_torch_free_worker(args.quick)
    if "1" in only:
        case_online(torch, report, args.quick, torch_free)
    if "2" in only:
        case_full_batch(torch, report, args.quick, torch_free)
        case_fit_epochs(torch, report, args.quick, torch_free)
    if "3" in only:
        case_import(report, args.quick)
    if "4" in only:
        case_derive(report, args.quick)
    if "5" in only:
        case_cross_entropy(torch, report, args.quick)
    print("## Results\n")
    print(report.table())
    print(
        "\nratio: for 1 and 2 the reference's time over ours (higher is better); for 3 ours "
        "over the reference; for 4 ours over the target. Medians of rounds interleaved in one "
        f"process (2b excepted), on the {CLOCK_NAME} clock; times vary between machines, the "
        "ratios much less."
    )
    print(f"\n(total {time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

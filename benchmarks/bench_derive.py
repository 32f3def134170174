"""How long ``derive`` takes once its cache is warm, with a weight changed between calls.

Run with ``python benchmarks/bench_derive.py``. Prints the median and worst time per call of
``derive`` (cold: first call for a parameter; warm: the cache filled, a weight changed before
each call) for the architectures the symbolic panel has to keep up with. "+ terms" also reads
what a step-through view reads: ``.terms``, ``.paths`` and ``.chain``; "+ symbolic" reads what
the derivation panel's check reads, ``.symbolic_value`` (its cold calls compile the expression).
"""

from __future__ import annotations

import time

import numpy as np

from backprop_widgets import MLP
from backprop_widgets.symbolic import clear_cache, derive

READS = {
    "": lambda d: None,
    "+ terms": lambda d: (d.terms, d.paths, d.chain),
    "+ symbolic": lambda d: d.symbolic_value,
}


def bench(sizes: list, parameters: list, repeats: int = 50, reads: str = "") -> None:
    net = MLP(sizes, seed=0)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(-1, 1, sizes[0]), rng.uniform(0, 1, sizes[-1])
    clear_cache()
    cold, warm = [], []
    for parameter in parameters:
        start = time.perf_counter()
        READS[reads](derive(net, *parameter, x=x, y=y))
        cold.append(time.perf_counter() - start)
        for _ in range(repeats):
            net.weights[0][0, 0] += 1e-3
            start = time.perf_counter()
            READS[reads](derive(net, *parameter, x=x, y=y))
            warm.append(time.perf_counter() - start)
    print(
        f"{str(sizes):>20} {reads:11} {len(parameters):3d} parameters"
        f"  cold median {np.median(cold) * 1e3:6.2f} ms max {max(cold) * 1e3:6.2f} ms"
        f"  warm median {np.median(warm) * 1e3:6.3f} ms"
        f" max {max(warm) * 1e3:6.3f} ms"
    )


def main() -> None:
    import sympy  # noqa: F401  (imported before timing: its import is not derive's cost)

    derive(MLP([2, 2, 1]), 0, 0, 0, x=[0.0, 0.0], y=0.0)
    for reads in READS:
        bench([2, 4, 4, 1], MLP([2, 4, 4, 1]).parameters(), reads=reads)
        first_layer = [p for p in MLP([4, 8, 8, 3]).parameters() if p[0] == 0]
        bench([4, 8, 8, 3], first_layer, reads=reads)
        bench([4, 4, 4, 4, 4, 4], [(0, 0, 0), (0, 3, "bias"), (2, 1, 1), (4, 3, 3)], reads=reads)
        bench([8, 16, 16, 16, 16, 8], [(0, 0, 0), (2, 1, 1)], repeats=10, reads=reads)


if __name__ == "__main__":
    main()

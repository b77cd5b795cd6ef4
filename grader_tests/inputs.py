"""Random inputs for hidden checks: many shapes, int and float dtypes, negative numbers.

Values stay where the textbook formulas are exact (|x| <= 50 by default), so the textbook answer earns full
marks; an exercise that grades numerical stability asks for larger values explicitly.
"""
from __future__ import annotations

import numpy as np

LIMIT = 50


def random_shape(rng: np.random.Generator) -> tuple[int, ...]:
    """A vector, a single row, a single column, a non-square or a square matrix."""
    n, m = (int(v) for v in rng.integers(1, 8, size=2))
    if m == n:
        m += 1
    return [(n,), (1, m), (n, 1), (n, m), (n, n)][int(rng.integers(5))]


def random_array(rng: np.random.Generator, shape: tuple[int, ...] | None = None,
                 limit: float = LIMIT) -> np.ndarray:
    """Floats in [-limit, limit]; about one array in three holds integers instead."""
    shape = random_shape(rng) if shape is None else shape
    if rng.random() < 1 / 3:
        return rng.integers(-int(limit), int(limit) + 1, size=shape)
    return rng.uniform(-limit, limit, size=shape)


def random_number(rng: np.random.Generator, limit: float = LIMIT) -> float | int:
    """A Python float, or (one time in three) a Python int."""
    if rng.random() < 1 / 3:
        return int(rng.integers(-int(limit), int(limit) + 1))
    return float(rng.uniform(-limit, limit))

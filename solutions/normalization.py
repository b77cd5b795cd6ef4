"""Reference solution for notebook 3, normalizing the rows of a matrix."""
import numpy as np

# A finite row norm of at least this size came from a sum of squares that did not overflow and lost nothing
# that matters to underflow (a square below the smallest normal float is off by at most 2.5e-324, negligible
# against a sum of squares of at least 1e-280), so dividing by it is exact to rounding.
_SMALLEST_SAFE_NORM = 1e-140


def normalize_rows(x):
    """Each row of the 2-D array x divided by its Euclidean (L2) norm, as a new float array.

    x itself is never changed, and integer input is fine. Ordinary rows take one pass for the norms and one for
    the division, as fast as the textbook `x / np.linalg.norm(x, axis=1, keepdims=True)`. Rows whose sum of
    squares overflows or underflows (a norm above about 1e154 or below 1e-140) are first divided by their
    largest absolute value, which puts their entries in [-1, 1] and their norm in [1, sqrt(m)], so the result
    is right for every finite input. An all-zero row has no direction; it is returned as zeros (not 0 / 0 = nan).
    """
    x = np.asarray(x, dtype=float)
    with np.errstate(over="ignore", under="ignore"):  # extreme rows are redone below
        norms = np.linalg.norm(x, axis=1, keepdims=True)  # shape (n, 1): broadcasts along each row
    safe = (norms >= _SMALLEST_SAFE_NORM) & np.isfinite(norms)
    result = x / np.where(safe, norms, 1.0)  # a new array, so x is left as it was
    extreme = ~safe[:, 0]
    if extreme.any():
        rows = x[extreme]
        scale = np.max(np.abs(rows), axis=1, keepdims=True)
        scale[scale == 0] = 1.0  # all-zero rows: nothing to scale
        rows = rows / scale  # each non-zero row now has largest |entry| exactly 1
        row_norms = np.linalg.norm(rows, axis=1, keepdims=True)
        row_norms[row_norms == 0] = 1.0  # only all-zero rows have norm 0 here; they stay zero
        result[extreme] = rows / row_norms
    return result

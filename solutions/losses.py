"""Reference solutions for notebook 6, the L1 and L2 loss functions."""
import numpy as np


def L1(yhat, y):
    """L1(ŷ, y) = Σ_i |y_i − ŷ_i|, the sum of absolute errors, as a Python float.

    yhat and y are arrays of one shape (a vector or a matrix); every element counts once. The difference is
    taken in floating point, so integer inputs cannot overflow, and np.sum adds pairwise (small rounding error).
    """
    d = np.subtract(y, yhat, dtype=float)
    return float(np.sum(np.abs(d)))


def L2(yhat, y):
    """L2(ŷ, y) = Σ_i (y_i − ŷ_i)², the sum of squared errors, as a Python float.

    This is the squared Euclidean norm of y − ŷ (not the norm itself). The differences are flattened, so any
    shape works, and np.dot of the flat vector with itself sums the squares in one pass, without building the
    array of squares.
    """
    d = np.subtract(y, yhat, dtype=float).ravel()
    return float(np.dot(d, d))

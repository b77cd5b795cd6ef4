"""Reference solutions for notebook 5, vectorization: the matrix-vector product W·x, with loops and without."""
import numpy as np


def gdot_loop(W, x):
    """W·x for W of shape (m, n) and x of shape (n,), with explicit Python loops (the exercise asks for them).

    Row i of the result is the sum over j of W[i, j] * x[j], added up from j = 0 to n - 1: the same order as
    the textbook loop, so both round identically. Each row is summed in a local Python float, which is faster
    than reading and writing the array element gdot[i] n times. Integer inputs give a float result, like
    np.zeros(m) does.
    """
    W, x = np.asarray(W), np.asarray(x)
    m, n = W.shape
    gdot = np.zeros(m)
    for i in range(m):
        total = 0.0
        for j in range(n):
            total += W[i, j] * x[j]
        gdot[i] = total
    return gdot


def gdot_vectorized(W, x):
    """W·x for W of shape (m, n) and x of shape (n,), without Python loops: NumPy's compiled (BLAS) product.

    The result has shape (m,) and NumPy's dtype rules (int inputs stay int).
    """
    return np.dot(W, x)

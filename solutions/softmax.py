"""Reference solutions for notebook 4, broadcasting and the softmax."""
import numpy as np


def softmax_stable(x):
    """Softmax of each row of a 2-D array, without overflow for any finite input.

    softmax(x)_ij = e^(x_ij) / Σ_k e^(x_ik). Subtracting each row's maximum m_i from the row first changes
    nothing mathematically (numerator and denominator are both multiplied by e^(-m_i)), but every exponent
    becomes <= 0, so e^(...) lies in (0, 1] and cannot overflow, and each row's sum is at least 1 (its maximum
    contributes e^0 = 1), so it is never 0/0. Terms that underflow to 0 have true probabilities below
    about 1e-308. Works along the last axis, so a 1-D vector is treated as one row.
    """
    z = np.array(x, dtype=float)  # a float copy: the caller's array is never changed, ints cannot wrap
    with np.errstate(over="ignore", under="ignore"):
        # x - max can only overflow to -inf (for |x| near 1.8e308), whose e^(...) = 0 is the right answer
        z -= z.max(axis=-1, keepdims=True)
        np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def softmax(x):
    """Softmax of each row of a 2-D array: one probability distribution per row.

    The textbook formula and the max-shifted one agree wherever the textbook one does not overflow, so the
    reference for both exercises is the stable version.
    """
    return softmax_stable(x)

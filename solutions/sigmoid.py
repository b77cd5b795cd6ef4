"""Reference solutions for notebook 1, the sigmoid function and its gradient."""
import math

import numpy as np


def basic_sigmoid(x):
    """σ(x) = 1 / (1 + e^(-x)) for one real number, without overflow for any finite x."""
    if x >= 0:
        return 1 / (1 + math.exp(-x))
    z = math.exp(x)  # e^x <= 1 here, so it cannot overflow
    return z / (1 + z)


def sigmoid(x):
    """σ applied element-wise to an array (or a number), without overflow for any finite input."""
    x = np.asarray(x, dtype=float)
    z = np.exp(-np.abs(x))  # e^(-|x|) lies in (0, 1]: never overflows
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_derivative(x):
    """σ'(x) = σ(x) (1 - σ(x)), element-wise."""
    s = sigmoid(x)
    return s * (1 - s)

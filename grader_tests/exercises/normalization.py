"""Notebook 3: normalize_rows."""
import numpy as np

from grader_tests.core import ARRAY, Example, Exercise, Mistake
from grader_tests.inputs import random_array

ROW_NORMS = "np.linalg.norm(x, axis=1, keepdims=True)"


def random_matrix(rng: np.random.Generator) -> tuple:
    """A 2-D array: a single row, a single column, square or non-square (both ways round); int or float values
    in [-50, 50], negatives included. No row is all zeros: such a row has no direction to keep."""
    n, m = (int(v) for v in rng.integers(2, 8, size=2))
    if m == n:
        m += 1
    shape = [(1, m), (n, 1), (n, m), (m, n), (n, n)][int(rng.integers(5))]
    while True:
        x = random_array(rng, shape)
        if np.all(np.any(x != 0, axis=1)):
            return (x,)


NORMALIZE_ROWS = Exercise(
    name="normalize_rows",
    params=("x",),
    returns=ARRAY,
    examples=(Example((np.array([[0, 3, 4], [1, 6, 4]]),),
                      np.array([[0.0, 0.6, 0.8],
                                [0.13736056394868904, 0.8241633836921342, 0.5494422557947561]])),),
    random_case=random_matrix,
    mistakes=(
        Mistake("missing keepdims=True", "norm = np.linalg.norm(x, axis=1)\nreturn x / norm",
                why="np.linalg.norm(x, axis=1) has shape (n,): the n row norms laid out as a row, not a column. "
                    "NumPy lines shapes up from the right, so x of shape (n, m) divided by it pairs the norms "
                    "with the m columns. When m ≠ n that raises 'operands could not be broadcast together'; when "
                    "x is square it silently divides column j by the norm of row j, which gives wrong numbers.",
                fix=f"Keep the summed axis, so the norms form a column of shape (n, 1): norm = {ROW_NORMS}, "
                    "then x / norm divides each row by its own norm."),
        Mistake("divides x in place (x /= norm)",
                f"norm = {ROW_NORMS}\nx /= norm\nreturn x",
                why="`x /= norm` writes the quotients back into the caller's array instead of making a new one. "
                    "An integer array cannot hold them, so for int input it raises UFuncTypeError ('Cannot cast "
                    "ufunc 'divide' output'); for float input it overwrites the caller's data.",
                fix="Make a new array: `return x / norm` (`x = x / norm` is fine too: it points the name x at "
                    "a new array and leaves the caller's array alone)."),
        Mistake("column norms (axis=0) instead of row norms",
                "norm = np.linalg.norm(x, axis=0, keepdims=True)\nreturn x / norm",
                why="axis=0 is the axis that gets summed over: it runs down the rows, so you get one norm per "
                    "column (shape (1, m)) and each column, not each row, ends up with length 1.",
                fix=f"Use axis=1, which sums along each row: norm = {ROW_NORMS}."),
        Mistake("L1 norm (sum of absolute values) instead of the L2 norm",
                "norm = np.sum(np.abs(x), axis=1, keepdims=True)\nreturn x / norm",
                why="|x₁| + |x₂| + … is the L1 norm (7 for the row [0, 3, 4], whose length is 5), as is "
                    "np.linalg.norm(..., ord=1). The rows' absolute values then add up to 1, but their lengths "
                    "are not 1.",
                fix=f"Use the Euclidean (L2) length, the square root of the sum of squares: norm = {ROW_NORMS} "
                    "(the default ord is the L2 norm; leave ord out)."),
        Mistake("sum of squares without the square root",
                "norm = np.sum(x ** 2, axis=1, keepdims=True)\nreturn x / norm",
                why="x₁² + x₂² + … is the squared length (25 for the row [0, 3, 4], whose length is 5), so each "
                    "row is divided by its length twice and ends up with length 1 / ‖row‖ instead of 1.",
                fix=f"Take the square root: np.sqrt(np.sum(x ** 2, axis=1, keepdims=True)), or simply {ROW_NORMS}."),
        Mistake("returns the norms instead of the normalized rows",
                f"norm = {ROW_NORMS}\nreturn norm",
                why="The result is the length of each row (shape (n, 1)); the rows themselves still have to be "
                    "divided by those lengths.",
                fix="Return the rows divided by their norms: return x / norm."),
        Mistake("divides by the norm of the whole matrix",
                "norm = np.linalg.norm(x)\nreturn x / norm",
                why="Without axis, np.linalg.norm(x) is one number, the length of all the entries taken "
                    "together, so the whole matrix is scaled at once and the rows do not get length 1 each.",
                fix=f"Ask for one norm per row: norm = {ROW_NORMS}."),
    ),
)

EXERCISES = (NORMALIZE_ROWS,)

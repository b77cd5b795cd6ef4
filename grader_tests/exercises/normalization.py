"""Notebook 3: normalize_rows."""
import numpy as np

from grader_tests.core import ARRAY, Example, Exercise, Mistake
from grader_tests.inputs import random_array

ROW_NORMS = "np.linalg.norm(x, axis=1, keepdims=True)"  # in mistakes' code only: no message shows it
PER_ROW = "one norm per row (see `axis` in the np.linalg.norm documentation)"
KEEP_COLUMN = ("keep the reduced axis (`keepdims` in the np.linalg.norm documentation), so that the norms form a "
               "column of shape (n, 1) and each row meets its own norm")


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
                                [0.13736056394868904, 0.8241633836921342, 0.5494422557947561]])),
              # three rows: an answer that writes the first example's two rows in fails here, visibly
              Example((np.array([[3, 4], [-6, 8], [5, 12]]),),
                      np.array([[0.6, 0.8], [-0.6, 0.8], [0.38461538461538464, 0.9230769230769231]]))),
    random_case=random_matrix,
    mistakes=(
        Mistake("missing keepdims=True", "norm = np.linalg.norm(x, axis=1)\nreturn x / norm",
                why="np.linalg.norm(x, axis=1) has shape (n,): the n row norms laid out as a row, not a column. "
                    "NumPy lines shapes up from the right, so x of shape (n, m) divided by it pairs the norms "
                    "with the m columns. When m ≠ n that raises 'operands could not be broadcast together'; when "
                    "x is square it silently divides column j by the norm of row j, which gives wrong numbers.",
                fix=f"Still {PER_ROW}, but {KEEP_COLUMN}."),
        Mistake("divides x in place (x /= norm)",
                f"norm = {ROW_NORMS}\nx /= norm\nreturn x",
                why="`x /= norm` writes the quotients back into the caller's array instead of making a new one. "
                    "An integer array cannot hold them, so for int input it raises UFuncTypeError ('Cannot cast "
                    "ufunc 'divide' output'); for float input it overwrites the caller's data.",
                fix="Make a new array instead of writing into x: the plain division operator returns a new "
                    "array (assigning its result to the name x is fine too: the caller's array stays as it was)."),
        Mistake("column norms (axis=0) instead of row norms",
                "norm = np.linalg.norm(x, axis=0, keepdims=True)\nreturn x / norm",
                why="axis=0 is the axis that gets summed over: it runs down the rows, so you get one norm per "
                    "column (shape (1, m)) and each column, not each row, ends up with length 1.",
                fix=f"Reduce along the other axis, the one that runs along each row, to get {PER_ROW}."),
        Mistake("L1 norm (sum of absolute values) instead of the L2 norm",
                "norm = np.sum(np.abs(x), axis=1, keepdims=True)\nreturn x / norm",
                why="|x₁| + |x₂| + … is the L1 norm (7 for the row [0, 3, 4], whose length is 5), as is "
                    "np.linalg.norm(..., ord=1). The rows' absolute values then add up to 1, but their lengths "
                    "are not 1.",
                fix="Use the Euclidean (L2) length, the square root of the sum of squares: it is "
                    "np.linalg.norm's default, so leave ord out."),
        Mistake("sum of squares without the square root",
                "norm = np.sum(x ** 2, axis=1, keepdims=True)\nreturn x / norm",
                why="x₁² + x₂² + … is the squared length (25 for the row [0, 3, 4], whose length is 5), so each "
                    "row is divided by its length twice and ends up with length 1 / ‖row‖ instead of 1.",
                fix="Take the square root of each row's sum of squares (np.sqrt), or let np.linalg.norm compute "
                    "the lengths."),
        Mistake("returns the norms instead of the normalized rows",
                f"norm = {ROW_NORMS}\nreturn norm",
                why="The result is the length of each row (shape (n, 1)); the rows themselves still have to be "
                    "divided by those lengths.",
                fix="Divide the rows of x by those lengths, and return the quotient."),
        Mistake("divides by the norm of the whole matrix",
                "norm = np.linalg.norm(x)\nreturn x / norm",
                why="Without axis, np.linalg.norm(x) is one number, the length of all the entries taken "
                    "together, so the whole matrix is scaled at once and the rows do not get length 1 each.",
                fix=f"Ask np.linalg.norm for {PER_ROW}, and {KEEP_COLUMN}."),
        Mistake("norms reshaped to (2, 1): the worked example's number of rows written in",
                "norm = np.linalg.norm(x, axis=1).reshape(2, 1)\nreturn x / norm",
                why="The row norms were reshaped to the fixed shape (2, 1), which only the worked example's two "
                    "rows fit. A matrix with n ≠ 2 rows has n norms, which cannot be reshaped to (2, 1), so "
                    "NumPy raises ValueError.",
                fix=f"Do not write the example's sizes in: {KEEP_COLUMN} (its length then always matches x)."),
        Mistake("the spectral norm of the whole matrix (ord=2 without an axis)",
                "norm = np.linalg.norm(x, ord=2, keepdims=True)\nreturn x / norm",
                why="Given a 2-D array and no axis, np.linalg.norm with ord=2 is the matrix's spectral norm "
                    "(its largest singular value): one number for the whole matrix, so the whole matrix is "
                    "scaled at once and the rows do not get length 1 each. ord=2 means the Euclidean length "
                    "only when the norm is taken along an axis.",
                fix=f"Give np.linalg.norm an axis to get {PER_ROW}; its default ord is already the Euclidean "
                    "length."),
    ),
)

EXERCISES = (NORMALIZE_ROWS,)

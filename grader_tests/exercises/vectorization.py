"""Notebook 5: gdot_loop, gdot_vectorized (the matrix-vector product W·x, with loops and without)."""
import numpy as np

from grader_tests.core import ARRAY, Example, Exercise, Mistake
from grader_tests.inputs import random_array

EXAMPLE_W = np.array([[1, 2, 3],
                      [4, 5, 6]])
EXAMPLE_X = np.array([1, -1, 2])


def random_matrix_and_vector(rng):
    """W of shape (m, n) and x of shape (n,), m and n from 1 to 7 (square or not), int or float, negatives."""
    m, n = (int(v) for v in rng.integers(1, 8, size=2))
    return random_array(rng, shape=(m, n)), random_array(rng, shape=(n,))


MATRIX_PRODUCT = ("the matrix product, which multiplies and adds along each row of W in one step (np.dot, or the "
                  "@ operator: see the NumPy reference)")
ORDER_FIX = "The matrix product is not commutative: put the matrix first, so that its columns meet the entries of x."
ROW_RULE = "Row i of W·x is the sum W[i, 0]·x[0] + W[i, 1]·x[1] + … + W[i, n−1]·x[n−1]"

GDOT_LOOP = Exercise(
    name="gdot_loop",
    params=("W", "x"),
    returns=ARRAY,
    loops=True,
    examples=(Example((EXAMPLE_W, EXAMPLE_X), np.array([5.0, 11.0])),),
    random_case=random_matrix_and_vector,
    mistakes=(
        Mistake("assignment instead of accumulation (= instead of +=)",
                """
                m, n = W.shape
                gdot = np.zeros(m)
                for i in range(m):
                    for j in range(n):
                        gdot[i] = W[i, j] * x[j]
                return gdot
                """,
                why="Each pass of the inner loop overwrites gdot[i], so only the last product W[i, n−1]·x[n−1] "
                    "of each row survives: for the worked example you get [ 6. 12.] instead of [ 5. 11.]. "
                    f"{ROW_RULE}: every product must be added.",
                fix="Add each product to the running sum of its row (+=) instead of replacing it (=)."),
        Mistake("swapped loop bounds (i over n, j over m)",
                """
                m, n = W.shape
                gdot = np.zeros(m)
                for i in range(n):
                    for j in range(m):
                        gdot[i] += W[i, j] * x[j]
                return gdot
                """,
                why="i numbers the rows of W (there are m of them, W.shape[0]) and j its columns (n of them, "
                    "W.shape[1]). With the bounds swapped, i runs past the last row as soon as W is not square, "
                    "hence the IndexError (on a square W the two bounds are equal, which hides the mistake).",
                fix="The outer loop runs over the m rows of W and the inner loop over its n columns, where "
                    "m, n = W.shape."),
        Mistake("running sum not reset for each row",
                """
                m, n = W.shape
                gdot = np.zeros(m)
                total = 0
                for i in range(m):
                    for j in range(n):
                        total += W[i, j] * x[j]
                    gdot[i] = total
                return gdot
                """,
                why="The running sum starts at 0 only once, before the outer loop, so each row's result also "
                    "contains all the rows before it: you get the cumulative sums of W·x "
                    "(for the worked example [ 5. 16.] instead of [ 5. 11.]).",
                fix="Start a fresh sum for every row: set it to 0 inside the outer loop, before the inner loop "
                    "(or accumulate straight into the row's entry of a result that np.zeros starts at 0)."),
        Mistake("x[i] instead of x[j]",
                """
                m, n = W.shape
                gdot = np.zeros(m)
                for i in range(m):
                    for j in range(n):
                        gdot[i] += W[i, j] * x[i]
                return gdot
                """,
                why=f"x has one entry per column of W, so it must be indexed by the column index j. {ROW_RULE}. "
                    "With x[i], row i is multiplied by a single number: the sum of the row times x[i].",
                fix="Index x with the column index: the one that runs along the row of W in the inner loop."),
        Mistake("return inside the loop",
                """
                m, n = W.shape
                gdot = np.zeros(m)
                for i in range(m):
                    for j in range(n):
                        gdot[i] += W[i, j] * x[j]
                    return gdot
                """,
                why="The `return` is indented inside the `for i` loop, so the function returns after the first "
                    "row: every other row of the result is still 0.",
                fix="Unindent `return gdot` to the level of the first `for`, so that it runs once all the rows "
                    "are done."),
        Mistake("result of length n instead of m (np.zeros(n))",
                """
                m, n = W.shape
                gdot = np.zeros(n)
                for i in range(m):
                    for j in range(n):
                        gdot[i] += W[i, j] * x[j]
                return gdot
                """,
                why="W·x has one entry per row of W, so its length is m = W.shape[0]; np.zeros(n) makes one "
                    "entry per column (too many, or an IndexError when W has more rows than columns).",
                fix="The result has one entry per row of W: make it as long as W has rows (m, n = W.shape)."),
    ),
)

GDOT_VECTORIZED = Exercise(
    name="gdot_vectorized",
    params=("W", "x"),
    returns=ARRAY,
    loops=False,
    examples=(Example((EXAMPLE_W, EXAMPLE_X), np.array([5, 11])),),
    random_case=random_matrix_and_vector,
    mistakes=(
        Mistake("element-wise W * x instead of the matrix product",
                "return W * x",
                why="`*` multiplies element by element: x is broadcast against every row of W, so the result is "
                    "the (m, n) matrix of products W[i, j]·x[j], not yet added up along each row.",
                fix=f"Use {MATRIX_PRODUCT}."),
        Mistake("element-wise product summed over the wrong axis (axis=0)",
                "return np.sum(W * x, axis=0)",
                why="np.sum(..., axis=0) adds down the columns, giving one number per column of W; W·x adds "
                    "along each row (axis=1), one number per row.",
                fix=f"Use {MATRIX_PRODUCT} (adding along the other axis would work too, but is slower)."),
        Mistake("element-wise product summed over everything",
                "return np.sum(W * x)",
                why="np.sum without an axis adds all m·n products into a single number; W·x has one sum per "
                    "row of W.",
                fix=f"Use {MATRIX_PRODUCT}."),
        Mistake("operands in the wrong order: x @ W",
                "return x @ W",
                why="The matrix product is not commutative: x @ W computes xᵀW (one number per column of W). "
                    "It fails when W is not square, and gives the wrong numbers when it is.",
                fix=ORDER_FIX),
        Mistake("operands in the wrong order: np.dot(x, W)",
                "return np.dot(x, W)",
                why="np.dot(x, W) computes xᵀW (one number per column of W), not W·x. It fails when W is not "
                    "square, and gives the wrong numbers when it is.",
                fix=ORDER_FIX),
        Mistake("np.outer instead of np.dot",
                "return np.outer(W, x)",
                why="np.outer multiplies every element of its first argument (flattened) by every element of "
                    "the second: a large matrix of products, nothing is added up.",
                fix=f"np.outer multiplies without adding up: use {MATRIX_PRODUCT}."),
    ),
)

EXERCISES = (GDOT_LOOP, GDOT_VECTORIZED)

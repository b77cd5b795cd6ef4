"""Notebook 4: softmax, softmax_stable."""
import numpy as np

from grader_tests.core import ARRAY, Example, Exercise, Mistake
from grader_tests.inputs import LIMIT, random_array, random_shape

AXIS = "the `axis` argument of NumPy's reductions"
KEEP = ("keep the reduced axis (`keepdims`), so that the m results form a column of shape (m, 1) and broadcast row "
        "by row")
STABLE_LIMIT = 1000  # softmax_stable is graded on scores far beyond where e^x overflows (about 709.8)


def random_matrix(rng: np.random.Generator, limit: float = LIMIT) -> np.ndarray:
    """A 2-D array (single row, single column, non-square or square), ints or floats in [-limit, limit]."""
    shape = random_shape(rng)
    while len(shape) != 2:  # softmax works row by row: its input is always a matrix
        shape = random_shape(rng)
    return random_array(rng, shape, limit=limit)


SOFTMAX = Exercise(
    name="softmax",
    params=("x",),
    returns=ARRAY,
    examples=(Example((np.array([[9, 2, 5, 0, 0], [7, 5, 0, 0, 0]]),),
                      np.array([[0.9808976649146185, 0.0008944628906901776, 0.017965767417378736,
                                 0.00012105238865619453, 0.00012105238865619453],
                                [0.87867985588699, 0.11891638717077183, 0.0008012523140793875,
                                 0.0008012523140793875, 0.0008012523140793875]])),
              # three rows: an answer that writes the first example's two rows in fails here, visibly
              Example((np.array([[1, 0], [0, 0], [-1, 1]]),),
                      np.array([[0.7310585786300049, 0.2689414213699951], [0.5, 0.5],
                                [0.11920292202211755, 0.8807970779778823]]))),
    random_case=lambda rng: (random_matrix(rng),),
    mistakes=(
        Mistake("divides x instead of exp(x) by the row sums",
                "x_exp = np.exp(x)\nx_sum = np.sum(x_exp, axis=1, keepdims=True)\ns = x / x_sum\nreturn s",
                why="The numerator is x itself, not e^x: you computed x_ij / Σ_k e^(x_ik). The rows do not add "
                    "up to 1, and a negative score gives a negative \"probability\".",
                fix="The numerators are the exponentials of the scores, not the scores: divide those by their "
                    "row sums."),
        Mistake("sums over the whole matrix instead of each row",
                "x_exp = np.exp(x)\nreturn x_exp / np.sum(x_exp)",
                why="np.sum(x_exp) with no axis adds up every element of the matrix, so the whole matrix sums to "
                    "1, not each row. Softmax turns each row into its own probability distribution.",
                fix=f"Add up each row separately ({AXIS}), and {KEEP}."),
        Mistake("sums over columns (axis=0) instead of rows",
                "x_exp = np.exp(x)\nreturn x_exp / np.sum(x_exp, axis=0, keepdims=True)",
                why="axis=0 adds down each column, so each column sums to 1 instead of each row.",
                fix="Reduce along the other axis, the one that runs along each row, so that each row gets its own "
                    "sum."),
        Mistake("row sums without keepdims=True",
                "x_exp = np.exp(x)\nreturn x_exp / np.sum(x_exp, axis=1)",
                why="np.sum(x_exp, axis=1) has shape (m,), not (m, 1). Broadcasting lines shapes up from the "
                    "right, so the m row sums are matched with the columns, not the rows: (m, n) / (m,) "
                    "usually raises an error, and for a square matrix it silently divides column j by the sum "
                    "of row j.",
                fix=f"Still one sum per row, but {KEEP}."),
        Mistake("divides by the row sums of x instead of exp(x)",
                "x_exp = np.exp(x)\nreturn x_exp / np.sum(x, axis=1, keepdims=True)",
                why="The denominator adds up the scores x_ik, not their exponentials e^(x_ik), so the rows do "
                    "not add up to 1 (and a row whose scores sum to 0 divides by zero).",
                fix="Add up the exponentials, not the scores."),
        Mistake("row sums reshaped to (2, 1): the worked example's number of rows written in",
                "x_exp = np.exp(x)\nreturn x_exp / np.sum(x_exp, axis=1).reshape(2, 1)",
                why="The row sums were reshaped to the fixed shape (2, 1), which only the worked example's two "
                    "rows fit. A matrix with m ≠ 2 rows has m sums, which cannot be reshaped to (2, 1), so NumPy "
                    "raises ValueError.",
                fix=f"Do not write the example's sizes in: {KEEP} (its length then always matches x)."),
    ),
)

SOFTMAX_STABLE = Exercise(
    name="softmax_stable",
    params=("x",),
    returns=ARRAY,
    examples=(Example((np.array([[1000, 1001, 1002], [-1000, -999, -998], [-1000, 0, 1000]]),),
                      np.array([[0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
                                [0.09003057317038046, 0.24472847105479764, 0.6652409557748218],
                                [0.0, 0.0, 1.0]])),),
    random_case=lambda rng: (random_matrix(rng, limit=STABLE_LIMIT),),
    mistakes=(
        Mistake("no max shift: np.exp overflows on large scores",
                "x_exp = np.exp(x)\nreturn x_exp / np.sum(x_exp, axis=1, keepdims=True)",
                why="This is the textbook formula, without the shift. e^x overflows to inf once x is above "
                    "about 709.8, and inf / inf is nan; when every score in a row is below about -745, every e^x "
                    "underflows to 0, and 0 / 0 is nan.",
                fix="Before the exponential, subtract from each row its own largest score (the maximum taken "
                    "along each row, kept as a column), so that every exponent is at most 0."),
        Mistake("shifts by the maximum of the whole matrix instead of each row",
                "x_exp = np.exp(x - np.max(x))\nreturn x_exp / np.sum(x_exp, axis=1, keepdims=True)",
                why="np.max(x) with no axis is the largest score in the whole matrix. A row whose scores are all "
                    "far below it gets e^(...) = 0 everywhere, and 0 / 0 is nan.",
                fix=f"Shift each row by its own maximum: take the maximum along each row ({AXIS}), and {KEEP}."),
        Mistake("shifts by the row minimum instead of the maximum",
                "x_exp = np.exp(x - np.min(x, axis=1, keepdims=True))\n"
                "return x_exp / np.sum(x_exp, axis=1, keepdims=True)",
                why="After subtracting the minimum every exponent is >= 0, so a row whose scores spread over "
                    "more than about 709.8 still overflows to inf, and inf / inf is nan.",
                fix="Subtract each row's maximum instead, so that every exponent is at most 0."),
        Mistake("row maximum without keepdims=True",
                "x_exp = np.exp(x - np.max(x, axis=1))\nreturn x_exp / np.sum(x_exp, axis=1, keepdims=True)",
                why="np.max(x, axis=1) has shape (m,), not (m, 1), so broadcasting matches the m row maxima with "
                    "the columns: for a square matrix, x - np.max(x, axis=1) subtracts the maximum of row j from "
                    "column j (most other shapes raise an error). The exponents are then not all <= 0, and large "
                    "scores overflow again.",
                fix=f"Still one maximum per row, but {KEEP}."),
    ),
)

EXERCISES = (SOFTMAX, SOFTMAX_STABLE)

"""Notebook 6: the L1 and L2 losses."""
import numpy as np

from grader_tests.core import SCALAR, Example, Exercise, Mistake
from grader_tests.inputs import random_array, random_shape

# The worked examples. First a batch: two examples with three yes/no outputs each, one row per example. It comes
# first so that the mistakes that are right for vectors only (np.dot, Python's sum) fail on the very first input,
# where the visible check names them; on an input where such a mistake is right, it would be the diagnosis of any
# answer that fails with the right value (one that changes its input, say). Then the deep-learning course's
# example: five predictions and their true labels.
YHAT_BATCH = np.array([[0.75, 0.25, 0.5], [0.25, 0.5, 1.0]])
Y_BATCH = np.array([[1, 0, 0], [0, 1, 1]])
YHAT = np.array([.9, 0.2, 0.1, .4, .9])
Y = np.array([1, 0, 0, 1, 1])


def random_pair(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(yhat, y) of one shape: a vector of length 1..10 about half the time, otherwise a vector, a row, a column
    or a matrix; each int or float, with negative numbers, within ±50."""
    shape = (int(rng.integers(1, 11)),) if rng.random() < 0.5 else random_shape(rng)
    return random_array(rng, shape), random_array(rng, shape)


SUM_FIX = "Add the terms up with np.sum, so that the loss is one number."
SUM_ALL_FIX = "Leave the axis out: np.sum with no axis adds up every element of an array of any shape into one number."


def shape_mistakes(terms: str, what: str) -> tuple[Mistake, ...]:
    """The sums that leave an array where one number is expected. `terms` is the array of the individual errors,
    as code; `what` names them. A total per column has two likely causes that behave identically on every input
    (np.sum with axis=0, and Python's built-in sum, which adds the rows of a 2-D array together), so the
    message names both rather than guessing."""
    return (
        Mistake("a total per column (np.sum with axis=0, or Python's sum) instead of one number",
                f"return np.sum({terms}, axis=0)",
                why=f"Your loss adds the {what} down each column only, so for a matrix it returns one total per "
                    "column (an array), not one number. np.sum with axis=0 does that, and so does Python's "
                    "built-in sum(), which adds the rows of a 2-D array together. For a vector both happen to "
                    "give the right number.",
                fix=SUM_ALL_FIX),
        Mistake("a total per row (axis=1 or axis=-1) instead of one number",
                f"return np.sum({terms}, axis=-1)",
                why=f"Your loss adds the {what} along each row only, so for a matrix it returns one total per row "
                    "(an array), not one number: that is a sum with axis=1 (or axis=-1, the last axis). The "
                    "loss of a batch is one number over all its elements.",
                fix=SUM_ALL_FIX),
        Mistake("the total kept in an array (keepdims=True) instead of a number",
                f"return np.sum({terms}, keepdims=True)",
                why="keepdims=True keeps every summed axis with size 1, so the total comes back as an array of "
                    "shape (1, 1) for a matrix, (1,) for a vector, not as a number. keepdims is for results "
                    "that are broadcast back against the array; a loss is not.",
                fix="Leave keepdims out, so that np.sum returns the total as one number."),
    )


L1 = Exercise(
    name="L1",
    params=("yhat", "y"),
    returns=SCALAR,
    examples=(Example((YHAT_BATCH, Y_BATCH), 1.75), Example((YHAT, Y), 1.1)),
    random_case=random_pair,
    mistakes=(
        Mistake("no absolute value", "return np.sum(y - yhat)",
                why="Without the absolute value, errors in opposite directions cancel: a prediction 0.25 too high "
                    "and one 0.25 too low add up to 0, and the total can even be negative (−0.25 for the batch "
                    "example). A loss must count every error as a positive cost.",
                fix="Take the absolute value of each difference (np.abs) before adding them up."),
        Mistake("the absolute value of the sum instead of the sum of absolute values",
                "return np.abs(np.sum(y - yhat))",
                why="The absolute value is taken after adding, so errors in opposite directions still cancel: for "
                    "the batch example the differences add up to −0.25, and this returns 0.25 instead of 1.75.",
                fix="Take the absolute value of each difference first, then add them up."),
        Mistake("a mean instead of a sum", "return np.mean(np.abs(y - yhat))",
                why="np.mean divides the total by the number of elements (6 for the batch example, 5 for the "
                    "vector). The L1 loss here is the sum of the absolute errors, not their average.",
                fix="Add the absolute errors up (np.sum) instead of averaging them."),
        Mistake("squares instead of absolute values", "return np.sum((y - yhat) ** 2)",
                why="Squaring the differences gives the L2 loss, not the L1 loss.",
                fix="Use the absolute value of each difference, not its square."),
        Mistake("the absolute errors without their sum", "return np.abs(y - yhat)",
                why="np.abs(y - yhat) is the array of the individual absolute errors, one per prediction; the "
                    "loss is their total, a single number.",
                fix=SUM_FIX),
        *shape_mistakes("np.abs(y - yhat)", "absolute errors"),
    ),
)

L2 = Exercise(
    name="L2",
    params=("yhat", "y"),
    returns=SCALAR,
    examples=(Example((YHAT_BATCH, Y_BATCH), 0.6875), Example((YHAT, Y), 0.43)),
    random_case=random_pair,
    mistakes=(
        Mistake("the norm instead of its square (a square root too many)", "return np.linalg.norm(y - yhat)",
                why="np.linalg.norm(d), like the square root of the sum of squares, is the Euclidean length of "
                    "d = y − ŷ: the square root of the L2 loss (0.829 = √0.6875 for the batch example, "
                    "0.656 = √0.43 for the vector).",
                fix="Leave out the square root: the L2 loss is the squared length of y − ŷ."),
        Mistake("a mean instead of a sum", "return np.mean((y - yhat) ** 2)",
                why="np.mean divides the total by the number of elements (that is the mean squared error). The "
                    "L2 loss here is the sum of the squared errors, not their average.",
                fix="Add the squared errors up (np.sum) instead of averaging them."),
        Mistake("the square of the sum instead of the sum of the squares", "return np.sum(y - yhat) ** 2",
                why="Adding first lets errors in opposite directions cancel, and only the total is squared: for "
                    "the batch example that is (−0.25)² = 0.0625 instead of 0.6875.",
                fix="Square each difference first, then add them up."),
        Mistake("no square", "return np.sum(y - yhat)",
                why="This is the plain sum of the differences, where errors in opposite directions cancel (it "
                    "can even be negative: −0.25 for the batch example).",
                fix="Square each difference before adding them up."),
        Mistake("operator precedence: y - yhat ** 2", "return np.sum(y - yhat ** 2)",
                why="Python squares before it subtracts, so y - yhat ** 2 is y − ŷ², not (y − ŷ)².",
                fix="Put the difference in parentheses before squaring it."),
        Mistake("absolute values instead of squares", "return np.sum(np.abs(y - yhat))",
                why="The sum of the absolute errors is the L1 loss, not the L2 loss.",
                fix="Square each difference instead of taking its absolute value."),
        Mistake("the squared errors without their sum", "return (y - yhat) ** 2",
                why="(y - yhat) ** 2 is the array of the individual squared errors, one per prediction; the loss "
                    "is their total, a single number.",
                fix=SUM_FIX),
        Mistake("np.dot on a matrix", "return np.dot(y - yhat, y - yhat)",
                why="For 1-D vectors the dot product of the differences with themselves is the sum of their "
                    "squares, but for 2-D arrays np.dot is the matrix product: it raises an error when the shapes "
                    "do not fit (a 2 × 3 batch, a row, a column) and returns a matrix for a square one.",
                fix="Square each difference and add up every element (np.sum with no axis), which works for any "
                    "shape; or make the differences 1-D first (ravel)."),
        Mistake("a matrix of row-by-row products (the differences times their transpose) instead of one number",
                "d = y - yhat\nreturn np.dot(d, d.T)",
                why="For a batch, d · dᵀ (np.dot with the transpose, or @) is a matrix: entry (i, k) is the dot "
                    "product of row i with row k of the differences, so the 2 × 3 batch gives a 2 × 2 matrix. "
                    "Only its diagonal holds each row's squared errors; the other entries mix different "
                    "examples. For a 1-D vector the transpose changes nothing, which is why it works there.",
                fix="Square each difference and add up every element (np.sum with no axis): that works for any "
                    "shape."),
        *shape_mistakes("(y - yhat) ** 2", "squared errors"),
    ),
)

EXERCISES = (L1, L2)

"""Notebook 1: basic_sigmoid, sigmoid, sigmoid_derivative."""
import numpy as np

from grader_tests.core import ARRAY, SCALAR, Example, Exercise, Mistake
from grader_tests.inputs import random_array, random_number

SIGN_FIX = "Put a minus sign inside the exponential: σ(x) = 1 / (1 + e^(−x)), so write np.exp(-x)."

BASIC_SIGMOID = Exercise(
    name="basic_sigmoid",
    params=("x",),
    returns=SCALAR,
    examples=(Example((1,), 0.7310585786300049), Example((-3,), 0.04742587317756679)),
    random_case=lambda rng: (random_number(rng),),
    mistakes=(
        Mistake("sign flipped inside math.exp", "return 1 / (1 + math.exp(x))",
                why="Your function returns σ(−x): it falls as x grows (0.269 for x = 1), but σ rises from 0 to 1.",
                fix="Use math.exp(-x): σ(x) = 1 / (1 + e^(−x))."),
        Mistake("operator precedence: 1 / 1 + math.exp(-x)", "return 1 / 1 + math.exp(-x)",
                why="Python divides before it adds, so this computes (1 / 1) + e^(−x) = 1 + e^(−x).",
                fix="Put the whole denominator in parentheses: 1 / (1 + math.exp(-x))."),
        Mistake("missing the 1 + in the denominator", "return 1 / math.exp(-x)",
                why="1 / e^(−x) is e^x, which grows without bound; σ stays between 0 and 1.",
                fix="The denominator is 1 + e^(−x): 1 / (1 + math.exp(-x))."),
    ),
)

SIGMOID = Exercise(
    name="sigmoid",
    params=("x",),
    returns=ARRAY,
    examples=(Example((np.array([1, 2, 3]),),
                      np.array([0.7310585786300049, 0.8807970779778823, 0.9525741268224334])),),
    random_case=lambda rng: (random_array(rng),),
    mistakes=(
        Mistake("sign flipped inside np.exp", "return 1 / (1 + np.exp(x))",
                why="Your sigmoid returns σ(−x): for x = 1, 2, 3 it gives 0.269, 0.119, 0.047, falling as x "
                    "grows, while σ rises towards 1.",
                fix=SIGN_FIX),
        Mistake("operator precedence: 1 / 1 + np.exp(-x)", "return 1 / 1 + np.exp(-x)",
                why="Python divides before it adds, so this computes (1 / 1) + e^(−x) = 1 + e^(−x).",
                fix="Put the whole denominator in parentheses: 1 / (1 + np.exp(-x))."),
        Mistake("missing the 1 + in the denominator", "return 1 / np.exp(-x)",
                why="1 / e^(−x) is e^x, which grows without bound; σ stays between 0 and 1.",
                fix="The denominator is 1 + e^(−x): 1 / (1 + np.exp(-x))."),
        Mistake("math.exp on an array", "return 1 / (1 + math.exp(-x))",
                why="math.exp takes one number; given an array it raises TypeError.",
                fix="Use np.exp, which works element by element on whole arrays."),
    ),
)

SIGMOID_DERIVATIVE = Exercise(
    name="sigmoid_derivative",
    params=("x",),
    returns=ARRAY,
    examples=(Example((np.array([1, 2, 3]),),
                      np.array([0.19661193324148185, 0.10499358540350662, 0.045176659730912])),),
    random_case=lambda rng: (random_array(rng),),
    mistakes=(
        Mistake("s(1 − s) applied to x instead of σ(x)", "return x * (1 - x)",
                why="The formula σ'(x) = s (1 − s) uses s = σ(x), not x itself.",
                fix="Apply the formula to σ(x), not to x: first s = sigmoid(x), then s * (1 - s)."),
        Mistake("returns σ(x) instead of its derivative", "return 1 / (1 + np.exp(-x))",
                why="This is the sigmoid itself; its gradient is σ(x) (1 − σ(x)).",
                fix="Keep σ(x) as a step on the way, s = sigmoid(x), and return the gradient made from it: "
                    "s * (1 - s)."),
        Mistake("s(1 + s) instead of s(1 − s)", "s = 1 / (1 + np.exp(-x))\nreturn s * (1 + s)",
                why="The gradient is σ(x) (1 − σ(x)): a minus, so it is at most 0.25 (at x = 0).",
                fix="Return s * (1 - s)."),
    ),
)

EXERCISES = (BASIC_SIGMOID, SIGMOID, SIGMOID_DERIVATIVE)

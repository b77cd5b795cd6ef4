"""Notebook 1: basic_sigmoid, sigmoid, sigmoid_derivative."""
import numpy as np

from grader_tests.core import ARRAY, SCALAR, Example, Exercise, Mistake
from grader_tests.inputs import random_array, random_number

SIGN_WHY = ("Your function returns σ(−x) = 1 / (1 + e^x): it falls as x grows ({values}), while σ rises from 0 to "
            "1. The denominator holds e^(+x) where e^(−x) belongs: {exp}(x) gives that, and so does "
            "1 / {exp}(-x), which is e^x too.")
SIGN_FIX = "σ(x) = 1 / (1 + e^(−x)): the exponential of the negated input, added to 1, with nothing else inverted."
SIGN_NAME = "computes σ(−x): e^(+x) in the denominator"
PARENTHESES_FIX = "Python divides before it adds: put parentheses around the whole denominator, 1 + e^(−x)."
DENOMINATOR_FIX = "The denominator is 1 + e^(−x), not e^(−x) alone."

BASIC_SIGMOID = Exercise(
    name="basic_sigmoid",
    params=("x",),
    returns=SCALAR,
    # the values the taught formula gives (the reference agrees to the last digit but one)
    examples=(Example((1,), 0.7310585786300049), Example((-3,), 0.04742587317756678)),
    random_case=lambda rng: (random_number(rng),),
    mistakes=(
        Mistake(SIGN_NAME, "return 1 / (1 + math.exp(x))",
                why=SIGN_WHY.format(values="0.269 for x = 1", exp="math.exp"), fix=SIGN_FIX),
        Mistake("operator precedence: 1 / 1 + math.exp(-x)", "return 1 / 1 + math.exp(-x)",
                why="Python divides before it adds, so this computes (1 / 1) + e^(−x) = 1 + e^(−x).",
                fix=PARENTHESES_FIX),
        Mistake("missing the 1 + in the denominator", "return 1 / math.exp(-x)",
                why="1 / e^(−x) is e^x, which grows without bound; σ stays between 0 and 1.",
                fix=DENOMINATOR_FIX),
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
        Mistake(SIGN_NAME, "return 1 / (1 + np.exp(x))",
                why=SIGN_WHY.format(values="0.269, 0.119, 0.047 for x = 1, 2, 3", exp="np.exp"), fix=SIGN_FIX),
        Mistake("operator precedence: 1 / 1 + np.exp(-x)", "return 1 / 1 + np.exp(-x)",
                why="Python divides before it adds, so this computes (1 / 1) + e^(−x) = 1 + e^(−x).",
                fix=PARENTHESES_FIX),
        Mistake("missing the 1 + in the denominator", "return 1 / np.exp(-x)",
                why="1 / e^(−x) is e^x, which grows without bound; σ stays between 0 and 1.",
                fix=DENOMINATOR_FIX),
        Mistake("math.exp on an array", "return 1 / (1 + math.exp(-x))",
                why="math.exp takes one Python number; given a NumPy array (of any size) it raises TypeError.",
                fix="Use NumPy's exponential, which works element by element on whole arrays (np.exp in the "
                    "NumPy reference)."),
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
                fix="First compute s = σ(x) (your sigmoid function does that), then apply the formula to s."),
        Mistake("returns σ(x) instead of its derivative", "return 1 / (1 + np.exp(-x))",
                why="This is the sigmoid itself; its gradient is σ(x) (1 − σ(x)).",
                fix="σ(x) is only the first step: keep it as s, then return the gradient s (1 − s)."),
        Mistake("s(1 + s) instead of s(1 − s)", "s = 1 / (1 + np.exp(-x))\nreturn s * (1 + s)",
                why="The gradient is σ(x) (1 − σ(x)): a minus, so it is at most 0.25 (at x = 0).",
                fix="The gradient has a minus sign: s (1 − s), which is never above 0.25."),
    ),
)

EXERCISES = (BASIC_SIGMOID, SIGMOID, SIGMOID_DERIVATIVE)

"""Notebook 2: image2vector (an image as one row vector: the series stores one example per row)."""
import numpy as np

from grader_tests.core import ARRAY, Example, Exercise, Mistake
from grader_tests.inputs import random_array

ROW_FIX = ("Ask reshape for a 2-D result with exactly one row, as long as the image has numbers. Take the sizes "
           "from image.shape (or image.size), or let NumPy work out one size for you (-1, see the reshape "
           "documentation).")

# The first worked example is a tiny 2 x 2 RGB image of 12 numbers. It comes first on purpose: the classic
# 3 x 3 x 2 example below has 18 numbers, so the known mistake `image.reshape(1, 18)` is right on it, and a
# failure found there first (a list, a changed input) would be blamed on that mistake.
TINY_IMAGE = np.array([[[10, 20, 30], [40, 50, 60]],
                       [[70, 80, 90], [100, 110, 120]]])
TINY_ROW = np.array([[10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]])

EXAMPLE_IMAGE = np.array([[[0.67826139, 0.29380381], [0.90714982, 0.52835647], [0.4215251, 0.45017551]],
                          [[0.92814219, 0.96677647], [0.85304703, 0.52351845], [0.19981397, 0.27417313]],
                          [[0.60659855, 0.00533165], [0.10820313, 0.49978937], [0.34144279, 0.94630077]]])

EXAMPLE_ROW = np.array([[0.67826139, 0.29380381, 0.90714982, 0.52835647, 0.4215251, 0.45017551,
                         0.92814219, 0.96677647, 0.85304703, 0.52351845, 0.19981397, 0.27417313,
                         0.60659855, 0.00533165, 0.10820313, 0.49978937, 0.34144279, 0.94630077]])


def random_image(rng: np.random.Generator) -> tuple:
    """A 3-D (height, width, channels) array: height and width 1 to 6, 1 to 4 channels, int or float values."""
    h, w = (int(v) for v in rng.integers(1, 7, size=2))
    c = int(rng.integers(1, 5))
    return (random_array(rng, shape=(h, w, c)),)


IMAGE2VECTOR = Exercise(
    name="image2vector",
    params=("image",),
    returns=ARRAY,
    examples=(Example((TINY_IMAGE,), TINY_ROW), Example((EXAMPLE_IMAGE,), EXAMPLE_ROW)),
    random_case=random_image,
    mistakes=(
        Mistake("column (n, 1) instead of a row", "return image.reshape(-1, 1)",
                why="The result is one column holding all the numbers, shape (h·w·c, 1): the layout of the "
                    "deep-learning course, where each example is a column. This series stores one example per "
                    "row (see the start page), so the image becomes one row, shape (1, h·w·c).",
                fix=ROW_FIX),
        Mistake("flat vector of shape (n,) instead of a row", "return image.reshape(-1)",
                why="image.reshape(-1) (like image.flatten() or image.ravel()) gives a 1-D array of shape "
                    "(h·w·c,): it has one axis only, so it is neither a row nor a column, and stacking or "
                    "multiplying such vectors behaves differently from rows.",
                fix=ROW_FIX),
        Mistake("2-D table (h, w·c) instead of a row", "return image.reshape(image.shape[0], -1)",
                why="image.reshape(image.shape[0], -1) keeps the first axis: it gives one row per row of the "
                    "image, shape (h, w·c): a table rather than a single row. (That idiom flattens a batch of "
                    "images, X.reshape(X.shape[0], -1), where axis 0 counts the images.)",
                fix=ROW_FIX),
        Mistake("hard-coded size 18 (fits only the 3×3×2 example)", "return image.reshape(1, 18)",
                why="A length of 18 is right for the 3×3×2 example only: any image that does not hold 18 "
                    "numbers cannot be reshaped to it, so NumPy raises ValueError.",
                fix="Take the length from the image itself (image.shape or image.size), or let NumPy work it "
                    "out (-1 in the reshape documentation)."),
        Mistake('pixels in the wrong order (order="F" or image.T)', 'return image.T.reshape(1, -1)',
                why='Transposing first (and order="F", which gives the same row) lets the FIRST axis change '
                    "fastest: the row starts with channel 0 of pixels (0, 0), (1, 0), (2, 0), … going down the "
                    "first column of the image, and the channels of one pixel end up far apart. The right "
                    "numbers in the wrong order: reshaping back to (h, w, c) scrambles the image.",
                fix="Use NumPy's default order (C order: the last axis changes fastest), and do not transpose."),
    ),
)

EXERCISES = (IMAGE2VECTOR,)

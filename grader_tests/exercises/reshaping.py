"""Notebook 2: image2vector (an image as one column vector)."""
import numpy as np

from grader_tests.core import ARRAY, Example, Exercise, Mistake
from grader_tests.inputs import random_array

COLUMN_FIX = "Reshape to a column with one row per number: image.reshape(-1, 1) (or, spelled out, " \
             "h, w, c = image.shape and image.reshape(h * w * c, 1))."

# The first worked example is a tiny 2 x 2 RGB image of 12 numbers. It comes first on purpose: the classic
# 3 x 3 x 2 example below has 18 numbers, so the known mistake `image.reshape(18, 1)` is right on it, and a
# failure found there first (a list, a changed input) would be blamed on that mistake.
TINY_IMAGE = np.array([[[10, 20, 30], [40, 50, 60]],
                       [[70, 80, 90], [100, 110, 120]]])
TINY_COLUMN = np.array([[10], [20], [30], [40], [50], [60], [70], [80], [90], [100], [110], [120]])

EXAMPLE_IMAGE = np.array([[[0.67826139, 0.29380381], [0.90714982, 0.52835647], [0.4215251, 0.45017551]],
                          [[0.92814219, 0.96677647], [0.85304703, 0.52351845], [0.19981397, 0.27417313]],
                          [[0.60659855, 0.00533165], [0.10820313, 0.49978937], [0.34144279, 0.94630077]]])

EXAMPLE_COLUMN = np.array([[0.67826139], [0.29380381], [0.90714982], [0.52835647], [0.4215251], [0.45017551],
                           [0.92814219], [0.96677647], [0.85304703], [0.52351845], [0.19981397], [0.27417313],
                           [0.60659855], [0.00533165], [0.10820313], [0.49978937], [0.34144279], [0.94630077]])


def random_image(rng: np.random.Generator) -> tuple:
    """A 3-D (height, width, channels) array: height and width 1 to 6, 1 to 4 channels, int or float values."""
    h, w = (int(v) for v in rng.integers(1, 7, size=2))
    c = int(rng.integers(1, 5))
    return (random_array(rng, shape=(h, w, c)),)


IMAGE2VECTOR = Exercise(
    name="image2vector",
    params=("image",),
    returns=ARRAY,
    examples=(Example((TINY_IMAGE,), TINY_COLUMN), Example((EXAMPLE_IMAGE,), EXAMPLE_COLUMN)),
    random_case=random_image,
    mistakes=(
        Mistake("flat vector of shape (n,) instead of a column", "return image.reshape(-1)",
                why="image.reshape(-1) (like image.flatten() or image.ravel()) gives a 1-D array of shape "
                    "(h·w·c,): it has no second axis, so it is neither a row nor a column, and "
                    "matrix products with it behave differently from products with a column.",
                fix=COLUMN_FIX),
        Mistake("row vector (1, n) instead of a column", "return image.reshape(1, -1)",
                why="image.reshape(1, -1) gives one row holding all the numbers, shape (1, h·w·c). The "
                    "course stores one example per column, so the vector must stand upright.",
                fix="Swap the two sizes: image.reshape(-1, 1) has n rows and 1 column."),
        Mistake("2-D table (h, w·c) instead of a column", "return image.reshape(image.shape[0], -1)",
                why="image.reshape(image.shape[0], -1) keeps the first axis: it gives one row per row of the "
                    "image, shape (h, w·c): a table rather than a column. (That idiom "
                    "flattens a batch of images, X.reshape(X.shape[0], -1), where axis 0 counts the images.)",
                fix=COLUMN_FIX),
        Mistake("hard-coded size 18 (fits only the 3×3×2 example)", "return image.reshape(18, 1)",
                why="reshape(18, 1) is right for the 3×3×2 example only: any image whose size is not "
                    "18 numbers cannot be reshaped to 18 rows, so NumPy raises ValueError.",
                fix="Take the size from the image itself: image.reshape(-1, 1) (NumPy works out the -1), or "
                    "h, w, c = image.shape and image.reshape(h * w * c, 1)."),
        Mistake('pixels in the wrong order (order="F" or image.T)', 'return image.reshape(-1, 1, order="F")',
                why='order="F" (and image.T.reshape(-1, 1), which gives the same column) lets the FIRST axis '
                    "change fastest: the column starts with channel 0 of pixels (0, 0), (1, 0), (2, 0), … going "
                    "down the first column of the image, and the channels of one pixel end up far apart. The "
                    "right numbers in the wrong order: reshaping back with .reshape(h, w, c) scrambles the image.",
                fix="Use NumPy's default order (C order, the last axis changes fastest) and do not transpose: "
                    "image.reshape(-1, 1)."),
    ),
)

EXERCISES = (IMAGE2VECTOR,)

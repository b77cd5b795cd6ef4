"""Reference solution for notebook 2, reshaping arrays: an image flattened into a column vector."""
import numpy as np


def image2vector(image):
    """An (height, width, channels) image as a (height * width * channels, 1) column vector.

    The pixels keep NumPy's default (C) order: the last axis changes fastest, so the column holds the channels of
    pixel (0, 0), then those of pixel (0, 1), and so on along the first row, then the second row, ...; this is
    exactly the order `.reshape(height, width, channels)` reads them back in. `reshape` returns a view (no copy)
    whenever the memory layout allows it; `-1` lets NumPy work out the length, so any image size works.
    """
    return np.asarray(image).reshape(-1, 1)

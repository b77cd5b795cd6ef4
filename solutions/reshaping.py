"""Reference solution for notebook 2, reshaping arrays: an image flattened into one row vector."""
import numpy as np


def image2vector(image):
    """An (height, width, channels) image as a (1, height * width * channels) row vector: the series stores one
    example per row.

    The pixels keep NumPy's default (C) order: the last axis changes fastest, so the row holds the channels of
    pixel (0, 0), then those of pixel (0, 1), and so on along the first row, then the second row, ...; this is
    exactly the order `.reshape(height, width, channels)` reads them back in. `reshape` returns a view (no copy)
    whenever the memory layout allows it; the length is worked out from the image, so any image size works.
    """
    image = np.asarray(image)
    return image.reshape(1, image.size)

"""Rows of samples as one PNG grid."""

import numpy as np

from tfgan_zoo.utils import images


def rows_picture(rows):
    """A uint8 grid of image rows (a `[rows, columns, H, W, C]` array or a list of `[n, H, W, C]` arrays).

    Shorter rows are padded with blank (black) tiles on the right.
    """
    rows = [np.asarray(row) for row in rows]
    if not rows or any(np.ndim(row) != 4 for row in rows):
        raise ValueError(
            "A latent grid needs rows of images [n, H, W, C]. Received: row shapes "
            f"{[np.shape(row) for row in rows]}"
        )
    columns = max(len(row) for row in rows)
    blank = np.full(rows[0].shape[1:], -1.0, np.float32)
    tiles = [tile for row in rows for tile in [*row, *[blank] * (columns - len(row))]]
    return images.make_grid(images.to_uint8(np.stack(tiles)), columns)


def write_rows(path, rows):
    """Writes `rows_picture(rows)` to a PNG."""
    images.write_png(path, rows_picture(rows))

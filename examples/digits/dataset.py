"""Load the split written by prepare-data (data/digits.npz in a run)."""

import os

import numpy as np

KEYS = ("x_train", "y_train", "x_val", "y_val", "x_test", "y_test")


def load(directory="data"):
    path = os.path.join(directory, "digits.npz")
    if not os.path.exists(path):
        raise SystemExit("%s not found: run prepare-data first" % path)
    with np.load(path) as f:
        return {k: f[k] for k in KEYS}

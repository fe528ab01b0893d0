"""Split scikit-learn's bundled digits into train, validation and test sets.

Writes digits.npz (pixel values scaled to 0..1) and samples.png.
"""

import argparse

import numpy as np
from sklearn.datasets import load_digits

import fig


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--test-split", type=float, default=0.2)
    p.add_argument("--val-split", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    if not (0 < args.test_split < 1 and 0 < args.val_split < 1):
        p.error("test-split and val-split must be between 0 and 1")

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(args.seed).permutation(len(y))
    n_test = int(len(y) * args.test_split)
    n_val = int((len(y) - n_test) * args.val_split)
    test, val, train = np.split(order, [n_test, n_test + n_val])

    np.savez("digits.npz",
             x_train=x[train], y_train=y[train],
             x_val=x[val], y_val=y[val],
             x_test=x[test], y_test=y[test])
    fig.grid("samples.png", x[train[:30]], y[train[:30]])
    print("train: %d images" % len(train))
    print("validate: %d images" % len(val))
    print("test: %d images" % len(test))


if __name__ == "__main__":
    main()

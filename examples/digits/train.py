"""Train the digit classifier from scratch.

Reads data/digits.npz (from prepare-data) and writes one
weights-EPOCH-VALLOSS.npz file per epoch.
"""

import argparse

import numpy as np

import dataset
import mlp


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()

    data = dataset.load()
    rng = np.random.default_rng(args.seed)
    params = mlp.init(data["x_train"].shape[1], args.hidden, 10, rng)
    mlp.fit(params, data, args.lr, args.epochs, args.batch_size, rng)


if __name__ == "__main__":
    main()

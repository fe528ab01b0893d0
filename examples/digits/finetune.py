"""Continue training a trained model, by default with a lower learning rate.

Starts from the last weights in model/ (from train) and carries on the
epoch count from there.
"""

import argparse

import numpy as np

import dataset
import mlp


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=2)
    args = p.parse_args()

    data = dataset.load()
    params, epoch = mlp.load_latest("model")
    rng = np.random.default_rng(args.seed)
    mlp.fit(params, data, args.lr, args.epochs, args.batch_size, rng,
            first_step=epoch + 1)


if __name__ == "__main__":
    main()

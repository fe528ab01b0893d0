"""Classify a few test images picked at random with a trained model.

Writes one PNG per image, named by its index in the test set; the names
of misclassified images contain "error" (e.g. 00123-error.png).
"""

import argparse

import numpy as np

import dataset
import fig
import mlp


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--count", type=int, default=5)
    p.add_argument("--seed", type=int, default=None)
    args = p.parse_args()

    data = dataset.load()
    params, _ = mlp.load_latest("model")
    x, y = data["x_test"], data["y_test"]
    rng = np.random.default_rng(args.seed)
    picks = rng.choice(len(y), size=min(args.count, len(y)), replace=False)
    errors = 0
    for i in sorted(picks):
        guess = int(mlp.predict(params, x[i:i + 1])[0])
        if guess == y[i]:
            name = "%05d.png" % i
            color = "black"
        else:
            name = "%05d-error.png" % i
            color = "red"
            errors += 1
        fig.digit(name, x[i], "predicted %d, actual %d" % (guess, y[i]), color)
        print("%s: predicted %d, actual %d" % (name, guess, y[i]))
    print("errors: %d" % errors)


if __name__ == "__main__":
    main()

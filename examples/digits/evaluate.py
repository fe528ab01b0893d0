"""Measure a trained model on the held-out test set.

Prints test_loss and test_accuracy and writes confusion.png.
"""

import argparse

import numpy as np

import dataset
import fig
import mlp


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.parse_args()

    data = dataset.load()
    params, _ = mlp.load_latest("model")
    x, y = data["x_test"], data["y_test"]
    loss, acc = mlp.evaluate(params, x, y)
    matrix = np.zeros((10, 10), dtype=np.int64)
    np.add.at(matrix, (y, mlp.predict(params, x)), 1)
    fig.confusion("confusion.png", matrix)
    print("test_loss: %.4f" % loss)
    print("test_accuracy: %.4f" % acc)


if __name__ == "__main__":
    main()

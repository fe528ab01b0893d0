"""Plots written as PNG files with matplotlib's Agg backend (no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def digit(path, image, title, color="black"):
    """Save one 8x8 image, enlarged, with a title."""
    fig, ax = plt.subplots(figsize=(2.5, 2.8))
    ax.imshow(image.reshape(8, 8), cmap="gray_r", interpolation="nearest")
    ax.set_title(title, color=color)
    ax.axis("off")
    fig.savefig(path, dpi=80)
    plt.close(fig)


def grid(path, images, labels, cols=10):
    """Save a grid of images with their labels."""
    rows = (len(images) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(cols, rows * 1.2))
    for ax in np.ravel(axes):
        ax.axis("off")
    for ax, image, label in zip(np.ravel(axes), images, labels):
        ax.imshow(image.reshape(8, 8), cmap="gray_r", interpolation="nearest")
        ax.set_title(str(label))
    fig.savefig(path, dpi=80)
    plt.close(fig)


def confusion(path, matrix):
    """Save a confusion matrix (rows: true digit, columns: predicted)."""
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.imshow(matrix, cmap="Blues")
    for (i, j), n in np.ndenumerate(matrix):
        ax.text(j, i, str(n), ha="center", va="center",
                color="white" if n > matrix.max() / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    fig.savefig(path, dpi=80)
    plt.close(fig)

"""A two-layer neural network (input, one hidden ReLU layer, softmax) in numpy.

Weights are saved as .npz files named weights-EPOCH-VALLOSS.npz, so a run
directory shows how training went at a glance, as in the Guild walkthrough.
"""

import glob
import os

import numpy as np


def init(n_in, n_hidden, n_out, rng):
    """Random weights (He initialisation for the ReLU layer)."""
    return {
        "w1": rng.normal(0.0, np.sqrt(2.0 / n_in), (n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "w2": rng.normal(0.0, np.sqrt(1.0 / n_hidden), (n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def forward(params, x):
    """Return (hidden activations, class probabilities)."""
    h = np.maximum(0.0, x @ params["w1"] + params["b1"])
    z = h @ params["w2"] + params["b2"]
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return h, e / e.sum(axis=1, keepdims=True)


def predict(params, x):
    return forward(params, x)[1].argmax(axis=1)


def evaluate(params, x, y):
    """Mean cross-entropy loss and accuracy."""
    _, p = forward(params, x)
    loss = -np.log(p[np.arange(len(y)), y] + 1e-12).mean()
    acc = (p.argmax(axis=1) == y).mean()
    return float(loss), float(acc)


def sgd_step(params, x, y, lr):
    h, p = forward(params, x)
    n = len(y)
    dz = p
    dz[np.arange(n), y] -= 1.0
    dz /= n
    dh = (dz @ params["w2"].T) * (h > 0)
    params["w2"] -= lr * (h.T @ dz)
    params["b2"] -= lr * dz.sum(axis=0)
    params["w1"] -= lr * (x.T @ dh)
    params["b1"] -= lr * dh.sum(axis=0)


def fit(params, data, lr, epochs, batch_size, rng, first_step=1):
    """Train in place, printing one block of scalars per epoch.

    The "step: N" line sets the step of the scalars that follow it, which
    is how Guild (and guild) attach a step to "loss: X" lines.
    """
    x, y = data["x_train"], data["y_train"]
    for epoch in range(first_step, first_step + epochs):
        order = rng.permutation(len(y))
        for i in range(0, len(y), batch_size):
            batch = order[i:i + batch_size]
            sgd_step(params, x[batch], y[batch], lr)
        loss, acc = evaluate(params, x, y)
        val_loss, val_acc = evaluate(params, data["x_val"], data["y_val"])
        print("step: %d" % epoch)
        print("loss: %.4f" % loss)
        print("accuracy: %.4f" % acc)
        print("val_loss: %.4f" % val_loss)
        print("val_accuracy: %.4f" % val_acc)
        save(params, epoch, val_loss)


def save(params, epoch, val_loss, directory="."):
    path = os.path.join(directory, "weights-%04d-%.3f.npz" % (epoch, val_loss))
    np.savez(path, epoch=epoch, **params)
    return path


def load_latest(directory):
    """Load the weights of the last epoch saved in directory.

    Returns (params, epoch). Raises SystemExit with a message when there
    are none, so a missing dependency reads as an error, not a traceback.
    """
    paths = sorted(glob.glob(os.path.join(directory, "weights-*.npz")))
    if not paths:
        raise SystemExit("no weights-*.npz in %s/: run train first" % directory)
    with np.load(paths[-1]) as f:
        params = {k: f[k] for k in ("w1", "b1", "w2", "b2")}
        epoch = int(f["epoch"])
    print("Loaded %s" % paths[-1])
    return params, epoch

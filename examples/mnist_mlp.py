"""The seed's MNIST program, with its undefined names defined: lamina's main job.

It trains the seed's multilayer perceptron on MNIST and prints the test
accuracy. MNIST comes from `--data PATH` (a local `mnist.npz`), else from the
download cache or the network; with neither, it says so in one line and
trains on the small digits set bundled with lamina instead.

    python examples/mnist_mlp.py --data ../shared/data/mnist.npz
"""

import argparse
import os

import numpy as np

from lamina.datasets import digits
from lamina.datasets import mnist
from lamina.layers import Dense
from lamina.layers import Dropout
from lamina.layers import Flatten
from lamina.models import Sequential
from lamina.optimizers import Adam
from lamina.utils import np_utils
from lamina.utils import set_random_seed


def load_images(data_path: str | None) -> tuple:
    """Real MNIST when it can be had; otherwise the bundled 8x8 digits."""
    try:
        path = os.path.abspath(data_path) if data_path else "mnist.npz"
        return mnist.load_data(path=path), "MNIST"
    except (ConnectionError, FileNotFoundError) as err:
        if data_path:
            raise
        first_line = str(err).splitlines()[0]
        print(
            f"MNIST is not available ({first_line}); training on the bundled "
            f"8x8 digits set instead."
        )
        return digits.load_data(), "digits (UCI, 8x8)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="path of a local mnist.npz")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()

    set_random_seed(7)  # NumPy, Python and torch: the same run every time
    ((X_train, y_train), (X_test, y_test)), source = load_images(args.data)
    num_pixels = int(np.prod(X_train.shape[1:]))
    scale = float(X_train.max())
    num_classes = 10
    X_train = X_train.reshape(-1, num_pixels).astype("float32") / scale
    X_test = X_test.reshape(-1, num_pixels).astype("float32") / scale
    y_train = np_utils.to_categorical(y_train, num_classes=num_classes)
    y_test = np_utils.to_categorical(y_test, num_classes=num_classes)
    model = Sequential(
        [
            Flatten(input_shape=(num_pixels,)),
            Dense(512, activation="relu"),
            Dropout(0.5),
            Dense(num_classes, activation="softmax"),
        ]
    )
    model.compile(
        loss="categorical_crossentropy", optimizer=Adam(), metrics=["accuracy"]
    )
    model.fit(
        X_train,
        y_train,
        batch_size=args.batch_size,
        epochs=args.epochs,
        verbose=1,
        validation_data=(X_test, y_test),
    )
    score = model.evaluate(X_test, y_test, verbose=0)
    print(f"Data: {source}")
    print("Test score:", score[0])
    print("Test accuracy:", score[1])


if __name__ == "__main__":
    main()

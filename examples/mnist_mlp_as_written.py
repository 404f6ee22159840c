"""The seed's MNIST program as written, `keras` replaced by `lamina`.

Only the three names the seed never defines (`num_classes`, `batch_size`,
`epochs`) are added, and the data path may be given as the first argument.
The model declares `input_shape=(28, 28)` but receives `(N, 784)` arrays: as
Keras 2 did, lamina trains anyway and says once, clearly, how to silence it.

    python examples/mnist_mlp_as_written.py ../shared/data/mnist.npz
"""

import os
import sys

import numpy as np

from lamina.datasets import mnist
from lamina.layers import Conv2D, MaxPooling2D  # noqa: F401 -- imported by the seed
from lamina.layers import Dense, Dropout, Flatten
from lamina.models import Sequential
from lamina.optimizers import Adam
from lamina.utils import np_utils

data_path = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "mnist.npz"
num_classes, batch_size, epochs = 10, 128, 5

np.random.seed(7)
(X_train, y_train), (X_test, y_test) = mnist.load_data(path=data_path)
X_train = X_train.reshape(-1, 28*28).astype("float32") / 255.0
X_test = X_test.reshape(-1, 28*28).astype("float32") / 255.0
y_train = np_utils.to_categorical(y_train, num_classes=10)
y_test = np_utils.to_categorical(y_test, num_classes=10)
model = Sequential([
    Flatten(input_shape=(28, 28)),
    Dense(512, activation="relu"),
    Dropout(0.5),
    Dense(num_classes, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer=Adam(), metrics=["accuracy"])
history = model.fit(X_train, y_train, batch_size=batch_size, epochs=epochs, verbose=1,
                    validation_data=(X_test, y_test))
score = model.evaluate(X_test, y_test, verbose=0)
print("Test score:", score[0]); print("Test accuracy:", score[1])

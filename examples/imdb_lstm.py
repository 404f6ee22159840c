"""The seed's IMDB sentiment program, fixed: the vocabulary matches the Embedding.

Trains Embedding -> SpatialDropout1D -> LSTM -> Dense on the IMDB reviews and
stops early when the validation loss stops improving (about 84% test accuracy).

    python examples/imdb_lstm.py --data ../shared/data/imdb.npz
"""

import argparse
import os

from lamina.callbacks import EarlyStopping
from lamina.datasets import imdb
from lamina.layers import LSTM
from lamina.layers import Dense
from lamina.layers import Embedding
from lamina.layers import SpatialDropout1D
from lamina.models import Sequential
from lamina.preprocessing.sequence import pad_sequences
from lamina.utils import np_utils
from lamina.utils import set_random_seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="imdb.npz", help="path of imdb.npz")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--limit", type=int, help="use only this many reviews")
    args = parser.parse_args()
    path = os.path.abspath(args.data) if os.path.exists(args.data) else args.data

    set_random_seed(7)  # NumPy, Python and torch: the same run every time
    max_features = 5000
    maxlen = 100
    (X_train, y_train), (X_test, y_test) = imdb.load_data(
        path=path,
        num_words=max_features,
        skip_top=0,
        maxlen=None,
        seed=113,
        start_char=1,
        oov_char=2,
        index_from=3,
    )
    if args.limit:
        X_train, y_train = X_train[: args.limit], y_train[: args.limit]
        X_test, y_test = X_test[: args.limit], y_test[: args.limit]
    X_train = pad_sequences(X_train, maxlen=maxlen)
    X_test = pad_sequences(X_test, maxlen=maxlen)
    num_classes = 2
    y_train = np_utils.to_categorical(y_train, num_classes)
    y_test = np_utils.to_categorical(y_test, num_classes)
    embedding_vecor_length = 32
    model = Sequential()
    model.add(Embedding(max_features, embedding_vecor_length, input_length=maxlen))
    model.add(SpatialDropout1D(0.4))
    model.add(LSTM(100, dropout=0.2, recurrent_dropout=0.2))
    model.add(Dense(num_classes, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
    batch_size = 32
    es = EarlyStopping(monitor="val_loss", mode="min", patience=2)
    history = model.fit(
        X_train,
        y_train,
        batch_size=batch_size,
        epochs=args.epochs,
        callbacks=[es],
        verbose=1,
        validation_split=0.1,
    )
    score, acc = model.evaluate(X_test, y_test, batch_size=batch_size, verbose=1)
    print("Epochs run:", len(history.epoch))
    print("Test score:", score)
    print("Test accuracy:", acc)


if __name__ == "__main__":
    main()

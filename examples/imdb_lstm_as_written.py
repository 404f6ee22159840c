"""The seed's IMDB program as written, `keras` replaced by `lamina`.

As written it loads the whole vocabulary (`num_words=None`, word indices up to
about 88,000) into an `Embedding` with `input_dim=5000`: lamina stops at once
with an error naming the Embedding layer, the largest index and `input_dim`.
`examples/imdb_lstm.py` is the fixed program. The data path may be given as
the first argument.

    python examples/imdb_lstm_as_written.py ../shared/data/imdb.npz
"""

import os
import sys

import numpy as np

from lamina.callbacks import EarlyStopping
from lamina.datasets import imdb
from lamina.layers import LSTM, Dense, Embedding, SpatialDropout1D
from lamina.models import Sequential
from lamina.preprocessing.sequence import pad_sequences
from lamina.utils import np_utils

data_path = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "imdb.npz"

np.random.seed(7)
(X_train, y_train), (X_test, y_test) = imdb.load_data(path=data_path, num_words=None,
    skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2, index_from=3)
max_features = 5000; maxlen = 100
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
model.add(Dense(num_classes, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
batch_size = 32; epochs = 10
es = EarlyStopping(monitor='val_loss', mode='min', patience=2)
history = model.fit(X_train, y_train, batch_size=batch_size, epochs=epochs,
                    callbacks=[es], verbose=1, validation_split=0.1)
score, acc = model.evaluate(X_test, y_test, batch_size=batch_size, verbose=1)
print("Test score:", score); print("Test accuracy:", acc)

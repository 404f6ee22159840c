"""Recurrent layers: RNN cells, LSTM, GRU, SimpleRNN and their wrappers."""

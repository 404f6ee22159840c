from lamina.callbacks import LambdaCallback


def test_lambda_callback_sets_given_hooks_only():
    calls = []
    callback = LambdaCallback(
        on_train_begin=lambda logs: calls.append("begin"),
        on_epoch_end=lambda epoch, logs: calls.append(epoch),
        on_test_batch_end=lambda batch, logs: calls.append(("test", batch)),
    )
    callback.on_train_begin(None)
    callback.on_epoch_begin(0, None)  # not given: the base class's no-op
    callback.on_epoch_end(3, None)
    callback.on_test_batch_end(1, None)
    assert calls == ["begin", 3, ("test", 1)]

import logging

import numpy as np
import pytest
import torch

from lamina.utils.config import Config
from lamina.utils.data_utils import pack_x_y_sample_weight
from lamina.utils.data_utils import unpack_x_y_sample_weight
from lamina.utils.dtype_utils import standardize_dtype
from lamina.utils.io_utils import disable_interactive_logging
from lamina.utils.io_utils import enable_interactive_logging
from lamina.utils.io_utils import log_message


def test_unpack_x_y_sample_weight_forms():
    assert unpack_x_y_sample_weight(1) == (1, None, None)
    assert unpack_x_y_sample_weight((1,)) == (1, None, None)
    assert unpack_x_y_sample_weight([1, 2, 3]) == (1, 2, 3)
    with pytest.raises(ValueError, match="4 items"):
        unpack_x_y_sample_weight((1, 2, 3, 4))


def test_pack_round_trips_through_unpack():
    for parts in [(1, None, None), (1, 2, None), (1, 2, 3), ([1, 2], None, None)]:
        assert unpack_x_y_sample_weight(pack_x_y_sample_weight(*parts)) == parts


def test_standardize_dtype_names():
    assert standardize_dtype(None) == "float32"
    assert standardize_dtype(torch.int8) == "int8"
    assert standardize_dtype(np.dtype("float64")) == "float64"
    assert standardize_dtype(int) == "int32" and standardize_dtype(bool) == "bool"
    with pytest.raises(ValueError, match="not a dtype"):
        standardize_dtype("floaty")


def test_config_attribute_and_item_access_and_freeze():
    config = Config(rate=0.1)
    config["seed"] = 3
    assert config.seed == 3 and list(config) == ["rate", "seed"]
    with pytest.raises(AttributeError, match="Did you mean 'rate'"):
        _ = config.rat
    config.freeze()
    with pytest.raises(ValueError, match="unfreeze"):
        config["seed"] = 4
    with pytest.raises(ValueError, match="frozen"):
        del config["seed"]
    config.unfreeze()
    config.pop("seed")
    assert config.as_dict() == {"rate": 0.1}


def test_interactive_logging_switch(caplog):
    disable_interactive_logging()
    try:
        from lamina.utils import is_interactive_logging_enabled

        assert not is_interactive_logging_enabled()
    finally:
        enable_interactive_logging()
    with caplog.at_level(logging.INFO, logger="lamina"):
        log_message("Epoch 1/2")
    assert "Epoch 1/2" in caplog.text

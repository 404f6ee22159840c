"""Saving and loading: Keras 3 `.keras`, Keras 2 `.h5`, JSON, the object registry."""

from lamina.saving.errors import LoadError
from lamina.saving.file_editor import KerasFileEditor
from lamina.saving.json_api import model_from_json
from lamina.saving.object_registration import CustomObjectScope
from lamina.saving.object_registration import custom_object_scope
from lamina.saving.object_registration import get_custom_objects
from lamina.saving.object_registration import get_registered_name
from lamina.saving.object_registration import get_registered_object
from lamina.saving.object_registration import register_keras_serializable
from lamina.saving.object_registration import register_serializable
from lamina.saving.saving_api import load_model
from lamina.saving.saving_api import load_weights
from lamina.saving.saving_api import save_model
from lamina.saving.saving_api import save_weights
from lamina.saving.serialization_lib import deserialize_keras_object
from lamina.saving.serialization_lib import serialize_keras_object

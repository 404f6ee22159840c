"""Models: `Model` (functional and subclassed) and `Sequential`."""

from lamina.models.cloning import clone_model
from lamina.models.functional import Functional
from lamina.models.model import Model
from lamina.models.sequential import Sequential
from lamina.saving.json_api import model_from_json
from lamina.saving.saving_api import load_model
from lamina.saving.saving_api import save_model

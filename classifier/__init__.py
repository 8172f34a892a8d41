"""GridWhistle message classifier: intent, complaint category, confidence and place hints.

Knows language and nothing else; imports nothing from bot/, handlers/ or models/.
"""

from .categories import Category, load_categories
from .model import ArtifactError, ClassifierModel, Prediction, load_model

__all__ = [
    "ArtifactError",
    "Category",
    "ClassifierModel",
    "Prediction",
    "load_categories",
    "load_model",
]

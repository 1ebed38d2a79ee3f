"""tfgan_zoo: GANs for TensorFlow 2.21 / Keras 3, trained with `fit`, saved, resumed, exported.

Subpackages: `data`, `losses`, `networks`, `models`, `recipes`, `callbacks`,
`metrics`, `cli`. Importing `tfgan_zoo.models` registers the model classes so
`keras.models.load_model` can read saved runs.
"""

__version__ = "0.1.0"

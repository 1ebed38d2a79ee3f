"""Bounds on what a model learned besides its samples: a code, an encoder, a classifier.

Each is measured on the held-out split of the recipe's dataset (`mnist8k` and
`mnist8k:train` -> the 2,000 digits of `mnist8k:test`), with the rest of the
training split as the labelled reference where one is needed:

- `code_error`: InfoGAN's first categorical code, read by Q from each test
  image and matched one-to-one to the classes (Chen et al. 2016: about 5% on
  MNIST).
- `encoder_accuracy`: 1-nearest-neighbour accuracy of the model's codes of
  the test images (E(x), or a VAE's posterior mean) against the training
  images' codes (Donahue et al. 2017: 97.39% for BiGAN features on MNIST).
- `test_error`: the model's own classifier on the test images (the
  semi-supervised GAN's discriminator, ACGAN's auxiliary head).
- `supervised_gain`: how far `test_error` lies below the error of the same
  classifier network trained from scratch on the recipe's labelled examples
  alone (Salimans et al. 2016), in fractions (0.1 = 10 points).
"""

import numpy as np

from tfgan_zoo import data, models
from tfgan_zoo.models.infogan import DEFAULT_CATEGORICAL_CODES

BOUNDS = ("code_error", "encoder_accuracy", "test_error", "supervised_gain")
# Epochs of the labelled-only baseline (100 examples: 200 small steps).
BASELINE_EPOCHS = 200
_SEMI_SUPERVISED = "semi_supervised_gan"


def unmeasurable_reason(recipe, name):
    """Why bound `name` cannot be measured on models of `recipe`, or None when it can."""
    model_class = models.MODELS.get(recipe.model)
    if not data.info(recipe.dataset).num_classes:
        return "the dataset has no labels to score against"
    if name == "code_error" and not (model_class and issubclass(model_class, models.InfoGAN)
                                     and recipe.model_options.get("categorical_codes", DEFAULT_CATEGORICAL_CODES)):
        return "it needs an InfoGAN with a categorical code"
    if name == "encoder_accuracy" and not hasattr(model_class, "codes"):
        return "the model has no encoder"
    if name == "test_error" and not hasattr(model_class, "predict_classes"):
        return "the model has no classifier"
    if name == "supervised_gain" and recipe.model != _SEMI_SUPERVISED:
        return f"it compares a {_SEMI_SUPERVISED} classifier with its network trained on the labels alone"
    return None


class LearnedScorer:
    """Measures the learned-representation bounds of one recipe's models, sharing data and the baseline.

    Args:
        recipe: the recipe the models were trained from.
        baseline_epochs: epochs of the labelled-only baseline of `supervised_gain`.
    """

    def __init__(self, recipe, *, baseline_epochs=BASELINE_EPOCHS):
        self.recipe = recipe
        self.baseline_epochs = baseline_epochs
        self.facts = {}
        self._splits = None

    def measure(self, model, names):
        """`{bound: value}` of the names in `BOUNDS` among `names`."""
        train, test = self.splits()
        measures = {
            "code_error": lambda: code_error(model, *test),
            "encoder_accuracy": lambda: encoder_accuracy(model, train, test),
            "test_error": lambda: classifier_error(model, *test),
        }
        values = {name: measures[name]() for name in names if name in measures}
        if "supervised_gain" in names:
            error = values["test_error"] if "test_error" in values else classifier_error(model, *test)
            values["supervised_gain"] = self.baseline_error() - error
        return values

    def splits(self):
        """`((x_reference, y_reference), (x_test, y_test))`, disjoint, at the recipe's sample size.

        The split the domain classifier is measured on
        (`metrics.dataset_classifier.heldout_arrays`): a spec without a
        split, such as `mnist8k`, trains on every example, so the held-out
        ones are taken out of the reference here.
        """
        if self._splits is None:
            from tfgan_zoo.metrics import dataset_classifier

            self._splits = dataset_classifier.heldout_arrays(
                self.recipe.dataset, image_size=self.recipe.image_size or None)
        return self._splits

    def baseline_error(self):
        """Test error of the recipe's classifier network trained on its labelled examples alone (once)."""
        if "labelled_only_test_error" not in self.facts:
            self.facts["labelled_only_test_error"] = labelled_only_error(
                self.recipe, self.splits()[1], epochs=self.baseline_epochs)
        return self.facts["labelled_only_test_error"]


def code_error(model, images, labels):
    """Error of Q's first categorical code as a classifier, under the best one-to-one code-to-class assignment."""
    from tfgan_zoo.metrics import code_assignment

    codes = model.predict_codes(images)[:, 0]
    report = code_assignment.best_code_assignment(
        codes, labels, num_codes=model.categorical_codes[0], num_classes=int(np.max(labels)) + 1)
    return float(report["error"])


def encoder_accuracy(model, train, test):
    """1-nearest-neighbour accuracy of `model.codes` of the test images against the training images'."""
    from tfgan_zoo.metrics import nearest_neighbour_probe

    (x_train, y_train), (x_test, y_test) = train, test
    return float(nearest_neighbour_probe.nearest_neighbour_accuracy(
        model.codes(x_train, y_train), y_train, model.codes(x_test, y_test), y_test))


def classifier_error(model, images, labels):
    """Share of `images` the model's classifier (`predict_classes`) gets wrong."""
    return float(np.mean(model.predict_classes(images) != labels))


def labelled_only_error(recipe, test, *, epochs=BASELINE_EPOCHS, seed=0):
    """Test error of the semi-supervised recipe's discriminator network, fresh, trained on its labelled examples.

    The network, optimizer and labelled examples are the recipe's (Adam at
    its `d_lr` and `d_beta1`, batches of up to 100); `seed` seeds the
    initialisation and the batch order.
    """
    import keras

    from tfgan_zoo.builders import class_heads as class_head_builders
    from tfgan_zoo.networks import class_heads

    x, y = class_head_builders.labelled_examples(recipe)
    keras.utils.set_random_seed(seed)
    _, network = class_head_builders.class_head_networks(
        "SemiSupervisedGAN", recipe, x.shape[1:], data.info(recipe.dataset).num_classes, head="classifier",
        conditional_generator=False)
    network.compile(keras.optimizers.Adam(recipe.d_lr, beta_1=recipe.d_beta1),
                    keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    network.fit(x, y, batch_size=min(100, len(x)), epochs=epochs, verbose=0)
    return float(np.mean(class_heads.predict_classes(network, test[0]) != test[1]))

"""A domain classifier that stands in for InceptionV3 on MNIST-like images.

Inception weights cannot be downloaded offline, so on small grayscale domains
the project trains its own classifier on real data and uses its penultimate
activations (the `"features"` layer) as FID features and its class
probabilities for the Inception Score analogue, as the FID authors suggest
for MNIST. See `BENCHMARK_PROTOCOL.md`, "Domain FID for MNIST-like data".
"""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.metrics import _checks, frechet, scores
from tfgan_zoo.metrics import features as features_lib
from tfgan_zoo.utils import batching, validation

FEATURES_LAYER = "features"
LOGITS_LAYER = "logits"

# Translation range of the training augmentation, in pixels.
_MAX_SHIFT = 2


def build_domain_classifier(input_shape, num_classes):
    """Builds a small CNN classifier for images in [-1, 1].

    Sized for 28x28 and 32x32 images: four 3x3 convolutions (two of them with
    stride 2), then a 128-unit `"features"` layer and a `"logits"` layer.

    Args:
        input_shape: Image shape `(height, width, channels)`.
        num_classes: Number of classes, `>= 2`.

    Returns:
        An uncompiled `keras.Model` mapping images to logits.

    Raises:
        ValueError: If `input_shape` is not a rank-3 shape of positive
            integers or `num_classes < 2`.
    """
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if shape is None or len(shape) != 3 or not all(
        isinstance(dim, (int, np.integer)) and not isinstance(dim, bool) and dim > 0
        for dim in shape
    ):
        raise ValueError(
            "`input_shape` must be an image shape (height, width, channels) of "
            f"positive integers. Received: input_shape={input_shape!r}"
        )
    validation.check_int("num_classes", num_classes, minimum=2)

    inputs = keras.Input(shape=shape, name="image")
    x = inputs
    for filters, strides in ((32, 1), (32, 2), (64, 1), (64, 2)):
        x = keras.layers.Conv2D(filters, 3, strides=strides, padding="same", use_bias=False)(x)
        # momentum=0.9 (not 0.99) so the moving statistics used at inference
        # settle within a few dozen steps; short trainings are common here.
        x = keras.layers.BatchNormalization(momentum=0.9)(x)
        x = keras.layers.ReLU()(x)
    x = keras.layers.Flatten()(x)
    features = keras.layers.Dense(128, activation="relu", name=FEATURES_LAYER)(x)
    x = keras.layers.Dropout(0.3)(features)
    logits = keras.layers.Dense(num_classes, name=LOGITS_LAYER)(x)
    return keras.Model(inputs, logits, name="domain_classifier")


def _check_images(name, images, image_shape=None):
    """Converts `images` to a float32 [N, H, W, C] array, validating shape."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[0] < 1:
        raise ValueError(
            f"`{name}` must be a non-empty batch of images [N, H, W, C]. "
            f"Received: {name}.shape={images.shape}"
        )
    if image_shape is not None and tuple(images.shape[1:]) != tuple(image_shape):
        raise ValueError(
            f"`{name}` must hold images of shape {tuple(image_shape)}. "
            f"Received: {name}.shape={images.shape}"
        )
    return images


def _random_shift(image, seed):
    """Translates one image by up to `_MAX_SHIFT` pixels in each direction.

    Symmetric padding repeats the border, which for digit images is plain
    background, so no artificial edges appear.
    """
    pad = [[_MAX_SHIFT, _MAX_SHIFT], [_MAX_SHIFT, _MAX_SHIFT], [0, 0]]
    padded = tf.pad(image, pad, mode="SYMMETRIC")
    return tf.image.stateless_random_crop(padded, tf.shape(image), seed=seed)


def _training_dataset(images, labels, batch_size, seed, augment):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(len(images), seed=seed, reshuffle_each_iteration=True)
    if augment:
        # Stateless crops fed by a seeded stream make the augmentation
        # reproducible; rerandomizing gives new shifts every epoch.
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        dataset = tf.data.Dataset.zip((dataset, seeds)).map(
            lambda pair, shift_seed: (_random_shift(pair[0], shift_seed), pair[1]),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def train_domain_classifier(
    x_train,
    y_train,
    x_val,
    y_val,
    *,
    num_classes,
    epochs=20,
    batch_size=64,
    learning_rate=2e-3,
    seed=0,
    augment=True,
    verbose=0,
):
    """Trains a domain classifier on real images and measures it.

    Args:
        x_train: Training images `[N, H, W, C]`, values in [-1, 1].
        y_train: Integer class labels `[N]`.
        x_val: Held-out images with the same image shape.
        y_val: Held-out labels.
        num_classes: Number of classes, `>= 2`.
        epochs: Training epochs.
        batch_size: Training batch size.
        learning_rate: Initial Adam learning rate, decayed to 0 on a cosine.
            The defaults reach about 99.2% held-out accuracy on mnist8k
            (6,000 train / 2,000 held out) in about 3 CPU minutes; fewer
            steps (e.g. 8 epochs of 128) stay near 98.8%.
        seed: Seed for weights, shuffling, dropout and augmentation.
        augment: Whether to shift training images randomly by up to 2 pixels.
        verbose: Verbosity passed to `model.fit`.

    Returns:
        A tuple `(model, val_accuracy)`: the trained model (logits output)
        and its accuracy on the held-out split as a Python float.

    Raises:
        ValueError: If images, labels or numeric arguments are invalid.
    """
    validation.check_int("num_classes", num_classes, minimum=2)
    validation.check_int("epochs", epochs)
    validation.check_int("batch_size", batch_size)
    validation.check_number("learning_rate", learning_rate, "(0, inf)")
    x_train = _check_images("x_train", x_train)
    x_val = _check_images("x_val", x_val, image_shape=x_train.shape[1:])
    y_train = _checks.check_labels("y_train", y_train, len(x_train), num_classes)
    y_val = _checks.check_labels("y_val", y_val, len(x_val), num_classes)

    keras.utils.set_random_seed(seed)
    model = build_domain_classifier(x_train.shape[1:], num_classes)
    steps_per_epoch = -(-len(x_train) // batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(
        learning_rate, decay_steps=epochs * steps_per_epoch
    )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    dataset = _training_dataset(x_train, y_train, batch_size, seed, augment)
    # The dataset shuffles itself; shuffle=False only silences a Keras warning.
    model.fit(dataset, epochs=epochs, verbose=verbose, shuffle=False)

    _, probs = classifier_outputs(model, x_val)
    val_accuracy = scores.label_accuracy(probs, y_val)
    return model, val_accuracy


def _feature_model(model):
    """Sub-model returning (features, softmax probabilities) of `model`."""
    try:
        features = model.get_layer(FEATURES_LAYER).output
        logits = model.get_layer(LOGITS_LAYER).output
    except ValueError as error:
        raise ValueError(
            f"`model` must have layers named '{FEATURES_LAYER}' and "
            f"'{LOGITS_LAYER}'. Received: model={model.name!r}"
        ) from error
    probs = keras.layers.Softmax(name="probs")(logits)
    return keras.Model(model.input, [features, probs])


def classifier_network(model, batch_size=256):
    """The domain classifier as a `FeatureNetwork`: `"features"` and softmax probabilities.

    Args:
        model: A model from `build_domain_classifier` (or any functional
            model with `"features"` and `"logits"` layers).
        batch_size: Images per forward pass.

    Returns:
        A `features.FeatureNetwork` with `has_probabilities=True`.
    """
    feature_model = _feature_model(model)

    def function(batch):
        # predict_on_batch runs a compiled inference step (training=False),
        # several times faster than eager calls for thousands of images.
        return feature_model.predict_on_batch(batch)

    return features_lib.FeatureNetwork(
        function,
        name=model.name,
        has_probabilities=True,
        input_shape=tuple(model.input_shape[1:]),
        batch_size=batch_size,
    )


def classifier_outputs(model, images, batch_size=256):
    """Runs the domain classifier over images in batches.

    Args:
        model: A model from `build_domain_classifier` (or any functional
            model with `"features"` and `"logits"` layers).
        images: Images `[N, H, W, C]` matching the model's input shape.
        batch_size: Images per forward pass.

    Returns:
        A tuple `(features, probs)` of float64 arrays with shapes `[N, F]`
        and `[N, K]`, computed with `training=False`.

    Raises:
        ValueError: If the images do not fit the model or `batch_size < 1`.
    """
    validation.check_int("batch_size", batch_size)
    images = _check_images("images", images, image_shape=model.input_shape[1:])
    feature_model = _feature_model(model)
    features, probs = batching.map_in_batches(lambda batch: feature_model(batch, training=False), images, batch_size)
    return features.astype(np.float64), probs.astype(np.float64)


def domain_scores(
    model,
    real_images,
    generated_images,
    *,
    requested_labels=None,
    splits=1,
    batch_size=256,
):
    """Scores generated images against real ones with a domain classifier.

    The one-call evaluation used by the benchmarks. The protocol asks for at
    least 2,000 images on both sides and a real-vs-real floor beside any FID
    (call this function with two disjoint real halves to get it).

    Args:
        model: A trained domain classifier.
        real_images: Real images `[N, H, W, C]` in [-1, 1].
        generated_images: Generated images `[M, H, W, C]` in [-1, 1].
        requested_labels: Optional integer labels `[M]` a conditional
            generator was asked for; adds `label_accuracy`.
        splits: Number of splits for the Inception Score.
        batch_size: Images per forward pass.

    Returns:
        A dict with `fid`, `inception_score`, `inception_score_std`,
        `class_histogram`, `modes_covered`, `confident_share` (all of the
        generated images) and, if `requested_labels` is given,
        `label_accuracy`.

    Raises:
        ValueError: If the inputs are inconsistent.
    """
    real_features, _ = classifier_outputs(model, real_images, batch_size)
    generated_features, generated_probs = classifier_outputs(
        model, generated_images, batch_size
    )
    is_mean, is_std = scores.inception_score(generated_probs, splits=splits)
    results = {
        "fid": frechet.frechet_distance_from_activations(real_features, generated_features),
        "inception_score": is_mean,
        "inception_score_std": is_std,
    }
    results.update(scores.class_statistics(generated_probs))
    if requested_labels is not None:
        results["label_accuracy"] = scores.label_accuracy(generated_probs, requested_labels)
    return results

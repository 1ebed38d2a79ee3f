"""Shared test setup: two logical CPU devices (for MirroredStrategy), quiet logs, tiny models."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

# Must run before TensorFlow initialises its devices: one physical CPU seen as
# two logical devices lets `MirroredStrategy` run two replicas on this machine.
_cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(_cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_collection_modifyitems(items):
    """Marks the tests listed in `slow_tests.SLOW` as `slow` (the fast tier runs `-m "not slow"`)."""
    from slow_tests import SLOW

    missing = sorted(entry for entry in SLOW | LONGEST
                     if not os.path.exists(os.path.join(REPO_ROOT, entry.partition("::")[0])))
    if missing:
        raise pytest.UsageError(f"tests/slow_tests.py or LONGEST lists tests in files that do not exist: {missing}")
    for item in items:
        path, _, name = item.nodeid.partition("::")
        if path in SLOW or f"{path}::{name.partition('[')[0]}" in SLOW:
            item.add_marker(pytest.mark.slow)
    # The longest single tests start first, so that with `-n 3 --dist=worksteal` (pyproject.toml) no
    # worker is left running one of them alone at the end. Stable: the rest keep their order.
    items.sort(key=lambda item: item.nodeid.partition("[")[0] not in LONGEST)


# Tests that each take minutes of a worker (`--durations` of the full suite, 2026-12-07).
LONGEST = frozenset({
    "tests/test_readme.py::test_every_example_runs_after_the_quickstart",
    "tests/models/test_resume.py::test_resumed_run_equals_uninterrupted_run",
    "tests/training/test_precision_variants.py::test_variant_trains_saves_and_resumes_under_float16",
})


@pytest.fixture(scope="session")
def mirrored():
    """The one `MirroredStrategy` of the test session, over the two logical CPUs.

    Several MirroredStrategy objects in one process collide on their
    collective-op instance keys, so every test shares this one.
    """
    devices = tf.config.list_logical_devices("CPU")
    assert len(devices) == 2, "conftest should split the CPU into two logical devices"
    return tf.distribute.MirroredStrategy([d.name for d in devices])


@pytest.fixture(autouse=True)
def _fresh_keras_state():
    # Keras's state is reset for every test, without `gc.collect()`: a full collection costs
    # seconds once a worker's heap holds hundreds of traced functions (every test: 8 of 21
    # minutes in 2026-11; every 25 tests: 20-99 s setups late in the run). Python's own
    # collector frees the cycles; tests/models ran 8% faster without the periodic collection,
    # with 5% more peak memory (4.29 against 4.09 GB, 2026-12-07).
    keras.backend.clear_session(free_memory=False)
    keras.utils.set_random_seed(0)
    yield


def tiny_gan(sample_shape=(8, 8, 1), num_classes=None, model_class=None, discriminator_options=None, **kwargs):
    """A small compiled GAN (DCGAN networks for images, MLPs for vectors) for fast tests.

    `model_class` defaults to `models.GAN`; `discriminator_options` add to the
    tiny discriminator's options; `pack` builds the discriminator for packed inputs.
    """
    from tfgan_zoo import models, networks
    from tfgan_zoo.models import stabilisers

    latent_dim = kwargs.pop("latent_dim", 4)
    net = "mlp" if len(sample_shape) == 1 else "dcgan"
    options = {"hidden_units": [8]} if net == "mlp" else {"base_filters": 4}
    pack = kwargs.get("pack", 1)
    generator, discriminator = networks.build_networks(
        net,
        sample_shape,
        latent_dim,
        num_classes=num_classes,
        generator_kwargs=options,
        discriminator_kwargs={**options, **(discriminator_options or {})},
        discriminator_shape=stabilisers.packed_shape(sample_shape, pack)
        if isinstance(pack, int) and pack > 0
        else None,
    )
    optimizers = kwargs.pop("optimizers", None)
    jit_compile = kwargs.pop("jit_compile", False)
    model = (model_class or models.GAN)(generator, discriminator, num_classes=num_classes, **kwargs)
    g_opt, d_opt = optimizers or (keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.compile(generator_optimizer=g_opt, discriminator_optimizer=d_opt, jit_compile=jit_compile)
    return model


def fake_images(count, shape=(8, 8, 1), seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (count, *shape)).astype("float32")


def fake_labels(count, num_classes=3, seed=0):
    return np.random.default_rng(seed).integers(0, num_classes, count).astype("int32")


def constant_classifier(num_classes, favourite, shape=(8, 8, 1)):
    """A classifier that answers `favourite` with probability near 1, whatever the image."""
    image = keras.Input(shape)
    dense = keras.layers.Dense(num_classes)
    model = keras.Model(image, dense(keras.layers.Flatten()(image)))
    bias = np.zeros(num_classes, np.float32)
    bias[favourite] = 20.0
    dense.set_weights([np.zeros((int(np.prod(shape)), num_classes), np.float32), bias])
    return model


def snapshot(variables):
    return [np.array(v.numpy()) for v in variables]


def max_change(before, variables):
    return max(float(np.max(np.abs(b - v.numpy()))) for b, v in zip(before, variables))

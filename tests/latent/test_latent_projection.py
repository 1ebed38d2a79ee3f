"""Projecting images into the latent space: by optimisation and through encoders."""

import numpy as np
import pytest
import tensorflow as tf

from conftest import tiny_gan
from tfgan_zoo import networks
from tfgan_zoo.latent import LatentSpace, has_encoder, image_file, projection
from tfgan_zoo.models import VAE, BiGAN
from tfgan_zoo.networks import encoders, vae_encoders

SHAPE = (8, 8, 1)


def tiny_bigan():
    generator = networks.dcgan_generator(SHAPE, 4, base_filters=4)
    discriminator = encoders.dcgan_joint_discriminator(SHAPE, 4, base_filters=4, latent_units=[8], joint_units=[8])
    return BiGAN(generator, discriminator, encoders.dcgan_encoder(SHAPE, 4, base_filters=4))


def tiny_vae(num_classes=None):
    encoder = vae_encoders.dcgan_encoder(SHAPE, 4, num_classes=num_classes, base_filters=4)
    return VAE(encoder, networks.dcgan_generator(SHAPE, 4, num_classes=num_classes, base_filters=4),
               num_classes=num_classes)


@pytest.mark.parametrize("num_classes", [None, 3], ids=["unconditional", "conditional"])
def test_optimisation_recovers_a_latent_whose_image_matches_a_generated_target(num_classes):
    model = tiny_gan(num_classes=num_classes)
    space = LatentSpace(model)
    latents, soft_labels = space.seed_grid(3, seed=5)
    labels = None if num_classes is None else np.arange(3) % num_classes
    targets = space.render(latents, soft_labels)
    result = projection.project_by_optimisation(space, targets, labels, iterations=150, restarts=3, seed=1)
    assert result.method == "optimisation" and result.latents.shape == (3, 4)
    assert result.settings["feature_weight"] == projection.DEFAULT_FEATURE_WEIGHT
    # The starts are other prior draws: compare with how far the targets are from each other.
    spread = np.mean(np.square(targets[:, None] - targets[None]), axis=(2, 3, 4))[~np.eye(3, dtype=bool)].mean()
    assert result.mse.max() < 1e-3 * spread
    np.testing.assert_allclose(result.reconstructions, space.render(result.latents, soft_labels), atol=1e-6)
    assert np.all(result.psnr > 50)
    # The kept restart is the best one of each image.
    np.testing.assert_array_equal(result.objectives.min(axis=0), result.objectives[
        np.argmin(result.objectives, axis=0), np.arange(3)])


def test_optimised_latents_stay_in_the_prior():
    space = LatentSpace(tiny_gan(latent_prior="uniform"))
    targets = np.ones((2, *SHAPE), np.float32)  # far from any sample: pushes latents outwards
    result = projection.project_by_optimisation(space, targets, iterations=20, restarts=1, learning_rate=0.5)
    assert result.latents.min() >= 0.0 and result.latents.max() <= 1.0
    normal = LatentSpace(tiny_gan())
    result = projection.project_by_optimisation(normal, targets, iterations=20, restarts=1, learning_rate=5.0)
    assert np.linalg.norm(result.latents, axis=1).max() <= 2.0 + 4.0 / np.sqrt(2.0) + 1e-5


def test_encoder_path_of_a_vae_is_its_posterior_mean():
    model = tiny_vae(num_classes=3)
    space = LatentSpace(model)
    assert has_encoder(model) and space.feature_network() is None
    images = np.random.default_rng(0).uniform(-1, 1, (4, *SHAPE)).astype(np.float32)
    labels = np.array([0, 1, 2, 0])
    result = projection.project_by_encoder(space, images, labels)
    mean, _ = model.encoder([images, labels], training=False)
    np.testing.assert_allclose(result.latents, mean, atol=1e-6)
    np.testing.assert_allclose(result.reconstructions, model.reconstruct(images, labels), atol=1e-6)
    np.testing.assert_allclose(result.mse, np.mean(np.square(result.reconstructions - images), axis=(1, 2, 3)),
                               rtol=1e-6)
    # Without a discriminator the optimisation path matches pixels only.
    assert projection.project_by_optimisation(space, images, labels, iterations=2).settings["feature_weight"] == 0.0


def test_encoder_path_of_a_bigan_is_its_code():
    model = tiny_bigan()
    space = LatentSpace(model)
    images = np.random.default_rng(1).uniform(-1, 1, (3, *SHAPE)).astype(np.float32)
    result = projection.project_by_encoder(space, images)
    np.testing.assert_allclose(result.latents, model.encode(images), atol=1e-6)
    np.testing.assert_allclose(result.reconstructions, model.reconstruct(images), atol=1e-6)
    with pytest.raises(ValueError, match="feature_weight=0.5"):
        projection.project_by_optimisation(space, images, feature_weight=0.5, iterations=1)


def test_projection_errors_name_the_value():
    space = LatentSpace(tiny_gan())
    images = np.zeros((1, *SHAPE), np.float32)
    with pytest.raises(ValueError, match="method='encoder'"):
        projection.project_by_encoder(space, images)
    with pytest.raises(ValueError, match=r"shape=\(1, 4, 4, 1\)"):
        projection.project_by_optimisation(space, np.zeros((1, 4, 4, 1)), iterations=1)
    with pytest.raises(ValueError, match="values in"):
        projection.project_by_optimisation(space, images + 3, iterations=1)
    with pytest.raises(ValueError, match="restarts=0"):
        projection.project_by_optimisation(space, images, restarts=0)
    conditional = LatentSpace(tiny_gan(num_classes=3))
    with pytest.raises(ValueError, match="labels=None"):
        projection.project_by_optimisation(conditional, images, iterations=1)
    with pytest.raises(ValueError, match=r"labels=\[5\]"):
        projection.project_by_optimisation(conditional, images, [5], iterations=1)


def _write_png(path, array):
    tf.io.write_file(str(path), tf.io.encode_png(np.asarray(array, np.uint8)))


def test_read_image_converts_channels_resizes_squares_and_refuses_the_rest(tmp_path):
    grey = np.tile(np.arange(16, dtype=np.uint8)[None, :, None] * 16, [16, 1, 1])
    _write_png(tmp_path / "grey16.png", grey)
    image = image_file.read_image(str(tmp_path / "grey16.png"), (8, 8, 3))
    assert image.shape == (8, 8, 3) and image.dtype == np.float32
    assert image.min() >= -1.0 and image.max() <= 1.0 and np.all(np.diff(image[0, :, 0]) > 0)
    _write_png(tmp_path / "rgba.png", np.full((8, 8, 4), 255, np.uint8))
    np.testing.assert_array_equal(image_file.read_image(str(tmp_path / "rgba.png"), SHAPE), np.ones(SHAPE))
    _write_png(tmp_path / "wide.png", np.zeros((8, 12, 1), np.uint8))
    for name, message in (("wide.png", "8x12"), ("missing.png", "does not exist"), ("grey16.jpg", "must be a .png")):
        with pytest.raises(ValueError, match=message):
            image_file.read_image(str(tmp_path / name), SHAPE)
    (tmp_path / "broken.png").write_bytes(b"not a png")
    with pytest.raises(ValueError, match="broken.png"):
        image_file.read_image(str(tmp_path / "broken.png"), SHAPE)

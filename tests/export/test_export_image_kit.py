"""The deployment kit's image path: pictures to an image-to-image export, translations back.

One smoke-sized SRResNet-style `srgan_shapes` model (4x4 -> 16x16, three
channels) is exported once as a SavedModel and an fp32 LiteRT file; the
serving client talks to a local stand-in for TF Serving's REST API and the
LiteRT sampler runs without TensorFlow.
"""

import os
import sys

import numpy as np
import pytest
import tensorflow as tf

from conftest import REPO_ROOT
from export_testing import (
    WITHOUT_TENSORFLOW,
    decode_png,
    emulated_rest_server,
    export_smoke_recipe,
    load_kit_module,
    run_cli,
)
from tfgan_zoo import held_out

RECIPE = "srgan_shapes"
image_io = load_kit_module("export/image_io.py", "kit_image_io")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_smoke_recipe(tmp_path_factory.mktemp("srgan_kit"), RECIPE, "saved_model,tflite_fp32", image_size=16)


def write_picture(path, picture):
    """A PNG written by TensorFlow's encoder (libpng picks a filter per row), not by the kit."""
    tf.io.write_file(str(path), tf.io.encode_png(picture, compression=9))
    return str(path)


def uniform_pictures(shape, seed):
    return np.random.default_rng(seed).integers(0, 256, shape).astype(np.uint8)


def test_manifest_describes_the_image_input(exported):
    _, _, manifest = exported
    assert manifest["image_input"] == {"shape": [4, 4, 3], "range": [-1.0, 1.0], "resize": "bilinear",
                                       "task": "downscale:4"}


def test_client_translates_pictures_through_emulated_rest_server(exported, tmp_path):
    model, out, manifest = exported
    client = load_kit_module("export/serving/client.py", "serving_client")
    small, large = uniform_pictures((4, 4, 3), 1), uniform_pictures((8, 8, 3), 2)
    paths = [write_picture(tmp_path / "small.png", small), write_picture(tmp_path / "large.png", large)]
    # The 8x8 picture is resized as the manifest says (bilinear, antialiased, like the model's data).
    fitted = np.stack([small / 127.5 - 1.0, tf.image.resize(large / 127.5 - 1.0, [4, 4], antialias=True)])
    expected = model.translate(np.clip(fitted, -1.0, 1.0))
    flags = ["--model=srgan", f"--manifest={out / 'manifest.json'}", "--image", *paths]
    with emulated_rest_server(tf.saved_model.load(str(out / manifest["saved_model"]["path"]))) as (address, requests):
        client.main([f"--rest={address}", *flags, f"--out={tmp_path / 'translated.npy'}"])
        client.main([f"--rest={address}", "--format=inputs", *flags, f"--out={tmp_path / 'folder'}"])
    assert requests[0][1]["signature_name"] == "serving_default"
    assert np.shape(requests[0][1]["instances"][1]["image"]) == (4, 4, 3)
    assert np.shape(requests[1][1]["inputs"]["image"]) == (2, 4, 4, 3)
    np.testing.assert_allclose(np.load(tmp_path / "translated.npy"), expected, atol=1e-5)
    assert sorted(os.listdir(tmp_path / "folder")) == ["large.png", "small.png"]
    written = decode_png(tmp_path / "folder" / "large.png").astype(int)
    assert np.abs(written - image_io.to_uint8(expected[1])).max() <= 1


def test_client_rejects_what_the_manifest_does_not_allow(exported, tmp_path):
    _, out, manifest = exported
    client = load_kit_module("export/serving/client.py", "serving_client")
    grey = write_picture(tmp_path / "grey.png", uniform_pictures((4, 4, 1), 3))
    with pytest.raises(ValueError, match=r"3-channel.*Received: shape \(4, 4, 1\) for --image picture 'grey'"):
        client.image_columns([grey], manifest)
    with pytest.raises(ValueError, match=r"needs the export's manifest.json.*Received: --manifest=None"):
        client.main(["--rest=localhost:1", "--model=srgan", "--image", grey, f"--out={tmp_path / 'x.png'}"])
    with pytest.raises(ValueError, match=r"take an image are \['serving_default'\]. Received: --signature='sample'"):
        client.image_columns([grey], manifest, "sample")
    large = write_picture(tmp_path / "large.png", uniform_pictures((8, 8, 3), 4))
    refusing = {**manifest, "image_input": {**manifest["image_input"], "resize": None}}
    with pytest.raises(ValueError, match=r"resize=None.*Received: 8x8 for --image picture 'large'"):
        client.image_columns([large], refusing)
    np.save(tmp_path / "bright.npy", np.full((2, 4, 4, 3), 1.5, np.float32))
    with pytest.raises(ValueError, match=r"range \[-1.0, 1.0\].*values in \[1.5, 1.5\]"):
        client.image_columns([str(tmp_path / "bright.npy")], manifest)
    with pytest.raises(ValueError, match=r"need the manifest.json of an image-to-image export.*image_input=None"):
        image_io.model_inputs([large], {"latent_dim": 8}, [4, 4, 3])


def test_pad_centres_smaller_pictures_on_the_low_end_and_refuses_larger():
    image_input = {"shape": [4, 4, 1], "range": [-1.0, 1.0], "resize": "pad"}
    (padded,) = image_io.fit_pictures([np.full((2, 2, 1), 255, np.uint8)], ["dot"], image_input)
    np.testing.assert_array_equal(padded[..., 0], [[-1, -1, -1, -1], [-1, 1, 1, -1], [-1, 1, 1, -1], [-1, -1, -1, -1]])
    with pytest.raises(ValueError, match="resize='pad'.*Received: 5x4"):
        image_io.fit_pictures([np.zeros((5, 4, 1), np.float32)], ["tall"], image_input)


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_read_png_decodes_every_row_filter_like_tensorflow(tmp_path, channels):
    rng = np.random.default_rng(channels)
    smooth = np.linspace(0, 255, 29 * 17 * channels).reshape(29, 17, channels) + rng.integers(0, 40, (29, 17, channels))
    picture = smooth.astype(np.uint8)
    picture[8:12] = rng.integers(0, 256, (4, 17, channels))  # noisy rows make libpng choose other filters
    path = write_picture(tmp_path / "picture.png", picture)
    np.testing.assert_array_equal(image_io.read_png(path), picture)


@pytest.mark.parametrize("size", [(16, 16), (3, 5), (40, 9)])
def test_resize_bilinear_matches_tensorflow_antialiased(size):
    picture = np.random.default_rng(0).uniform(-1, 1, (12, 10, 3)).astype(np.float32)
    expected = tf.image.resize(picture, size, method="bilinear", antialias=True).numpy()
    np.testing.assert_allclose(image_io.resize_bilinear(picture, *size), expected, atol=1e-5)


def test_litert_sampler_translates_like_keras_without_tensorflow(exported, tmp_path):
    model, out, manifest = exported
    sources = held_out.heldout_examples(model, 5, seed=3)[0]
    np.savez(tmp_path / "sources.npz", image=sources)
    sampler = os.path.join(REPO_ROOT, "export", "litert", "sampler.py")
    tflite = out / manifest["tflite"]["tflite_fp32"]["path"]
    result = run_cli(sys.executable, "-c", WITHOUT_TENSORFLOW, sampler, f"--model={tflite}",
                     "--image", str(tmp_path / "sources.npz"), f"--out={tmp_path / 'large.npy'}")
    assert "Wrote 5 translations" in result.stdout
    np.testing.assert_allclose(np.load(tmp_path / "large.npy"), model.translate(sources), atol=1e-4)
    in_process = load_kit_module("export/litert/sampler.py", "kit_sampler")
    with pytest.raises(ValueError, match=r"translates images \[B, 4, 4, 3\]: give --image. Received: --image=None"):
        in_process.main([f"--model={tflite}", f"--out={tmp_path / 'x.png'}"])

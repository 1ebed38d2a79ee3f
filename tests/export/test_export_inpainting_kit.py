"""The deployment kit's inpainting path: `--image` pictures with their `--mask` holes, completions back.

One smoke-sized `inpainting_mnist8k` model (28x28 grey, `image` + `mask`
signature) is exported once as a SavedModel and an fp32 LiteRT file. Masks
are 1 (white in a PNG) on the missing pixels, as `tfgan_zoo.data.masks`.
"""

import argparse
import os
import types

import numpy as np
import pytest
import tensorflow as tf

from export_testing import decode_png, emulated_rest_server, export_smoke_recipe, load_kit_module
from test_export_image_kit import uniform_pictures, write_picture

RECIPE = "inpainting_mnist8k"
client = load_kit_module("export/serving/client.py", "serving_client")
sampler = load_kit_module("export/litert/sampler.py", "kit_sampler")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_smoke_recipe(tmp_path_factory.mktemp("inpainting_kit"), RECIPE, "saved_model,tflite_fp32")


def hole(size, top, left, height, width):
    """A uint8 grey PNG-style mask `[size, size, 1]`: 255 (white, missing) on one rectangle, 0 elsewhere."""
    mask = np.zeros((size, size, 1), np.uint8)
    mask[top : top + height, left : left + width] = 255
    return mask


@pytest.fixture
def pairs(tmp_path):
    """Two PNG pictures and their PNG masks: one at the model's 28x28, one at 56x56 (resized to 28x28).

    Returns `(image paths, mask paths, fitted images, fitted masks)`, the
    fitted ones computed with TensorFlow: antialiased bilinear resizing, and
    a resized mask's pixel missing wherever it draws on a missing pixel.
    """
    small, large = uniform_pictures((28, 28, 1), 1), uniform_pictures((56, 56, 1), 2)
    small_hole, large_hole = hole(28, 5, 8, 10, 12), hole(56, 11, 15, 19, 25)  # odd edges: partly covered pixels
    images = [write_picture(tmp_path / "small.png", small), write_picture(tmp_path / "large.png", large)]
    masks = [write_picture(tmp_path / "small_hole.png", small_hole), write_picture(tmp_path / "large_hole.png",
                                                                                  large_hole)]
    resize = lambda picture: tf.image.resize(picture, [28, 28], antialias=True).numpy()  # noqa: E731
    fitted_images = np.stack([small / 127.5 - 1.0, np.clip(resize(large / 127.5 - 1.0), -1.0, 1.0)])
    fitted_masks = np.stack([small_hole / 255.0, resize(large_hole / 255.0) > 0]).astype(np.float32)
    return images, masks, fitted_images.astype(np.float32), fitted_masks


def test_litert_sampler_inpaints_png_pictures_like_keras_and_keeps_known_pixels(exported, pairs, tmp_path):
    model, out, manifest = exported
    images, masks, fitted_images, fitted_masks = pairs
    tflite = out / manifest["tflite"]["tflite_fp32"]["path"]
    flags = [f"--model={tflite}", "--image", *images, "--mask", *masks]
    sampler.main([*flags, f"--out={tmp_path / 'completed.npy'}"])
    sampler.main([*flags, f"--out={tmp_path / 'completed'}"])
    completed = np.load(tmp_path / "completed.npy")
    # The resized hole grew over the pixels its edges partly cover, never shrank.
    assert fitted_masks[1].sum() > (19 // 2) * (25 // 2)
    np.testing.assert_allclose(completed, model.inpaint(fitted_images, fitted_masks), atol=1e-4)
    known = 1.0 - fitted_masks
    np.testing.assert_allclose(completed * known, fitted_images * known, atol=1e-6)
    assert sorted(os.listdir(tmp_path / "completed")) == ["large.png", "small.png"]
    written, original = decode_png(tmp_path / "completed" / "small.png"), decode_png(images[0])
    is_known = decode_png(masks[0]) == 0
    np.testing.assert_array_equal(written[is_known], original[is_known])


def test_client_sends_image_and_mask_columns(exported, pairs, tmp_path):
    model, out, manifest = exported
    images, masks, fitted_images, fitted_masks = pairs
    names, columns = client.image_columns(images, manifest, masks=masks)
    assert names == ["small", "large"] and sorted(columns) == ["image", "mask"]
    np.testing.assert_allclose(columns["image"], fitted_images, atol=1e-5)
    np.testing.assert_array_equal(columns["mask"], fitted_masks)
    rows = client.rest_body(columns, "instances", "serving_default")["instances"]
    assert [sorted(row) for row in rows] == [["image", "mask"]] * 2 and np.shape(rows[1]["mask"]) == (28, 28, 1)
    body = client.rest_body(columns, "inputs", "serving_default")["inputs"]
    assert np.shape(body["image"]) == np.shape(body["mask"]) == (2, 28, 28, 1)
    # One .npz may hold both: --image reads its array `image`, --mask its array `mask` (bool is 0/1).
    np.savez(tmp_path / "both.npz", image=fitted_images, mask=fitted_masks.astype(bool))
    both = str(tmp_path / "both.npz")
    _, from_npz = client.image_columns([both], manifest, masks=[both])
    np.testing.assert_array_equal(from_npz["mask"], fitted_masks)
    expected = model.inpaint(fitted_images, fitted_masks)
    flags = ["--model=inpainting", f"--manifest={out / 'manifest.json'}", "--image", *images, "--mask", *masks]
    with emulated_rest_server(tf.saved_model.load(str(out / manifest["saved_model"]["path"]))) as (address, requests):
        client.main([f"--rest={address}", *flags, f"--out={tmp_path / 'rows.npy'}"])
        client.main([f"--rest={address}", "--format=inputs", *flags, f"--out={tmp_path / 'columns.npy'}"])
    assert len(requests) == 2
    for name in ("rows", "columns"):
        np.testing.assert_allclose(np.load(tmp_path / f"{name}.npy"), expected, atol=1e-5)


def test_mask_errors_name_the_flag_and_what_it_received(exported, pairs, tmp_path):
    _, out, manifest = exported
    images, masks, _, _ = pairs
    tflite = str(out / manifest["tflite"]["tflite_fp32"]["path"])
    with pytest.raises(ValueError, match=r"fills holes.*give --mask, one per --image picture. Received: --mask=None"):
        client.image_columns(images, manifest)
    with pytest.raises(ValueError, match=r"fills holes.*give --mask.*Received: --mask=None"):
        sampler.main([f"--model={tflite}", "--image", images[0], f"--out={tmp_path / 'x.png'}"])
    with pytest.raises(ValueError, match=r"one --mask per --image picture. Received: 2 --image pictures "
                                         r"\['small', 'large'\] and 1 --mask pictures in --mask=\[.*small_hole.png'\]"):
        client.image_columns(images, manifest, masks=masks[:1])
    with pytest.raises(ValueError, match=r"picture's height and width.*Received: 56x56 for --mask picture "
                                         r"'large_hole' and 28x28 for --image picture 'small'"):
        client.image_columns(images[:1], manifest, masks=masks[1:])
    soft = write_picture(tmp_path / "soft.png", np.where(hole(28, 4, 4, 9, 9) > 0, 128, 0).astype(np.uint8))
    with pytest.raises(ValueError, match=r"only 0 .* and 1 .*Received: 2 distinct values \(0, 128\) for --mask "
                                         r"picture 'soft'"):
        sampler.main([f"--model={tflite}", "--image", images[0], "--mask", soft, f"--out={tmp_path / 'x.png'}"])
    np.save(tmp_path / "half.npy", np.full((28, 28, 1), 0.5, np.float32))
    with pytest.raises(ValueError, match=r"Received: 1 distinct values \(0.5\) for --mask picture 'half_0000'"):
        client.image_columns(images[:1], manifest, masks=[str(tmp_path / "half.npy")])
    colour = write_picture(tmp_path / "colour.png", uniform_pictures((28, 28, 3), 5))
    with pytest.raises(ValueError, match=r"one channel.*Received: shape \(28, 28, 3\) for --mask picture 'colour'"):
        client.image_columns(images[:1], manifest, masks=[colour])
    with pytest.raises(ValueError, match=r"give both. Received: --mask=\[.*small_hole.png'\] and --image=None"):
        client.main(["--rest=localhost:1", "--model=inpainting", "--mask", masks[0], f"--out={tmp_path / 'x.png'}"])


def test_mask_is_refused_by_a_model_without_a_mask_input(exported, pairs, tmp_path):
    _, _, manifest = exported
    images, masks, _, _ = pairs
    signature = manifest["saved_model"]["signatures"]["serving_default"]
    image_only = {**signature, "inputs": {"image": signature["inputs"]["image"]}}
    translator = {**manifest, "saved_model": {**manifest["saved_model"], "signatures": {"serving_default": image_only}}}
    with pytest.raises(ValueError, match=r"takes no mask: --mask is for inpainting exports.*"
                                         r"Received: --mask=\[.*small_hole.png'\]"):
        client.image_columns(images[:1], translator, masks=masks[:1])
    _, columns = client.image_columns(images[:1], translator)
    assert sorted(columns) == ["image"]
    # The sampler's image path on a file taking `image` only (an image-to-image translator).
    translator_file = types.SimpleNamespace(image_shape=[28, 28, 1], takes_mask=False, inputs={"image": {}})
    args = argparse.Namespace(model="pix2pix.tflite", image=images[:1], mask=masks[:1], out=str(tmp_path / "x.png"))
    with pytest.raises(ValueError, match=r"pix2pix.tflite takes no mask.*Received: --mask=\[.*small_hole.png'\]"):
        sampler.translate(args, translator_file, manifest)

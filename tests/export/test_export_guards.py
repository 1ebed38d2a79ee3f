"""What an export refuses, and that a refused export changes nothing on disk."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

from conftest import tiny_gan
from export_testing import keras_samples, load_kit_module, move_batchnorm_statistics
from tfgan_zoo import export, models, networks
from tfgan_zoo.export import conversion, litert, signatures


class CumulativeProduct(keras.layers.Layer):
    """`tf.math.cumprod`: LiteRT has it only as a Select TF (Flex) op."""

    def call(self, inputs):
        return tf.math.cumprod(inputs, axis=-1)


def flex_gan():
    latent = keras.Input((4,), name="latent")
    hidden = CumulativeProduct(name="cumprod")(keras.layers.Dense(4, name="dense")(latent))
    generator = keras.Model(latent, keras.layers.Dense(2, name="to_sample")(hidden), name="generator")
    discriminator = networks.mlp_discriminator((2,), hidden_units=[4])
    return models.GAN(generator, discriminator)


def snapshot(directory):
    """`{relative path: bytes}` of every file under `directory`."""
    files = {}
    for root, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, directory)] = handle.read()
    return files


def test_op_needing_select_tf_ops_fails_naming_it_and_keeps_previous_export(tmp_path):
    good = tiny_gan(sample_shape=(2,))
    export.export_model(good, tmp_path, "points", formats="saved_model,tflite_fp32")
    before = snapshot(tmp_path)

    with pytest.raises(export.UnsupportedOpsError, match=r"tf\.Cumprod \(Select TF op\)") as raised:
        export.export_model(flex_gan(), tmp_path, "points", formats="saved_model,tflite_fp32")
    assert raised.value.ops == ["tf.Cumprod (Select TF op)"]
    assert snapshot(tmp_path) == before  # no version 2, no replaced file, no staging left
    assert sorted(os.listdir(tmp_path / "saved_model" / "points")) == ["1"]


def test_op_needing_select_tf_ops_still_exports_for_tf_serving(tmp_path):
    model = flex_gan()
    manifest = export.export_model(model, tmp_path, "flex", formats=["saved_model"])
    assert "tflite" not in manifest and manifest["saved_model"]["max_abs_error"] <= 1e-5


def test_accuracy_gate_refuses_int8_and_writes_nothing(tmp_path):
    model = tiny_gan()
    move_batchnorm_statistics(model.generator)
    with pytest.raises(export.AccuracyGateError, match=r"tflite_int8.*tolerances\['tflite_int8'\]=1e-09"):
        export.export_model(model, tmp_path, "tiny", formats="saved_model,tflite_int8",
                            tolerances={"tflite_int8": 1e-9})
    assert os.listdir(tmp_path) == []


def test_bad_arguments_name_the_value(tmp_path):
    model = tiny_gan()
    with pytest.raises(ValueError, match="'foo'.*Received: formats='saved_model,foo'"):
        export.parse_formats("saved_model,foo")
    with pytest.raises(ValueError, match="'tflite_int4'"):
        export.export_model(model, tmp_path, "tiny", formats=["tflite_int4"])
    with pytest.raises(ValueError, match="name='a/b'"):
        export.export_model(model, tmp_path, "a/b", formats="saved_model")
    with pytest.raises(ValueError, match=r"tolerances\['saved_model'\]"):
        export.export_model(model, tmp_path, "tiny", tolerances={"saved_model": 0.1})
    for sizes in ([0, 64], [], "1,64", [1, True]):
        with pytest.raises(ValueError, match=rf"batch_sizes={sizes!r}".replace("[", r"\[").replace("]", r"\]")):
            export.export_model(model, tmp_path, "tiny", formats="tflite_fp32", litert_batch_sizes=sizes)
    assert os.listdir(tmp_path) == []
    assert export.parse_formats(" tflite_int8,saved_model,tflite_int8 ") == ("saved_model", "tflite_int8")


def test_files_with_a_dynamic_batch_from_earlier_exports_still_run(tmp_path):
    """Files exported before batch sizes were static have one `serving_default` with batch -1."""
    model = tiny_gan()
    move_batchnorm_statistics(model.generator)
    archive = keras.export.ExportArchive()
    archive.track(model.generator)
    archive.add_endpoint(
        "serving_default", lambda inputs: {"image": signatures.call_network(model.generator, inputs)},
        input_signature=[signatures.generator_input_specs(model.generator)],
    )
    archive.write_out(str(tmp_path / "source"), verbose=False)
    path = tmp_path / "dynamic.tflite"
    path.write_bytes(tf.lite.TFLiteConverter.from_saved_model(str(tmp_path / "source")).convert())
    latent = model.latent_for_seed(5, 3)
    expected = keras_samples(model, latent)
    interpreter = Interpreter(model_path=str(path))
    assert litert.batch_signatures(interpreter) == {} and litert.describe(interpreter)["batch_sizes"] == []
    np.testing.assert_allclose(litert.run(interpreter, {"latent": latent}), expected, atol=1e-5)
    sampler = load_kit_module("export/litert/sampler.py", "kit_sampler")
    generator = sampler.LiteRTGenerator(str(path))
    assert generator.batch_signatures == {}
    for count in (5, 2):  # a new batch size resizes the interpreter
        np.testing.assert_allclose(generator(latent[:count]), expected[:count], atol=1e-5)


def test_versions_are_new_folders_never_overwritten(tmp_path):
    model = tiny_gan(sample_shape=(2,))
    assert export.export_model(model, tmp_path, "tiny", formats="saved_model")["saved_model"]["version"] == 1
    assert export.export_model(model, tmp_path, "tiny", formats="saved_model")["saved_model"]["version"] == 2
    with pytest.raises(ValueError, match="version=2"):
        export.export_model(model, tmp_path, "tiny", formats="saved_model", version=2)
    assert export.export_model(model, tmp_path, "tiny", formats="saved_model", version=7)["saved_model"]["version"] == 7
    assert sorted(os.listdir(tmp_path / "saved_model" / "tiny")) == ["1", "2", "7"]


@pytest.mark.parametrize("prior", ["normal", "uniform"])
def test_seeded_latents_match_latent_for_seed(prior):
    model = tiny_gan(sample_shape=(2,), latent_dim=6, latent_prior=prior)
    latent = signatures.latent_from_seeds(tf.constant([5, 123456789012], tf.int64), 6, prior).numpy()
    expected = np.concatenate([model.latent_for_seed(1, 5), model.latent_for_seed(1, 123456789012)])
    np.testing.assert_array_equal(latent, expected)


def test_conversion_copy_is_float32_without_one_hot_op():
    keras.config.set_dtype_policy("mixed_float16")
    try:
        generator, _ = networks.build_networks(
            "dcgan", (8, 8, 1), 4, num_classes=3, generator_kwargs={"base_filters": 4}
        )
    finally:
        keras.config.set_dtype_policy("float32")
    copy = conversion.conversion_copy(generator)
    assert {layer.dtype_policy.compute_dtype for layer in copy.layers} == {"float32"}
    assert not any(isinstance(layer, keras.layers.CategoryEncoding) for layer in copy.layers)
    assert [(tensor.name, tensor.dtype) for tensor in copy.inputs] == [("latent", "float32"), ("label", "int32")]
    inputs = [np.random.default_rng(0).normal(size=(3, 4)).astype("float32"), np.array([0, 1, 2], "int32")]
    np.testing.assert_allclose(copy(inputs), generator(inputs), atol=1e-2)
    unconditional, _ = networks.build_networks("dcgan", (8, 8, 1), 4, generator_kwargs={"base_filters": 4})
    assert conversion.conversion_copy(unconditional) is unconditional


def test_int8_file_of_conditional_model_follows_its_labels(tmp_path):
    """LiteRT's int8 ONE_HOT kept its own scale and fed labels as ~4.5 instead of 1 (see `conversion`)."""
    model = tiny_gan(sample_shape=(2,), num_classes=3, latent_dim=4)
    dense = model.generator.get_layer("dense_0")
    kernel, bias = dense.get_weights()
    kernel[4:] *= 10.0  # the one-hot rows: the label decides the output
    dense.set_weights([kernel, bias])
    manifest = export.export_model(model, tmp_path, "labels", formats="tflite_int8")

    interpreter = Interpreter(model_path=str(tmp_path / manifest["tflite"]["tflite_int8"]["path"]))
    latent = model.latent_for_seed(6, 1)
    labels = np.array([0, 1, 2, 0, 1, 2], np.int32)
    expected = keras_samples(model, latent, labels)
    label_effect = np.abs(expected - keras_samples(model, latent, (labels + 1) % 3)).mean()
    error = np.abs(litert.run(interpreter, {"latent": latent, "label": labels}) - expected).mean()
    assert error < 0.1 * label_effect, (error, label_effect)


def test_model_declared_signatures_are_served(tmp_path):
    """The hook future variants (encoders, classifiers) use; today's declare none."""
    model = tiny_gan()
    image = keras.Input((8, 8, 1), name="pixels")
    encoder = keras.Model(image, keras.layers.Dense(4, name="code")(keras.layers.Flatten()(image)), name="encoder")
    model.export_signatures = lambda: {"encode": (encoder, ["image"])}
    manifest = export.export_model(model, tmp_path, "tiny", formats="saved_model")

    assert manifest["saved_model"]["signatures"]["encode"] == {
        "inputs": {"image": {"dtype": "float32", "shape": [None, 8, 8, 1]}},
        "outputs": {"code": {"dtype": "float32", "shape": [None, 4]}},
    }
    loaded = tf.saved_model.load(str(tmp_path / "saved_model" / "tiny" / "1"))
    images = np.random.default_rng(1).uniform(-1, 1, (2, 8, 8, 1)).astype("float32")
    np.testing.assert_allclose(loaded.signatures["encode"](image=images)["code"], encoder(images), atol=1e-5)
    latent = model.latent_for_seed(2, 0)
    served = loaded.signatures["serving_default"](latent=latent)["image"]
    np.testing.assert_allclose(served, keras_samples(model, latent), atol=1e-5)

"""Every format of every kind of registered model, checked against the Keras generator.

One smoke-sized model per kind (unconditional DCGAN, conditional DCGAN with
EMA, fully connected images, 2-D points) is exported once in all formats;
the tests load the results the way servers and devices do.
"""

import dataclasses
import os

import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

from export_testing import (
    KINDS,
    SAVED_MODEL_CLI,
    assert_tflite_close,
    decode_like_tf_serving,
    decode_png,
    emulated_rest_server,
    keras_samples,
    labels_for,
    load_kit_module,
    move_batchnorm_statistics,
    run_cli,
)
from tfgan_zoo import export, recipes, training
from tfgan_zoo.export import litert


@dataclasses.dataclass
class Exported:
    kind: str
    model: object
    out: str
    manifest: dict

    @property
    def saved_model(self):
        return os.path.join(self.out, self.manifest["saved_model"]["path"])

    def tflite(self, fmt):
        return os.path.join(self.out, self.manifest["tflite"][fmt]["path"])

    def serving_inputs(self, count, seed=11):
        inputs = {"latent": self.model.latent_for_seed(count, seed)}
        if self.model.num_classes is not None:
            inputs["label"] = labels_for(self.model, count)
        return inputs


def export_kind(kind, out):
    recipe = recipes.get_recipe(KINDS[kind]).smoke_sized()
    model = training.build_model(recipe)
    move_batchnorm_statistics(model.sampling_generator)
    if model.ema_generator is not None:
        # Live and EMA weights differ far beyond any export tolerance, so a
        # test can tell which one was exported.
        for variable in model.generator.trainable_variables:
            variable.assign(variable * 1.5 + 0.01)
    manifest = export.export_model(model, out, recipe.name, recipe_name=recipe.name)
    return Exported(kind, model, out, manifest)


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """Exports each kind once, when a test first asks for it."""
    cache = {}

    def get(kind):
        if kind not in cache:
            cache[kind] = export_kind(kind, str(tmp_path_factory.mktemp(kind)))
        return cache[kind]

    return get


@pytest.fixture(scope="module", params=list(KINDS))
def exported(request, exports):
    return exports(request.param)


@pytest.fixture(scope="module")
def conditional(exports):
    """The conditional model: it has every input kind (latent, label, seed)."""
    return exports("conditional_image")


# === SavedModel ===
def test_saved_model_cli_run_matches_keras(exported, tmp_path):
    """The C++ loader that TF Serving uses (PITFALLS 9), through `saved_model_cli run`."""
    inputs = exported.serving_inputs(3)
    for name, value in inputs.items():
        np.save(tmp_path / f"{name}.npy", value)
    arguments = ";".join(f"{name}={tmp_path / name}.npy" for name in inputs)
    run_cli(SAVED_MODEL_CLI, "run", "--dir", exported.saved_model, "--tag_set", "serve", "--signature_def",
            "serving_default", "--inputs", arguments, "--outdir", str(tmp_path / "outputs"))

    expected = keras_samples(exported.model, inputs["latent"], inputs.get("label"))
    output = exported.manifest["output"]
    np.testing.assert_allclose(np.load(tmp_path / "outputs" / f"{output}.npy"), expected, atol=1e-5)
    if output == "image":
        uint8 = np.load(tmp_path / "outputs" / "image_uint8.npy")
        assert uint8.dtype == np.uint8
        assert np.abs(uint8.astype(int) - np.rint((expected + 1) * 127.5)).max() <= 1


def test_signatures_named_with_dynamic_batch(exported):
    loaded = tf.saved_model.load(exported.saved_model)
    assert sorted(loaded.signatures) == ["sample", "serving_default"]
    conditional = exported.model.num_classes is not None
    expected_inputs = {
        "serving_default": {"latent", "label"} if conditional else {"latent"},
        "sample": {"seed", "label"} if conditional else {"seed"},
    }
    outputs = {"image", "image_uint8"} if exported.manifest["output"] == "image" else {"sample"}
    for name, function in loaded.signatures.items():
        specs = function.structured_input_signature[1]
        assert set(specs) == expected_inputs[name]
        assert all(spec.shape[0] is None for spec in specs.values())
        assert set(function.structured_outputs) == outputs
    seed = exported.manifest["saved_model"]["signatures"]["sample"]["inputs"]["seed"]
    assert seed == {"dtype": "int64", "shape": [None]}


def test_sample_signature_one_seed_one_sample(exported):
    sample = tf.saved_model.load(exported.saved_model).signatures["sample"]
    conditional = exported.model.num_classes is not None

    def call(seeds, labels):
        feeds = {"seed": tf.constant(seeds, tf.int64)}
        if conditional:
            feeds["label"] = tf.constant(labels, tf.int32)
        return sample(**feeds)[exported.manifest["output"]].numpy()

    alone, again, among = call([7], [1]), call([7], [1]), call([3, 7, 9], [0, 1, 2])
    np.testing.assert_array_equal(alone, again)
    np.testing.assert_allclose(alone[0], among[1], atol=1e-6)
    assert np.abs(among[0] - among[2]).max() > 1e-4  # other seeds, other samples
    # Seed s is the latent `latent_for_seed(1, s)` of tfgan_zoo's own sampling.
    expected = keras_samples(exported.model, exported.model.latent_for_seed(1, 7), [1] if conditional else None)
    np.testing.assert_allclose(alone, expected, atol=1e-5)


@pytest.mark.parametrize("layout", ["instances", "inputs"])
def test_client_rest_bodies_fit_the_signatures(exported, layout):
    client = load_kit_module("export/serving/client.py", "serving_client")
    loaded = tf.saved_model.load(exported.saved_model)
    model, num_classes = exported.model, exported.model.num_classes
    for signature in ("sample", "serving_default"):
        columns = client.request_columns(signature, 5, seed=3, num_classes=num_classes, latent_dim=model.latent_dim,
                                         latent_prior=model.latent_prior)
        function = loaded.signatures[signature]
        outputs = function(**decode_like_tf_serving(client.rest_body(columns, layout, signature), function))
        latent = columns["latent"] if signature == "serving_default" else np.concatenate(
            [model.latent_for_seed(1, seed) for seed in columns["seed"]])
        expected = keras_samples(model, latent, columns.get("label"))
        np.testing.assert_allclose(outputs[exported.manifest["output"]].numpy(), expected, atol=1e-5)


def test_only_the_sampling_generator_is_exported(exported):
    loaded = tf.saved_model.load(exported.saved_model)
    exported_sizes = sorted(int(np.prod(variable.shape)) for variable in loaded.variables)
    generator_sizes = sorted(int(np.prod(variable.shape)) for variable in exported.model.sampling_generator.variables)
    assert exported_sizes == generator_sizes  # no discriminator, no live generator beside the EMA one
    if exported.model.ema_generator is None:
        return
    inputs = exported.serving_inputs(4)
    served = loaded.signatures["serving_default"](**inputs)["image"].numpy()
    ema = keras_samples(exported.model, inputs["latent"], inputs.get("label"))
    live = keras_samples(exported.model, inputs["latent"], inputs.get("label"), generator=exported.model.generator)
    np.testing.assert_allclose(served, ema, atol=1e-5)
    assert np.abs(served - live).max() > 1e-2


# === LiteRT ===
@pytest.mark.parametrize("fmt", export.FORMATS[1:])
def test_tflite_serves_any_number_of_rows_through_its_static_batches(exported, fmt):
    interpreter = Interpreter(model_path=exported.tflite(fmt))
    assert litert.batch_signatures(interpreter) == {1: "serving_default", 64: "batch_64"}
    for count in (1, 8, 66):  # 66 rows: one call of batch_64, two of serving_default
        inputs = exported.serving_inputs(count, seed=20 + count)
        actual = litert.run(interpreter, inputs)
        expected = keras_samples(exported.model, inputs["latent"], inputs.get("label"))
        assert actual.shape == expected.shape == (count, *exported.manifest["sample_shape"])
        assert_tflite_close(actual, expected, fmt, exported.manifest)


@pytest.mark.parametrize("fmt", export.FORMATS[1:])
def test_tflite_signatures_compute_no_shapes_at_run_time(exported, fmt):
    """A dynamic batch made the converter compute each TRANSPOSE_CONV's output shape with SHAPE ops, which
    kept XNNPACK from delegating it (the dynamic-range file ran 15x slower than fp32)."""
    ops = {detail["op_name"] for detail in Interpreter(model_path=exported.tflite(fmt))._get_ops_details()}
    assert ops and not ops & {"SHAPE", "STRIDED_SLICE", "PACK"}, sorted(ops)


def test_kit_sampler_chunks_rows_and_takes_the_manifests_threads(conditional):
    sampler = load_kit_module("export/litert/sampler.py", "kit_sampler")
    assert conditional.manifest["litert"] == {"threads": litert.SAMPLER_THREADS}
    generator = sampler.LiteRTGenerator(conditional.tflite("tflite_fp32"))
    assert generator.num_threads == sampler.DEFAULT_THREADS == litert.SAMPLER_THREADS
    assert generator.batch_signatures == {1: "serving_default", 64: "batch_64"}
    inputs = conditional.serving_inputs(67, seed=5)
    expected = keras_samples(conditional.model, inputs["latent"], inputs["label"])
    for _ in range(2):  # the second call reuses the signature runners
        np.testing.assert_allclose(generator(inputs["latent"], inputs["label"]), expected, atol=1e-4)


def test_manifest_records_what_was_measured(exported):
    manifest, model = exported.manifest, exported.model
    assert manifest == export.read_manifest(exported.out)
    assert (manifest["latent_dim"], manifest["latent_prior"], manifest["num_classes"]) == (
        model.latent_dim, model.latent_prior, model.num_classes)
    assert manifest["recipe"] == KINDS[exported.kind] and manifest["formats"] == list(export.FORMATS)
    assert manifest["generator"] == ("ema" if model.ema_generator is not None else "live")
    evaluation = manifest["evaluation"]
    latent = model.latent_for_seed(evaluation["batch_size"], evaluation["seed"])
    labels = labels_for(model, evaluation["batch_size"])
    expected = keras_samples(model, latent, labels)
    feeds = {"latent": latent} if labels is None else {"latent": latent, "label": labels}
    expected_inputs = {"latent": {"dtype": "float32", "shape": [None, model.latent_dim]}}
    if labels is not None:
        expected_inputs["label"] = {"dtype": "int32", "shape": [None]}
    for fmt, entry in manifest["tflite"].items():
        assert os.path.getsize(exported.tflite(fmt)) == entry["bytes"]
        assert entry["inputs"] == expected_inputs
        output_spec = {"dtype": "float32", "shape": [None, *manifest["sample_shape"]]}
        assert entry["outputs"] == {manifest["output"]: output_spec}
        assert entry["batch_sizes"] == list(export.DEFAULT_BATCH_SIZES)
        interpreter = Interpreter(model_path=exported.tflite(fmt), num_threads=1)
        # The worst of the file's signatures, each run on the evaluation batch alone.
        errors = [np.abs(litert.run(interpreter, feeds, batch_size=size) - expected) for size in entry["batch_sizes"]]
        assert entry["max_abs_error"] == pytest.approx(max(float(error.max()) for error in errors), abs=1e-6)
        assert entry["mean_abs_error"] == pytest.approx(max(float(error.mean()) for error in errors), abs=1e-7)
        assert entry["mean_abs_error"] <= entry["tolerance"] == export.DEFAULT_TOLERANCES[fmt]
    assert manifest["saved_model"]["max_abs_error"] <= export.SAVED_MODEL_TOLERANCE


# === Conditional model only: the C++ loader's view of every signature, and the client over HTTP ===
def test_saved_model_cli_show_dynamic_batch_on_all_inputs(conditional):
    shown = run_cli(SAVED_MODEL_CLI, "show", "--dir", conditional.saved_model, "--all").stdout
    for signature, inputs in (("serving_default", ("latent", "label")), ("sample", ("seed", "label"))):
        block = shown.split(f"signature_def['{signature}']:")[1].split("signature_def[")[0]
        for name in inputs:
            spec = block.split(f"inputs['{name}'] tensor_info:")[1].split("name:")[0]
            assert "shape: (-1" in spec, (signature, name, spec)
        assert "outputs['image_uint8']" in block and "DT_UINT8" in block


def test_saved_model_cli_run_sample_signature(conditional, tmp_path):
    np.save(tmp_path / "seed.npy", np.array([7, 3], np.int64))
    np.save(tmp_path / "label.npy", np.array([1, 2], np.int32))
    run_cli(SAVED_MODEL_CLI, "run", "--dir", conditional.saved_model, "--tag_set", "serve", "--signature_def", "sample",
            "--inputs", f"seed={tmp_path}/seed.npy;label={tmp_path}/label.npy", "--outdir", str(tmp_path / "outputs"))
    latent = np.concatenate([conditional.model.latent_for_seed(1, 7), conditional.model.latent_for_seed(1, 3)])
    expected = keras_samples(conditional.model, latent, [1, 2])
    np.testing.assert_allclose(np.load(tmp_path / "outputs" / "image.npy"), expected, atol=1e-5)


def test_client_writes_png_from_emulated_rest_server(conditional, tmp_path):
    """The client's HTTP path against a stand-in that decodes and answers like TF Serving's REST API."""
    client = load_kit_module("export/serving/client.py", "serving_client")
    with emulated_rest_server(tf.saved_model.load(conditional.saved_model)) as (address, requests):
        for layout in ("instances", "inputs"):
            client.main([f"--rest={address}", "--model=cgan_shapes", "--num=4",
                         f"--format={layout}", "--num_classes=3", f"--out={tmp_path / layout}.png"])
            assert decode_png(tmp_path / f"{layout}.png").shape == (2 * 33 + 1, 2 * 33 + 1, 3)
    assert [path for path, _ in requests] == ["/v1/models/cgan_shapes:predict"] * 2
    assert requests[0][1]["instances"][1] == {"seed": 1, "label": 1}
    assert requests[1][1]["inputs"] == {"seed": [0, 1, 2, 3], "label": [0, 1, 2, 0]}

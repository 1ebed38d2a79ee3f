"""Export of an SRGAN generator: an `image` signature (8x8 -> 32x32), SavedModel and builtin-only LiteRT equal Keras."""

import numpy as np
import tensorflow as tf

from export_testing import move_batchnorm_statistics
from tfgan_zoo import export, held_out, recipes, training
from tfgan_zoo.export import litert

RECIPE = "srgan_shapes"


def test_saved_model_and_tflite_fp32_super_resolve_as_keras(tmp_path):
    model = training.build_model(recipes.get_recipe(RECIPE).smoke_sized())
    move_batchnorm_statistics(model.generator)
    manifest = export.export_model(model, str(tmp_path), RECIPE, formats="saved_model,tflite_fp32")
    assert manifest["saved_model"]["signatures"]["serving_default"]["inputs"] == {
        "image": {"dtype": "float32", "shape": [None, 8, 8, 3]}}
    sources = held_out.heldout_examples(model, 5, seed=2)[0]
    loaded = tf.saved_model.load(str(tmp_path / manifest["saved_model"]["path"]))
    served = loaded.signatures["serving_default"](image=tf.constant(sources))["image"]
    np.testing.assert_allclose(served, model.translate(sources), atol=1e-5)
    # DEPTH_TO_SPACE and PRELU are LiteRT builtins: the fp32 file needs no select TF ops.
    interpreter = litert.load_interpreter((tmp_path / manifest["tflite"]["tflite_fp32"]["path"]).read_bytes())
    for count in (1, 5):
        actual = litert.run(interpreter, {"image": sources[:count]})
        assert actual.shape == (count, 32, 32, 3)
        np.testing.assert_allclose(actual, model.translate(sources[:count]), atol=1e-4)

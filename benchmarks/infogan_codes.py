"""Which digit does each value of InfoGAN's categorical code draw, and does Q read it back?

    python benchmarks/infogan_codes.py --run=runs/verify/infogan_mnist8k/seed_0 \\
        --classifier=runs/verify/infogan_mnist8k/classifier.keras

Loads a trained InfoGAN run and draws `--samples` fixed latents (seed 5). Prints one JSON line:
- `generated_code_error`: the generated digits' class (read by the domain classifier) against the
  code value they were drawn with, under the best one-to-one assignment (the generator's side);
- `q_reads_own_code_error`: Q's reading of those samples against the code drawn (the information
  term's side: near 0 when the code is recoverable, whatever it stands for);
- `q_real_error`: `verify`'s `code_error` (Q on the held-out real digits);
then the code-by-class table of the generated digits (rows: code values, columns: digit classes).
"""

import json
import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from tfgan_zoo.metrics import code_assignment  # noqa: E402
from tfgan_zoo.networks import class_heads  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.verification import learned  # noqa: E402

flags.DEFINE_string("run", None, "A trained InfoGAN run folder.", required=True)
flags.DEFINE_string("classifier", None, "The domain classifier (`classifier.keras` of a verify folder).",
                    required=True)
flags.DEFINE_integer("samples", 2000, "Generated samples.")
FLAGS = flags.FLAGS


def main(_):
    model, recipe = load_run(FLAGS.run)
    classifier = keras.models.load_model(FLAGS.classifier)
    latent = model.latent_for_seed(FLAGS.samples, seed=5)
    codes = model.categories_of(latent)[:, 0]
    samples = model.generate(latent=latent)
    digits = class_heads.predict_classes(classifier, samples)
    count = model.categorical_codes[0]
    generated = code_assignment.best_code_assignment(codes, digits, num_codes=count, num_classes=10)
    test = learned.LearnedScorer(recipe).splits()[1]
    print(json.dumps({
        "run": FLAGS.run, "steps": int(model.step_counter.numpy()), "generated_code_error": generated["error"],
        "q_reads_own_code_error": float(np.mean(model.predict_codes(samples)[:, 0] != codes)),
        "q_real_error": learned.code_error(model, *test),
    }))
    print(code_assignment.contingency_table(codes, digits, count, 10))


if __name__ == "__main__":
    app.run(main)

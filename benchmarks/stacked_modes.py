"""Where a Stacked MNIST run's reverse KL comes from: each channel's digit shares, or their pairing?

    python benchmarks/stacked_modes.py --run=runs/verify/dcgan_stacked_mnist8k/seed_0 \\
        --classifier=runs/verify/dcgan_stacked_mnist8k/mnist8k_classifier.keras

Draws `--samples` samples as `verify` does (the same latent seed), reads each channel with the mnist8k
classifier and prints one JSON line: modes covered and reverse KL of the 1,000 modes (`verify`'s
numbers), each channel's digit shares and their KL to uniform over 10, the KL the modes would have if
the channels were independent with those shares (the sum of the three), and the rest, which is the
channels' dependence (mutual information). It also gives the KL of a perfect generator's histogram
of the same size, the floor set by sampling alone, and the share of channel readings the classifier
is confident about (top probability > 0.9; real digits: about 0.99): modes are counted on every
sample, so a channel of noise still lands in some class.
"""

import json
import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from tfgan_zoo import held_out  # noqa: E402
from tfgan_zoo.data import stacked  # noqa: E402
from tfgan_zoo.metrics import classifier as classifier_metrics  # noqa: E402
from tfgan_zoo.metrics import mixtures  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.verification import measure  # noqa: E402

flags.DEFINE_string("run", None, "A trained Stacked MNIST run folder.", required=True)
flags.DEFINE_string("classifier", None, "The mnist8k classifier (`mnist8k_classifier.keras` of a verify folder).",
                    required=True)
flags.DEFINE_integer("samples", 26_000, "Generated samples (verify counts 26,000).")
FLAGS = flags.FLAGS


def main(_):
    model, _ = load_run(FLAGS.run)
    network = classifier_metrics.classifier_network(keras.models.load_model(FLAGS.classifier))
    samples = held_out.generate(model, FLAGS.samples, seed=measure.SAMPLE_SEED)
    probabilities = measure.stacked_channel_probabilities(network, samples)  # [N, 3 channels, 10]
    digits = probabilities.argmax(-1)
    modes = measure.stacked_mode_histogram(digits)
    shares = [np.bincount(digits[:, channel], minlength=10) for channel in range(3)]
    channel_kl = [mixtures.reverse_kl_to_uniform(share) for share in shares]
    uniform = np.random.default_rng(0).integers(0, stacked.NUM_MODES, FLAGS.samples)
    joint_kl = mixtures.reverse_kl_to_uniform(modes)
    print(json.dumps({
        "run": FLAGS.run, "steps": int(model.step_counter.numpy()),
        "modes": int(np.count_nonzero(modes)), "reverse_kl": joint_kl,
        "channel_shares": [[round(float(x), 4) for x in share / share.sum()] for share in shares],
        "channel_kl": channel_kl, "independent_channels_kl": float(sum(channel_kl)),
        "dependence": joint_kl - float(sum(channel_kl)),
        "confident_channel_share": float(np.mean(probabilities.max(-1) > 0.9)),
        "uniform_sampling_floor": mixtures.reverse_kl_to_uniform(np.bincount(uniform, minlength=stacked.NUM_MODES)),
    }))


if __name__ == "__main__":
    app.run(main)

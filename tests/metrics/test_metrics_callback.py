"""EvaluationCallback: metric values in History and in TensorBoard's epoch scalars."""

import glob

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, tiny_gan
from tfgan_zoo.callbacks import EvaluationCallback
from tfgan_zoo.metrics import classifier


def _scalar_tags(log_dir):
    tags = set()
    for path in glob.glob(f"{log_dir}/**/events.out.tfevents*", recursive=True):
        for event in tf.compat.v1.train.summary_iterator(path):
            tags.update(value.tag for value in event.summary.value)
    return tags


def test_metric_values_reach_history_and_tensorboard(tmp_path):
    model = tiny_gan()
    # An untrained domain classifier is still a valid feature network.
    network = classifier.build_domain_classifier((8, 8, 1), 3)
    every_epoch = EvaluationCallback(
        "fid,kid,inception_score,discriminator_histogram", fake_images(200, seed=1),
        feature_network=network, num_samples=50,
    )
    every_other = EvaluationCallback("fid", fake_images(200, seed=1), feature_network=network,
                                     every_n_epochs=2, num_samples=50, prefix="slow_")
    tensorboard = keras.callbacks.TensorBoard(str(tmp_path))
    history = model.fit(fake_images(32), batch_size=8, epochs=2, verbose=0,
                        callbacks=[every_epoch, every_other, tensorboard])

    logs = history.history
    for key in ("eval_fid", "eval_real_vs_real_floor", "eval_kid_mean", "eval_inception_score_mean",
                "eval_discriminator_histogram_auc"):
        assert len(logs[key]) == 2 and np.all(np.isfinite(logs[key])), key
    assert logs["eval_fid"][0] != logs["eval_fid"][1]  # the generator moved between epochs
    assert logs["eval_real_vs_real_floor"][0] == logs["eval_real_vs_real_floor"][1]
    assert len(logs["slow_fid"]) == 1 and logs["slow_fid"][0] == pytest.approx(logs["eval_fid"][1])
    assert {"epoch_eval_fid", "epoch_eval_kid_mean", "epoch_slow_fid"} <= _scalar_tags(tmp_path)


def test_rejects_unknown_metrics_and_bad_periods():
    with pytest.raises(ValueError, match="Unknown metric 'fdi'"):
        EvaluationCallback("fdi", fake_images(10))
    with pytest.raises(ValueError, match="every_n_epochs=0"):
        EvaluationCallback("fid", fake_images(10), every_n_epochs=0)

"""How `fit` calls a model's step: one compiled function per phase, and on one replica without Keras's Optional.

`PhasedTrainFunction` is a mixin of `AdversarialModel`, placed before
`keras.Model`, whose `make_train_function` it overrides. A variant whose
update changes during a run (BAGAN's phases, StackGAN's stages) names its
phase in `phase_at`; every other variant has a single phase, `None`.
"""

import tensorflow as tf


class PhasedTrainFunction:
    """`make_train_function` for models with a `step_counter`: per-phase compiled steps, called directly on one replica.

    The host sets `step_counter` (an int64 variable of steps trained).
    """

    _phase = None  # the phase last prepared (`prepare_phase`)

    # === Phases ===
    def phase_at(self, step):
        """The phase of training step `step` (0-based), a Python value; `None` when every step runs the same code.

        A variant whose update changes during a run (BAGAN's phases,
        StackGAN's stages) returns its phase here and reads it in its hooks
        (`current_phase`): the step is then traced once per phase, and `fit`
        calls the compiled function of the step counter's phase
        (`make_train_function`).
        A branch on a tensor (`tf.cond`) instead cannot hold the optimizers'
        updates under `MirroredStrategy`: each is a synchronisation point
        (`merge_call`), which TensorFlow refuses inside control flow.
        """
        return None

    def prepare_phase(self):
        """Sets the phase of the next step from the step counter and returns it; runs eagerly.

        Variants extend it with work done on entering a phase.
        """
        self._phase = self.phase_at(int(self.step_counter.numpy()))
        return self._phase

    def current_phase(self):
        """The phase the step runs in: the one last prepared, else the step counter's (read eagerly).

        A method, not a property: Keras's saving visits every attribute, and
        preparing a phase may change the model (BAGAN's entry into the GAN phase).
        """
        return self._phase if self._phase is not None else self.prepare_phase()

    def make_train_function(self, force=False):
        """The function `fit` calls once per `steps_per_execution` steps; for a phased variant, one per phase.

        A phased variant compiles one function per phase and picks it from the
        step counter before each call (with `steps_per_execution > 1` a phase
        changes at an execution boundary).
        """
        if self.train_function is not None and not force:
            return self.train_function
        if self.phase_at(0) is None:
            self.train_function = self._compiled_train_function()
            return self.train_function
        compiled = {}

        def train_function(iterator):
            phase = self.prepare_phase()
            if phase not in compiled:
                compiled[phase] = self._compiled_train_function()
            return compiled[phase](iterator)

        self.train_function = train_function
        return train_function

    def _compiled_train_function(self):
        """Keras's train function, or for one step per call on one replica the same step without its Optional.

        For `steps_per_execution=1` Keras 3 returns each step's logs inside a
        `tf.experimental.Optional` and unwraps it eagerly after the call
        (`has_value()`, always true there, then `get_value()`), which costs
        about 0.3-0.5 CPU-ms per step on this machine (BENCHMARKS.md, "Why
        `fit` costs more on the unrolled GAN"). On one replica the direct
        function runs what Keras's does, `train_step` compiled as Keras
        compiles it (no AutoGraph, `jit_compile` as set) on the iterator's next
        batch, and returns the logs; the end of a finite dataset raises
        `OutOfRangeError`, which `fit` handles as it does Keras's. Several
        replicas, several steps per call, eager mode and non-`tf.data`
        iterators keep Keras's function.
        """
        current = self.train_function
        super().make_train_function(force=True)
        keras_function, self.train_function = self.train_function, current
        strategy = self.distribute_strategy
        if (self.steps_per_execution != 1 or self.run_eagerly or strategy.num_replicas_in_sync != 1
                or isinstance(strategy, (tf.distribute.MultiWorkerMirroredStrategy, tf.distribute.TPUStrategy))):
            return keras_function

        @tf.autograph.experimental.do_not_convert
        def one_step_on_data(data):
            outputs = strategy.run(self.train_step, args=(data,))
            return tf.nest.map_structure(lambda value: strategy.experimental_local_results(value)[0], outputs)

        one_step = tf.function(one_step_on_data, reduce_retracing=True, jit_compile=self.jit_compile)
        on_iterator = tf.function(tf.autograph.experimental.do_not_convert(
            lambda iterator: one_step(iterator.get_next())), reduce_retracing=True)

        def train_function(iterator):
            if isinstance(iterator, (tf.data.Iterator, tf.distribute.DistributedIterator)):
                return on_iterator(iterator)
            return keras_function(iterator)

        return train_function

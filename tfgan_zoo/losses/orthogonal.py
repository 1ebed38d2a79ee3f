"""Orthogonal regularisation of weight matrices (Brock et al. 2019)."""

import tensorflow as tf


def orthogonal_regularisation(kernels):
    """`sum_W ||W^T W * (1 - I)||_F^2` over `kernels`: BigGAN's relaxed orthogonality penalty.

    Each kernel is read as a matrix `W` with one column per output unit
    (`[..., out]` reshaped to `[-1, out]`: a dense kernel as it is, a
    convolution's filters flattened). Only the off-diagonal entries of the
    Gram matrix `W^T W` are penalised, so filters are pushed apart without
    fixing their norms (the variant the paper found to help truncation).

    Args:
        kernels: weight tensors of rank >= 2.

    Returns:
        A float32 scalar; multiply by the paper's `beta` (1e-4) for the loss.

    Reference: Brock et al., "Large Scale GAN Training for High Fidelity
    Natural Image Synthesis", ICLR 2019, section 3.1.
    """
    total = tf.constant(0.0, tf.float32)
    for kernel in kernels:
        if len(kernel.shape) < 2:
            raise ValueError(f"Orthogonal regularisation is for matrices and filters. Received: shape={kernel.shape}")
        matrix = tf.reshape(tf.cast(kernel, tf.float32), [-1, kernel.shape[-1]])
        gram = tf.matmul(matrix, matrix, transpose_a=True)
        off_diagonal = gram - tf.linalg.diag(tf.linalg.diag_part(gram))
        total += tf.reduce_sum(tf.square(off_diagonal))
    return total

"""The PyTorch side of `torch_peer.py`, in its own process (PyTorch and TensorFlow in one process crash).

    python torch_peer_worker.py IMAGES.npy THREADS PATH[,PATH...]

Builds each path's networks and optimizers, trains on the NHWC float32 images
of IMAGES.npy (one batch, repeated), then answers lines on stdin: `PATH STEPS`
runs that many steps of PATH and prints `WALL CPU` (seconds; CPU time of this
process), `quit` ends. Paths: `torch` (eager, NCHW), `torch_channels_last`
(NHWC tensors and weights), `torch_compile` (`torch.compile` on both networks).
Imports only PyTorch and numpy.
"""

import sys
import time

import numpy as np
import torch

LATENT_DIM = 100
LEAKY_SLOPE = 0.3  # Keras's LeakyReLU default, which the tutorial networks use
# Keras BatchNormalization's epsilon, and its momentum 0.99 in PyTorch's convention.
BN = {"eps": 1e-3, "momentum": 0.01}


def networks():
    """The TensorFlow DCGAN tutorial's generator and discriminator (`tfgan_zoo.networks.tutorial`), NCHW."""
    nn = torch.nn
    generator = nn.Sequential(
        nn.Linear(LATENT_DIM, 7 * 7 * 256, bias=False),
        nn.BatchNorm1d(7 * 7 * 256, **BN),
        nn.LeakyReLU(LEAKY_SLOPE),
        nn.Unflatten(1, (256, 7, 7)),
        nn.ConvTranspose2d(256, 128, 5, stride=1, padding=2, bias=False),
        nn.BatchNorm2d(128, **BN),
        nn.LeakyReLU(LEAKY_SLOPE),
        nn.ConvTranspose2d(128, 64, 5, stride=2, padding=2, output_padding=1, bias=False),
        nn.BatchNorm2d(64, **BN),
        nn.LeakyReLU(LEAKY_SLOPE),
        nn.ConvTranspose2d(64, 1, 5, stride=2, padding=2, output_padding=1, bias=False),
        nn.Tanh(),
    )
    discriminator = nn.Sequential(
        nn.Conv2d(1, 64, 5, stride=2, padding=2),
        nn.LeakyReLU(LEAKY_SLOPE),
        nn.Dropout(0.3),
        nn.Conv2d(64, 128, 5, stride=2, padding=2),
        nn.LeakyReLU(LEAKY_SLOPE),
        nn.Dropout(0.3),
        nn.Flatten(),
        nn.Linear(7 * 7 * 128, 1),
    )
    return generator, discriminator


def training_step(images, path):
    """`step()`: one tutorial step (D on real and generated, then G on fresh noise); returns the two losses."""
    generator, discriminator = networks()
    real = torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))
    if path == "torch_channels_last":
        generator = generator.to(memory_format=torch.channels_last)
        discriminator = discriminator.to(memory_format=torch.channels_last)
        real = real.contiguous(memory_format=torch.channels_last)
    # Keras's Adam: beta1 0.9, beta2 0.999, epsilon 1e-7.
    g_opt = torch.optim.Adam(generator.parameters(), lr=1e-4, eps=1e-7)
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=1e-4, eps=1e-7)
    if path == "torch_compile":
        generator, discriminator = torch.compile(generator), torch.compile(discriminator)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    batch = real.shape[0]
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)

    def step():
        fake = generator(torch.randn(batch, LATENT_DIM))
        d_loss = loss_fn(discriminator(real), ones) + loss_fn(discriminator(fake.detach()), zeros)
        d_opt.zero_grad(set_to_none=True)
        d_loss.backward()
        d_opt.step()
        g_loss = loss_fn(discriminator(generator(torch.randn(batch, LATENT_DIM))), ones)
        g_opt.zero_grad(set_to_none=True)
        g_loss.backward()
        g_opt.step()
        return d_loss, g_loss

    return step


def main(argv):
    images_path, threads, paths = argv[1], int(argv[2]), argv[3].split(",")
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    images = np.load(images_path)
    steps = {path: training_step(images, path) for path in paths}
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() == "quit":
            break
        path, count = line.split()
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(int(count)):
            losses = steps[path]()
        [float(loss) for loss in losses]  # read the losses, as fit's logs are read
        print(f"{time.perf_counter() - wall} {time.process_time() - cpu}", flush=True)


if __name__ == "__main__":
    main(sys.argv)

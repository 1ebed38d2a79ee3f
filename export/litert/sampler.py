"""Samples from an exported tfgan_zoo generator with LiteRT and writes a PNG grid.

Standalone: needs only `ai-edge-litert` and `numpy` (no TensorFlow, no
tfgan_zoo), so it runs where the `.tflite` file is deployed.

    pip install ai-edge-litert numpy
    python sampler.py --model=OUT/tflite/dcgan_shapes_fp32.tflite --num=16 --out=grid.png
    python sampler.py --model=OUT/tflite/cgan_shapes_int8.tflite --label=2 --out=twos.png
    python sampler.py --model=OUT/tflite/biggan_mnist8k_fp32.tflite --truncation=0.5 --out=typical.png

The file's signature `serving_default` takes `latent` float32 `[B, latent_dim]`
(plus `label` int32 `[B]` for conditional models) and returns `image` float32
`[B, H, W, C]` in [-1, 1] (or `sample` float32 `[B, D]` for point models).
The latent prior and the number of classes are read from the export's
`manifest.json` (found next to the `tflite/` folder) or given as flags.
"""

import argparse
import json
import math
import os
import struct
import zlib

import numpy as np
from ai_edge_litert.interpreter import Interpreter

SIGNATURE = "serving_default"


class LiteRTGenerator:
    """A `.tflite` generator callable on numpy latents (and labels) of any batch size.

    Args:
        path: the `.tflite` file.
        num_threads: CPU threads for the interpreter (default: LiteRT's choice).
    """

    def __init__(self, path, num_threads=None):
        self.interpreter = Interpreter(model_path=path, num_threads=num_threads)
        runner = self.interpreter.get_signature_runner(SIGNATURE)
        self.inputs, self.outputs = runner.get_input_details(), runner.get_output_details()
        # A live signature runner keeps a reference that stops the interpreter
        # from resizing; only the tensor details are needed.
        del runner
        if "latent" not in self.inputs:
            raise ValueError(f"{path} is not a tfgan_zoo generator: its inputs are {sorted(self.inputs)}")
        self.latent_dim = int(self.inputs["latent"]["shape_signature"][-1])
        self.conditional = "label" in self.inputs
        self._batch_size = None

    def __call__(self, latent, labels=None):
        """Returns the generator's float32 output for `latent` `[B, latent_dim]` (and `labels` `[B]`)."""
        feeds = {"latent": np.asarray(latent, np.float32)}
        if self.conditional:
            if labels is None:
                raise ValueError("This generator is conditional: pass labels (one class per row).")
            feeds["label"] = np.asarray(labels, np.int32)
        batch_size = len(feeds["latent"])
        if batch_size != self._batch_size:
            # The file is stored with batch 1; a new batch size needs new buffers.
            for name, value in feeds.items():
                self.interpreter.resize_tensor_input(self.inputs[name]["index"], value.shape)
            self.interpreter.allocate_tensors()
            self._batch_size = batch_size
        for name, value in feeds.items():
            self.interpreter.set_tensor(self.inputs[name]["index"], value)
        self.interpreter.invoke()
        (output,) = self.outputs.values()
        return self.interpreter.get_tensor(output["index"])


def draw_latent(num, latent_dim, prior="normal", seed=0, truncation=None):
    """Latent vectors from the model's prior: N(0, 1) or U[0, 1).

    With `truncation=t`, normal entries beyond `[-t, t]` are drawn again until
    none is (BigGAN's truncation trick: fewer, more typical samples).
    """
    rng = np.random.default_rng(seed)
    if truncation is not None and (prior != "normal" or not truncation > 0):
        raise ValueError(f"truncation takes a normal prior and t > 0. Received: prior={prior!r}, truncation={truncation!r}")
    if prior == "normal":
        latent = rng.standard_normal((num, latent_dim))
        outside = np.abs(latent) > truncation if truncation is not None else np.zeros(latent.shape, bool)
        while outside.any():
            latent[outside] = rng.standard_normal(int(outside.sum()))
            outside = np.abs(latent) > truncation
        return latent.astype(np.float32)
    if prior == "uniform":
        return rng.random((num, latent_dim)).astype(np.float32)
    raise ValueError(f"prior must be normal or uniform. Received: prior={prior!r}")


# === Pictures (numpy only) ===
def to_uint8(images):
    return np.clip(np.rint((np.asarray(images, np.float32) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def make_grid(images, padding=1):
    """Tiles uint8 images `[N, H, W, C]` into one image, as square as possible."""
    count, height, width, channels = images.shape
    columns = math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    grid = np.zeros((rows * (height + padding) + padding, columns * (width + padding) + padding, channels), np.uint8)
    for index, image in enumerate(images):
        top = padding + (index // columns) * (height + padding)
        left = padding + (index % columns) * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def plot_points(points, size=256):
    """2-D points as a white-on-black log-density picture `[size, size, 1]`."""
    points = np.asarray(points, np.float64)[:, :2]
    extent = float(np.max(np.abs(points))) * 1.1 + 1e-6
    counts, _, _ = np.histogram2d(points[:, 1], points[:, 0], bins=size, range=[[-extent, extent]] * 2)
    image = np.log1p(counts[::-1]) / max(np.log1p(counts.max()), 1e-6)
    return (image[..., None] * 255).astype(np.uint8)


def picture(samples):
    samples = np.asarray(samples)
    return make_grid(to_uint8(samples)) if samples.ndim == 4 else plot_points(samples)


def write_png(path, image):
    """Writes a uint8 `[H, W, C]` image (C in 1, 3, 4) as PNG with zlib; complete or not at all."""
    image = np.ascontiguousarray(image, np.uint8)
    height, width, channels = image.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = b"".join(b"\x00" + image[row].tobytes() for row in range(height))  # filter 0 per row

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(f"{path}.tmp", "wb") as handle:
        handle.write(png)
    os.replace(f"{path}.tmp", path)


# === Command line ===
def find_manifest(model_path):
    """`OUT/manifest.json` for a file at `OUT/tflite/<name>.tflite`, when present."""
    candidate = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(model_path))), "manifest.json")
    return candidate if os.path.exists(candidate) else None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="the .tflite generator")
    parser.add_argument("--out", required=True, help="the PNG to write")
    parser.add_argument("--num", type=int, default=16, help="number of samples")
    parser.add_argument("--seed", type=int, default=0, help="seed of the latent vectors")
    parser.add_argument("--truncation", type=float, default=None,
                        help="draw normal latents truncated to [-t, t] (BigGAN's truncation trick)")
    parser.add_argument("--label", type=int, default=None, help="class of every sample (conditional models)")
    parser.add_argument("--num_classes", type=int, default=None, help="default: from the manifest")
    parser.add_argument("--prior", choices=("normal", "uniform"), default=None, help="default: from the manifest")
    parser.add_argument("--manifest", default=None, help="default: OUT/manifest.json beside OUT/tflite/")
    parser.add_argument("--threads", type=int, default=None, help="interpreter threads")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    manifest_path = args.manifest or find_manifest(args.model)
    manifest = {}
    if manifest_path:
        with open(manifest_path) as handle:
            manifest = json.load(handle)
    generator = LiteRTGenerator(args.model, num_threads=args.threads)
    prior = args.prior or manifest.get("latent_prior", "normal")
    latent = draw_latent(args.num, generator.latent_dim, prior, args.seed, args.truncation)
    labels = None
    if generator.conditional:
        num_classes = args.num_classes or manifest.get("num_classes")
        if args.label is not None:
            labels = np.full([args.num], args.label, np.int32)
        elif num_classes:
            labels = (np.arange(args.num) % num_classes).astype(np.int32)
        else:
            raise SystemExit("This generator is conditional: give --label, --num_classes or --manifest.")
    samples = generator(latent, labels)
    write_png(args.out, picture(samples))
    print(f"Wrote {args.num} samples of {args.model} to {args.out}")


if __name__ == "__main__":
    main()

"""Samples from an exported tfgan_zoo generator with LiteRT and writes a PNG grid.

Standalone: needs only `ai-edge-litert` and `numpy` (no TensorFlow, no
tfgan_zoo), so it runs where the `.tflite` file is deployed.

    pip install ai-edge-litert numpy
    python sampler.py --model=OUT/tflite/dcgan_shapes_fp32.tflite --num=16 --out=grid.png
    python sampler.py --model=OUT/tflite/cgan_shapes_int8.tflite --label=2 --out=twos.png
    python sampler.py --model=OUT/tflite/biggan_mnist8k_fp32.tflite --truncation=0.5 --out=typical.png
    # image-to-image models: pictures in (PNG files, or one .npy/.npz), translations out
    python sampler.py --model=OUT/tflite/srgan_shapes_fp32.tflite --image small.png --out=large.png
    # inpainting models: each picture with its mask (white/1 = missing pixel), completed pictures out
    python sampler.py --model=OUT/tflite/inpainting_mnist8k_fp32.tflite --image digit.png --mask hole.png \
        --out=completed.png

The file's signature `serving_default` takes `latent` float32 `[B, latent_dim]`
(plus `label` int32 `[B]` for conditional models) and returns `image` float32
`[B, H, W, C]` in [-1, 1] (or `sample` float32 `[B, D]` for point models).
Batch sizes are static: `serving_default` has the smallest (1 by default)
and `batch_<N>` signatures the others (64 by default); `LiteRTGenerator`
serves any number of rows in calls of those sizes (largest first, the last
call padded). Files exported before batch sizes were static have a dynamic
batch and are resized instead.
The latent prior and the number of classes are read from the export's
`manifest.json` (found next to the `tflite/` folder) or given as flags.
An image-to-image file takes `image` float32 `[B, H, W, C]` instead; the
manifest's `image_input` says its value range and whether pictures of
another size are resized or refused. An inpainting file also takes `mask`
float32 `[B, H, W, 1]` (1 = missing pixel, 0 = known): `--mask` gives one
mask per `--image` picture, fitted as the picture is and kept binary.
"""

import argparse
import json
import os
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter

# The kit's scripts share image_io.py (numpy only), one folder above this one.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import image_io  # noqa: E402

SIGNATURE = "serving_default"
# Interpreter threads when none are given: measured on dcgan_shapes (BENCHMARKS.md, "Export"); see README.
DEFAULT_THREADS = 2


class LiteRTGenerator:
    """A `.tflite` generator callable on numpy latents (and labels), or images, of any batch size.

    Args:
        path: the `.tflite` file.
        num_threads: CPU threads of the interpreter and its XNNPACK delegate
            (default: `DEFAULT_THREADS`).
    """

    def __init__(self, path, num_threads=None):
        self.num_threads = DEFAULT_THREADS if num_threads is None else int(num_threads)
        self.interpreter = Interpreter(model_path=path, num_threads=self.num_threads)
        runner = self.interpreter.get_signature_runner(SIGNATURE)
        self.inputs, self.outputs = runner.get_input_details(), runner.get_output_details()
        # A live signature runner keeps a reference that stops the interpreter
        # from resizing; only the tensor details are needed.
        del runner
        # {static batch size: signature}; empty for a file with a dynamic batch.
        self.batch_signatures = {}
        for name in self.interpreter.get_signature_list():
            runner = self.interpreter.get_signature_runner(name)
            batch = int(next(iter(runner.get_input_details().values()))["shape_signature"][0])
            del runner
            if batch < 1:
                self.batch_signatures = {}
                break
            self.batch_signatures[batch] = name
        self._runners = {}
        if "latent" not in self.inputs and "image" not in self.inputs:
            raise ValueError(f"{path} is not a tfgan_zoo generator: its inputs are {sorted(self.inputs)}")
        self.latent_dim = int(self.inputs["latent"]["shape_signature"][-1]) if "latent" in self.inputs else None
        # [H, W, C] of an image-to-image generator's input, None for latent models.
        self.image_shape = [int(size) for size in self.inputs["image"]["shape_signature"][1:]] if (
            "image" in self.inputs) else None
        self.conditional = "label" in self.inputs
        # Inpainting files take `mask` [B, H, W, 1] (1 = missing pixel) with the image.
        self.takes_mask = "mask" in self.inputs
        self._batch_size = None

    def __call__(self, latent, labels=None):
        """Returns the generator's float32 output for `latent` `[B, latent_dim]` (and `labels` `[B]`)."""
        feeds = {"latent": np.asarray(latent, np.float32)}
        if self.conditional:
            if labels is None:
                raise ValueError("This generator is conditional: pass labels (one class per row).")
            feeds["label"] = np.asarray(labels, np.int32)
        return self.run(feeds)

    def translate(self, images, masks=None):
        """Returns an image-to-image generator's output for float32 `images` `[B, H, W, C]` in [-1, 1].

        An inpainting file also needs `masks` `[B, H, W, 1]`, 1 on the missing pixels.
        """
        feeds = {"image": np.asarray(images, np.float32)}
        if masks is not None:
            feeds["mask"] = np.asarray(masks, np.float32)
        return self.run(feeds)

    def run(self, feeds):
        """Runs the file on `{input name: numpy array}`, every input of the file given, any number of rows."""
        if sorted(feeds) != sorted(self.inputs):
            raise ValueError(f"The file takes inputs {sorted(self.inputs)}. Received: inputs {sorted(feeds)}")
        if self.batch_signatures:
            return self._run_in_chunks(feeds)
        batch_size = len(next(iter(feeds.values())))
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

    def _run_in_chunks(self, feeds):
        """Calls the largest static-batch signature that fits the rows left; pads the last call with its last row."""
        rows = len(next(iter(feeds.values())))
        results, start = [], 0
        while start < rows:
            left = rows - start
            size = max([size for size in self.batch_signatures if size <= left], default=min(self.batch_signatures))
            chunk = {}
            for name, value in feeds.items():
                part = value[start : start + size]
                if len(part) < size:
                    part = np.concatenate([part, np.repeat(part[-1:], size - len(part), axis=0)])
                chunk[name] = part
            (output,) = self._runner(self.batch_signatures[size])(**chunk).values()
            results.append(output[: min(size, left)])
            start += size
        return np.concatenate(results)

    def _runner(self, signature):
        if signature not in self._runners:
            self._runners[signature] = self.interpreter.get_signature_runner(signature)
        return self._runners[signature]


def draw_latent(num, latent_dim, prior="normal", seed=0, truncation=None):
    """Latent vectors from the model's prior: N(0, 1) or U[0, 1).

    With `truncation=t`, normal entries beyond `[-t, t]` are drawn again until
    none is (BigGAN's truncation trick: fewer, more typical samples).
    """
    rng = np.random.default_rng(seed)
    if truncation is not None and (prior != "normal" or not truncation > 0):
        raise ValueError(
            f"truncation takes a normal prior and t > 0. Received: prior={prior!r}, truncation={truncation!r}"
        )
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
def picture(samples):
    samples = np.asarray(samples)
    return image_io.make_grid(image_io.to_uint8(samples)) if samples.ndim == 4 else image_io.plot_points(samples)


# === Command line ===
def find_manifest(model_path):
    """`OUT/manifest.json` for a file at `OUT/tflite/<name>.tflite`, when present."""
    candidate = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(model_path))), "manifest.json")
    return candidate if os.path.exists(candidate) else None


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="the .tflite generator")
    parser.add_argument("--out", required=True,
                        help="the PNG to write; with --image also a .npy (float outputs) or a folder (one PNG each)")
    parser.add_argument("--image", nargs="+", default=None,
                        help="image-to-image models: PNG files, or one .npy/.npz of pictures, to translate")
    parser.add_argument("--mask", nargs="+", default=None,
                        help="inpainting models: one mask per --image picture (PNG files, or one .npy/.npz), "
                             "1 or white = missing pixel, 0 = known")
    parser.add_argument("--num", type=int, default=16, help="number of samples")
    parser.add_argument("--seed", type=int, default=0, help="seed of the latent vectors")
    parser.add_argument("--truncation", type=float, default=None,
                        help="draw normal latents truncated to [-t, t] (BigGAN's truncation trick)")
    parser.add_argument("--label", type=int, default=None, help="class of every sample (conditional models)")
    parser.add_argument("--num_classes", type=int, default=None, help="default: from the manifest")
    parser.add_argument("--prior", choices=("normal", "uniform"), default=None, help="default: from the manifest")
    parser.add_argument("--manifest", default=None, help="default: OUT/manifest.json beside OUT/tflite/")
    parser.add_argument("--threads", type=int, default=None,
                        help="interpreter and XNNPACK threads (default: the manifest's litert.threads, else 2)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    manifest_path = args.manifest or find_manifest(args.model)
    manifest = {}
    if manifest_path:
        with open(manifest_path) as handle:
            manifest = json.load(handle)
    threads = args.threads if args.threads is not None else manifest.get("litert", {}).get("threads")
    generator = LiteRTGenerator(args.model, num_threads=threads)
    if args.image or args.mask or generator.image_shape:
        translate(args, generator, manifest)
        return
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
    image_io.write_png(args.out, picture(samples))
    print(f"Wrote {args.num} samples of {args.model} to {args.out}")


def translate(args, generator, manifest):
    """The image path: `--image` pictures (and `--mask` masks) through an image-to-image file, outputs to `--out`."""
    if not generator.image_shape:
        flag, value = ("--image", args.image) if args.image else ("--mask", args.mask)
        raise ValueError(f"{args.model} takes {sorted(generator.inputs)}, not an image. Received: {flag}={value!r}")
    if not args.image:
        raise ValueError(
            f"{args.model} translates images [B, {', '.join(map(str, generator.image_shape))}]: give --image. "
            f"Received: --image={args.image!r}"
        )
    names, feeds = image_io.model_feeds(args.image, args.mask, manifest, generator.image_shape,
                                        takes_mask=generator.takes_mask, model=args.model)
    written = image_io.write_translations(args.out, generator.translate(feeds["image"], feeds.get("mask")), names)
    print(f"Wrote {len(names)} translations by {args.model} to {', '.join(written)}")


if __name__ == "__main__":
    main()

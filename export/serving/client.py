"""Requests samples from a tfgan_zoo generator served by TF Serving and writes a PNG grid.

Needs only `numpy` for REST; gRPC also needs `tensorflow-serving-api`
(imported only when `--grpc` is used).

    # REST, the `sample` signature: one int64 seed per row, row ("instances") format
    python client.py --rest=localhost:8501 --model=dcgan_shapes --num=16 --out=grid.png
    # REST, columnar ("inputs") format, conditional model, every sample of class 2
    python client.py --rest=localhost:8501 --model=cgan_shapes --format=inputs --label=2 --out=twos.png
    # explicit latent vectors (serving_default); latent size and prior from the manifest
    python client.py --rest=localhost:8501 --model=dcgan_shapes --signature=serving_default \
        --manifest=OUT/manifest.json --out=grid.png
    # gRPC
    python client.py --grpc=localhost:8500 --model=dcgan_shapes --out=grid.png
    # image-to-image models: pictures in (PNG files, or one .npy/.npz), translations out
    python client.py --rest=localhost:8501 --model=pix2pix_edges_shapes --manifest=OUT/manifest.json \
        --image edges1.png edges2.png --out=translated/
    # inpainting models: each picture with its mask (white/1 = missing pixel), completed pictures out
    python client.py --rest=localhost:8501 --model=inpainting_mnist8k --manifest=OUT/manifest.json \
        --image digit1.png digit2.png --mask hole1.png hole2.png --out=completed/

Signatures (see export/README.md): `sample` takes `seed` int64 `[B]` and
`serving_default` takes `latent` float32 `[B, latent_dim]`; both take `label`
int32 `[B]` for conditional models and return `image` float32 `[B, H, W, C]`
in [-1, 1] and `image_uint8` (or `sample` float32 `[B, D]` for point models).
An image-to-image model's `serving_default` takes `image` float32
`[B, H, W, C]` instead; the manifest's `image_input` says its size, value
range and whether pictures of another size are resized or refused.
An inpainting model's `serving_default` takes `image` and `mask` float32
`[B, H, W, 1]` (1 = missing pixel, 0 = known); `--mask` gives one mask per
`--image` picture, fitted to the input as the picture is and kept binary.
"""

import argparse
import json
import os
import sys
import urllib.request

import numpy as np

# The kit's scripts share image_io.py (numpy only), one folder above this one.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import image_io  # noqa: E402

SIGNATURES = ("sample", "serving_default")
LAYOUTS = ("instances", "inputs")


# === Requests ===
def request_columns(signature, num, *, seed=0, label=None, num_classes=None, latent_dim=None, latent_prior="normal"):
    """The request's inputs as `{name: numpy array}`, one row per sample.

    `sample` rows get the seeds `seed, seed + 1, ...` (each seed names one
    sample on any server); `serving_default` rows get latent vectors drawn
    here from the prior. Conditional models need `label` (all rows) or
    `num_classes` (labels cycling over the classes).
    """
    if signature == "sample":
        columns = {"seed": np.arange(seed, seed + num, dtype=np.int64)}
    elif signature == "serving_default":
        if not latent_dim:
            raise ValueError("serving_default needs latent_dim (--latent_dim or --manifest).")
        rng = np.random.default_rng(seed)
        draw = rng.standard_normal if latent_prior == "normal" else rng.random
        columns = {"latent": draw((num, latent_dim)).astype(np.float32)}
    else:
        raise ValueError(f"signature must be one of {SIGNATURES}. Received: signature={signature!r}")
    if label is not None:
        columns["label"] = np.full([num], label, np.int32)
    elif num_classes:
        columns["label"] = (np.arange(num) % num_classes).astype(np.int32)
    return columns


def image_columns(paths, manifest, signature="serving_default", masks=None):
    """`(names, {"image": float32 [N, H, W, C], ...})`: pictures read from `paths`, fitted to what `signature` takes.

    The size is the one the SavedModel's `signature` declares in the
    manifest (CycleGAN's `translate_b_to_a` takes the other domain's
    pictures); the range and resize rule are the manifest's `image_input`.
    A signature that also takes `mask` (inpainting) needs `masks` (`--mask`),
    one per picture, 1 on the missing pixels: the columns gain `"mask"`
    float32 `[N, H, W, 1]` (see `image_io.model_feeds`).
    """
    taking_images = {
        name: entry["inputs"] for name, entry in manifest.get("saved_model", {}).get("signatures", {}).items()
        if "image" in entry["inputs"]
    }
    if signature not in taking_images:
        raise ValueError(
            f"The manifest's SavedModel signatures that take an image are {sorted(taking_images)}. "
            f"Received: --signature={signature!r}"
        )
    inputs = taking_images[signature]
    return image_io.model_feeds(paths, masks, manifest, inputs["image"]["shape"][1:], takes_mask="mask" in inputs,
                                model=f"The signature {signature!r}")


def rest_body(columns, layout="instances", signature="sample"):
    """The JSON body of a REST predict request, in row or columnar format.

    Row format (`{"instances": [{name: value}, ...]}`) needs every input to
    share the batch dimension, which all signatures of the export do.
    """
    if layout == "instances":
        count = len(next(iter(columns.values())))
        rows = [{name: values[index].tolist() for name, values in columns.items()} for index in range(count)]
        return {"signature_name": signature, "instances": rows}
    if layout == "inputs":
        return {"signature_name": signature, "inputs": {name: values.tolist() for name, values in columns.items()}}
    raise ValueError(f"layout must be one of {LAYOUTS}. Received: layout={layout!r}")


def parse_rest_response(response):
    """`{output name: numpy array}` from a REST predict response of either format."""
    if "predictions" in response:
        rows = response["predictions"]
        if rows and isinstance(rows[0], dict):
            return {name: np.asarray([row[name] for row in rows]) for name in rows[0]}
        return {"output": np.asarray(rows)}
    if "outputs" in response:
        outputs = response["outputs"]
        if isinstance(outputs, dict):
            return {name: np.asarray(values) for name, values in outputs.items()}
        return {"output": np.asarray(outputs)}
    raise ValueError(f"Not a predict response: {str(response)[:200]}")


def predict_rest(server, model, body, version=None, timeout=60):
    """POSTs `body` to `http://server/v1/models/<model>[/versions/<v>]:predict`."""
    path = f"/v1/models/{model}" + (f"/versions/{version}" if version else "") + ":predict"
    url = server if server.startswith("http") else f"http://{server}"
    request = urllib.request.Request(
        url.rstrip("/") + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        return parse_rest_response(json.load(reply))


def predict_grpc(target, model, signature, columns, version=None, timeout=60):
    """Calls TF Serving's gRPC `Predict`; returns `{output name: numpy array}`."""
    try:
        import grpc
        import tensorflow as tf
        from tensorflow_serving.apis import predict_pb2, prediction_service_pb2_grpc
    except ImportError as error:
        raise SystemExit(
            f"gRPC needs tensorflow-serving-api (pip install tensorflow-serving-api): {error}. "
            "REST (--rest) needs only numpy."
        ) from error
    request = predict_pb2.PredictRequest()
    request.model_spec.name = model
    request.model_spec.signature_name = signature
    if version:
        request.model_spec.version.value = int(version)
    for name, values in columns.items():
        request.inputs[name].CopyFrom(tf.make_tensor_proto(values))
    with grpc.insecure_channel(target) as channel:
        reply = prediction_service_pb2_grpc.PredictionServiceStub(channel).Predict(request, timeout=timeout)
    return {name: tf.make_ndarray(proto) for name, proto in reply.outputs.items()}


# === Pictures (numpy only) ===
def picture(outputs):
    """One uint8 `[H, W, C]` picture of the response: an image grid or a point density plot."""
    if "image_uint8" in outputs:
        return image_io.make_grid(np.asarray(outputs["image_uint8"], np.uint8))
    samples = np.asarray(next(iter(outputs.values())), np.float32)
    if samples.ndim == 4:
        return image_io.make_grid(image_io.to_uint8(samples))
    return image_io.plot_points(samples)


def translated_images(outputs):
    """The float images `[N, H, W, C]` of an image signature's response: `image`, else its one 4-D output."""
    if "image" in outputs:
        return np.asarray(outputs["image"], np.float32)
    (images,) = [value for value in outputs.values() if np.ndim(value) == 4]
    return np.asarray(images, np.float32)


# === Command line ===
def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    server = parser.add_mutually_exclusive_group(required=True)
    server.add_argument("--rest", help="host:port of TF Serving's REST API (8501)")
    server.add_argument("--grpc", help="host:port of TF Serving's gRPC API (8500)")
    parser.add_argument("--model", required=True, help="the served model name (models.config)")
    parser.add_argument("--version", type=int, default=None, help="a model version (default: the latest)")
    parser.add_argument("--signature", default=None,
                        help=f"one of {SIGNATURES} (default sample); with --image, a signature taking `image` "
                             "(default serving_default)")
    parser.add_argument("--format", choices=LAYOUTS, default="instances", help="REST body format")
    parser.add_argument("--num", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--label", type=int, default=None, help="class of every sample (conditional models)")
    parser.add_argument("--num_classes", type=int, default=None, help="labels cycle over classes (default: manifest)")
    parser.add_argument("--latent_dim", type=int, default=None, help="serving_default only (default: manifest)")
    parser.add_argument("--prior", choices=("normal", "uniform"), default=None, help="default: manifest, else normal")
    parser.add_argument("--manifest", default=None, help="the export's manifest.json")
    parser.add_argument("--image", nargs="+", default=None,
                        help="image-to-image models: PNG files, or one .npy/.npz of pictures (needs --manifest)")
    parser.add_argument("--mask", nargs="+", default=None,
                        help="inpainting models: one mask per --image picture (PNG files, or one .npy/.npz), "
                             "1 or white = missing pixel, 0 = known")
    parser.add_argument("--out", required=True,
                        help="the PNG to write; with --image also a .npy (float outputs) or a folder (one PNG each)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    manifest = {}
    if args.manifest:
        with open(args.manifest) as handle:
            manifest = json.load(handle)
    if args.image:
        translate(args, manifest)
        return
    if args.mask:
        raise ValueError(f"--mask marks the holes of --image pictures: give both. Received: --mask={args.mask!r} "
                         "and --image=None")
    signature = args.signature or "sample"
    columns = request_columns(
        signature, args.num, seed=args.seed, label=args.label,
        num_classes=args.num_classes or manifest.get("num_classes"),
        latent_dim=args.latent_dim or manifest.get("latent_dim"),
        latent_prior=args.prior or manifest.get("latent_prior", "normal"),
    )
    outputs = predict(args, signature, columns)
    image_io.write_png(args.out, picture(outputs))
    print(f"Wrote {args.num} samples from {args.model} ({signature}) to {args.out}")


def translate(args, manifest):
    """The image path: pictures to the model's `image` signature, its translations to `--out`."""
    if not args.manifest:
        raise ValueError(
            "--image needs the export's manifest.json: it gives the input size, value range and resize rule. "
            "Received: --manifest=None"
        )
    signature = args.signature or "serving_default"
    names, columns = image_columns(args.image, manifest, signature, masks=args.mask)
    written = image_io.write_translations(args.out, translated_images(predict(args, signature, columns)), names)
    print(f"Wrote {len(names)} translations by {args.model} ({signature}) to {', '.join(written)}")


def predict(args, signature, columns):
    if args.rest:
        return predict_rest(args.rest, args.model, rest_body(columns, args.format, signature), args.version)
    return predict_grpc(args.grpc, args.model, signature, columns, args.version)


if __name__ == "__main__":
    main()

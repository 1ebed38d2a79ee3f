"""Pictures for the deployment kit with numpy alone: PNG in and out, grids, and fitting pictures to a model's input.

Shared by `serving/client.py` and `litert/sampler.py`, which import it from
one folder above their own: deploy it beside their folders.

An image-to-image export describes its input in `manifest.json` under
`image_input` (see `tfgan_zoo.export.manifest.image_input`): `shape`
`[H, W, C]`, the value `range`, and `resize`, what to do with a picture of
another height and width (`bilinear`: resize it; `pad`: centre a smaller one
on a background of the range's low end; None: reject it).

An inpainting export's signature also takes `mask` `[B, H, W, 1]`, 1 on the
missing pixels (the hole) and 0 on the known ones; `model_feeds` reads one
mask per picture (`--mask`) and fits it as the picture is fitted, keeping it
binary.
"""

import math
import os
import struct
import zlib

import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour type -> channels: grey, RGB, grey + alpha, RGBA (palettes are not read).
_PNG_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}
# Float pictures saved from [-1, 1] models may overshoot by round-off.
_RANGE_SLACK = 1e-3


# === Pictures out ===
def to_uint8(images):
    """Images in [-1, 1] to uint8: `(x + 1) * 127.5`, rounded half to even, clipped (as the export's `image_uint8`)."""
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


def write_png(path, image):
    """Writes a uint8 `[H, W, C]` image (C in 1, 3, 4) as PNG with zlib; complete or not at all."""
    image = np.ascontiguousarray(image, np.uint8)
    height, width, channels = image.shape
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    rows = b"".join(b"\x00" + image[row].tobytes() for row in range(height))  # filter 0 per row

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    png = PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(f"{path}.tmp", "wb") as handle:
        handle.write(png)
    os.replace(f"{path}.tmp", path)


def write_translations(out, images, names):
    """Writes translated images `[N, H, W, C]` in [-1, 1]; returns the paths written.

    `out` ending in `.npy`: the float32 array. `.png`: the image, or a grid
    of all of them. Anything else is a folder that gets one `<name>.png` per
    image.
    """
    images = np.asarray(images, np.float32)
    if out.endswith(".npy"):
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        np.save(out, images)
        return [out]
    if out.endswith(".png"):
        write_png(out, to_uint8(images[0]) if len(images) == 1 else make_grid(to_uint8(images)))
        return [out]
    paths = [os.path.join(out, f"{name}.png") for name in names]
    for path, image in zip(paths, images):
        write_png(path, to_uint8(image))
    return paths


# === Pictures in ===
def read_png(path):
    """A uint8 `[H, W, C]` array of an 8-bit, non-interlaced grey, grey + alpha, RGB or RGBA PNG."""
    with open(path, "rb") as handle:
        content = handle.read()
    if not content.startswith(PNG_SIGNATURE):
        raise ValueError(f"Not a PNG file. Received: path={path!r}")
    position, header, data = len(PNG_SIGNATURE), None, []
    while position + 8 <= len(content):
        length, kind = struct.unpack(">I4s", content[position : position + 8])
        body = content[position + 8 : position + 8 + length]
        position += 12 + length  # length, type, body, CRC
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            data.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, color_type, _, _, interlace = header
    if depth != 8 or color_type not in _PNG_CHANNELS or interlace:
        raise ValueError(
            "Only 8-bit, non-interlaced grey, grey + alpha, RGB and RGBA PNGs are read; convert the file first. "
            f"Received: bit depth {depth}, colour type {color_type}, interlace {interlace} in path={path!r}"
        )
    channels = _PNG_CHANNELS[color_type]
    rows = np.frombuffer(zlib.decompress(b"".join(data)), np.uint8).reshape(height, 1 + width * channels)
    image = np.zeros((height, width * channels), np.uint8)
    above = np.zeros(width * channels, np.uint8)  # the row above the first
    for row in range(height):
        image[row] = _unfilter(int(rows[row, 0]), rows[row, 1:], above, channels, path)
        above = image[row]
    return image.reshape(height, width, channels)


def _unfilter(kind, line, above, step, path):
    """Undoes one row's PNG filter (RFC 2083, 6.3); `step` is the bytes per pixel."""
    if kind == 0:
        return line
    if kind == 2:  # Up
        return line + above  # uint8 arithmetic wraps modulo 256, as the filter does
    if kind == 1:  # Sub: a running sum per byte position within a pixel
        return np.cumsum(line.reshape(-1, step), axis=0, dtype=np.uint64).astype(np.uint8).reshape(-1)
    if kind not in (3, 4):
        raise ValueError(f"Unknown PNG row filter {kind}. Received: path={path!r}")
    # Average and Paeth read the decoded byte to the left: one byte at a time.
    out, up = line.tolist(), above.tolist()
    for index in range(len(out)):
        left = out[index - step] if index >= step else 0
        upper_left = up[index - step] if index >= step else 0
        if kind == 3:
            predictor = (left + up[index]) >> 1
        else:
            estimate = left + up[index] - upper_left
            distances = (abs(estimate - left), abs(estimate - up[index]), abs(estimate - upper_left))
            predictor = (left, up[index], upper_left)[distances.index(min(distances))]
        out[index] = (out[index] + predictor) & 255
    return np.asarray(out, np.uint8)


def read_pictures(paths, argument="--image", key="image"):
    """`(names, pictures)`: each picture `[H, W, C]` (uint8 or float) from PNG files or one `.npy` / `.npz`.

    An array file holds one picture `[H, W, C]` or a batch `[N, H, W, C]`;
    an `.npz` its array `key`, or its only array. `argument` names the
    flag in errors.
    """
    paths = [paths] if isinstance(paths, str) else list(paths)
    if not paths:
        raise ValueError(f"Give at least one picture. Received: {argument}={paths!r}")
    for path in paths:
        if not os.path.isfile(path):
            raise ValueError(f"No such file. Received: {argument}={path!r}")
    if all(path.lower().endswith(".png") for path in paths):
        return [os.path.splitext(os.path.basename(path))[0] for path in paths], [read_png(path) for path in paths]
    if len(paths) != 1 or not paths[0].endswith((".npy", ".npz")):
        raise ValueError(f"Give PNG files, or one .npy or .npz file. Received: {argument}={','.join(paths)!r}")
    array = _load_array(paths[0], argument, key)
    if array.ndim not in (3, 4):
        raise ValueError(
            "An array of pictures is [H, W, C] or [N, H, W, C]. "
            f"Received: shape {array.shape} in {argument}={paths[0]!r}"
        )
    batch = array[None] if array.ndim == 3 else array
    stem = os.path.splitext(os.path.basename(paths[0]))[0]
    return [f"{stem}_{index:04d}" for index in range(len(batch))], list(batch)


def _load_array(path, argument, key="image"):
    if path.endswith(".npy"):
        return np.load(path)
    with np.load(path) as arrays:
        if key in arrays:
            return arrays[key]
        if len(arrays.files) == 1:
            return arrays[arrays.files[0]]
        raise ValueError(
            f"An .npz of pictures holds an array {key!r} or a single array. Received: keys {sorted(arrays.files)} "
            f"in {argument}={path!r}"
        )


def model_inputs(paths, manifest, shape, argument="--image"):
    """`(names, float32 [N, H, W, C])`: the pictures at `paths` fitted to an input `shape` `[H, W, C]`.

    The value range and the resize rule are the manifest's `image_input`;
    `shape` is the one the file or signature called declares.
    """
    if not manifest.get("image_input"):
        raise ValueError(
            "Pictures need the manifest.json of an image-to-image export (--manifest): its image_input gives the value "
            f"range and the resize rule. Received: image_input={manifest.get('image_input')!r} for {argument}"
        )
    names, pictures = read_pictures(paths, argument)
    return names, fit_pictures(pictures, names, {**manifest["image_input"], "shape": list(shape)}, argument)


def model_feeds(image_paths, mask_paths, manifest, shape, *, takes_mask, model="The model"):
    """`(names, feeds)`: `{"image": float32 [N, H, W, C]}`, plus `"mask"` float32 `[N, H, W, 1]` for inpainting.

    The pictures at `image_paths` (`--image`) are fitted as `model_inputs`
    fits them. A model that `takes_mask` (an inpainting export: its signature
    takes `image` and `mask`) also needs `mask_paths` (`--mask`, PNG files or
    one `.npy` / `.npz` whose array `mask` or only array is read): one mask
    per picture, with that picture's height and width, fitted by `fit_masks`.
    `model` names the model in errors.

    Raises:
        ValueError: naming `--mask` and what it received, when masks are
            missing for a model that takes them, given for one that does
            not, not one per picture, of another size than their picture,
            or not binary.
    """
    if not takes_mask:
        if mask_paths:
            raise ValueError(
                f"{model} takes no mask: --mask is for inpainting exports, whose signature takes `image` and "
                f"`mask`. Received: --mask={list(mask_paths)!r}"
            )
        names, images = model_inputs(image_paths, manifest, shape)
        return names, {"image": images}
    if not mask_paths:
        raise ValueError(
            f"{model} fills holes: it takes each picture with a mask (1 = missing pixel, 0 = known); give --mask, "
            f"one per --image picture. Received: --mask={mask_paths!r}"
        )
    if not manifest.get("image_input"):
        model_inputs(image_paths, manifest, shape)  # raises the missing manifest's error
    names, pictures = read_pictures(image_paths, "--image")
    mask_names, masks = read_pictures(mask_paths, "--mask", key="mask")
    if len(masks) != len(pictures):
        raise ValueError(
            f"Give one --mask per --image picture. Received: {len(pictures)} --image pictures {names[:8]}"
            f"{'[...]' if len(names) > 8 else ''} and "
            f"{len(masks)} --mask pictures in --mask={list(mask_paths)!r}"
        )
    for name, picture, mask_name, mask in zip(names, pictures, mask_names, masks):
        if np.shape(mask)[:2] != np.shape(picture)[:2]:
            raise ValueError(
                "A mask has its picture's height and width (the n-th --mask goes with the n-th --image). "
                f"Received: {'x'.join(map(str, np.shape(mask)[:2]))} for --mask picture {mask_name!r} and "
                f"{'x'.join(map(str, np.shape(picture)[:2]))} for --image picture {name!r}"
            )
    image_input = {**manifest["image_input"], "shape": list(shape)}
    images = fit_pictures(pictures, names, image_input, "--image")
    return names, {"image": images, "mask": fit_masks(masks, mask_names, image_input, "--mask")}


def fit_masks(masks, names, image_input, argument="--mask"):
    """Float32 `[N, H, W, 1]` masks, 1 on missing pixels and 0 on known ones, fitted to `image_input["shape"]`.

    A mask has one channel (or three equal ones: a grey picture saved as
    RGB) and holds only 0 and 1, or 0 and 255 in a uint8 picture (white =
    hole); bool masks are read as 0 and 1. Another height and width is
    fitted as pictures are (`image_input["resize"]`; padding is known). A
    resized mask stays binary: a pixel is missing when its resized value
    draws on any missing pixel, so the hole may grow by the filter's reach,
    never shrink onto pixels blended with the hole's content.

    Raises:
        ValueError: naming `argument` and the mask, for another channel
            count, values other than 0 and 1 (0 and 255), or a size that may
            not be fitted.
    """
    height, width, _ = image_input["shape"]
    rule = {"range": [0.0, 1.0], "resize": image_input.get("resize")}
    fitted = []
    for name, mask in zip(names, masks):
        mask = np.asarray(mask)
        source = f"{argument} picture {name!r}"
        if mask.ndim != 3 or not (mask.shape[-1] == 1 or (mask.shape[-1] == 3 and (mask == mask[..., :1]).all())):
            raise ValueError(
                "A mask is one channel [H, W, 1] (a grey PNG; RGB only with equal channels), 1 = missing pixel. "
                f"Received: shape {mask.shape} for {source}"
            )
        values = _mask_values(mask[..., :1], source)
        fitted.append((_fit_size(values, height, width, rule, source) > 0).astype(np.float32))
    return np.stack(fitted)


def _mask_values(mask, source):
    """A mask's values as float32 0 and 1, checked to be binary."""
    if mask.dtype == np.bool_:
        return mask.astype(np.float32)
    if not (np.issubdtype(mask.dtype, np.integer) or np.issubdtype(mask.dtype, np.floating)):
        raise ValueError(f"Masks are uint8, int, float or bool. Received: dtype {mask.dtype} for {source}")
    present = np.unique(mask)
    scale = 255.0 if mask.dtype == np.uint8 and present.size and present.max() > 1 else 1.0
    wrong = present[~np.isin(present, (0.0, scale))]
    if wrong.size:
        shown = ", ".join(f"{value:.4g}" for value in present[:6].tolist()) + (", ..." if present.size > 6 else "")
        raise ValueError(
            "A mask holds only 0 (known pixel) and 1 (missing pixel), or 0 and 255 in a uint8 picture; "
            f"threshold it first. Received: {present.size} distinct values ({shown}) for {source}"
        )
    return mask.astype(np.float32) / scale


def fit_pictures(pictures, names, image_input, argument="--image"):
    """Float32 `[N, H, W, C]` in the model's range from pictures, checked and resized as `image_input` says.

    uint8 pictures are scaled from [0, 255] to `image_input["range"]`;
    float pictures must already lie in it. The channels must match; another
    height and width is resized, padded or rejected per `image_input["resize"]`.

    Raises:
        ValueError: naming `argument` and the picture, for a wrong channel
            count, dtype, value range or a size that may not be fitted.
    """
    height, width, channels = image_input["shape"]
    low, high = image_input["range"]
    fitted = []
    for name, picture in zip(names, pictures):
        picture = np.asarray(picture)
        source = f"{argument} picture {name!r}"
        if picture.ndim != 3 or picture.shape[-1] != channels:
            raise ValueError(
                f"The model takes {channels}-channel pictures [H, W, {channels}] (manifest image_input.shape "
                f"{image_input['shape']}). Received: shape {picture.shape} for {source}"
            )
        if picture.dtype == np.uint8:
            values = picture.astype(np.float32) / 255.0 * (high - low) + low
        elif np.issubdtype(picture.dtype, np.floating):
            values = picture.astype(np.float32)
            if values.min() < low - _RANGE_SLACK or values.max() > high + _RANGE_SLACK:
                raise ValueError(
                    f"Float pictures must lie in the model's range [{low}, {high}] (or be uint8). "
                    f"Received: values in [{values.min():.4g}, {values.max():.4g}] for {source}"
                )
        else:
            raise ValueError(f"Pictures are uint8 or float. Received: dtype {picture.dtype} for {source}")
        fitted.append(_fit_size(values, height, width, image_input, source))
    return np.stack(fitted)


def _fit_size(values, height, width, image_input, source):
    old_height, old_width = values.shape[:2]
    if (old_height, old_width) == (height, width):
        return values
    low, high = image_input["range"]
    resize = image_input.get("resize")
    if resize == "bilinear":
        return np.clip(resize_bilinear(values, height, width), low, high)
    if resize == "pad" and old_height <= height and old_width <= width:
        top, left = (height - old_height) // 2, (width - old_width) // 2
        padded = np.full((height, width, values.shape[-1]), low, np.float32)
        padded[top : top + old_height, left : left + old_width] = values
        return padded
    raise ValueError(
        f"The model takes {height}x{width} pictures and its manifest says resize={resize!r} (bilinear resizes, pad "
        f"centres smaller pictures, None rejects). Received: {old_height}x{old_width} for {source}"
    )


def resize_bilinear(image, height, width):
    """Resizes float `[H, W, C]` as `tf.image.resize(method="bilinear", antialias=True)` does."""
    rows, columns = _triangle_weights(image.shape[0], height), _triangle_weights(image.shape[1], width)
    return np.einsum("yh,hwc,xw->yxc", rows, np.asarray(image, np.float64), columns).astype(np.float32)


def _triangle_weights(size_in, size_out):
    """`[size_out, size_in]` weights of a triangle filter at pixel centres, widened 1/scale when shrinking."""
    scale = size_out / size_in
    support = max(1.0, 1.0 / scale)  # the antialiasing: each output pixel averages what it covers
    centres = (np.arange(size_out) + 0.5) / scale
    distance = (np.arange(size_in)[None, :] + 0.5 - centres[:, None]) / support
    weights = np.maximum(0.0, 1.0 - np.abs(distance))
    # Taps beyond the border are left out and the rest renormalised, as tf's ScaleAndTranslate does.
    return weights / weights.sum(axis=1, keepdims=True)

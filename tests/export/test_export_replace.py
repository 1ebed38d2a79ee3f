"""A re-export replaces the previous one: the folder holds exactly what its manifest lists."""

import os

from conftest import tiny_gan
from tfgan_zoo import export


def exported_paths(directory):
    """The export's files and SavedModel version folders under `directory`, as manifest paths."""
    paths = set()
    for root, folders, names in os.walk(directory):
        relative = os.path.relpath(root, directory)
        if relative.startswith("saved_model") and relative.count(os.sep) == 2:
            paths.add(relative)
            folders.clear()
            continue
        paths.update(os.path.normpath(os.path.join(relative, name)) for name in names)
    return paths


def listed_paths(manifest):
    paths = {export.MANIFEST_NAME, *(entry["path"] for entry in manifest.get("tflite", {}).values())}
    if "saved_model" in manifest:
        entry = manifest["saved_model"]
        base = os.path.dirname(entry["path"])
        paths.update([entry["path"], *(f"{base}/{version}" for version in entry["earlier_versions"])])
    return paths


def test_reexport_of_fewer_formats_removes_what_the_manifest_no_longer_lists(tmp_path):
    model = tiny_gan(sample_shape=(2,))
    first = export.export_model(model, tmp_path, "points", formats="saved_model,tflite_fp32,tflite_fp16")
    assert exported_paths(tmp_path) == listed_paths(first) and len(first["tflite"]) == 2

    second = export.export_model(model, tmp_path, "points", formats="tflite_fp32")
    assert exported_paths(tmp_path) == listed_paths(second) == {"manifest.json", "tflite/points_fp32.tflite"}
    assert sorted(os.listdir(tmp_path)) == ["manifest.json", "tflite"]  # no staging folder left


def test_reexport_keeps_and_lists_earlier_saved_model_versions_of_its_name_only(tmp_path):
    model = tiny_gan(sample_shape=(2,))
    export.export_model(model, tmp_path, "other", formats="saved_model")
    first = export.export_model(model, tmp_path, "points", formats="saved_model,tflite_fp32")
    assert first["saved_model"]["earlier_versions"] == []
    second = export.export_model(model, tmp_path, "points", formats="saved_model")
    assert (second["saved_model"]["version"], second["saved_model"]["earlier_versions"]) == (2, [1])
    assert exported_paths(tmp_path) == listed_paths(second) == {
        "manifest.json", "saved_model/points/1", "saved_model/points/2"}
    assert sorted(os.listdir(tmp_path)) == ["manifest.json", "saved_model"]  # no staging folder left

"""Latent-space tools for trained generators: interpolation, arithmetic, traversals, projection and editing.

- `space`: `LatentSpace`, a model's input points (latents, and soft labels
  for conditional models) and their rendering;
- `interpolation`: `lerp`, `slerp`, interpolation and label grids;
- `arithmetic`: averaged-latent arithmetic (`"3,5-9,4+1,2"`);
- `traverse`: per-dimension sweeps;
- `projection`: real images to latents, by optimisation or an encoder;
- `editing`: moving a point along a direction;
- `inpainting`: semantic inpainting, filling a hole with the generator's
  best-fitting sample (Yeh et al. 2017);
- `figures`, `image_file`: PNG grids out, PNG targets in.

Command line: `tfgan-zoo latent`, `tfgan-zoo project` and `tfgan-zoo inpaint`.
"""

from tfgan_zoo.latent.arithmetic import arithmetic_rows, combine, parse_expression
from tfgan_zoo.latent.editing import dimension_direction, edit_strip, expression_direction, parse_direction
from tfgan_zoo.latent.figures import rows_picture, write_rows
from tfgan_zoo.latent.image_file import read_image
from tfgan_zoo.latent.inpainting import Inpainting, semantic_inpainting
from tfgan_zoo.latent.interpolation import interpolation_grid, label_grid, latent_path, lerp, slerp
from tfgan_zoo.latent.projection import Projection, has_encoder, project_by_encoder, project_by_optimisation
from tfgan_zoo.latent.space import LatentSpace
from tfgan_zoo.latent.traverse import traversal_grid, traversal_latents, traversal_values

__all__ = [
    "Inpainting", "LatentSpace", "Projection", "arithmetic_rows", "combine", "dimension_direction", "edit_strip",
    "expression_direction", "has_encoder", "interpolation_grid", "label_grid", "latent_path", "lerp",
    "parse_direction", "parse_expression", "project_by_encoder", "project_by_optimisation",
    "read_image", "rows_picture", "semantic_inpainting", "slerp", "traversal_grid", "traversal_latents",
    "traversal_values", "write_rows",
]

"""Test images made on the fly (nothing binary in the repository): a large noisy photo, a small one."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image


def noisy_photo(path: Path, width: int = 3000, height: int = 2000, seed: int = 0, fmt: str = "PNG") -> Path:
    """A photo-like image: a colour gradient under fine noise (compresses as badly as a photo), always the same."""
    gradient = Image.linear_gradient("L").resize((width, height))
    base = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180),
                               gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    noise = Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.blend(base, noise, 0.1).save(path, format=fmt)
    return path

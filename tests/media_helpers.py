"""Small real images and robot callbacks for the media tests (made here, never downloaded)."""
from __future__ import annotations

import io
import itertools

from PIL import Image

_ids = itertools.count(1)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color: str = "#3a7") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def msg_id(prefix: str = "media") -> str:
    return f"{prefix}{next(_ids)}"

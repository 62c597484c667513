"""Image attachments as published: re-encoded without metadata (EXIF GPS tells where a
villager lives), upright, and with a phone-size copy for slow networks."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

PHONE_WIDTH = 720
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def _encode(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.convert("RGB").save(buf, "JPEG", quality=82, optimize=True, progressive=True)
    elif fmt == "WEBP":
        img.save(buf, "WEBP", quality=80, method=4)
    else:
        img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def published(path: Path) -> tuple[bytes, bytes]:
    """(full-size copy, phone-size copy), both stripped of EXIF, XMP and text chunks."""
    fmt = FORMATS[path.suffix.lower()]
    with Image.open(path) as original:
        img = ImageOps.exif_transpose(original)
        # A fresh image keeps pixels only: no EXIF, GPS, XMP, ICC text or PNG text chunks.
        if img.mode not in ("RGB", "RGBA", "L", "LA"):
            img = img.convert("RGBA")
        clean = Image.new(img.mode, img.size)
        clean.paste(img)
        small = clean.copy()
        if small.width > PHONE_WIDTH:
            small.thumbnail((PHONE_WIDTH, PHONE_WIDTH * 4))
        return _encode(clean, fmt), _encode(small, fmt)


OPENERS = {".jpg": JpegImagePlugin.JpegImageFile, ".jpeg": JpegImagePlugin.JpegImageFile,
           ".png": PngImagePlugin.PngImageFile, ".webp": WebPImagePlugin.WebPImageFile}


def size(path: Path) -> tuple[int, int]:
    """(width, height) of an image that opens; raises what Pillow raises for a damaged one.

    Opened by the class of its type (the validator has matched type and content) rather than by
    ``Image.open``, which refuses a very large image as a possible decompression bomb before
    saying its size: the validator refuses it itself, by its size (E070), before anything
    decodes its pixels."""
    with OPENERS[path.suffix.lower()](path) as img:
        img.verify()
        return img.size

"""E070 for a photo too large to publish: the site re-encodes every photo without its metadata,
which holds it decoded several times over. A 12000×12000 PNG is a few hundred KB on disk and
once passed the validator, then stopped (or swamped) the build."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from vkit import Site, base_record, cli, key_line, of, text_of

from builder.model.checks import MAX_IMAGE_PIXELS


def png(width: int, height: int) -> bytes:
    """A real black-and-white PNG of any size, made without holding its pixels (one bit each)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # filter byte, then the row's bits
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _with_photo(site: Site, data: bytes) -> Path:
    rec = base_record()
    rec["attachments"] = [{"file": "现场.png", "title": "现场照片"}]
    path = site.write(rec)
    site.attach("现场.png", data)
    return path


def test_a_12000_by_12000_png_is_refused(site: Site) -> None:
    data = png(12000, 12000)
    assert len(data) < 1024 * 1024  # small on disk: only its size in pixels gives it away
    path = _with_photo(site, data)
    [d] = of(site.validate(), path)
    assert (d.code, d.line) == ("E070", key_line(text_of(path), "attachments", 0, "file"))
    assert "12000×12000 像素" in d.message and "5000 万像素" in d.message


def test_just_over_the_limit_is_refused(site: Site) -> None:
    side = int(MAX_IMAGE_PIXELS ** 0.5) + 1
    path = _with_photo(site, png(side, side))
    assert [d.code for d in of(site.validate(), path)] == ["E070"]


def test_just_under_the_limit_passes(site: Site) -> None:
    side = int(MAX_IMAGE_PIXELS ** 0.5)
    assert side * side <= MAX_IMAGE_PIXELS
    path = _with_photo(site, png(side, side))
    assert of(site.validate(), path) == []


def test_the_command_line_says_so(site: Site) -> None:
    _with_photo(site, png(12000, 12000))
    done = cli("validate", str(site.content), "--today", "2024-12-31", cwd=site.content.parent)
    assert done.returncode == 1
    assert "E070 附件 现场.png：图片有 12000×12000 像素" in done.stdout

"""Bad input from a pull request: a record that is a symbolic link (E005), an attachment that
points outside its folder (E070). Nothing outside a record's own files may reach the site."""

from __future__ import annotations

import os

import pytest

from .conftest import DELIBERATING, PDF, codes, make_content, validate_json

ATTACHED = DELIBERATING.replace("---\n办公室", "attachments:\n  - {file: NAME, title: 扫描件}\n---\n办公室")


def _attached(name: str) -> str:
    return ATTACHED.replace("NAME", name)


def test_record_symlink_to_outside_is_e005(tmp_path) -> None:
    content = make_content(tmp_path)
    outside = tmp_path / "outside.md"
    outside.write_text(DELIBERATING, encoding="utf-8")
    os.symlink(outside, content / "dongwang" / "2024-002.md")
    rc, report = validate_json(tmp_path, "content")
    assert rc == 1 and codes(report) == ["E005"], report
    rc, report = validate_json(tmp_path, "content/dongwang/2024-002.md")
    assert rc == 1 and codes(report) == ["E005"], report


def test_record_symlink_to_another_record_is_e005(tmp_path) -> None:
    content = make_content(tmp_path, {"xiwang/2024-002.md": DELIBERATING.replace("dongwang", "xiwang")})
    os.symlink("../xiwang/2024-002.md", content / "dongwang" / "2024-002.md")
    rc, report = validate_json(tmp_path, "content")
    assert codes(report) == ["E005"], report


def test_dangling_record_symlink_is_e005(tmp_path) -> None:
    content = make_content(tmp_path)
    os.symlink("/nonexistent/record.md", content / "dongwang" / "2024-002.md")
    rc, report = validate_json(tmp_path, "content")
    assert rc == 1 and codes(report) == ["E005"], report


def test_plain_attachment_passes(tmp_path) -> None:
    content = make_content(tmp_path, {"dongwang/2024-002.md": _attached("扫描件.pdf")})
    (content / "dongwang" / "2024-002").mkdir()
    (content / "dongwang" / "2024-002" / "扫描件.pdf").write_bytes(PDF)
    rc, report = validate_json(tmp_path, "content")
    assert (rc, codes(report)) == (0, []), report


@pytest.mark.parametrize("name", [
    "../2024-001.pdf",
    "../../villages.pdf",
    "/etc/passwd.pdf",
    "..\\\\2024-001.pdf",
    "sub/扫描件.pdf",
    "..",
])
def test_attachment_path_outside_its_folder_is_e070(tmp_path, name: str) -> None:
    content = make_content(tmp_path, {"dongwang/2024-002.md": _attached(f'"{name}"')})
    (content / "dongwang" / "2024-002").mkdir()
    (content / "dongwang" / "2024-001.pdf").write_bytes(PDF)
    rc, report = validate_json(tmp_path, "content")
    assert rc == 1 and codes(report) == ["E070"], report


def test_attachment_symlink_to_outside_is_e070(tmp_path) -> None:
    content = make_content(tmp_path, {"dongwang/2024-002.md": _attached("扫描件.pdf")})
    folder = content / "dongwang" / "2024-002"
    folder.mkdir()
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(PDF)
    os.symlink(secret, folder / "扫描件.pdf")
    rc, report = validate_json(tmp_path, "content")
    assert rc == 1 and codes(report) == ["E070"], report


def test_attachment_symlink_within_its_folder_is_still_refused(tmp_path) -> None:
    content = make_content(tmp_path, {"dongwang/2024-002.md": _attached("扫描件.pdf")})
    folder = content / "dongwang" / "2024-002"
    folder.mkdir()
    (folder / "real.pdf").write_bytes(PDF)
    os.symlink("real.pdf", folder / "扫描件.pdf")
    rc, report = validate_json(tmp_path, "content")
    assert rc == 1 and codes(report) == ["E070"], report


def test_attachment_folder_symlink_to_outside_is_refused(tmp_path) -> None:
    content = make_content(tmp_path, {"dongwang/2024-002.md": _attached("secret.pdf")})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(PDF)
    os.symlink(outside, content / "dongwang" / "2024-002")
    rc, report = validate_json(tmp_path, "content")
    assert rc == 1 and "E070" in codes(report), report


def test_village_folder_symlink_is_refused(tmp_path) -> None:
    content = make_content(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "2024-002.md").write_text(DELIBERATING.replace("dongwang", "xiwang"), encoding="utf-8")
    (content / "xiwang").rmdir()
    os.symlink(outside, content / "xiwang")
    rc, report = validate_json(tmp_path, "content")
    assert rc == 1 and "E005" in codes(report), report

"""builder.engine.sidework and fastpages.QRCodes: open data and QR codes made by second processes on a large site."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest

from builder.engine.fastpages import QRCodes
from builder.engine.fork import ForkError
from builder.engine.sidework import SideWork, SideWorkError, Writer, fork_from


def test_forked_work_is_made_in_another_process_and_written_only_once_released(tmp_path: Path) -> None:
    def make():
        return [("a/b/pid.txt", str(os.getpid())), ("a/raw.bin", b"\x00\x01")]

    side = SideWork(make, tmp_path, fork=True)
    assert gc.get_freeze_count() > 0, "shared objects are kept out of collections while both run"
    time.sleep(0.5)
    assert not (tmp_path / "a").exists(), "nothing is written before the site folder is ready"
    side.release()
    side.wait()
    assert gc.get_freeze_count() == 0
    assert int((tmp_path / "a/b/pid.txt").read_text()) != os.getpid()
    assert (tmp_path / "a/raw.bin").read_bytes() == b"\x00\x01"


def test_in_process_work_is_made_and_written_on_release(tmp_path: Path) -> None:
    side = SideWork(lambda: [("x.txt", "好")], tmp_path, fork=False)
    assert not (tmp_path / "x.txt").exists()
    side.release()
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "好"
    side.wait()


def test_a_failure_in_the_second_process_reaches_the_build(tmp_path: Path) -> None:
    def make():
        raise ValueError("坏了")

    side = SideWork(make, tmp_path, fork=True)
    side.release()
    with pytest.raises(SideWorkError, match="ValueError: 坏了"):
        side.wait()


def test_a_second_process_that_dies_is_reported(tmp_path: Path) -> None:
    side = SideWork(lambda: os._exit(3), tmp_path, fork=True)
    side.release()
    with pytest.raises(SideWorkError, match="进程意外退出"):
        side.wait()


def test_close_stops_work_never_released(tmp_path: Path) -> None:
    side = SideWork(lambda: [("late.txt", "x")], tmp_path, fork=True)
    start = time.monotonic()
    side.close()
    assert time.monotonic() - start < 10 and side.child is None
    assert not (tmp_path / "late.txt").exists()


def test_threshold_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUNWU_FORK_FROM", "0")
    assert fork_from() == 0
    monkeypatch.setenv("CUNWU_FORK_FROM", "many")
    assert fork_from() == 1000


def test_qr_codes_from_a_second_process_are_those_made_here() -> None:
    urls = ["dongliu/2025-001/", "xihe/2026-012/"]
    forked = QRCodes("https://example.org/cunwu/", urls, fork=True)
    assert forked.child is not None
    codes = forked.codes()
    assert codes == QRCodes("https://example.org/cunwu/", urls, fork=False).codes()
    assert all(codes[u].startswith('<svg class="cw-qr" viewBox=') for u in urls)


def test_a_failure_making_qr_codes_reaches_the_build(monkeypatch) -> None:
    monkeypatch.setattr("builder.engine.fastpages.qr_svg", lambda url: os._exit(3))
    with pytest.raises(ForkError, match="进程意外退出"):
        QRCodes("", ["a/b/"], fork=True).codes()


def test_the_writer_thread_writes_in_order_and_reports_a_failure(tmp_path: Path) -> None:
    writer = Writer(tmp_path)
    try:
        writer.write([("a/1.html", "一"), ("a/2.html", b"2")])
        writer.write([("b/3.html", "三")])  # waits for the batch before: two at most are held
        writer.wait()
        assert (tmp_path / "a/1.html").read_text(encoding="utf-8") == "一" and (tmp_path / "b/3.html").is_file()
        writer.write([("a/1.html/x", "a file is in the way")])
        with pytest.raises(OSError):
            writer.wait()
    finally:
        writer.close()

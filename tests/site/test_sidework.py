"""builder.sidework: notices and open data made by a second process on a large site."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from builder.sidework import SideWork, SideWorkError, fork_from, write_files


def test_forked_work_runs_in_another_process_and_writes_its_files(tmp_path: Path) -> None:
    def work() -> None:
        write_files(tmp_path, [("a/b/pid.txt", str(os.getpid())), ("a/raw.bin", b"\x00\x01")])

    side = SideWork(work, fork=True)
    side.wait()
    assert int((tmp_path / "a/b/pid.txt").read_text()) != os.getpid()
    assert (tmp_path / "a/raw.bin").read_bytes() == b"\x00\x01"


def test_in_process_work_is_done_before_the_constructor_returns(tmp_path: Path) -> None:
    side = SideWork(lambda: write_files(tmp_path, [("x.txt", "好")]), fork=False)
    assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "好"
    side.wait()


def test_a_failure_in_the_second_process_reaches_the_build() -> None:
    def work() -> None:
        raise ValueError("坏了")

    side = SideWork(work, fork=True)
    with pytest.raises(SideWorkError, match="ValueError: 坏了"):
        side.wait()


def test_a_second_process_that_dies_is_reported() -> None:
    side = SideWork(lambda: os._exit(3), fork=True)
    with pytest.raises(SideWorkError, match="进程意外退出"):
        side.wait()


def test_close_stops_work_still_running() -> None:
    side = SideWork(lambda: time.sleep(60), fork=True)
    start = time.monotonic()
    side.close()
    assert time.monotonic() - start < 10 and side.proc is None


def test_threshold_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUNWU_FORK_FROM", "0")
    assert fork_from() == 0
    monkeypatch.setenv("CUNWU_FORK_FROM", "many")
    assert fork_from() == 1000

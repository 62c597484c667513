"""The merge of Pagefind's batch indexes reads Pagefind's private format (builder/engine/pagefind_index.py):
it must fail, naming the cause, on a format it does not know, never write a broken index."""

from __future__ import annotations

import gzip
import importlib.metadata
import json
import shutil
from pathlib import Path

import cbor2
import pytest

from builder.engine import pagefind_index, search
from builder.engine.pagefind_index import KNOWN_VERSION, SIGNATURE, SearchError, check, merge


@pytest.fixture(scope="module")
def bundle(entries, tmp_path_factory) -> Path:
    """A bundle exactly as the installed Pagefind writes it, over a few sample matters, each handed
    to it as the build does."""
    folder = tmp_path_factory.mktemp("raw")
    for dest, body in sorted(entries)[:6]:
        target = folder / "pages" / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(search.pagefind_page("zh", body), encoding="utf-8")
    return search._run_pagefind(folder)


def test_installed_pagefind_writes_the_format_merge_knows(bundle: Path) -> None:
    installed = importlib.metadata.version("pagefind_bin_extended")
    assert installed == KNOWN_VERSION, (
        f"Pagefind {installed} is installed, but builder/engine/pagefind_index.py merges the index format of "
        f"Pagefind {KNOWN_VERSION}: pin pagefind {KNOWN_VERSION} or update the merge for the new format")
    assert any((bundle / "filter").iterdir()) and any((bundle / "index").iterdir())
    check(bundle)  # entry, metadata, every index chunk and filter: the shapes merge reads


def _copy(bundle: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "bundle"
    shutil.copytree(bundle, copy)
    return copy


def _meta(copy: Path) -> Path:
    entry = json.loads((copy / "pagefind-entry.json").read_text())
    return copy / f"pagefind.{next(iter(entry['languages'].values()))['hash']}.pf_meta"


def _rewrite(path: Path, change) -> None:
    data = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(change(data)))


def _entry_version(copy: Path) -> None:
    path = copy / "pagefind-entry.json"
    path.write_text(path.read_text().replace(f'"version":"{KNOWN_VERSION}"', '"version":"1.6.0"'))


def _meta_signature(copy: Path) -> None:
    _rewrite(_meta(copy), lambda d: b"pagefind_xyz" + d[len(SIGNATURE):])


def _meta_seventh_field(copy: Path) -> None:
    _rewrite(_meta(copy), lambda d: SIGNATURE + cbor2.dumps(cbor2.loads(d[len(SIGNATURE):]) + [[]]))


def _chunk_word_shape(copy: Path) -> None:
    chunk = sorted((copy / "index").iterdir())[0]

    def change(d: bytes) -> bytes:
        value = cbor2.loads(d[len(SIGNATURE):])
        value[0][0][2] = ["something new"]  # the third field of a word has always been empty
        return SIGNATURE + cbor2.dumps(value)
    _rewrite(chunk, change)


def _trailing_bytes(copy: Path) -> None:
    _rewrite(sorted((copy / "index").iterdir())[-1], lambda d: d + b"\x00")


@pytest.mark.parametrize(("mutate", "cause"), [
    (_entry_version, "版本是 '1.6.0'"),
    (_meta_signature, "文件不以 pagefind_dcd 开头"),
    (_meta_seventh_field, "不是 [版本, 页面, 索引块, 筛选, 排序, 字段] 六项"),
    (_chunk_word_shape, "索引块里词的格式变了"),
    (_trailing_bytes, "CBOR 之后还有多余的字节"),
])
def test_an_unknown_format_is_refused_naming_the_cause(bundle: Path, tmp_path: Path, mutate, cause: str) -> None:
    copy = _copy(bundle, tmp_path)
    mutate(copy)
    with pytest.raises(SearchError) as refused:
        merge([copy], tmp_path / "out")
    message = str(refused.value)
    assert cause in message and f"Pagefind {KNOWN_VERSION}" in message, message
    with pytest.raises(SearchError, match="不认识"):
        check(copy)


def test_the_unchanged_bundle_merges(bundle: Path, tmp_path: Path) -> None:
    """Near miss of the above: the same copy, unchanged, merges into a bundle that checks."""
    copy = _copy(bundle, tmp_path)
    merge([copy], tmp_path / "out")
    check(tmp_path / "out")
    assert pagefind_index.UNUSED[0] not in {p.name for p in (tmp_path / "out").iterdir()}


@pytest.mark.parametrize("mutate", [None, _entry_version])
def test_the_builds_merge_process_merges_or_names_the_cause(bundle: Path, tmp_path: Path, mutate) -> None:
    """The build merges in a process of its own (search.Indexer._merge): what it writes is what
    merge writes here, and a format it does not know stops it with merge's own message, not a
    traceback."""
    copy = _copy(bundle, tmp_path)
    if mutate is not None:
        mutate(copy)
    indexer = search.Indexer()
    try:
        if mutate is None:
            indexer._merge([copy], tmp_path / "out", scripts=True)
            again = tmp_path / "again"  # merge moves the fragments out of the bundle it reads
            shutil.copytree(bundle, again)
            merge([again], tmp_path / "here")
            made = {p.relative_to(tmp_path / "out"): p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file()}
            assert made == {p.relative_to(tmp_path / "here"): p.read_bytes()
                            for p in (tmp_path / "here").rglob("*") if p.is_file()}
            assert (tmp_path / "out/pagefind.js").is_file()
        else:
            with pytest.raises(SearchError) as refused:
                indexer._merge([copy], tmp_path / "out", scripts=True)
            message = str(refused.value)
            assert "版本是 '1.6.0'" in message and "Traceback" not in message, message
    finally:
        indexer.close()

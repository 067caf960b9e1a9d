"""The benchmark's synthetic archive: the same seed writes the same files, and adding new
meetings to it (the everyday publication the benchmark times) stops with a message once
every body has one, not with a traceback."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _module(name: str) -> ModuleType:
    """A script of bench/ by its path (`build` is also the name of a PyPI package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench_modules():
    sys.path.insert(0, str(BENCH))  # the scripts import each other by name
    try:
        yield _module("archive"), _module("build")
    finally:
        sys.path.remove(str(BENCH))


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _small(archive, out: Path, seed: int) -> Path:
    archive.write_archive(out, meetings=6, body_count=2, reports=2, words=60, seed=seed)
    return out


def test_the_same_seed_writes_the_same_archive(bench_modules, tmp_path: Path) -> None:
    archive, _ = bench_modules
    first = _tree(_small(archive, tmp_path / "a", seed=3))
    again = _tree(_small(archive, tmp_path / "b", seed=3))
    other = _tree(_small(archive, tmp_path / "c", seed=4))
    assert first == again
    assert any(name.startswith("meetings/") for name in first)
    assert other != first


def test_new_meetings_stop_with_a_message_once_every_body_has_one(
    bench_modules, tmp_path: Path
) -> None:
    archive, build = bench_modules
    data = _small(archive, tmp_path / "data", seed=3)
    bodies = {p.name[11:] for p in (data / "meetings").iterdir()}
    added = [build.add_meeting(data) for _ in bodies]
    assert sorted(added) == sorted(f"2026-11-30-{body}-new" for body in bodies)
    with pytest.raises(SystemExit) as stopped:
        build.add_meeting(data)
    assert "every body has a new meeting on 30 November already" in str(stopped.value)
    assert str(data / "meetings") in str(stopped.value)

"""bench/build.py --rounds: the ratio printed last is the median of the rounds' ratios, each
round's printed, so one pair of builds in a slow or quick minute does not decide it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BUILD = Path(__file__).resolve().parents[1] / "bench" / "build.py"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("bench_build", BUILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_the_ratio_is_the_median_of_the_rounds(build, capsys) -> None:
    def pair(ours: float, plain: float):
        return build.Run(ours, 0, 0, 0, ""), build.Run(plain, 0, 0, 0, "")

    rounds = [pair(110, 100), pair(90, 100), pair(100, 80)]
    assert build.rounds_ratio(rounds) == pytest.approx(1.1)
    printed = capsys.readouterr().out
    assert "ratios of the 3 rounds: 1.100, 0.900, 1.250; median 1.100" in printed


def test_one_round_is_its_own_ratio_and_prints_nothing_more(build, capsys) -> None:
    rounds = [(build.Run(95, 0, 0, 0, ""), build.Run(100, 0, 0, 0, ""))]
    assert build.rounds_ratio(rounds) == pytest.approx(0.95)
    assert capsys.readouterr().out == ""

"""The Makefile's search for Python is quiet on machines with pyenv.

pyenv puts a shim for every Python version on the PATH; a shim for a version that is not
installed prints "pyenv: python3.13: command not found" and fails. A clerk's first `make`
should print none of that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_python_probe_silences_pyenv_shims(tmp_path: Path) -> None:
    shims = tmp_path / "shims"
    shims.mkdir()
    for name in ("python3.13", "python3.12"):
        shim = shims / name
        shim.write_text(f'#!/bin/sh\necho "pyenv: {name}: command not found" >&2\nexit 127\n')
        shim.chmod(0o755)
    show = tmp_path / "show.mk"
    show.write_text("show-python:\n\t@echo $(PYTHON)\n")
    result = subprocess.run(
        ["make", "--no-print-directory", "-f", "Makefile", "-f", str(show), "show-python"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip() in {"python3.11", "python3"}

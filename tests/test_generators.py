"""The same sources build with MkDocs and with ProperDocs (the MkDocs 1.6 fork that runs hooks and
plugins), so the site does not depend on one generator (Material's end of life: 5 May 2027)."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_ENV, ROOT

# Files that may differ between the two generators, with the reason (reviewed). Empty today: the
# outputs are byte-identical.
ALLOWED_DIFFERENCES: dict[str, str] = {}


def _differences(a: Path, b: Path, rel: str = "") -> list[str]:
    cmp = filecmp.dircmp(a / rel, b / rel)
    out = [f"{rel}{n} (only in mkdocs build)" for n in cmp.left_only]
    out += [f"{rel}{n} (only in properdocs build)" for n in cmp.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a / rel, b / rel, cmp.common_files, shallow=False)
    out += [f"{rel}{n}" for n in mismatch + errors]
    for d in cmp.common_dirs:
        out += _differences(a, b, f"{rel}{d}/")
    return out


@pytest.mark.slow
def test_properdocs_builds_the_same_site_as_mkdocs(built_site, tmp_path):
    exe = Path(sys.executable).with_name("properdocs")
    assert exe.exists(), "properdocs is installed by the test extra (pyproject.toml)"
    out = tmp_path / "properdocs-site"
    proc = subprocess.run([str(exe), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)], cwd=ROOT,
                          env={**os.environ, **BUILD_ENV}, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert (out / "index.html").is_file() and (out / "en" / "index.html").is_file()
    diffs = [d for d in _differences(built_site, out) if d.split(" ")[0] not in ALLOWED_DIFFERENCES]
    assert not diffs, f"MkDocs and ProperDocs builds differ in {len(diffs)} files: {diffs[:20]}"

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
    """ProperDocs builds a copy of the project (strict) and its output is compared, file by file, with
    the session's MkDocs build of the project itself (conftest.built_site: strict, without the build
    cache), so only the ProperDocs build is new. The copy is built with the session's build cache, seeded
    by a MkDocs build of an unchanged copy (conftest.shared_cache_env): the engine's page results, which
    do not depend on the generator, are looked up; so are the Markdown conversions, but only when
    ProperDocs sets up Python-Markdown exactly as MkDocs does (an entry's name hashes every extension and
    processor registered on the Markdown object and their settings: lawsite/markdown.py), else it
    converts every page itself; its own steps (files, nav, hooks, templates, writing the site) all run.
    Why the comparison still proves the claim: a build with the cache gives the bytes of a build without
    it, and neither the folder nor the cache's state reaches the output (tests/test_buildcache.py,
    tests/test_reproducible.py)."""
    from conftest import copy_project, shared_cache_env

    exe = Path(sys.executable).with_name("properdocs")
    assert exe.exists(), "properdocs is installed by the test extra (pyproject.toml)"
    src = copy_project(tmp_path / "src")
    out = tmp_path / "properdocs-site"
    proc = subprocess.run([str(exe), "build", "--strict", "-f", str(src / "mkdocs.yml"), "-d", str(out)], cwd=src,
                          env={**os.environ, **BUILD_ENV, **shared_cache_env(src)}, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-5000:]
    assert (out / "index.html").is_file() and (out / "en" / "index.html").is_file()
    diffs = [d for d in _differences(built_site, out) if d.split(" ")[0] not in ALLOWED_DIFFERENCES]
    assert not diffs, f"MkDocs and ProperDocs builds differ in {len(diffs)} files: {diffs[:20]}"


@pytest.mark.slow
def test_post_step_runs_without_mkdocs_on_a_built_site(built_site, tmp_path):
    """`python -m lawsite.build.steps post --site DIR` (what a build with another generator would call):
    on a copy of the built site whose post-build outputs were removed (search bundle, `_headers`, feeds,
    the sitemap's dates and .gz), it writes them back byte for byte as the MkDocs hooks did."""
    import re
    import shutil

    out = tmp_path / "site"
    shutil.copytree(built_site, out)
    shutil.rmtree(out / "pagefind")
    for rel in ("_headers", "sitemap.xml.gz", "tin-tuc/feed.xml", "en/tin-tuc/feed.xml"):
        if (out / rel).exists():
            (out / rel).unlink()
    sitemap = out / "sitemap.xml"
    undated = re.sub(r"<lastmod>[^<]*</lastmod>", "<lastmod>2099-01-01</lastmod>", sitemap.read_text("utf-8"))
    assert undated != sitemap.read_text("utf-8")
    sitemap.write_text(undated, "utf-8")
    proc = subprocess.run([sys.executable, "-m", "lawsite.build.steps", "post", "--site", str(out)], cwd=ROOT,
                          env={**os.environ, **BUILD_ENV}, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    diffs = _differences(built_site, out)
    assert not diffs, f"the post step without MkDocs differs from the MkDocs build in {len(diffs)} files: {diffs[:20]}"


def test_post_step_refuses_a_folder_that_is_not_a_built_site(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "lawsite.build.steps", "post", "--site", str(tmp_path)], cwd=ROOT,
                          env={**os.environ, **BUILD_ENV}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "no built site here" in proc.stderr and "Traceback" not in proc.stderr

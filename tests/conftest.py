"""Shared fixtures: the site is built ONCE per test session (shared between xdist workers through a
file lock), served on 127.0.0.1, and driven with Playwright + Debian's chromium."""
from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
BUILD_ENV = {"SOURCE_DATE_EPOCH": "1796083200", "LAWSITE_TODAY": "2026-12-01"}  # 2026-12-01


def mkdocs_build(src: Path, dest: Path, *, strict: bool = True, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **BUILD_ENV, **(env_extra or {})}
    # no -q: it raises the log level to ERROR, so --strict would no longer see (or count) warnings
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(src / "mkdocs.yml"), "-d", str(dest)]
    if strict:
        cmd.insert(4, "--strict")
    return subprocess.run(cmd, cwd=src, env=env, capture_output=True, text=True, timeout=900)


def copy_project(dest: Path) -> Path:
    """A temporary copy of the project (sources only) to break things in."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ["mkdocs.yml", "docs", "overrides", "hooks", "data"]:
        s = ROOT / name
        if s.is_dir():
            shutil.copytree(s, dest / name)
        else:
            shutil.copy2(s, dest / name)
    return dest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    """The real site, built once with --strict for the whole session (all xdist workers)."""
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    out = shared / "built-site"
    lock = shared / "built-site.lock"
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        status = shared / "built-site.json"
        if not status.exists():
            proc = mkdocs_build(ROOT, out)
            status.write_text(json.dumps({"rc": proc.returncode, "stderr": proc.stderr[-20000:]}))
        data = json.loads(status.read_text())
    if data["rc"] != 0:
        pytest.fail("the site does not build with --strict:\n" + data["stderr"])
    return out


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a browser closing a connection early (BrokenPipeError) is not a test failure



def tab_to(page, sel: str, limit: int = 80) -> None:
    """Press Tab until the element `sel` has the focus (keyboard-only tests); fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement === document.querySelector(s)", sel):
            return
    pytest.fail(f"{sel} cannot be reached with Tab")

def serve(directory: Path):
    handler = functools.partial(_Handler, directory=str(directory))
    httpd = _Server(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


@pytest.fixture(scope="session")
def site_url(built_site):
    httpd, url = serve(built_site)
    yield url
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"chromium not found at {CHROMIUM}: install it with `sudo apt-get install chromium` (make test does it when it can)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context()
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, device_scale_factor=2)
    pg = ctx.new_page()
    yield pg
    ctx.close()


_SLOW_FIXTURES = {"built_site", "site_url"}
_BROWSER_FIXTURES = {"browser", "page", "phone"}


def _xdist_groups(config, items) -> None:
    """`--dist loadgroup` sends the tests of one `xdist_group` to one worker by a "@group" suffix that
    pytest-xdist 3.8 writes into `item._nodeid`; pytest 9 reads the node id from `item._id`, so the
    suffix was lost and the groups were spread over both workers (each building its own copy of a
    module's build). Set it where pytest 9 reads it (workers only, as xdist does)."""
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")})
        if not names or "@" in item.nodeid:
            continue  # no group, or xdist's own suffix took effect
        nodeid = f"{item.nodeid}@{'_'.join(names)}"
        if hasattr(item, "_id"):
            from _pytest.nodeid import coerce_node_id

            item._id = coerce_node_id(nodeid)
        else:
            item._nodeid = nodeid


def pytest_collection_modifyitems(config, items):
    """Every test that needs the built site is `slow`, every test that drives Chromium is `browser` (and
    slow): `make test-fast` (-m "not slow") then runs only what needs neither, whatever a test forgot to say."""
    _xdist_groups(config, items)
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & (_SLOW_FIXTURES | _BROWSER_FIXTURES):
            item.add_marker(pytest.mark.slow)

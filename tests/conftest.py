"""Shared fixtures: the site is built ONCE per test session (shared between xdist workers through a
file lock), served on 127.0.0.1, and driven with Playwright + Debian's chromium."""
from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
BUILD_ENV = {"SOURCE_DATE_EPOCH": "1796083200", "LAWSITE_TODAY": "2026-12-01"}  # 2026-12-01


# One build cache for the whole session (all xdist workers): the page cache and the memo of the HTML
# steps (lawsite/page/diskcache.py, lawsite/core/diskmemo.py, LAWSITE_CACHE=1) are keyed by content (page
# bytes, every data file, every engine file), so the many copies of the project that the tests break in a
# few pages share the results of the pages they did not change; an entry cannot be another input's.
# Set by the session fixture below; built_site (the real site) is built WITHOUT it, so the uncached path
# stays what most tests read, and tests/test_buildcache.py compares cached builds against it.
_BUILD_CACHE: Path | None = None


def mkdocs_build(src: Path, dest: Path, *, strict: bool = True, env_extra: dict | None = None,
                 cache: bool = True) -> subprocess.CompletedProcess:
    """`mkdocs build` of the project `src` (a copy: copy_project) into `dest`. cache=True (and the caller
    setting no LAWSITE_CACHE itself): with the session's shared build cache (`src`/.cache links to it)."""
    extra = dict(env_extra or {})
    if cache and "LAWSITE_CACHE" not in extra:
        extra.update(shared_cache_env(src))
    env = {**os.environ, **BUILD_ENV, **extra}
    # no -q: it raises the log level to ERROR, so --strict would no longer see (or count) warnings
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(src / "mkdocs.yml"), "-d", str(dest)]
    if strict:
        cmd.insert(4, "--strict")
    c0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
    proc = subprocess.run(cmd, cwd=src, env=env, capture_output=True, text=True, timeout=900)
    _log_build(src, strict, extra, proc, c0, t0)
    return proc


def _log_build(src, strict, extra, proc, c0, t0) -> None:
    """LAWSITE_TEST_BUILDS=/path/log.jsonl: one JSON line per site build of the session (the test that ran
    it, the copy, strict or not, cached or not, exit code, wall and CPU seconds): the suite's inventory."""
    log = os.environ.get("LAWSITE_TEST_BUILDS")
    if not log:
        return
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    rec = {"test": os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0], "src": str(src), "strict": strict,
           "cache": extra.get("LAWSITE_CACHE", ""), "rc": proc.returncode, "wall": round(time.monotonic() - t0, 2),
           "cpu": round(c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime, 2)}
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec) + "\n")


def stopped_before_rendering(proc: subprocess.CompletedProcess) -> bool:
    """The strict build stopped after the pre-build step because a page has an error (lawsite/build/
    steps.py Site._stop: every error reported with file:line, nothing rendered)."""
    from lawsite.core.findings import catalogue

    out = proc.stdout + proc.stderr
    return proc.returncode != 0 and any(catalogue(lang)["build_stopped"]["msg"].split("{")[0] in out for lang in ("vi", "en"))


def strict_and_rendered_build(src: Path, dest: Path, **kw) -> tuple[subprocess.CompletedProcess, str]:
    """The strict build of `src`, and, when it stopped before rendering (a page has an error), a build
    without --strict into the same `dest`, which goes on: its output is what a reader would be served,
    and its log has what only the rendering reports (template values, the allow-list on the rendered
    HTML, links), each line that --strict counts (WARNING, ERROR) as it would be in a strict build that
    went on. Returns the STRICT process (its exit code is the strict build's) and both logs."""
    proc = mkdocs_build(src, dest, **kw)
    log = proc.stdout + proc.stderr
    if stopped_before_rendering(proc):
        rendered = mkdocs_build(src, dest, **{**kw, "strict": False})
        log += rendered.stdout + rendered.stderr
        if rendered.returncode != 0 or not (Path(dest) / "index.html").is_file():
            pytest.fail("the build without --strict did not go on:\n" + (rendered.stdout + rendered.stderr)[-3000:])
    return proc, log


def shared_cache_env(src: Path) -> dict:
    """The environment that points a build of the copy `src` at the session's build cache (and links
    `src`/.cache, where the page cache lives, to it); {} outside a test session or for the project itself."""
    if _BUILD_CACHE is None or Path(src).resolve() == ROOT:
        return {}
    _seeded_cache()  # the first build that writes the shared cache is the clean copy's (see below)
    link = Path(src) / ".cache"
    if not link.exists():
        link.symlink_to(_BUILD_CACHE, target_is_directory=True)
    return {"LAWSITE_CACHE": "1", "LAWSITE_CACHE_DIR": str(_BUILD_CACHE)}


def _shared_tmp(tmp_path_factory) -> Path:
    """The session's temporary folder that all xdist workers share (each has its own below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


_SHARED: Path | None = None  # the session's folder that the xdist workers share (set below)


@pytest.fixture(scope="session", autouse=True)
def _shared_build_cache(tmp_path_factory):
    global _BUILD_CACHE, _SHARED
    _SHARED = _shared_tmp(tmp_path_factory)
    _BUILD_CACHE = _SHARED / "build-cache"
    _BUILD_CACHE.mkdir(exist_ok=True)
    yield _BUILD_CACHE
    _BUILD_CACHE = _SHARED = None


# --- builds made once per session for all xdist workers (a file lock each) --------------------------
def _once(name: str, build) -> dict:
    """build() (a JSON-able dict: the build's exit code and log) run once in the whole session: the first
    worker to take <shared>/<name>.lock runs it, the others wait and read <shared>/<name>.json."""
    status = _SHARED / f"{name}.json"
    with open(_SHARED / f"{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        if not status.exists():
            status.write_text(json.dumps(build()))
    return json.loads(status.read_text())


def _running(name: str) -> bool:
    """Another worker holds <name>'s lock now (it is building it)."""
    with open(_SHARED / f"{name}.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
    return False


def _site_status() -> dict:
    def build():
        proc = mkdocs_build(ROOT, _SHARED / "built-site", cache=False)
        return {"rc": proc.returncode, "stderr": proc.stderr[-20000:]}
    return _once("built-site", build)


# The session's shared build cache is SEEDED by one clean build (clean_copy_build below): a copy of the
# project in another folder, with another build clock, the cache on and EMPTY (checked: no other build
# may write it first, since every cached build of the session asks for the seed, shared_cache_env, and
# waits for it). So every later build of a copy whose data is unchanged (its page results are keyed by
# every data file and the engine: lawsite/page/diskcache.py) looks up the pages it did not change instead
# of checking and rendering all of them again (tests/test_buildcache.py proves that a warm build gives the
# bytes of a build without the cache). The built site (the project itself, without the cache) and the seed
# are the session's first two builds: a worker that finds the other building one builds the other meanwhile.
def _seed_status() -> dict:
    def build():
        if any(_BUILD_CACHE.iterdir()):
            return {"rc": -1, "stderr": f"the shared build cache {_BUILD_CACHE} was written before the clean build seeded it"}
        src = copy_project(_SHARED / "clean-copy" / "src-b")
        (src / ".cache").symlink_to(_BUILD_CACHE, target_is_directory=True)
        proc = mkdocs_build(src, _SHARED / "clean-copy" / "site-b", cache=False, env_extra={
            "SOURCE_DATE_EPOCH": OTHER_CLOCK, "LAWSITE_CACHE": "1", "LAWSITE_CACHE_DIR": str(_BUILD_CACHE)})
        return {"rc": proc.returncode, "stderr": proc.stderr[-20000:], "args": proc.args}
    if _running("cache-seed") and not (_SHARED / "built-site.json").exists():
        _site_status()  # the other worker seeds the cache: build the site meanwhile
    return _once("cache-seed", build)


def _seeded_cache() -> None:
    if _seed_status()["rc"] == -1:
        pytest.fail(_seed_status()["stderr"])


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
def built_site() -> Path:
    """The real site (the project itself, without the build cache), built once with --strict for the
    whole session (all xdist workers)."""
    if _running("built-site"):
        _seed_status()  # the other worker builds the site: seed the shared cache meanwhile
    data = _site_status()
    if data["rc"] != 0:
        pytest.fail("the site does not build with --strict:\n" + data["stderr"])
    return _SHARED / "built-site"


# Another clock than BUILD_ENV's (2026-12-07): a clean build with it must give the same bytes.
OTHER_CLOCK = "1796600000"
CLEAN_COPY_GROUP = pytest.mark.xdist_group("clean-copy-build")


@pytest.fixture(scope="session")
def clean_copy_build():
    """ONE clean strict build shared by tests/test_reproducible.py and tests/test_buildcache.py, and the
    seed of the session's shared build cache (above): a copy of the project in another folder, another
    build clock (OTHER_CLOCK), and the build cache switched on in the session's cache folder while it is
    still EMPTY (the seed is the first build that writes it; checked): nothing is read from an earlier
    build, every step is computed, and the cache is written. Both claims hold on it: its bytes equal
    built_site's (neither the folder, nor the clock, nor a cold cache reaches the output), and a warm
    build of the same copy reads what it wrote. Returns (process: exit code and log, copy, output folder)."""
    data = _seed_status()
    src = _SHARED / "clean-copy" / "src-b"
    proc = subprocess.CompletedProcess(data.get("args", []), data["rc"], "", data["stderr"])
    return proc, src, _SHARED / "clean-copy" / "site-b"


@pytest.fixture(scope="session")
def changed_data_build(tmp_path_factory):
    """ONE strict public build (SITE_URL set) of a copy with two data changes that touch different pages:
    the province filled in with the developer links on (tests/test_deploy.py reads the header, footer and
    help page) and a registry amendment taking effect after the build date (tests/test_generated_pages.py
    reads the notice on the affected pages), plus the pages registered with page_cases(..., "changed-data")
    (tests/test_bad_inputs.py's benign inputs, new pages under docs/kiem-tra/ that no test of the two data
    changes reads, and that must pass the strict build: so must this build). The tests that use it share
    the xdist group "changed-data-build", so it is built once. Returns (process, output folder)."""
    from helpers import add_future_amendment, fill_province

    tmp = tmp_path_factory.mktemp("changed-data")
    root = copy_project(tmp / "p")
    fill_province(root)
    add_future_amendment(root)
    _write_registered("changed-data", root)  # tests/test_bad_inputs.py's benign pages (BOM, CRLF, NFD)
    out = tmp / "out"
    return mkdocs_build(root, out, env_extra={"SITE_URL": "https://xnc.langson.gov.vn/"}), out


# --- ONE build for the page cases of several test files (issue 16: fewer full builds) -------------
# A test file registers, when imported, a setup that writes its cases into a copy (page_cases below:
# tests/test_bad_inputs.py's bad input pages, docs/kiem-tra/<case>…); the session fixture
# page_cases_build writes every registered setup into ONE copy and builds it ONCE (strict, then without
# --strict when the strict build stopped before rendering: conftest.strict_and_rendered_build), instead
# of a strict build and a rendering per file. Why each claim still holds: every case writes files of its
# own (no two setups write the same path: checked below), and every assertion looks for a message naming
# ITS file (and line) or reads ITS output page, so no case can pass on another case's message; the copy's
# strict build fails whatever the mix (each file's cases are errors), which is what those tests assert of
# it. The messages are in English (LAWSITE_LANG=en) for every file. All the tests that read this build
# are in one xdist group. The registered cases are new pages only (no data file changes): the copy's
# other pages are looked up in the session's seeded build cache. (tests/test_hostile_output.py's 90 page
# cases and its registry case keep a build of their own: with them, fewer than half of the copy's pages
# would be searchable, and the search step refuses such a site: lawsite/build/search.py.)
PAGE_CASES_GROUP = pytest.mark.xdist_group("page-cases-build")
_CASE_SETUPS: dict[str, dict[str, object]] = {"page-cases": {}, "changed-data": {}}


def page_cases(name: str, build: str = "page-cases"):
    """Decorator: `setup(root)` writes the cases of the test file `name` into the copy `root` of the
    session build `build` ("page-cases": page_cases_build; "changed-data": changed_data_build, whose
    strict build must pass); it must write only files that no other registered setup writes."""
    def register(setup):
        _CASE_SETUPS[build][name] = setup
        return setup
    return register


def _write_registered(build: str, root: Path) -> None:
    """Run every setup registered for `build` on the copy `root`; fail when two write the same file."""
    written: dict[Path, str] = {}
    for name in sorted(_CASE_SETUPS[build]):
        pre = {p.relative_to(root): p.lstat().st_mtime_ns for p in root.rglob("*")}
        _CASE_SETUPS[build][name](root)
        for p in root.rglob("*"):
            rel = p.relative_to(root)
            if (p.is_symlink() or p.is_file()) and pre.get(rel) != p.lstat().st_mtime_ns:
                if rel in written:
                    pytest.fail(f"the cases of {name} and {written[rel]} both write {rel}: they cannot share one build")
                written[rel] = name


class PageCasesBuild:
    """root: the copy; site: its output; proc: the strict build (its exit code); log: both builds' logs."""

    def __init__(self, root: Path, site: Path, proc: subprocess.CompletedProcess, log: str):
        self.root, self.site, self.proc, self.log = root, site, proc, log


@pytest.fixture(scope="session")
def page_cases_build(tmp_path_factory, built_site) -> PageCasesBuild:
    """built_site first: the unmodified project builds with --strict, so a failure here is the cases'."""
    tmp = tmp_path_factory.mktemp("page-cases")
    root = copy_project(tmp / "project")
    _write_registered("page-cases", root)
    site = tmp / "site"
    proc, log = strict_and_rendered_build(root, site, env_extra={"LAWSITE_LANG": "en"})
    return PageCasesBuild(root, site, proc, log)


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


@pytest.fixture(scope="module")
def tool_axe_variants(browser):
    """The answer tools' axe pages (browser_helpers.TOOL_AXE_VARIANTS), made on first use, per module."""
    from browser_helpers import TOOL_AXE_VARIANTS, Variants

    v = Variants(browser, TOOL_AXE_VARIANTS)
    yield v
    v.close()


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
    slow): `make test-fast` (-m "not slow") then runs only what needs neither, whatever a test forgot to say.
    Under `--dist loadgroup`, the longest work units go first (see _longest_first)."""
    _xdist_groups(config, items)
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if names & (_SLOW_FIXTURES | _BROWSER_FIXTURES):
            item.add_marker(pytest.mark.slow)
    if getattr(config.option, "loadgroup", False) or getattr(config.option, "dist", "no") == "loadgroup":
        items[:] = _longest_first(items)


# --- xdist balance (issue 16 §5) --------------------------------------------------------------------
# tests/durations.json: seconds per test (wall, one worker of `make test` on an idle 2-core machine; a
# module fixture's cost is in its first test), written by `python tests/record_durations.py LOG` from a
# LAWSITE_TEST_CPU log (--cpu: CPU seconds, what a build costs on an idle machine). A test not in the
# table counts as the median of its function's other parametrizations (test_x[a] for test_x[b]), else
# BROWSER_SECONDS (a browser test) or DEFAULT_SECONDS. (Not the module's median: in a module whose table
# holds one site build and nothing else, every cheap test of the module counted as a build.)
DURATIONS = Path(__file__).with_name("durations.json")
DEFAULT_SECONDS = 0.5
BROWSER_SECONDS = 2.0  # a browser test not in the table (a page load or two, axe)


def _scope(item) -> str:
    """xdist's work unit: the group after "@" (loadgroup), else the test itself."""
    nid = item.nodeid
    return nid.rsplit("@", 1)[1] if nid.rfind("@") > nid.rfind("]") else nid


def _estimates(items) -> dict[str, float]:
    try:
        table = json.loads(DURATIONS.read_text("utf-8"))
    except (OSError, ValueError):
        table = {}
    by_function: dict[str, list[float]] = {}
    for k, v in table.items():
        by_function.setdefault(k.split("[", 1)[0], []).append(v)
    median = {f: sorted(v)[len(v) // 2] for f, v in by_function.items()}
    out = {}
    for item in items:
        nid = item.nodeid.rsplit("@", 1)[0] if item.nodeid.rfind("@") > item.nodeid.rfind("]") else item.nodeid
        default = BROWSER_SECONDS if _BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) else DEFAULT_SECONDS
        out[item.nodeid] = table.get(nid, median.get(nid.split("[", 1)[0], default))
    return out


def _longest_first(items):
    """The order xdist hands out work when run with --no-loadscope-reorder (the Makefile does): each worker
    takes the next unit (an xdist group, or one test) when it has two tests or fewer left, so putting the
    longest units first ends both workers together (longest-processing-time-first). Units are ordered in
    blocks that keep a module's ungrouped tests together (its module fixtures are set up once per worker):
    blocks by their longest unit, then by their total, longest first. The first two units are the longest
    unit that needs the built site and the longest that does not: the second worker starts on it while the
    first builds the site (the other workers wait for the built site's lock)."""
    est = _estimates(items)
    units: dict[str, list] = {}
    for item in items:
        units.setdefault(_scope(item), []).append(item)
    unit_time = {u: sum(est[i.nodeid] for i in its) for u, its in units.items()}
    blocks: dict[str, list[str]] = {}
    for u, its in units.items():
        key = u if "::" not in u else "module:" + its[0].nodeid.split("::", 1)[0]
        blocks.setdefault(key, []).append(u)
    ordered = sorted(blocks.values(), key=lambda us: (-max(unit_time[u] for u in us), -sum(unit_time[u] for u in us)))
    flat = [u for us in ordered for u in us]
    needs_site = {u: any(_SLOW_FIXTURES & set(getattr(i, "fixturenames", ())) for i in units[u]) for u in flat}
    free = [u for u in flat if not needs_site[u]]
    if flat and needs_site[flat[0]] and free and unit_time[free[0]] >= 10 * DEFAULT_SECONDS:
        flat.remove(free[0])
        flat.insert(1, free[0])
    return [i for u in flat for i in units[u]]


# --- measuring the suite (issue 16 §5): LAWSITE_TEST_CPU=/path/log.jsonl -----------------------------
# One JSON line per test: wall seconds and CPU seconds of the test process and of the subprocesses it
# waited for (site builds, `lawsite check`), setup and teardown included (a module fixture's build is
# charged to its first test). CPU seconds hardly depend on the machine's load: compare them, not wall.
# "worker" and "end" (Unix time the test ended) show the balance: `python tests/record_durations.py
# --balance LOG` prints when each xdist worker finished its last test.
_CPU_LOG = os.environ.get("LAWSITE_TEST_CPU")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not _CPU_LOG:
        yield
        return
    t0, s0, c0 = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    yield
    s1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    rec = {"test": item.nodeid, "worker": os.environ.get("PYTEST_XDIST_WORKER", ""), "end": round(time.time(), 1),
           "wall": round(time.monotonic() - t0, 3),
           "cpu": round(s1.ru_utime + s1.ru_stime - s0.ru_utime - s0.ru_stime, 3),
           "children": round(c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime, 3)}
    with open(_CPU_LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(rec) + "\n")

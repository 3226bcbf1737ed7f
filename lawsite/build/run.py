"""Build the site safely: `python -m lawsite.build.run` runs a strict build into a temporary folder next
to site/ and swaps it in only when the build succeeded, so a failed build never leaves site/ empty
or half-written. `--serve` runs the live-reloading development server instead.

Refused with one line (exit 2): an output folder that is, or contains, the project or one of its
source folders (`-d docs` would replace the pages by the built site), and an engine imported from
another checkout than the one being built. Ctrl-C / SIGTERM: the child build is stopped, the
temporary folder removed, site/ left as it was, one line, exit 130/143."""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lawsite.project.loader import find_root

# the project's sources: the output folder may be none of these, nor contain one
SOURCES = ("docs", "docs-dev", "data", "overrides", "hooks", "lawsite", "tests", "tools", "bench", ".git", ".github")


class Refused(Exception):
    pass


def check_destination(root: Path, dest: Path) -> None:
    """Raise Refused when building into ``dest`` could overwrite the project's own files."""
    root = Path(root).resolve()
    dest = Path(os.path.abspath(dest))
    real = dest.resolve()
    protected = [root] + [root / s for s in SOURCES] + [root / "mkdocs.yml"]
    for cand in {dest, real}:
        for p in protected:
            why = None
            if cand == root:
                why = "is the project folder itself"
            elif cand == p:
                why = f"{_show(root, p)} is part of the project"
            elif _inside(p, cand):  # dest contains a source folder (e.g. -d .. or -d /)
                why = f"{_show(root, cand)} contains {_show(root, p)}"
            elif p != root and _inside(cand, p):  # dest inside a source folder (e.g. -d docs/site)
                why = f"{_show(root, cand)} is inside {_show(root, p)}"
            if why:
                raise Refused(f"the output folder {why}; choose another one, for example -d site")  # noqa: E501


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.relative_to(parent)
        return child != parent
    except ValueError:
        return False


def _show(root: Path, p: Path) -> str:
    try:
        rel = p.relative_to(root).as_posix()
        return rel if rel != "." else "the project folder"
    except ValueError:
        return str(p)


def check_engine(root: Path) -> None:
    """The engine imported must be this checkout's (an editable install of another checkout on the
    same machine would otherwise build this site with that checkout's code)."""
    import lawsite

    here = Path(lawsite.__file__).resolve().parent
    # a folder without its own engine (sources only, as the tests' copies) uses the installed one,
    # the rule of lawsite.project.loader.assert_engine_in
    if (Path(root) / "lawsite" / "__init__.py").is_file() and not _inside(here, Path(root).resolve()):
        raise Refused(f"the lawsite engine in use is {here}, not this project's ({Path(root).resolve() / 'lawsite'}); "
                      f"run this project's .venv/bin/python, or `make install` here")


def _child_env(root: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _die_with_parent() -> None:  # in the child, before exec: SIGTERM when the parent dies (Linux)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _remove_stale(parent: Path) -> None:
    """Temporary folders of builds that were killed outright (SIGKILL): their process is gone."""
    for p in parent.glob(".site-tmp-*-*"):
        try:
            pid = int(p.name.split("-")[2])
            os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(p, ignore_errors=True)
        except (ValueError, IndexError, PermissionError):
            pass


def build(root: Path, dest: Path, *, strict: bool = True) -> int:
    dest = Path(os.path.abspath(dest))
    _remove_stale(dest.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".site-tmp-{os.getpid()}-", dir=dest.parent))
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(tmp)]
    if strict:
        cmd.insert(4, "--strict")
    t0 = time.perf_counter()
    child: subprocess.Popen | None = None
    stopped: list[int] = []

    def stop(signum, frame):
        stopped.append(signum)
        raise KeyboardInterrupt

    old = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        # own process group: a signal to this process does not reach mkdocs twice, and killing the
        # group stops the whole build (mkdocs and anything it started)
        child = subprocess.Popen(cmd, cwd=root, env=_child_env(root), start_new_session=True,
                                 preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        rc = child.wait()
    except KeyboardInterrupt:
        _kill(child)
        shutil.rmtree(tmp, ignore_errors=True)
        sig = stopped[0] if stopped else signal.SIGINT
        print(f"Build interrupted ({signal.Signals(sig).name}): {dest} was left as it was.", file=sys.stderr)
        return 128 + int(sig)
    finally:
        for s, h in old.items():
            signal.signal(s, h)
    if rc != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"Build failed: {dest} was left as it was.", file=sys.stderr)
        return rc
    previous = None
    if dest.exists():
        previous = dest.with_name(f".site-old-{os.getpid()}")
        os.replace(dest, previous)
    os.replace(tmp, dest)
    if previous:
        shutil.rmtree(previous, ignore_errors=True)
    print(f"Built {dest} in {time.perf_counter() - t0:.1f} s")
    return 0


def _kill(child: subprocess.Popen | None) -> None:
    if child is None or child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=10)
    except (ProcessLookupError, PermissionError):
        pass
    except subprocess.TimeoutExpired:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawsite.build.run", description=__doc__.split("\n\n")[0])
    ap.add_argument("--serve", action="store_true", help="serve with live reload on http://127.0.0.1:8000/")
    ap.add_argument("--dev-addr", default="127.0.0.1:8000")
    ap.add_argument("-d", "--site-dir", default="site")
    args = ap.parse_args(argv)
    try:
        root = find_root()
        check_engine(root)
        if args.serve:
            return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", args.dev_addr], cwd=root,
                                   env=_child_env(root))
        dest = root / args.site_dir  # relative to the project (an absolute -d stays as it is)
        check_destination(root, dest)
    except Refused as e:
        print(f"Refused: {e}.", file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - LawsiteError and the like: one line, no traceback
        print(f"Error: {e}", file=sys.stderr)
        return 2
    return build(root, dest)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C before the build started
        print("Interrupted.", file=sys.stderr)
        sys.exit(130)

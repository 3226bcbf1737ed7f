"""Results of pure whole-page and whole-site steps kept on disk, keyed by their inputs (issue 16 §3).

The page cache (lawsite.page.diskcache) keeps page results; this keeps what the HTML steps compute
from bytes alone: the allow-list over a rendered body, the check of a finished page, the pruned
theme CSS, Pagefind's re-cut chunks. On when LAWSITE_CACHE=1 (as the page cache); the folder is
<project>/.cache/lawsite/memo/<kind>/ (the project is the current directory, where `mkdocs build`
and `make site` run; LAWSITE_CACHE_DIR overrides .cache/), outside docs/ and site/, safe to delete.

A stale entry is impossible by construction: an entry's name is a hash of every input of the step
(the caller passes them all: the bytes it reads, its options) and of the engine — every file of
lawsite/ (code and YAML) and the version of each library the step uses (``libs``). Any problem
reading or writing an entry (missing, truncated, written by another Python) only means the step is
computed again, as without the cache."""
from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from importlib import metadata
from pathlib import Path

VERSION = b"lawsite-memo-1"


def enabled() -> bool:
    return os.environ.get("LAWSITE_CACHE", "") == "1"


def folder(kind: str) -> Path:
    base = os.environ.get("LAWSITE_CACHE_DIR") or os.path.join(os.getcwd(), ".cache")
    return Path(base) / "lawsite" / "memo" / kind


@lru_cache(maxsize=None)
def engine_hash(libs: tuple[str, ...] = ()) -> str:
    """Hash of every file of lawsite/ (*.py, *.yaml) and of the versions of ``libs``; once per process
    (the code that runs is the code loaded when the process started)."""
    engine = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(VERSION, digest_size=20)
    for p in sorted(p for pat in ("*.py", "*.yaml") for p in engine.rglob(pat) if "__pycache__" not in p.parts):
        h.update(p.relative_to(engine).as_posix().encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    for lib in libs:
        try:
            v = metadata.version(lib)
        except metadata.PackageNotFoundError:
            v = "?"
        h.update(f"{lib}=={v}\0".encode())
    return h.hexdigest()


def key(kind: str, parts, libs: tuple[str, ...] = ()) -> str:
    """The entry name for ``parts`` (str, bytes, or a tuple/list of them, nested)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(engine_hash(libs).encode() + b"\0" + kind.encode() + b"\0")

    def feed(x):
        if isinstance(x, (tuple, list)):
            h.update(b"(%d" % len(x))
            for y in x:
                feed(y)
            h.update(b")")
        else:
            b = x if isinstance(x, bytes) else str(x).encode("utf-8", "surrogatepass")
            h.update(b"%d:" % len(b) + b)
    feed(parts)
    return h.hexdigest()


_MISSING = object()


def load(kind: str, k: str, base: Path | None = None):
    """The entry `k`, or a marker object (not a value any step returns) when there is none or it is unreadable.
    `base`: the folder of this kind's entries (default folder(kind))."""
    try:
        with open((base or folder(kind)) / k[:2] / f"{k}.pickle", "rb") as f:
            return pickle.loads(f.read())
    except Exception:  # missing, truncated, corrupt, from another Python: compute instead
        return _MISSING


def store(kind: str, k: str, value, base: Path | None = None) -> None:
    path = (base or folder(kind)) / k[:2] / f"{k}.pickle"
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # readers see the whole entry or none
    except (pickle.PicklingError, TypeError, AttributeError, OSError):
        return


def memo(kind: str, parts, compute, libs: tuple[str, ...] = (), valid=None):
    """compute() — or its result stored under ``parts`` when the cache is on and holds it.
    ``valid(value)``: False for an entry of the wrong shape (then it is computed again)."""
    if not enabled():
        return compute()
    k = key(kind, parts, libs)
    value = load(kind, k)
    if value is _MISSING or (valid is not None and not _safe(valid, value)):
        value = compute()
        store(kind, k, value)
    return value


def _safe(valid, value) -> bool:
    try:
        return bool(valid(value))
    except Exception:
        return False

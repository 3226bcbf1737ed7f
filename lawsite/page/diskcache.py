"""Page results cached on disk (issue 16 §3), so that an unchanged page costs a lookup.

On when LAWSITE_CACHE=1 (`make serve` and `make site` set it); the folder is
<project>/.cache/lawsite/pages/ (outside docs/ and site/, ignored by git, safe to delete at any time).

A stale entry is impossible by construction: the file name is a hash of everything a page result
depends on — the page's bytes, path, language and options; the build date; the bytes of every file
under data/ (registry, figures, glossary, summaries, audits, site settings); and the bytes of every
file of the engine (lawsite/**/*.py and its YAML: grammar, messages, labels). Change any of them and
the page is looked up under another name, so it is checked and rendered again. Registry documents
inside a result are stored by number and re-attached to the current project's registry on load.
Any problem reading or writing the cache only means the page is computed as without it."""
from __future__ import annotations

import hashlib
import io
import os
import pickle
from pathlib import Path

from lawsite.project.registry import Document

VERSION = b"lawsite-page-cache-1"


def enabled() -> bool:
    return os.environ.get("LAWSITE_CACHE", "") == "1"


def cache_dir(project) -> Path:
    return Path(project.root) / ".cache" / "lawsite" / "pages"


def _tree_hash(folder: Path, patterns: tuple[str, ...]) -> str:
    h = hashlib.blake2b(digest_size=20)
    files = sorted({p for pat in patterns for p in folder.rglob(pat) if p.is_file() and "__pycache__" not in p.parts})
    for p in files:
        h.update(p.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def fingerprint(project) -> str:
    """Hash of the engine and of the project's data; computed once per Project (Project.cache)."""
    memo = project.cache("disk_cache")
    if "fingerprint" not in memo:
        engine = Path(__file__).resolve().parents[1]  # lawsite/
        memo["fingerprint"] = hashlib.blake2b(
            VERSION + _tree_hash(engine, ("*.py", "*.yaml")).encode() + _tree_hash(Path(project.root) / "data", ("*",)).encode(),
            digest_size=20).hexdigest()
    return memo["fingerprint"]


def key(project, parts: tuple) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(fingerprint(project).encode())
    h.update(repr(parts).encode("utf-8"))
    return h.hexdigest()


class _Uncacheable(Exception):
    pass


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Document):
            return ("doc", obj.number)
        if type(obj).__module__ == "lawsite.project.loader":
            raise _Uncacheable(type(obj).__name__)
        return None


class _Unpickler(pickle.Unpickler):
    def __init__(self, f, registry, docs: dict | None = None):
        super().__init__(f)
        self.registry = registry
        self.docs = {} if docs is None else docs  # number as stored -> Document (the project's, see load)

    def persistent_load(self, pid):
        kind, number = pid
        doc = self.docs.get(number)
        if doc is None:
            doc = self.docs[number] = self.registry.get(number)
        if kind != "doc" or doc is None:
            raise pickle.UnpicklingError(f"unknown registry document {number}")
        return doc


def load(project, k: str):
    path = cache_dir(project) / k[:2] / f"{k}.pickle"
    try:
        with open(path, "rb") as f:
            # one registry lookup per document number for the whole build, not per reference (norm_number is slow)
            return _Unpickler(io.BytesIO(f.read()), project.registry, project.cache("disk_cache_docs")).load()
    except Exception:  # missing, truncated, from another Python: compute the page instead
        return None


def store(project, k: str, result) -> None:
    path = cache_dir(project) / k[:2] / f"{k}.pickle"
    buf = io.BytesIO()
    try:
        _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(result)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(buf.getvalue())
        os.replace(tmp, path)  # readers see the whole entry or none
    except (_Uncacheable, pickle.PicklingError, TypeError, AttributeError, OSError):
        return


def memo(project, kind: str, parts, compute, valid=None):
    """compute() — or its result kept on disk under ``parts`` (LAWSITE_CACHE=1): for whole-site steps whose
    result depends on files' bytes (given in ``parts``) and on the project's data and engine (this
    module's fingerprint), e.g. a page pair's translation status or glossary findings. Entries live in
    <project>/.cache/lawsite/<kind>/; any problem with one means the step is computed again."""
    from lawsite.core import diskmemo

    if not enabled():
        return compute()
    base = Path(project.root) / ".cache" / "lawsite" / kind
    k = key(project, (kind, parts))
    value = diskmemo.load(kind, k, base)
    if value is diskmemo._MISSING or (valid is not None and not diskmemo._safe(valid, value)):
        value = compute()
        diskmemo.store(kind, k, value, base)
    return value

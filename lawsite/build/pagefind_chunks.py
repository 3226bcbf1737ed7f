"""Finer word-index chunks for Pagefind, so the first query downloads only the words it needs.

Pagefind (1.5) cuts each language's word index into chunks of about 20,000 word positions, but it
counts only the positions stored under the folded form of a word. Vietnamese words nearly always
carry diacritics, so their positions sit under the diacritic variants ("hộ", "chiếu" under "ho",
"chieu") and are not counted: the Vietnamese index came out as two chunks of 54 and 86 KB, and
nearly every query needed both. This step re-cuts every language's index after Pagefind wrote it,
into chunks of about TARGET_BYTES of encoded data, with the same boundary rule Pagefind uses
(shortest distinguishing prefixes), and points the language's metadata at the new chunks.

Nothing else in the bundle changes: each word's entry (pages, positions, variants) is copied byte
for byte into its new chunk, and the metadata must re-encode to exactly the bytes Pagefind wrote
before we change its chunk list. If a future Pagefind changes its format, `rechunk_bundle` raises
`ChunkFormatError` before writing anything and the caller keeps Pagefind's own chunks (and says so).

Format (Pagefind 1.5): every .pf_meta/.pf_index file is gzip("pagefind_dcd" + CBOR). The metadata
is [version, pages, index_chunks, filters, sorts, meta_fields] with index_chunks a list of
[from, to, hash]; a chunk is [[word, pages, variants], ...] with words sorted by code point.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
TARGET_BYTES = 6000  # encoded (uncompressed) CBOR per chunk; about 2-3 KB once gzipped
VERIFIED_VERSIONS = ("1.5.2",)  # Pagefind versions whose bundle this re-cut was checked on (docs-dev/pagefind-recut.md)
MIN_STEM = 2  # extensions of words at least this long stay in their chunk ("than" -> "thanh")


class ChunkFormatError(Exception):
    """Pagefind's output is not in the format this module knows (message: one readable line)."""


# --- minimal CBOR (the subset Pagefind writes: ints, text, bytes, definite arrays and maps) -------

def _item_head(data: bytes, pos: int) -> tuple[int, int, int, int]:
    """(major type, additional info, value or length, position after the head) of the item at `pos`."""
    if pos >= len(data):
        raise ChunkFormatError("truncated CBOR")
    ib = data[pos]
    major, info = ib >> 5, ib & 31
    if info < 24:
        return major, info, info, pos + 1
    if info > 27:
        raise ChunkFormatError(f"unsupported CBOR item 0x{ib:02x} (indefinite length or float)")
    end = pos + 1 + (1 << (info - 24))
    if end > len(data):
        raise ChunkFormatError("truncated CBOR")
    return major, info, int.from_bytes(data[pos + 1:end], "big"), end


def _decode(data: bytes):
    pos = 0

    def item():
        nonlocal pos
        major, info, val, pos = _item_head(data, pos)
        if major == 0:
            return val
        if major == 1:
            return -1 - val
        if major in (2, 3):
            raw = data[pos:pos + val]
            pos += val
            return bytes(raw) if major == 2 else raw.decode("utf-8")
        if major == 4:
            return [item() for _ in range(val)]
        if major == 5:
            return {item(): item() for _ in range(val)}
        if major == 7 and info in (20, 21, 22):
            return {20: False, 21: True, 22: None}[info]
        raise ChunkFormatError(f"unsupported CBOR major type {major}")

    out = item()
    if pos != len(data):
        raise ChunkFormatError("trailing bytes after CBOR item")
    return out


def _head(major: int, val: int) -> bytes:
    if val < 24:
        return bytes([major << 5 | val])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if val < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, val)
    raise ChunkFormatError("integer too large for CBOR")


def _encode(obj, out: bytearray) -> None:
    if obj is True or obj is False or obj is None:
        out.append({False: 0xF4, True: 0xF5, None: 0xF6}[obj])
    elif isinstance(obj, int):
        out += _head(0, obj) if obj >= 0 else _head(1, -1 - obj)
    elif isinstance(obj, str):
        raw = obj.encode("utf-8")
        out += _head(3, len(raw)) + raw
    elif isinstance(obj, bytes):
        out += _head(2, len(obj)) + obj
    elif isinstance(obj, list):
        out += _head(4, len(obj))
        for x in obj:
            _encode(x, out)
    elif isinstance(obj, dict):
        out += _head(5, len(obj))
        for k, v in obj.items():
            _encode(k, out)
            _encode(v, out)
    else:
        raise ChunkFormatError(f"cannot encode {type(obj).__name__}")


def encode(obj) -> bytes:
    out = bytearray()
    _encode(obj, out)
    return bytes(out)


def _payload(path: Path) -> bytes:
    """The CBOR inside a Pagefind file: gzip (or not) around "pagefind_dcd" + CBOR."""
    raw = path.read_bytes()
    try:
        body = gzip.decompress(raw)
    except OSError:
        body = raw
    if not body.startswith(SIGNATURE):
        raise ChunkFormatError(f"{path.name}: no Pagefind signature")
    return body[len(SIGNATURE):]


def read_file(path: Path):
    """Decode one Pagefind .pf_meta/.pf_index file; check that it re-encodes to the same bytes."""
    cbor = _payload(path)
    obj = _decode(cbor)
    if encode(obj) != cbor:
        raise ChunkFormatError(f"{path.name}: does not re-encode to the same bytes")
    return obj


def _skip(data: bytes, pos: int, items: int = 1) -> int:
    """Position after `items` CBOR items starting at `pos`, without building them (definite lengths only)."""
    while items:
        major, info, val, pos = _item_head(data, pos)
        items -= 1
        if major in (2, 3):
            pos += val
        elif major == 4:
            items += val
        elif major == 5:
            items += 2 * val
        elif major == 6:
            items += 1
        elif major == 7 and info not in (20, 21, 22):
            raise ChunkFormatError(f"unsupported CBOR simple value {info}")
    if pos > len(data):
        raise ChunkFormatError("truncated CBOR")
    return pos


def _array_head(data: bytes, pos: int) -> tuple[int, int]:
    major, _, length, pos = _item_head(data, pos)
    if major != 4:
        raise ChunkFormatError("unexpected chunk layout (an array was expected)")
    return length, pos


def read_chunk_words(path: Path) -> list[tuple[str, bytes]]:
    """The words of one .pf_index file as (word, the word entry's CBOR bytes exactly as Pagefind wrote them).

    A chunk is [[entry, ...]] and an entry an array starting with the word; the entries are copied, not
    re-encoded, so the output keeps Pagefind's bytes for every word."""
    data = _payload(path)
    try:
        outer, pos = _array_head(data, 0)
        if outer != 1:
            raise ChunkFormatError("unexpected chunk layout")
        count, pos = _array_head(data, pos)
        words = []
        for _ in range(count):
            start = pos
            fields, pos = _array_head(data, pos)
            if fields < 1 or pos >= len(data) or data[pos] >> 5 != 3:
                raise ChunkFormatError("unexpected word entry")
            end = _skip(data, pos, 1)
            word = _decode(data[pos:end])
            pos = _skip(data, end, fields - 1)
            words.append((word, data[start:pos]))
    except ChunkFormatError as e:
        raise ChunkFormatError(f"{path.name}: {e}") from None
    if pos != len(data):
        raise ChunkFormatError(f"{path.name}: unexpected chunk layout (trailing bytes)")
    return words


def _chunk_bytes(words: list[tuple[str, bytes]]) -> bytes:
    return _head(4, 1) + _head(4, len(words)) + b"".join(raw for _, raw in words)


def _write(path: Path, cbor: bytes) -> None:
    """A Pagefind file, gzip without a timestamp so that two builds are byte-identical."""
    path.write_bytes(gzip.compress(SIGNATURE + cbor, compresslevel=9, mtime=0))


# --- chunking -------------------------------------------------------------------------------------

def _prefixes(a: str, b: str) -> tuple[str, str]:
    """Shortest prefixes that still tell the last word of a chunk from the first of the next one."""
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return a[:common + 1], b[:common + 1]


def split_words(words: list[tuple[str, bytes]], target: int = TARGET_BYTES, min_stem: int = MIN_STEM) -> list[list]:
    """Greedy cut of the sorted (word, entry bytes) list into chunks of about `target` bytes.

    A word is never split, and a cut never falls before a word that extends a word already in the
    chunk ("thang", "thanh" stay with "than"): the browser loads only the chunks whose bounds hold a
    query term and matches the term as a prefix, so a complete word finds all its extensions, as it did with
    Pagefind's own large chunks."""
    chunks, current, names, size = [], [], set(), 0
    for word, raw in words:
        if size >= target and not any(word[:k] in names for k in range(min_stem, len(word))):
            chunks.append(current)
            current, names, size = [], set(), 0
        current.append((word, raw))
        names.add(word)
        size += len(raw)
    if current:
        chunks.append(current)
    return chunks


def chunk_bounds(chunks: list[list]) -> list[list[str]]:
    """[from, to] of every chunk, as Pagefind computes them (first/last word, then shortened prefixes)."""
    bounds = [[c[0][0], c[-1][0]] for c in chunks]
    for i in range(len(bounds) - 1):
        bounds[i][1], bounds[i + 1][0] = _prefixes(bounds[i][1], bounds[i + 1][0])
    return bounds


def _short_hash(data: bytes, taken: set[str], lang: str, length: int) -> str:
    digest = hashlib.sha256(data).hexdigest()
    while f"{lang}_{digest[:length]}" in taken:
        length += 1
    return f"{lang}_{digest[:length]}"


def rechunk_bundle(bundle: Path, target: int = TARGET_BYTES) -> dict[str, tuple[int, int]]:
    """Re-cut every language's word index in `bundle` (a Pagefind output folder).

    Returns {language: (chunks before, chunks after)}. Raises ChunkFormatError before changing any
    file if the bundle is not in the expected format."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    version = entry.get("version")
    if version not in VERIFIED_VERSIONS:
        raise ChunkFormatError(f"Pagefind {version}: the re-cut was verified only on {', '.join(VERIFIED_VERSIONS)}"
                               " (check docs-dev/pagefind-recut.md, then add the version to VERIFIED_VERSIONS)")
    plans = []
    for lang, info in sorted(entry.get("languages", {}).items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_file(meta_path)
        if not (isinstance(meta, list) and len(meta) >= 3 and isinstance(meta[2], list)
                and all(isinstance(c, list) and len(c) == 3 and all(isinstance(x, str) for x in c) for c in meta[2])):
            raise ChunkFormatError(f"{meta_path.name}: unexpected metadata layout")
        old_files = [bundle / "index" / f"{c[2]}.pf_index" for c in meta[2]]
        words: list[tuple[str, bytes]] = []
        for f in old_files:
            words.extend(read_chunk_words(f))
        if [w[0] for w in words] != sorted(w[0] for w in words):
            raise ChunkFormatError(f"{meta_path.name}: words are not sorted across chunks")
        plans.append((lang, info, meta, meta_path, old_files, words))

    report = {}
    stale: list[Path] = []  # removed only once the entry file points at the new metadata
    for lang, info, meta, meta_path, old_files, words in plans:
        chunks = split_words(words, target)
        bounds = chunk_bounds(chunks)
        taken: set[str] = set()
        new_chunks = []
        for chunk, (lo, hi) in zip(chunks, bounds):
            cbor = _chunk_bytes(chunk)
            h = _short_hash(cbor, taken, lang, 7)
            taken.add(h)
            _write(bundle / "index" / f"{h}.pf_index", cbor)
            new_chunks.append([lo, hi, h])
        stale += [f for f in old_files if f.stem not in taken]
        meta[2] = new_chunks
        meta_cbor = encode(meta)
        new_hash = _short_hash(meta_cbor, set(), lang, 10)
        new_meta_path = bundle / f"pagefind.{new_hash}.pf_meta"
        _write(new_meta_path, meta_cbor)
        if new_meta_path != meta_path:
            stale.append(meta_path)
        info["hash"] = new_hash
        report[lang] = (len(old_files), len(new_chunks))
    tmp = entry_path.with_name(entry_path.name + ".tmp")
    tmp.write_text(json.dumps(entry, sort_keys=True, separators=(",", ":")), "utf-8")
    tmp.replace(entry_path)
    for f in stale:
        f.unlink()
    return report


# --- search7: Pagefind's WebAssembly, compressed smaller ----------------------------------------------

def _zopfli_gzip(raw: bytes) -> bytes:
    import zopfli.gzip

    return zopfli.gzip.compress(raw, numiterations=5)


def recompress_wasm(bundle: Path) -> int:
    """Pagefind's WebAssembly files (wasm.<lang>.pagefind: gzip of the module, about 68 KB, the largest part of a
    first query) gzipped again with Zopfli, an encoder that finds a smaller deflate stream of the same bytes (about
    4 % smaller; any gzip reader, Pagefind's own included, reads it). Returns the bytes saved. A file is replaced
    only when its new form is smaller and decompresses to exactly the same module; the result is kept by
    lawsite.core.diskmemo (keyed by the file's bytes: the same Pagefind gives the same files), since Zopfli
    takes about a second per file."""
    from lawsite.core import diskmemo

    saved = 0
    for f in sorted(bundle.glob("wasm.*.pagefind")):
        data = f.read_bytes()
        try:
            raw = gzip.decompress(data)
            new = diskmemo.memo("pagefind-wasm", [data], lambda: _zopfli_gzip(raw), libs=("zopfli",),
                                valid=lambda v: isinstance(v, bytes))
        except (ImportError, OSError, EOFError, ValueError):
            continue
        if len(new) < len(data) and gzip.decompress(new) == raw:
            f.write_bytes(new)
            saved += len(data) - len(new)
    return saved

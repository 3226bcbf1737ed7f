"""Build the site safely: `python -m lawsite.build` runs a strict build into a temporary folder next
to site/ and swaps it in only when the build succeeded, so a failed build never leaves site/ empty
or half-written. `--serve` runs the live-reloading development server instead."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .project import find_root


def build(root: Path, dest: Path, *, strict: bool = True) -> int:
    dest = dest.resolve()
    tmp = Path(tempfile.mkdtemp(prefix=".site-tmp-", dir=dest.parent))
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"), "-d", str(tmp)]
    if strict:
        cmd.insert(4, "--strict")
    t0 = time.perf_counter()
    rc = subprocess.call(cmd, cwd=root)
    if rc != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"Build failed: {dest} was left as it was.", file=sys.stderr)
        return rc
    old = None
    if dest.exists():
        old = dest.with_name(f".site-old-{os.getpid()}")
        os.replace(dest, old)
    os.replace(tmp, dest)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    print(f"Built {dest} in {time.perf_counter() - t0:.1f} s")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m lawsite.build", description=__doc__)
    ap.add_argument("--serve", action="store_true", help="serve with live reload on http://127.0.0.1:8000/")
    ap.add_argument("--dev-addr", default="127.0.0.1:8000")
    ap.add_argument("-d", "--site-dir", default="site")
    args = ap.parse_args(argv)
    root = find_root()
    if args.serve:
        return subprocess.call([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", args.dev_addr], cwd=root)
    return build(root, root / args.site_dir)


if __name__ == "__main__":
    sys.exit(main())

"""lawsite translations: status of each page pair and the --mark-current round trip."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import ROOT
from helpers import lawsite, page

# every test runs `lawsite translations` (a project load each, ~2 CPU seconds) two to seven times:
# slow, so `make test-fast` leaves them out
pytestmark = pytest.mark.slow


def project(tmp_path):
    shutil.copy2(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    d = tmp_path / "docs" / "muc"
    d.mkdir(parents=True)
    body = "Nội dung (Điều 1 Luật số 49/2019/QH14)."
    en_body = "Content (Article 1 of Law No. 49/2019/QH14)."
    (d / "a.md").write_text(page("A", "2026-11-22", body), "utf-8")
    # the English page: CRLF line endings and a comment line, to prove the rest stays byte-identical
    en = page("A", "2026-11-22", en_body, extra="# translator: Lan\n").replace("\n", "\r\n")
    (d / "a.en.md").write_bytes(en.encode("utf-8"))
    (d / "b.md").write_text(page("B", "2026-11-22", body), "utf-8")  # no English page
    return tmp_path


def states(proj):
    r = lawsite(proj, "translations", "--format", "json")
    assert r.returncode == 0, r.stderr
    return {x["page"]: x["state"] for x in json.loads(r.stdout)}


def test_status_and_mark_current_round_trip(tmp_path):
    proj = project(tmp_path)
    assert states(proj) == {"docs/muc/a.md": "unmarked", "docs/muc/b.md": "missing"}
    en = proj / "docs/muc/a.en.md"
    before = en.read_bytes()
    r = lawsite(proj, "translations", "--mark-current", "muc/a")
    assert r.returncode == 0, r.stderr
    after = en.read_bytes()
    added = after.replace(before[: before.index(b"---\r\n", 3)], b"", 1)
    assert after.startswith(before[: before.index(b"---\r\n", 3)])  # every existing line kept as it was
    assert added.startswith(b"source_hash: ") and added.count(b"\r\n") == before[before.index(b"---\r\n", 3):].count(b"\r\n") + 1
    assert states(proj)["docs/muc/a.md"] == "current"
    # the Vietnamese page changes: the translation is outdated
    vi = proj / "docs/muc/a.md"
    vi.write_text(vi.read_text("utf-8") + "\nCâu mới (Điều 2 Luật số 49/2019/QH14).\n", "utf-8")
    assert states(proj)["docs/muc/a.md"] == "outdated"
    text = lawsite(proj, "translations", "--lang", "en")
    assert "docs/muc/a.en.md: outdated:" in text.stdout and "lawsite translations --mark-current docs/muc/a.en.md" in text.stdout
    assert "docs/muc/b.md: missing:" in text.stdout
    # marking again edits the source_hash line in place: same number of lines, only that line differs
    mid = en.read_bytes()
    assert lawsite(proj, "translations", "--mark-current", "docs/muc/a.en.md").returncode == 0
    final = en.read_bytes()
    diff = [(x, y) for x, y in zip(mid.split(b"\r\n"), final.split(b"\r\n")) if x != y]
    assert len(mid.split(b"\r\n")) == len(final.split(b"\r\n")) and len(diff) == 1 and diff[0][0].startswith(b"source_hash: ")
    assert states(proj)["docs/muc/a.md"] == "current"


def test_mark_current_errors_are_one_line(tmp_path):
    proj = project(tmp_path)
    r = lawsite(proj, "translations", "--mark-current", "muc/b")
    assert r.returncode == 1 and "docs/muc/b.en.md" in r.stderr and "Traceback" not in r.stderr
    r = lawsite(proj, "translations", "--mark-current", "khong/co")
    assert r.returncode == 1 and "khong/co" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_mark_current_all(tmp_path):
    proj = project(tmp_path)
    assert lawsite(proj, "translations", "--mark-current", "--all").returncode == 0
    assert states(proj) == {"docs/muc/a.md": "current", "docs/muc/b.md": "missing"}


@pytest.mark.parametrize("value", ["192227593729", "012345670123", "12e456789012", "a1b2c3d4e5f6"])
def test_a_marked_source_hash_always_reads_back_as_text(value):
    """`--mark-current` writes a 12-digit hex hash; one made only of digits (or digits and e) must be quoted,
    or YAML reads it as a number and the front-matter check refuses the page (found by review9)."""
    import yaml

    from lawsite.commands.translations import set_source_hash
    out = set_source_hash("---\ntitle: T\nsource_hash: abc\n---\n\nBody.\n", value)
    fm = yaml.safe_load(out.split("---\n")[1])
    assert fm["source_hash"] == value and isinstance(fm["source_hash"], str)
    assert out.endswith("---\n\nBody.\n") and "title: T\n" in out

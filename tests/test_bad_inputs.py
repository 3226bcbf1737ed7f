"""A corpus of bad inputs, each written into a temporary copy of the project. For every case,
`lawsite check` exits 1 with a clear one-line message naming the file (and the line where there is
one) — or, for what only the build can see (links, anchors, images, duplicate pages, captions), the
strict build fails naming the file — and the strict build fails. Benign inputs (BOM, CRLF, NFD…)
pass and render correctly. `lawsite check` runs for every case (cheap); the strict build runs for a
representative subset plus the build-only cases (slow)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import pytest

from conftest import BUILD_ENV, ROOT, copy_project, mkdocs_build

FM = "---\ntitle: {title}\ndescription: Trang thử nghiệm dữ liệu xấu.\nlast_reviewed: 2026-11-01\n{extra}---\n\n"
PAGE = "docs/kiem-tra/trang.md"


def page(body: str, *, title: str = "Trang thử nghiệm", extra: str = "") -> bytes:
    return (FM.format(title=title, extra=extra) + body).encode("utf-8")


def fm(yaml_text: str, body: str = "Một đoạn văn bình thường.\n") -> bytes:
    return f"---\n{yaml_text}---\n\n{body}".encode("utf-8")


@dataclass
class Case:
    id: str
    files: dict  # path -> bytes, or callable(project_root) for edits of existing files
    kind: str = "check"  # "check": lawsite check must fail; "build": only the strict build catches it; "benign"
    line: Optional[int] = None  # the line the message must name
    needle: Optional[str] = None  # a word the message must contain (case-insensitive)
    name: Optional[str] = None  # the file the message must name (default: the first file)
    build: bool = False  # also run the strict build (representative subset)
    render: Optional[Callable[[Path, str], None]] = None  # benign: check the rendered site


def _append_registry_duplicate(root: Path):
    src = root / "data/registry/luat-49-2019-qh14.yaml"
    (root / "data/registry/zz-trung-so.yaml").write_text(src.read_text("utf-8").replace("slug: luat-49-2019-qh14", "slug: trung-so"), "utf-8")


def _registry_wrong_type(root: Path):
    p = root / "data/registry/luat-49-2019-qh14.yaml"
    p.write_text(re.sub(r"^signed: .*$", "signed: [2019, 11, 22]", p.read_text("utf-8"), flags=re.M), "utf-8")


def _registry_not_mapping(root: Path):
    (root / "data/registry/zz-danh-sach.yaml").write_text("- 49/2019/QH14\n- 47/2014/QH13\n", "utf-8")


def _registry_bad_yaml(root: Path):
    (root / "data/registry/zz-hong.yaml").write_text("number: 1/2020/QH14\ntitle: {vi: [hỏng\n", "utf-8")


def _figure_bad_yaml(root: Path):
    (root / "data/figures/zz-hong.yaml").write_text("fine_x:\n  kind: vnd\n  value: [1,\n", "utf-8")


def _figure_wrong_type(root: Path):
    (root / "data/figures/zz-sai-kieu.yaml").write_text(
        'fine_sai_kieu:\n  kind: vnd\n  value: "năm trăm nghìn"\n  source: "khoản 1 Điều 21 Nghị định số 282/2025/NĐ-CP"\n  confidence: VT\n', "utf-8")


def _nfd_ok(site: Path, slug: str):
    html = (site / slug / "index.html").read_text("utf-8")
    assert unicodedata.normalize("NFC", "Hộ chiếu phổ thông") in html
    assert unicodedata.normalize("NFD", "Hộ chiếu") not in html


def _plain_ok(word: str):
    def check(site: Path, slug: str):
        html = (site / slug / "index.html").read_text("utf-8")
        assert word in html and "\ufeff" not in html and "\r" not in html
        assert "<h1" in html and "Trang thử nghiệm" in html
    return check


DEEP = "".join("    " * i + f"- mức {i}\n" for i in range(9))

CASES = [
    # --- front matter ---
    Case("fm-malformed-yaml", {PAGE: fm("title: [Trang hỏng\ndescription: d\nlast_reviewed: 2026-11-01\n")}, line=3, needle="YAML"),
    Case("fm-missing", {PAGE: "Chỉ có nội dung, không có phần đầu.\n".encode()}, line=1),
    Case("fm-missing-title", {PAGE: fm("description: d\nlast_reviewed: 2026-11-01\n")}, needle="title"),
    Case("fm-missing-description", {PAGE: fm("title: T\nlast_reviewed: 2026-11-01\n")}, needle="description"),
    Case("fm-missing-last_reviewed", {PAGE: fm("title: T\ndescription: d\n")}, needle="last_reviewed"),
    Case("fm-empty-title", {PAGE: fm('title: ""\ndescription: d\nlast_reviewed: 2026-11-01\n')}, needle="title"),
    Case("fm-title-not-text", {PAGE: fm("title: [1, 2]\ndescription: d\nlast_reviewed: 2026-11-01\n")}, line=2, needle="title"),
    Case("fm-not-mapping", {PAGE: fm("- title\n- description\n")}),
    Case("fm-bad-date", {PAGE: fm("title: T\ndescription: d\nlast_reviewed: 22/11/2026\n")}, line=4, needle="last_reviewed"),
    Case("fm-future-last_reviewed", {PAGE: fm("title: T\ndescription: d\nlast_reviewed: 2027-03-01\n")}, line=4, needle="2027-03-01"),
    Case("fm-unknown-document", {PAGE: page("Đoạn văn.\n", extra='documents: ["999/2099/QH99"]\n')}, line=5, needle="999/2099/QH99"),
    Case("fm-documents-not-list", {PAGE: page("Đoạn văn.\n", extra="documents: {a: 1}\n")}, line=5, needle="documents"),
    Case("fm-unknown-card-field", {PAGE: page("Đoạn văn.\n", extra="procedure:\n  fee: 1\n  colour: đỏ\n")}, needle="colour"),
    Case("fm-registry-unknown", {PAGE: page("Đoạn văn.\n", extra='registry: "999/2099/QH99"\n')}, line=5, needle="999/2099/QH99"),
    # --- encoding ---
    Case("not-utf8", {PAGE: page("Đoạn văn.\n\n") + b"H\xf4 chi\xeau (Windows-1258 / Latin-1)\n"}, line=9, needle="UTF-8", build=True),
    Case("utf16", {PAGE: page("Đoạn văn.\n").decode().encode("utf-16")}, line=1, needle="UTF-8"),
    # --- page structure ---
    Case("empty-page", {PAGE: page("")}),
    Case("whitespace-only-page", {PAGE: page("\n\n   \n")}),
    Case("heading-only", {PAGE: page("## Chỉ có tiêu đề\n")}, line=6),  # the engine names the body's first line
    Case("h1-in-body", {PAGE: page("# Tiêu đề cấp 1\n\nĐoạn văn.\n")}, line=7),
    Case("huge-page-5mb", {PAGE: page(("Đoạn văn dài về hộ chiếu phổ thông. " * 40 + "\n\n") * 3700)}, needle="MB"),
    Case("deeply-nested-list", {PAGE: page("Danh sách:\n\n" + DEEP)}, line=15, needle="nested"),
    Case("deeply-nested-quotes", {PAGE: page("> " * 12 + "trích dẫn\n")}, line=7),
    Case("translation-only-page", {"docs/kiem-tra/chi-tieng-anh.en.md": page("An English page with no Vietnamese source.\n", title="Orphan")},
         needle="kiem-tra/chi-tieng-anh.md"),
    # --- citations ---
    Case("unknown-document", {PAGE: page("Theo Luật số 99/2099/QH99 thì được.\n")}, line=7, needle="99/2099/QH99"),
    Case("repealed-provision", {PAGE: page("Theo khoản 9 Điều 11 Luật số 49/2019/QH14, công dân được cấp hộ chiếu.\n")}, line=7),
    Case("expired-document-as-current", {PAGE: page("Mức phạt theo khoản 3 Điều 18 Nghị định số 144/2021/NĐ-CP.\n")}, line=7, needle="144/2021"),
    Case("bad-point-letter", {PAGE: page("Theo điểm f khoản 2 Điều 21 Nghị định số 282/2025/NĐ-CP.\n")}, line=7, needle="f"),
    Case("clause-of-article-without-clauses", {PAGE: page("Theo khoản 1 Điều 347 Bộ luật Hình sự số 100/2015/QH13.\n")}, line=7, needle="347"),
    Case("unknown-article", {PAGE: page("Theo Điều 999 Luật số 49/2019/QH14.\n")}, line=7, needle="999"),
    Case("unknown-clause", {PAGE: page("Theo khoản 42 Điều 15 Luật số 49/2019/QH14.\n")}, line=7, needle="42"),
    Case("wrong-date-of-issue", {PAGE: page("Nghị định số 282/2025/NĐ-CP ngày 01/01/2020 quy định việc này.\n")}, line=7, needle="282/2025"),
    Case("citation-on-line-12", {PAGE: page("Một.\n\nHai.\n\nBa.\n\nTheo Điều 999 Luật số 49/2019/QH14.\n")}, line=13, needle="999"),
    # --- figures ---
    Case("unknown-figure", {PAGE: page("Mức phạt là {{ khong_co_so_lieu_nay }}.\n")}, line=7, needle="khong_co_so_lieu_nay"),
    Case("typed-vnd-amount", {PAGE: page("Phạt tiền từ 500.000 đồng đến 2.000.000 đồng.\n")}, line=7, needle="500.000"),
    Case("figure-bad-part", {PAGE: page("Thời hạn {{ overstay_days_16.min }}.\n")}, line=7, needle="overstay_days_16"),
    # --- active content ---
    Case("raw-script", {PAGE: page("Đoạn văn.\n\n<script>alert(1)</script>\n")}, line=9, needle="script", build=True),
    Case("iframe", {PAGE: page('<iframe src="https://x.example"></iframe>\n')}, line=7, needle="iframe"),
    Case("javascript-link-entity", {PAGE: page("[bấm](&#106;avascript:alert(1))\n")}, line=7, needle="javascript"),
    Case("event-attribute", {PAGE: page('<img src="a.png" onerror="alert(1)">\n')}, line=7, needle="onerror"),
    Case("style-element", {PAGE: page("<style>body{display:none}</style>\n")}, line=7, needle="style"),
    Case("attr-list-event", {PAGE: page('[bấm](#a){: onclick="alert(1)" }\n')}, line=7, needle="onclick"),
    # --- data files ---
    Case("registry-wrong-type", {"data/registry/luat-49-2019-qh14.yaml": _registry_wrong_type}, build=True),
    Case("registry-not-mapping", {"data/registry/zz-danh-sach.yaml": _registry_not_mapping}),
    Case("registry-bad-yaml", {"data/registry/zz-hong.yaml": _registry_bad_yaml}, line=3),
    Case("registry-duplicate-number", {"data/registry/zz-trung-so.yaml": _append_registry_duplicate}, needle="49/2019/QH14"),
    Case("figures-bad-yaml", {"data/figures/zz-hong.yaml": _figure_bad_yaml}),
    Case("figure-wrong-type", {"data/figures/zz-sai-kieu.yaml": _figure_wrong_type}, needle="fine_sai_kieu"),
    # --- only the build sees these ---
    Case("link-to-missing-page", {PAGE: page("Xem [trang không có](../khong-co-trang-nay.md).\n")}, kind="build", needle="khong-co-trang-nay"),
    Case("link-to-missing-anchor", {PAGE: page("Xem [mục không có](../cong-dan/cap-ho-chieu-trong-nuoc.md#khong-co-muc-nay).\n")},
         kind="build", needle="khong-co-muc-nay"),
    Case("missing-image", {PAGE: page("![Ảnh minh họa](anh-khong-co.png)\n")}, kind="build", needle="anh-khong-co.png"),
    Case("duplicate-slug", {PAGE: page("Trang một.\n"), "docs/kiem-tra/trang/index.md": page("Trang hai, cùng địa chỉ.\n")},
         kind="build", needle="same address"),
    Case("table-without-caption", {PAGE: page("Đoạn văn.\n\n| Cột A | Cột B |\n|---|---|\n| 1 | 2 |\n")}, kind="build", needle="caption"),
    Case("fake-fence-hides-script", {PAGE: page("- mục\n\n        ```\n<script>alert(1)</script>\n```\n")}, kind="build", needle="script"),
    # --- benign: must pass and render correctly ---
    Case("bom", {PAGE: b"\xef\xbb\xbf" + page("Hộ chiếu phổ thông có BOM.\n")}, kind="benign", render=_plain_ok("có BOM")),
    Case("crlf", {PAGE: page("Hộ chiếu phổ thông.\n\nDòng CRLF.\n").replace(b"\n", b"\r\n")}, kind="benign", render=_plain_ok("Dòng CRLF")),
    Case("nfd", {PAGE: unicodedata.normalize("NFD", page("Hộ chiếu phổ thông viết ở dạng NFD.\n").decode()).encode()}, kind="benign", render=_nfd_ok),
]
assert len({c.id for c in CASES}) == len(CASES)
BAD = [c for c in CASES if c.kind == "check"]


def _slot(c: Case, path: str) -> str:
    """Each case writes its own file name, so several cases can share one build."""
    return path.replace("kiem-tra/trang", f"kiem-tra/{c.id}")


def _target(c: Case) -> str:
    return _slot(c, c.name or next(iter(c.files)))


def write_case(root: Path, case: Case) -> None:
    for rel, content in case.files.items():
        if callable(content):
            content(root)
            continue
        p = root / _slot(case, rel)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content)


def make_copy(tmp_path: Path, *cases: Case) -> Path:
    root = copy_project(tmp_path / "proj")
    for case in cases:
        write_case(root, case)
    return root


def lawsite_check(root: Path, *paths: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **BUILD_ENV}
    return subprocess.run([sys.executable, "-m", "lawsite.cli", "check", "--quiet-info", "--lang", "en", *paths],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)


def assert_names_file(output: str, case: Case):
    target = _target(case)
    lines = [l for l in output.splitlines() if target in l or (case.needle and case.needle.lower() in l.lower())]
    assert any(target in l for l in lines), f"{case.id}: no message names {target}:\n{output[-2000:]}"
    mine = [l for l in lines if target in l]
    if case.line is not None:
        assert any(re.search(rf"{re.escape(target)}:{case.line}(:|\b)", l) for l in mine), \
            f"{case.id}: no message names {target}:{case.line}:\n" + "\n".join(mine)
    if case.needle:
        assert any(case.needle.lower() in l.lower() for l in mine), f"{case.id}: no message mentions {case.needle!r}:\n" + "\n".join(mine)
    assert "Traceback" not in output, f"{case.id}: a traceback instead of a message:\n{output[-2000:]}"


@pytest.mark.parametrize("case", BAD, ids=[c.id for c in BAD])
def test_check_reports_bad_input(tmp_path, case):
    root = make_copy(tmp_path, case)
    target = _target(case)
    args = [target] if target.startswith("docs/") else []
    proc = lawsite_check(root, *args)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, f"{case.id}: exit {proc.returncode}\n{out[-2000:]}"
    assert_names_file(out, case)


BENIGN = [c for c in CASES if c.kind == "benign"]


@pytest.mark.parametrize("case", BENIGN, ids=[c.id for c in BENIGN])
def test_check_accepts_benign_input(tmp_path, case):
    root = make_copy(tmp_path, case)
    proc = lawsite_check(root, _target(case))
    assert proc.returncode == 0, f"{case.id}:\n{proc.stdout}{proc.stderr}"


REPRESENTATIVE = [c for c in CASES if c.build]
BUILD_ONLY = [c for c in CASES if c.kind == "build"]


@pytest.mark.slow
@pytest.mark.parametrize("case", REPRESENTATIVE, ids=[c.id for c in REPRESENTATIVE])
def test_strict_build_fails(tmp_path, built_site, case):
    """built_site first: the unmodified project builds with --strict, so a failure here is the case's."""
    root = make_copy(tmp_path, case)
    proc = mkdocs_build(root, tmp_path / "site")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"{case.id}: the strict build passed"
    assert "Traceback" not in out, f"{case.id}: a traceback instead of a message:\n{out[-3000:]}"


@pytest.mark.slow
def test_strict_build_catches_what_only_the_build_sees(tmp_path, built_site):
    """One strict build with every build-only case (each in its own file): it fails, and names each
    file with the problem (a warning per case, any of which fails --strict)."""
    root = make_copy(tmp_path, *BUILD_ONLY)
    proc = mkdocs_build(root, tmp_path / "site")
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "Traceback" not in out, out[-3000:]
    problems = []
    for case in BUILD_ONLY:
        short = _target(case).removeprefix("docs/")
        lines = [l for l in out.splitlines() if short in l]
        if not lines or (case.needle and not any(case.needle.lower() in l.lower() for l in lines)):
            problems.append(f"{case.id}: no warning naming {short} with {case.needle!r}")
    assert not problems, "\n".join(problems) + "\n" + out[-3000:]


@pytest.mark.slow
def test_strict_build_accepts_benign_inputs(tmp_path, built_site):
    root = make_copy(tmp_path, *BENIGN)
    dest = tmp_path / "site"
    proc = mkdocs_build(root, dest)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    for case in BENIGN:
        case.render(dest, _target(case).removeprefix("docs/").removesuffix(".md"))


def test_corpus_size():
    assert len(CASES) >= 40


@pytest.mark.slow
def test_failed_site_build_keeps_the_previous_output(tmp_path):
    """`make site` (python -m lawsite.build) builds into a temporary folder and swaps it in only on
    success: a failing build leaves the previous good site untouched."""
    if not (ROOT / "lawsite" / "build.py").is_file():
        pytest.fail("lawsite/build.py (the `make site` command, owned by the lead) does not exist yet")
    root = copy_project(tmp_path / "proj")
    env = {**os.environ, **BUILD_ENV}
    good = subprocess.run([sys.executable, "-m", "lawsite.build"], cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert good.returncode == 0, good.stdout[-2000:] + good.stderr[-2000:]
    site = root / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert before
    bad = root / "docs/kiem-tra/trang.md"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_bytes(page("<script>alert(1)</script>\n"))
    proc = subprocess.run([sys.executable, "-m", "lawsite.build"], cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode != 0
    assert "kiem-tra/trang.md" in proc.stdout + proc.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before, "the failed build changed the previous site"
    assert not [p for p in root.iterdir() if p.name.startswith(".site-tmp")], "temporary build folder left behind"

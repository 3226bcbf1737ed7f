"""lawsite new: start a page pair, a news item, a Q&A entry or a legal-document page, with complete
front matter, so that the result passes `lawsite check` and builds. Never overwrites a file.

    lawsite new page SECTION SLUG --title "…" [--title-en "…"] [--document 49/2019/QH14]
    lawsite new news "Title" [--title-en "…"] [--date YYYY-MM-DD]
    lawsite new faq TOPIC "Question?" --answer "…" [--question-en "…"] [--answer-en "…"]
    lawsite new document NUMBER
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from lawsite.cite.names import citation_text, doc_name
from lawsite.cite.parse import get_parser
from lawsite.cite.resolve import resolve
from lawsite.core.errors import LawsiteError
from lawsite.project.figures import FIGURE_RE
from lawsite.core.findings import Finding
from lawsite.project.loader import Project, find_root, load_project
from lawsite.core.text import fold, mask, nfc

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANG_PREFIX = re.compile(r"^(vi|en)(-|$)")

TEXT = {
    "vi": {
        "desc_page": "{title}: thông tin, điều kiện, thủ tục và căn cứ pháp luật.",
        "desc_news": "{title}.",
        "stub": "Trang này đang được biên soạn.",
        "todo": "<!-- Viết ở đây 1–3 câu trả lời ngay câu hỏi của người đọc, mỗi ý pháp lý kèm trích dẫn trong ngoặc, rồi các mục '##'. Xem CONTRIBUTING.md. -->",
        "news_todo": "<!-- Viết tin ở đây: việc gì, từ ngày nào, ảnh hưởng đến ai; kèm trích dẫn. Thêm một dòng vào danh sách tin ở docs/tin-tuc/index.md. -->",
    },
    "en": {
        "desc_page": "{title}: information, conditions, procedure and legal basis.",
        "desc_news": "{title}.",
        "stub": "This page is being written.",
        "todo": "<!-- Translate the Vietnamese page here, then run: lawsite translations --mark-current {page} -->",
        "news_todo": "<!-- Translate the Vietnamese news item here, then run: lawsite translations --mark-current {page} -->",
    },
}
FAQ_PENDING = {
    "en": "*Translation pending: for now this answer is available in Vietnamese only (switch the language at the top of the page).*",
}
FAQ_BASIS = {"en": "Legal basis: {items}."}
FAQ_FIGURES = {"en": "Figures: {items}."}


def _fail(code: str, lang: str, **params) -> LawsiteError:
    return LawsiteError("lawsite new: " + Finding("", 0, 0, "error", code, params).message(lang))


def slugify(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", fold(nfc(text)).lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s


def check_slug(slug: str, lang: str) -> None:
    for part in slug.split("/"):
        if LANG_PREFIX.match(part):
            raise _fail("new_slug_lang", lang, slug=part, example=LANG_PREFIX.sub("", part) or "trang-moi")
        if not SLUG_RE.match(part):
            raise _fail("new_bad_slug", lang, slug=part)


def _q(s: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def front_matter(fields: dict) -> str:
    lines = ["---"]
    for k, v in fields.items():
        if v is None:
            continue
        if isinstance(v, list):
            lines.append(f"{k}: [" + ", ".join(_q(x) for x in v) + "]")
        elif isinstance(v, dt.date):
            lines.append(f"{k}: {v.isoformat()}")
        else:
            lines.append(f"{k}: {_q(str(v))}")
    return "\n".join(lines + ["---", ""])


def _desc(template: str, title: str) -> str:
    d = template.format(title=title.rstrip(".?!"))
    return d if len(d) <= 160 else d[:157].rsplit(" ", 1)[0] + "…"


def _write_new(files: dict[Path, str], project: Project, lang: str) -> list[str]:
    for p in files:
        if p.exists():
            raise _fail("new_exists", lang, path=p.relative_to(project.root).as_posix())
    out = []
    for p, text in files.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
        out.append(p.relative_to(project.root).as_posix())
    return out


def _documents(project: Project, numbers: list[str] | None, lang: str) -> list[str]:
    out = []
    for n in numbers or []:
        doc = project.registry.get(n)
        if doc is None:
            raise _fail("new_unknown_document", lang, number=n)
        out.append(doc.number)
    return out


def new_page(project: Project, section: str, slug: str, title: str, title_en: str | None, documents: list[str] | None,
             lang: str = "vi") -> list[str]:
    section = section.strip("/")
    check_slug(section, lang)
    check_slug(slug, lang)
    docs = _documents(project, documents, lang)
    today = project.today
    base = project.docs_dir / section / slug
    en_title = title_en or title
    vi = front_matter({"title": nfc(title), "description": _desc(TEXT["vi"]["desc_page"], nfc(title)), "last_reviewed": today, "documents": docs})
    en = front_matter({"title": nfc(en_title), "description": _desc(TEXT["en"]["desc_page"], nfc(en_title)), "last_reviewed": today, "documents": docs})
    page_en = f"docs/{section}/{slug}.en.md"
    vi += f"\n{TEXT['vi']['stub']}\n\n{TEXT['vi']['todo']}\n"
    en += f"\n{TEXT['en']['stub']}\n\n{TEXT['en']['todo'].format(page=page_en)}\n"
    return _write_new({base.with_suffix(".md"): vi, Path(str(base) + ".en.md"): en}, project, lang)


def new_news(project: Project, title: str, title_en: str | None, date: dt.date | None, lang: str = "vi") -> list[str]:
    date = date or project.today
    slug = f"{date.isoformat()}-{slugify(title)}"
    check_slug(slug, lang)
    en_title = title_en or title
    base = project.docs_dir / "tin-tuc" / slug
    vi = front_matter({"title": nfc(title), "description": _desc(TEXT["vi"]["desc_news"], nfc(title)), "date": date,
                       "last_reviewed": project.today, "documents": []})
    en = front_matter({"title": nfc(en_title), "description": _desc(TEXT["en"]["desc_news"], nfc(en_title)), "date": date,
                       "last_reviewed": project.today, "documents": []})
    page_en = f"docs/tin-tuc/{slug}.en.md"
    vi += f"\n{TEXT['vi']['stub']}\n\n{TEXT['vi']['news_todo']}\n"
    en += f"\n{TEXT['en']['stub']}\n\n{TEXT['en']['news_todo'].format(page=page_en)}\n"
    return _write_new({base.with_suffix(".md"): vi, Path(str(base) + ".en.md"): en}, project, lang)


def _anchor(question: str, existing: set[str]) -> str:
    base = slugify(question, 50) or "cau-hoi"
    a, i = base, 2
    while a in existing:
        a, i = f"{base}-{i}", i + 1
    return a


def _append(path: Path, block: str) -> None:
    text = path.read_text("utf-8")
    sep = "" if text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    path.write_text(text + sep + block, "utf-8")


def new_faq(project: Project, topic: str, question: str, answer: str, question_en: str | None = None,
            answer_en: str | None = None, lang: str = "vi") -> tuple[list[str], str]:
    topic = topic.removesuffix(".md").removesuffix(".en")
    check_slug(topic, lang)
    vi_path = project.docs_dir / "hoi-dap" / f"{topic}.md"
    en_path = project.docs_dir / "hoi-dap" / f"{topic}.en.md"
    if not vi_path.is_file():
        topics = sorted(p.stem for p in (project.docs_dir / "hoi-dap").glob("*.md") if not p.name.endswith(".en.md") and p.stem != "index")
        raise _fail("new_no_faq", lang, path=f"docs/hoi-dap/{topic}.md", topics=", ".join(topics) or "-")
    question, answer = nfc(question.strip()), nfc(answer.strip())
    existing = set(re.findall(r"\{\s*#([\w-]+)", vi_path.read_text("utf-8")))
    anchor = _anchor(question, existing)
    _append(vi_path, f"### {question} {{ #{anchor} }}\n\n{answer}\n")
    written = [vi_path.relative_to(project.root).as_posix()]
    if en_path.is_file():
        if question_en and answer_en:
            _append(en_path, f"### {nfc(question_en.strip())} {{ #{anchor} }}\n\n{nfc(answer_en.strip())}\n")
        else:
            _append(en_path, faq_placeholder(project, question_en or question, answer, anchor, topic))
        written.append(en_path.relative_to(project.root).as_posix())
    return written, anchor


def faq_placeholder(project: Project, question: str, answer_vi: str, anchor: str, topic: str) -> str:
    """English placeholder for an untranslated answer: it links to the Vietnamese answer and repeats
    its citations and figures in English, so both pages still cite the same provisions."""
    masked = mask(answer_vi)
    cites = get_parser("vi", project.aliases("vi")).parse(answer_vi, masked=masked)
    resolve(cites, project.registry, [])
    items = []
    for c in cites:
        if c.document is None:
            continue
        for p in c.provisions or [None]:
            t = citation_text(c.document, p, "en") if p is not None else doc_name(c.document, "en")
            if t not in items:
                items.append(t)
    figs = []
    for m in FIGURE_RE.finditer(masked):
        token = m.group(0)
        if token not in figs:
            figs.append(token)
    lines = [f"### {question} {{ #{anchor} }}", "", FAQ_PENDING["en"]]
    if items:
        lines += ["", FAQ_BASIS["en"].format(items="; ".join(items))]
    if figs:
        lines += ["", FAQ_FIGURES["en"].format(items=", ".join(figs))]
    return "\n".join(lines) + "\n"


def new_document(project: Project, number: str, lang: str = "vi") -> list[str]:
    doc = project.registry.get(number)
    if doc is None:
        raise _fail("new_unknown_document", lang, number=number)
    today = project.today
    base = project.docs_dir / "van-ban" / doc.slug
    vi = front_matter({"title": doc_name(doc, "vi"), "description": _desc("{title}", doc.title.vi), "last_reviewed": today, "registry": doc.number})
    en = front_matter({"title": doc_name(doc, "en"), "description": _desc("{title}", doc.title.en), "last_reviewed": today, "registry": doc.number})
    return _write_new({base.with_suffix(".md"): vi, Path(str(base) + ".en.md"): en}, project, lang)


NEXT = {
    "vi": {
        "created": "Đã tạo:",
        "page": ["Viết nội dung vào {vi} (thay câu 'Trang này đang được biên soạn').", "Sửa 'description' thành một câu tóm tắt thật (≤ 160 ký tự).",
                 "Dịch sang {en}, rồi chạy: lawsite translations --mark-current {en}", "Kiểm tra: lawsite check {vi} {en}",
                 "Muốn trang hiện trong menu: nhờ người quản lý thêm vào 'nav' trong mkdocs.yml."],
        "news": ["Viết tin vào {vi}; sửa 'description'.", "Thêm một dòng vào danh sách tin ở docs/tin-tuc/index.md (và index.en.md).",
                 "Dịch sang {en}, rồi chạy: lawsite translations --mark-current {en}", "Kiểm tra: lawsite check docs/tin-tuc"],
        "faq": ["Đã thêm câu hỏi (mã mục #{anchor}) vào cuối trang; có thể chuyển lên đúng nhóm '##'.",
                "Bản tiếng Anh có chỗ giữ chỗ: dịch câu hỏi và câu trả lời, rồi chạy: lawsite translations --mark-current {en}",
                "Kiểm tra: lawsite check {vi} {en}"],
        "document": ["Trang được tạo tự động từ data/registry/; không cần viết thêm nội dung.", "Kiểm tra: lawsite check {vi} {en}"],
    },
    "en": {
        "created": "Created:",
        "page": ["Write the content in {vi} (replace 'Trang này đang được biên soạn').", "Replace 'description' with a real one-sentence summary (≤ 160 characters).",
                 "Translate it in {en}, then run: lawsite translations --mark-current {en}", "Check: lawsite check {vi} {en}",
                 "To show the page in the menu, ask the maintainer to add it to 'nav' in mkdocs.yml."],
        "news": ["Write the item in {vi}; replace 'description'.", "Add a line to the list in docs/tin-tuc/index.md (and index.en.md).",
                 "Translate it in {en}, then run: lawsite translations --mark-current {en}", "Check: lawsite check docs/tin-tuc"],
        "faq": ["The question (anchor #{anchor}) was added at the end of the page; move it under the right '##' group if needed.",
                "The English page has a placeholder: translate the question and answer, then run: lawsite translations --mark-current {en}",
                "Check: lawsite check {vi} {en}"],
        "document": ["The page body is generated from data/registry/; nothing else to write.", "Check: lawsite check {vi} {en}"],
    },
}


def _date(s: str) -> dt.date:
    import argparse

    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(Finding("", 0, 0, "error", "new_bad_date", {"value": s}).message("vi"))


def add_parser(sub):
    p = sub.add_parser("new", help="start a page pair, a news item, a Q&A entry or a legal-document page")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the messages (default: vi)")
    kinds = p.add_subparsers(dest="kind", metavar="KIND", required=True)
    a = kinds.add_parser("page", help="docs/SECTION/SLUG.md and .en.md")
    a.add_argument("section")
    a.add_argument("slug")
    a.add_argument("--title", required=True)
    a.add_argument("--title-en")
    a.add_argument("--document", action="append", help="main legal document, as numbered in data/registry/ (repeatable)")
    b = kinds.add_parser("news", help="a dated news item in docs/tin-tuc/")
    b.add_argument("title")
    b.add_argument("--title-en")
    b.add_argument("--date", type=_date, help="date of the news (default: today)")
    c = kinds.add_parser("faq", help="append a question and answer to docs/hoi-dap/TOPIC.md")
    c.add_argument("topic")
    c.add_argument("question")
    c.add_argument("--answer", required=True)
    c.add_argument("--question-en")
    c.add_argument("--answer-en")
    d = kinds.add_parser("document", help="docs/van-ban/<slug>.md and .en.md for a registry document")
    d.add_argument("number")
    p.set_defaults(run=run)


def run(args) -> int:
    project = load_project(find_root())
    lang = args.lang
    anchor = ""
    if args.kind == "page":
        written = new_page(project, args.section, args.slug, args.title, args.title_en, args.document, lang)
    elif args.kind == "news":
        written = new_news(project, args.title, args.title_en, args.date, lang)
    elif args.kind == "faq":
        written, anchor = new_faq(project, args.topic, args.question, args.answer, args.question_en, args.answer_en, lang)
    else:
        written = new_document(project, args.number, lang)
    t = NEXT[lang]
    vi = next((w for w in written if not w.endswith(".en.md")), "")
    en = next((w for w in written if w.endswith(".en.md")), "")
    print(t["created"])
    for w in written:
        print(f"  {w}")
    for i, step in enumerate(t[args.kind], 1):
        print(f"{i}. " + step.format(vi=vi, en=en, anchor=anchor))
    return 0

"""check_page's rules (lawsite.core.security._check_elements) over three trees of the same pages:
justhtml's (what the build uses), lexbor's (selectolax, a C parser: 6 x faster on the real site) and
Chromium's (the browser, the ground truth). Prints how often each pair gives other findings, and the
shortest pages where they do. Never a test; needs `pip install selectolax` by hand (not a dependency:
its tree was refused, see BENCHMARKS.md, buildperf5) and /usr/bin/chromium for --browser.

    .venv/bin/python bench/security_parsers.py [--pages 3000] [--seed 1] [--browser 300] [--site DIR]

--site DIR also compares justhtml and lexbor on every built page of DIR (CPU seconds of each parse).
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from lawsite.core import security  # noqa: E402
from lawsite.core.security import _check_elements, _justhtml_elements, sha256_source  # noqa: E402

OK = "var a=b&&c;if(a<<2){x()}"
HASHES = {sha256_source(OK), sha256_source("a()")}
HEAD = '<!doctype html><html lang="vi"><head><meta charset="utf-8"><link rel="stylesheet" href="a.css">'
CHROME = HEAD + f'<script>{OK}</script></head><body><a href="../x/" class="md-nav__link">x</a>' \
                '<svg viewBox="0 0 1 1"><path d="M0 0"/></svg></body></html>'
BENIGN = ["<p>", "</p>", '<a href="x/">', "</a>", '<div class="a">', "</div>", "text ", " ", "\n", "<svg>", "</svg>",
          '<path d="M0"/>', f"<script>{OK}</script>", "<script>a()</script>", "<span>", "</span>", '<img src="i.png">',
          "<table>", "<td>", "<select>", "<option>", "<math>", "</math>", "<template>", "</template>", "<title>",
          "</title>", "<!--", "-->", "&amp;", '<link rel="icon" href="f.png">', '<meta name="x" content="y">', "<br/>",
          "<noscript>", "</noscript>", "<textarea>", "</textarea>", "<![CDATA[", "]]>"]
TRICKY = ["<", ">", '"', "'", "=", "/", "&", "&#106;", "\r", "\t", "\x0c", "\x00", "onclick", "style", "href",
          "javascript:alert(1)", "<script>", "</script>", "<SCRIPT>", "<iframe>", "<form action=//x>", "<a ", "<img ",
          "<meta ", "<link ", "rel=x", " onerror=a() ", "<style>", "<b>", "</", "<?", "<!", "<x y='", "\u017f",
          "<foreignObject>", "</foreignObject>", "<body onload=a()>", "<html onclick=a()>", "</body>", "<frameset>",
          "<image src=x onerror=a()>", "<table><tr><td>", "</table>", "<a href=x href=javascript:a()>",
          "<meta http-equiv=refresh content=0>", "<template><b on>", "<svg><script><!--x--></script></svg>",
          "<xmp><script></xmp>", "<plaintext>", "<noembed><b onclick=1></noembed>", "<dialog>", "<marquee>"]


def corpus(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        body = "".join(rng.choice(TRICKY if rng.random() < 0.5 else BENIGN) for _ in range(rng.randint(3, 40)))
        r = rng.random()
        out.append(body if r < 0.4 else CHROME.replace("<body>", "<body>" + body) if r < 0.8
                   else CHROME.replace("</head>", body + "</head>"))
    return out


def lexbor_elements(html: str):
    """The same (name, attributes, script data) as security._justhtml_elements, from lexbor's tree."""
    from selectolax.lexbor import LexborHTMLParser

    stack = [LexborHTMLParser(html, scripting=True).root]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        kids, c = [], node.child
        while c is not None:
            kids.append(c)
            c = c.next
        if node.is_element_node and node.tag == "template":
            kids += [f for f in node.template_fragments() if f.parent is not None and f.parent.mem_id == node.mem_id]
        stack.extend(reversed(kids))
        if not node.is_element_node:
            continue
        attrs = {k: "" if v is None else v for k, v in node.attributes.items()}
        text = "".join((k.text_content if k.is_text_node else k.comment_content if k.is_comment_node else "") or ""
                       for k in kids) if node.tag == "script" else None
        yield node.tag, attrs, text


_JS = """() => { const out = [];
  const data = (n) => Array.from(n.childNodes).filter(c => c.nodeType === 3 || c.nodeType === 8).map(c => c.data).join('');
  const walk = (n) => { for (const c of n.childNodes) {
      if (c.nodeType === 1) out.push([c.localName, Array.from(c.attributes).map(a => [a.name, a.value]),
                                      c.localName === 'script' ? data(c) : null]);
      walk(c); if (c.localName === 'template' && c.content) walk(c.content); } };
  walk(document); return out; }"""


def browser_findings(pages: list[str]) -> list[list | None]:
    from playwright.sync_api import sync_playwright

    cur = {"html": ""}
    out = []
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
        page = b.new_page()
        page.on("dialog", lambda d: d.dismiss())
        page.route("**/*", lambda r, *_: r.fulfill(body=cur["html"], content_type="text/html; charset=utf-8")
                   if r.request.url == "http://t.test/" else r.abort())
        for html in pages:
            cur["html"] = html
            try:
                page.goto("http://t.test/", wait_until="domcontentloaded")
                els = page.evaluate(_JS)
            except Exception:  # a page that navigates away (meta refresh) or whose context is gone
                out.append(None)
                continue
            out.append(_check_elements(((n, dict(a), t) for n, a, t in els), HASHES))
        b.close()
    return out


def shortest(pages, differs, k=6):
    """The first k distinct shortest forms (character-level reduction) of pages where differs() holds."""
    found = []
    for html in pages:
        if not differs(html):
            continue
        chunk = max(1, len(html) // 2)
        while chunk >= 1:
            i, changed = 0, False
            while i < len(html):
                t = html[:i] + html[i + chunk:]
                if differs(t):
                    html, changed = t, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
        if html not in found:
            found.append(html)
        if len(found) >= k:
            break
    return found


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--browser", type=int, default=0, help="also compare with Chromium on the first N pages")
    ap.add_argument("--site", type=Path, help="a built site: compare the two parsers on its pages, with CPU seconds")
    args = ap.parse_args()
    jh = lambda h: _check_elements(_justhtml_elements(h), HASHES)  # noqa: E731
    lx = lambda h: _check_elements(lexbor_elements(h), HASHES)  # noqa: E731
    if args.site:
        pages = [p.read_text("utf-8") for p in sorted(args.site.rglob("*.html"))]
        t = cpu()
        a = [security._check_page(h, set()) for h in pages]
        t1 = cpu()
        b = [_check_elements(lexbor_elements(h), set()) for h in pages]
        t2 = cpu()
        print(f"site: {len(pages)} pages, {sum(map(len, pages)) / 1e6:.1f} MB; justhtml {t1 - t:.2f} s CPU, "
              f"lexbor {t2 - t1:.2f} s CPU; findings differ on {sum(x != y for x, y in zip(a, b))} pages")
    pages = corpus(args.pages, args.seed)
    diff = [h for h in pages if jh(h) != lx(h)]
    missed = [h for h in diff if set(jh(h)) - set(lx(h))]
    print(f"corpus: {len(pages)} pages (seed {args.seed}); lexbor's findings differ from justhtml's on {len(diff)}, "
          f"and miss one of justhtml's on {len(missed)}")
    for h in shortest(missed, lambda x: bool(set(jh(x)) - set(lx(x)))):
        print(f"  lexbor misses {sorted(set(jh(h)) - set(lx(h)))} in {h!r}")
    if args.browser:
        sub = pages[:args.browser]
        br = browser_findings(sub)
        ok = [(h, f) for h, f in zip(sub, br) if f is not None]
        for name, fn in (("justhtml", jh), ("lexbor", lx)):
            miss = [h for h, f in ok if set(f) - set(fn(h))]
            print(f"browser: {len(ok)} pages read back; {name}'s findings miss one of the browser tree's on {len(miss)}")
            for h in miss[:5]:
                f = dict(ok)[h]
                print(f"  {name} misses {sorted(set(f) - set(fn(h)))} in {h[:200]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

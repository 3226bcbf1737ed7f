"""Screenshots (first screen, phone 360x780 and desktop 1280x800) of four templates in both languages
(the English ones named ...-en.png), and the phone figures behind them: where the procedure summary's
time limit and fee lines end, how wide each table is, whether it sits in a scroll container, and what
is on the first screen (the headings, summary lines, captions and buttons whose top is above 780 px).
Used for the before/after comparison of issue 14 (the session-4 "before" desktop shots are 1280x900).

    .venv/bin/python docs-dev/screenshots/take.py SITE_DIR LABEL     # LABEL: before | after
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "bench"))
from page_weight import CHROMIUM, serve  # noqa: E402

PAGES = [("home", ""), ("procedure", "cong-dan/cap-ho-chieu-trong-nuoc/"), ("penalties", "vi-pham/bang-muc-phat/"),
         ("document", "van-ban/nghi-dinh-282-2025-nd-cp/")]
PAGES += [(name + "-en", "en/" + path) for name, path in PAGES]
VIEWS = {"phone": dict(viewport={"width": 360, "height": 780}, is_mobile=True, has_touch=True, device_scale_factor=1),
         "desktop": dict(viewport={"width": 1280, "height": 800})}

FIGURES_JS = """() => {
  const out = {};
  const card = document.querySelector('.procedure-card');
  if (card) {
    for (const dt of card.querySelectorAll('dt')) {
      const dd = dt.nextElementSibling;
      out[dt.textContent.trim()] = Math.round((dd || dt).getBoundingClientRect().bottom + scrollY);
    }
  }
  const h = [...document.querySelectorAll('h2')].find(e => /Bạn cần làm gì|What do you need/.test(e.textContent));
  if (h) out['tasks heading top'] = Math.round(h.getBoundingClientRect().top + scrollY);
  out.tables = [...document.querySelectorAll('.md-content table')].map(t => {
    let scroll = false;
    for (let a = t.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a).overflowX;
      if ((s === 'auto' || s === 'scroll') && a.scrollWidth > a.clientWidth + 1) { scroll = true; break; }
    }
    return {width: Math.round(t.getBoundingClientRect().width), right: Math.round(t.getBoundingClientRect().right), scroll};
  });
  out.firstScreen = [...document.querySelectorAll('.md-content h1, .md-content h2, .md-content h3, .procedure-card dt, '
      + '.md-content caption, .md-content .admonition-title, .md-content .md-button, .lawsite-disclaimer')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().top + scrollY < innerHeight)
    .map(e => e.textContent.trim().replace(/\s+/g, ' ').slice(0, 70));
  out.pageHeight = document.documentElement.scrollHeight;
  return out;
}"""


def main() -> int:
    site, label = Path(sys.argv[1]), sys.argv[2]
    from playwright.sync_api import sync_playwright

    httpd, base = serve(site)
    figures = {}
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
            for view, opts in VIEWS.items():
                ctx = b.new_context(**opts)
                page = ctx.new_page()
                for name, path in PAGES:
                    page.goto(base + path, wait_until="networkidle")
                    page.wait_for_function("() => document.documentElement.dataset.lawsiteReady === '1'")
                    page.screenshot(path=str(HERE / f"{label}-{view}-{name}.png"))
                    if view == "phone":
                        figures[name] = page.evaluate(FIGURES_JS)
                ctx.close()
            b.close()
    finally:
        httpd.shutdown()
    (HERE / f"{label}-figures.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

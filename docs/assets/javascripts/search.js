/* Site search with Pagefind (index built by hooks/search.py -> lawsite/search.py).
 *
 * Nothing search-related is fetched until the reader focuses the search field (or opens it on a
 * phone): then pagefind.js is loaded with import(). One index per language: Pagefind picks the one
 * matching <html lang>.
 *
 * Vietnamese folding: the indexed copy of each page spells đ/Đ as d/D + U+0335 and puts tone marks
 * in one place (see lawsite/search.py). Here the query gets the same treatment (NFC, one tone
 * placement, đ -> d + U+0335, so that Pagefind folds it to d and an exact "đồng" still ranks above
 * "dòng") and every text shown from the index gets d/D + U+0335 back as đ/Đ.
 */
(function () {
  "use strict";

  /* The messages, in the page's language: lawsite/labels.yaml (ui.search), written into the search box's
     data-labels attribute by overrides/partials/search.html (a third language is a data change). */
  var LABEL_KEYS = ["loading", "none", "one", "other", "more", "failed", "docs", "hint", "searching", "show_more",
                    "rewritten", "partial", "corrected"];
  function labels(root) {
    var got = {};
    try { got = JSON.parse(root.getAttribute("data-labels") || "{}") || {}; } catch (e) { got = {}; }
    var out = {};
    LABEL_KEYS.forEach(function (k) { out[k] = typeof got[k] === "string" ? got[k] : ""; });
    return out;
  }
  var MAX_PAGES = 8;       // pages shown at first, and added by "show more" (each costs one fragment request)
  // a query typed (or rewritten) with diacritics ranks exact spellings first ("Đức" above "dục");
  // one typed without any gives no boost (Pagefind's default 0.8 would favour words spelled without marks)
  var RANKING_EXACT = { diacriticSimilarity: 3 }, RANKING_FOLDED = { diacriticSimilarity: 0 };
  var MIN_CHARS = 2;       // a one-letter query matches nearly every page: wait for the second letter
  var PAUSE_MS = 250;      // search when typing pauses (each intermediate query downloads results too)
  var MAX_SUB = 2;         // headings shown under a page
  var TONES = "\u0300\u0301\u0303\u0309\u0323";
  var TONE_MOVES = [
    new RegExp("([oO])([aAeE])([" + TONES + "])(?![\\p{L}\\p{M}])", "gu"),
    new RegExp("(?<![qQ])([uU])([yY])([" + TONES + "])(?![\\p{L}\\p{M}])", "gu")
  ];

  /* Query: NFC, tone marks in the old-style position ("hoà" -> "hòa"), đ -> d + U+0335 as in the
     index, lower case. */
  function normalizeQuery(q) {
    var s = String(q).normalize("NFD");
    TONE_MOVES.forEach(function (rx) { s = s.replace(rx, "$1$3$2"); });
    return s.normalize("NFC").toLowerCase().replace(/đ/g, "d\u0335")
      .replace(/[,;!?"“”()]+/g, " ").replace(/(\p{L})['’]s(?![\p{L}])/gu, "$1").replace(/\.(\s|$)/g, " ").replace(/\s+/g, " ").trim();
  }

  /* Text from the index: d/D + U+0335 back to đ/Đ. */
  function unfold(s) {
    return String(s || "").replace(/d\u0335/g, "đ").replace(/D\u0335/g, "Đ");
  }

  /* Without any mark, lower case: to compare words. */
  function bare(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  /* Pagefind excerpts are escaped text with <mark> only; keep exactly that. */
  function safeExcerpt(s) {
    return escapeHtml(unfold(s).replace(/<\/?mark>/g, "\u0001"))
      .replace(/\u0001([^\u0001]*)\u0001/g, "<mark>$1</mark>")
      .replace(/\u0001/g, "")
      .replace(/&amp;(lt|gt|amp|quot|#39|#x27);/g, "&$1;");
  }

  /* Readers' words -> the pages' words (data/search/<lang>.yaml, built into pagefind/lawsite-words.<lang>.json):
     each rule is [reader words without marks, replacement(, intent)]; the longest rule matching at a word wins.
     A rule of an intent ("bị phạt thế nào" -> "phạt", intent "penalty") also says what kind of page answers the
     query: its name is added to `intents` (an array, when given). */
  function unpack(rs) {  // ["bi phat", "phạt", "penalty"] (as lawsite/build/search.py packs them) -> [["bi", "phat"], "phạt", "penalty"]
    return (rs || []).map(function (r) { return typeof r[0] === "string" ? [r[0].split(" ")].concat(r.slice(1)) : r; });
  }
  function fillers(rules) {  // the words a table drops on their own ("the", "tôi"): a phrase matches across them
    if (!rules._fill) {
      rules._fill = {};
      rules.forEach(function (r) { if (r[0].length === 1 && !r[1]) rules._fill[r[0][0]] = 1; });
    }
    return rules._fill;
  }
  /* Where rule words r match the query's words from i on, filler words of the query inside the phrase skipped
     ("stopped me at the airport" matches "stopped at the airport"): the index after the match, or -1. */
  function matchAt(keys, i, r, fill) {
    var k = i;
    for (var j = 0; j < r.length; j++) {
      while (j && k < keys.length && keys[k] !== r[j] && fill[keys[k]]) k++;
      if (k >= keys.length || keys[k] !== r[j]) return -1;
      k++;
    }
    return k;
  }
  function rewrite(q, rules, intents) {
    var words = q.split(" "), keys = words.map(bare), out = [], i = 0, fill = fillers(rules);
    while (i < words.length) {
      var hit = null, end = -1;
      for (var k = 0; k < rules.length && !hit; k++) {
        end = matchAt(keys, i, rules[k][0], fill);
        if (end > 0) hit = rules[k];
      }
      if (hit && hit[2] && intents && intents.indexOf(hit[2]) < 0) intents.push(hit[2]);
      if (hit) { var to = normalizeQuery(hit[1]); if (to && out.indexOf(to) < 0) out.push(to); i = end; }
      else { out.push(words[i]); i += 1; }
    }
    return out.length ? out.join(" ") : q;
  }

  /* Re-ranking (pagefind/lawsite-pages.<lang>.json, built by lawsite/search.py): Pagefind scores words one
     by one, so in Vietnamese, where a word is two or three syllables ("thẻ tạm trú"), a page that uses each
     syllable often elsewhere can outrank the page about the thing. A page whose title, description or main
     headings hold the query's words, and above all its neighbouring words in the same order, is lifted. A
     query word typed with marks is compared with its marks ("Lào" is not "lao"), one typed without by its
     bare letters. Legal-document pages (long, and holding nearly every word) are lowered unless the query
     names a number or their title. No fragment is downloaded for this. */
  var BOOST = { title: 2, desc: 0.8, head: 0.8, keys: 1.5, doc: 0.5, named: 1.5, near: 1, nearFull: 3, intent: 2, topic: 3, topicNear: 1.5, topicWords: 3 };
  var RANK_META = { title: 5, keywords: 3 };  // Pagefind's metaWeights: readers' phrases count like a title
  function words(s) { return String(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean); }
  function stem(w) { return w.length > 3 && /[^s]s$/.test(w) ? w.slice(0, -1) : w; }  // "visas" ~ "visa"

  /* Rarity of each word and word pair over all pages' titles, descriptions, headings and phrases:
     "thẻ" says more than "người" (once per language, when the page table arrives). */
  function prepare(info) {
    var n = 0, df = {}, pairs = {};
    Object.keys(info).forEach(function (id) {
      var p = info[id], seen = {};
      p._texts = [p[0], p[1]].concat(p[2] || [], p[4] || []).map(function (t) {
        var tw = words(t), tb = tw.map(function (w) { return stem(bare(w)); }), one = {}, two = {};
        tw.forEach(function (w, i) {
          one[w] = one[tb[i]] = 1;
          if (i) {
            two[tw[i - 1] + " " + w] = 1; two[tb[i - 1] + " " + tb[i]] = 1;
            var key = bare(tw[i - 1]) + " " + bare(w), form = (tw[i - 1] + " " + w).replace(/đ/g, "d\u0335");
            var fs = pairs[key] || (pairs[key] = []);
            if (fs.indexOf(form) < 0 && !/\d/.test(key)) fs.push(form);
          }
        });
        Object.keys(one).concat(Object.keys(two)).forEach(function (k) { seen[k] = 1; });
        return { one: one, two: two, len: tw.length };
      });
      Object.keys(seen).forEach(function (k) { df[k] = (df[k] || 0) + 1; });
      n += 1;
    });
    info._pairs = pairs;
    info._next = {}; info._prev = {};  // the same pairs by their first and by their second word (typos)
    Object.keys(pairs).forEach(function (k) {
      var ab = k.split(" ");
      (info._next[ab[0]] = info._next[ab[0]] || []).push(ab[1]);
      (info._prev[ab[1]] = info._prev[ab[1]] || []).push(ab[0]);
    });
    info._idf = function (k) { var d = df[k] || 0; return Math.log(1 + (n - d + 0.5) / (d + 0.5)); };
    info._df = df;
    return info;
  }

  /* Share (0..1) of the query, weighted by rarity, found in one text: its words, and twice over its
     neighbouring pairs in the same order; a little more when the text is short (is about just that). */
  function phrase(q, t, whole) {  // whole: how much of the text itself the query covers counts fully
    if (!t || !t.len || !q.w.length) return 0;
    var got = 0, uni = 0;
    q.w.forEach(function (w, i) {
      if (t.one[w]) { got += q.wi[i]; uni += 1; }
      if (i && t.two[q.w[i - 1] + " " + w]) got += 2 * q.bi[i];
    });
    var cover = Math.min(1, uni / t.len);
    return got / q.total * (whole ? cover * cover : 0.8 + 0.2 * cover);
  }
  /* Matched words side by side in the page's text (Pagefind gives their positions): the query's words
     used together, as one term, rather than scattered ("đăng ký", not "đang" here and "ký hiệu" there). */
  function near(pos) {
    var at = {}, n = 0;
    (pos || []).forEach(function (p) { at[p] = 1; });
    (pos || []).forEach(function (p) { if (at[p + 1]) n += 1; });
    return n;
  }
  function queryOf(searched, info) {  // marked words keep their marks, bare ones are compared bare
    var w = words(unfold(searched).toLowerCase()).map(function (x) { var b = bare(x); return b === x ? stem(b) : x.normalize("NFC"); });
    var wi = w.map(function (x) { return info._idf(x) * (/\d/.test(x) ? 3 : 1); });
    var bi = w.map(function (x, i) { return i ? info._idf(w[i - 1] + " " + x) : 0; });
    var total = wi.reduce(function (a, x) { return a + x; }, 0) + 2 * bi.reduce(function (a, x) { return a + x; }, 0);
    return { w: w, wi: wi, bi: bi, total: total || 1 };
  }
  /* A query typed without marks gets them back where the site's titles, descriptions, headings and
     readers' phrases spell a pair of its words one way only ("dang ky" -> "đăng ký", never "đang kỳ"):
     Pagefind then ranks that spelling first. Words in no such pair, or in two that disagree, stay bare. */
  function restore(searched, info) {
    if (!info || !info._pairs) return searched;
    var w = searched.split(" "), out = w.slice(), bad = {};
    for (var i = 1; i < w.length; i++) {
      if (bare(w[i - 1]) !== w[i - 1] || bare(w[i]) !== w[i]) continue;
      var forms = info._pairs[w[i - 1] + " " + w[i]];
      if (!forms || forms.length !== 1) continue;
      var f = forms[0].split(" ");
      [[i - 1, f[0]], [i, f[1]]].forEach(function (x) {
        if (out[x[0]] !== w[x[0]] && out[x[0]] !== x[1]) bad[x[0]] = 1;
        out[x[0]] = x[1];
      });
    }
    return out.map(function (x, k) { return bad[k] ? w[k] : x; }).join(" ");
  }
  /* Typos. Pagefind has no fuzzy match. When a query finds fewer than MIN_FOUND pages, or pairs two words
     in a way no title, heading or reader's phrase does while one letter away they make such a pair
     ("ho chiu" / "hộ chiếu": each word exists, the pair does not), the index's vocabulary
     (pagefind/lawsite-vocab.<lang>.json: its words, most frequent first, and the word pairs of the indexed
     text) is downloaded, once, and only then. Each word the index does not have is corrected to the nearest
     one (one edit, two in a word of 7 letters or more; the most frequent first), then each pair the
     indexed text never uses to the site's pair one letter away. */
  var MIN_FOUND = 3;
  var MIN_ANY = 3;  // a query of this many words or more also lists pages holding most (not all) of its words
  function edits(a, b, max) {  // optimal string alignment distance (a swap is one edit); max + 1 beyond max
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var pp = null, p = [], c, i, j;
    for (j = 0; j <= b.length; j++) p[j] = j;
    for (i = 1; i <= a.length; i++) {
      c = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var v = Math.min(p[j] + 1, c[j - 1] + 1, p[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (pp && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, pp[j - 2] + 1);
        c[j] = v;
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      pp = p; p = c;
    }
    return p[b.length];
  }
  function isWord(w, min) { return w.length >= min && /^\p{L}+$/u.test(w); }
  /* Pairs of the query (bare words) that no title, heading or phrase has but one edit away one does. */
  function oddPairs(b, info) {
    var out = [];
    if (!info || !info._pairs) return out;
    for (var i = 1; i < b.length; i++) {
      var x = b[i - 1], y = b[i];
      if (!isWord(x, 2) || !isWord(y, 2) || info._pairs[x + " " + y]) continue;
      // the last word may be still being typed ("xuat ca" on the way to "xuat canh"): Pagefind finds it as a prefix
      if (i === b.length - 1 && (info._next[x] || []).some(function (z) { return z.indexOf(y) === 0; })) continue;
      // a word in a pair the site uses with its other neighbour ("dang ky" | "ky tam") is not a typo
      var keepX = i > 1 && info._pairs[b[i - 2] + " " + x], keepY = i + 1 < b.length && info._pairs[y + " " + b[i + 1]];
      var c = (keepY ? [] : (info._next[x] || []).filter(function (z) { return edits(y, z, 1) === 1; }).map(function (z) { return [i, z]; }))
        .concat(keepX ? [] : (info._prev[y] || []).filter(function (z) { return edits(x, z, 1) === 1; }).map(function (z) { return [i - 1, z]; }));
      if (c.length) out.push({ at: i, fixes: c });
    }
    return out;
  }
  /* Does the query name a legal document? A kind of document ("nghị định", "decree"), a number of 3 digits or
     more (282, 2025), or a number right after "điều"/"article" (lawsite-words.<lang>.json, from
     data/search/<lang>.yaml). Without words, any number counts. */
  function namesDocument(searched, words) {
    var b = bare(unfold(searched)).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (!words || !words.documents) return /\d/.test(searched);
    return b.some(function (w, i) {
      if (/^\d{3,}$/.test(w)) return true;
      if (/^\d+$/.test(w) && i && (words.articles || []).indexOf(b[i - 1]) >= 0) return true;
      return words.documents.some(function (d) { return d.every(function (x, k) { return b[i + k] === x; }); });
    });
  }
  /* A number of one to three digits before a unit word ("quá hạn 10 ngày", "5 days": `units` in
     lawsite-words.<lang>.json) is a quantity, not a document's number: the page that answers rarely holds that very
     number, so it is left out of the words every result must hold. */
  function quantities(q, words) {
    var w = q.split(" "), units = (words && words.units) || [];
    var out = w.filter(function (x, i) { return !(/^\d{1,3}$/.test(x) && i + 1 < w.length && units.indexOf(bare(w[i + 1])) >= 0); });
    return out.length ? out.join(" ") : q;
  }
  /* intents: {kind of question the query asks (see rewrite()): weight}; a page answering that kind of question
     (lawsite-pages.<lang>.json, from `intents:` in data/search/<lang>.yaml) is lifted by that weight. */
  function rerank(results, searched, info, names, intents) {
    if (!info || !results.length) return results;
    if (names === undefined) names = /\d/.test(searched);
    var q = queryOf(searched, info), nums = q.w.filter(function (w) { return /\d/.test(w); });
    // a document is named by the query: its title holds every word, or one of the query's numbers and another word
    function named(texts) {
      var t = texts[0].one, got = q.w.filter(function (w) { return t[w]; });
      return got.length === q.w.length || (nums.some(function (w) { return t[w]; }) && got.length >= 2);
    }
    var titled = Object.keys(intents || {}).reduce(function (a, k) {
      return (info._titles || []).indexOf(k) >= 0 ? Math.max(a, intents[k]) : a;
    }, 0), asked = titled ? core(null, searched) : "";
    function core(p, text) {  // bare words of a title (or of the query) without the language's fillers, in order
      if (p && p._core !== undefined) return p._core;
      var t = rewrite(normalizeQuery(unfold(p ? p[0] : text)), info._rules || []);
      var c = words(unfold(t)).map(function (w) { return stem(bare(w)); }).join(" ");
      if (p) p._core = c;
      return c;
    }
    // search7: a short query that is a page's whole title (its fillers aside: "visa", "do I need a visa", "người nước
    // ngoài") names that page's topic: the page about it (a section's index, the tool) before pages that only use the word
    var topic = q.w.length && q.w.length <= BOOST.topicWords ? core(null, searched).split(" ") : null;
    function topicOf(p) {
      var c = core(p).split(" ");
      if (!topic || !c[0] || c.length > topic.length + 1 || !topic.every(function (w) { return c.indexOf(w) >= 0; })) return 1;
      return c.length === topic.length ? BOOST.topic : BOOST.topicNear;
    }
    var anyNamed = results.some(function (x) { var p = info[x.id]; return p && p[3] === "doc" && named(p._texts); });
    var top = results.reduce(function (a, x) { return Math.max(a, x.score || 0); }, 0) || 1;
    results.forEach(function (x, k) {
      var p = info[x.id];
      x._rank = (x.score || 0) / top;
      x._order = k;
      if (!p) return;
      var texts = p._texts, nh = (p[2] || []).length;
      var t = phrase(q, texts[0]), h = 0, kw = 0;
      texts.slice(2, 2 + nh).forEach(function (s) { h = Math.max(h, phrase(q, s)); });
      texts.slice(2 + nh).forEach(function (s) { kw = Math.max(kw, phrase(q, s, true)); });
      var f = 1 + BOOST.title * t + BOOST.desc * phrase(q, texts[1]) + BOOST.head * h + BOOST.keys * kw;
      if (q.w.length > 1) f *= 1 + BOOST.near * Math.min(1, near(x.words) / BOOST.nearFull);
      f *= (p[5] || []).reduce(function (a, k) { return Math.max(a, (intents && intents[k]) || 1); }, 1);
      // an intent with `titles` ("là gì", "what is"): the page whose title is the term asked about is the answer too
      if (titled && asked && asked === core(p)) f *= titled;
      else if (topic) f *= topicOf(p);
      if (p[3] === "doc") {  // a document named by the query comes before the pages about it
        if (named(texts)) f *= BOOST.named;
        else if (!names || anyNamed) f *= BOOST.doc;
      }
      x._rank *= f;
    });
    return results.slice().sort(function (a, b) { return b._rank - a._rank || a._order - b._order; });
  }

  /* Another language's words typed on this site ("tam tru", "nghi dinh 282" on the English site):
     lawsite-translate.<lang>.json ({source language: {rules, terms}}, from `translate:` in data/search/<lang>.yaml
     and the glossary's pairs) is downloaded only for a query holding a word that none of this site's titles,
     descriptions, headings or readers' phrases use (or a mark this site's words never carry). */
  function known(w, info) {  // a word of this site's language (or a number)
    var b = bare(unfold(w));
    return /\d/.test(b) || (b === unfold(w).normalize("NFC") && !!(info._df[b] || info._df[stem(b)]));
  }
  function foreign(q, info, words) {
    if (!info || !info._df || !words || !words.translate || !words.translate.length) return false;
    return q.split(" ").some(function (w) { return /\p{L}{2}/u.test(w) && !known(w, info); });
  }
  function contentWords(q, fill) {
    return bare(unfold(q)).split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w && !fill[w] && !/^\d+$/.test(w); }).length;
  }
  function fmt(t, vars) {
    return t.replace(/\{(\w+)\}/g, function (_, k) { return vars[k]; });
  }

  function init(root) {
    var lang = (root.getAttribute("data-lang") || document.documentElement.lang || "vi").slice(0, 2);
    var L = labels(root);
    var input = root.querySelector("input[role=combobox]");
    var list = root.querySelector("[role=listbox]");
    var status = root.querySelector("[role=status]");
    var form = root.querySelector("form");
    var toggle = document.getElementById("__search");
    var openButton = document.querySelector(".lawsite-search-open");
    var bundleUrl = new URL(root.getAttribute("data-pagefind"), document.baseURI);
    var siteRoot = bundleUrl.pathname.replace(/pagefind\/pagefind\.js$/, "");
    var docsUrl = root.getAttribute("data-docs");
    var wordsUrl = new URL("lawsite-words." + lang + ".json", bundleUrl);
    var pagesUrl = new URL("lawsite-pages." + lang + ".json", bundleUrl);
    var vocabUrl = new URL("lawsite-vocab." + lang + ".json", bundleUrl), vocabLoading = null;
    var translateUrl = new URL("lawsite-translate." + lang + ".json", bundleUrl), translateLoading = null;
    var answersUrl = new URL("lawsite-answers." + lang + ".json", bundleUrl), answersLoading = null;
    // search7: correct(), translate() and the answers' scoring, only with the file that needs them (search-more.js)
    var moreUrl = new URL("../assets/javascripts/search-more.js", bundleUrl), moreLoading = null;
    var pagefind = null, loading = null, seq = 0, timer = 0, active = -1, rules = [], current = null, info = null, docWords = null;
    var more = document.createElement("button");
    more.type = "button";
    more.className = "md-button lawsite-search__more";
    more.hidden = true;
    more.textContent = L.show_more;
    list.parentNode.appendChild(more);

    function setOpen(open) {
      if (toggle && toggle.checked !== open) {
        toggle.checked = open;
        toggle.dispatchEvent(new Event("change"));
      }
      if (!open) { input.setAttribute("aria-expanded", "false"); setActive(-1); }
      else if (list.children.length) input.setAttribute("aria-expanded", "true");
    }

    function load() {
      if (!loading) {
        status.textContent = L.loading;
        loading = import(bundleUrl.href).then(function (pf) {
          var words = fetch(wordsUrl.href).then(function (r) { return r.ok ? r.json() : { rules: [] }; })
            .then(function (d) { rules = unpack(d.rules); docWords = d; }).catch(function () { rules = []; });
          var pages = fetch(pagesUrl.href).then(function (r) { return r.ok ? r.json() : null; })
            .then(function (d) { info = d ? prepare(d) : null; }).catch(function () { info = null; });
          return Promise.resolve(pf.options({ baseUrl: siteRoot, excerptLength: 24 }))
            .then(function () { return Promise.all([pf.init(), words, pages]); })
            .then(function () { if (info && docWords) { info._titles = docWords.titles || []; info._rules = rules; } })
            .then(function () { pagefind = pf; if (status.textContent === L.loading) status.textContent = input.value ? "" : L.hint; return pf; });
        }).catch(function (e) {
          loading = null;
          status.innerHTML = escapeHtml(L.failed) + " <a href=\"" + escapeHtml(docsUrl) + "\">" + escapeHtml(L.docs) + "</a>";
          throw e;
        });
      }
      return loading;
    }

    function loadMore() {  // search-more.js: resolves to window.lawsiteSearch with its functions, or null
      if (!moreLoading) {
        moreLoading = new Promise(function (done) {
          var S = window.lawsiteSearch, el = document.createElement("script");
          if (S.mergeAnswers) { done(S); return; }
          el.src = moreUrl.href;
          el.onload = function () { done(S.mergeAnswers ? S : null); };
          el.onerror = function () { done(null); };
          document.head.appendChild(el);
        }).then(function (S) { if (!S) moreLoading = null; return S; });
      }
      return moreLoading;
    }
    window.lawsiteSearch.more = loadMore;

    function loadVocab() {  // only when a query looks mistyped (see correct())
      if (!vocabLoading) {
        vocabLoading = Promise.all([fetch(vocabUrl.href).then(function (r) { return r.ok ? r.json() : null; }), loadMore()])
          .then(function (x) { return x[1] && x[0]; }).catch(function () { return null; })
          .then(function (v) { if (!v) vocabLoading = null; return v; });
      }
      return vocabLoading;
    }

    function loadTranslate() {  // only for a query in another language (see foreign())
      if (!translateLoading) {
        translateLoading = Promise.all([fetch(translateUrl.href).then(function (r) { return r.ok ? r.json() : null; }), loadMore()])
          .then(function (x) { return x[1] && x[0]; }).catch(function () { return null; })
          .then(function (t) {
            if (!t) translateLoading = null;
            else Object.keys(t).forEach(function (k) { t[k] = { rules: unpack(t[k].rules), terms: unpack(t[k].terms) }; });
            return t;
          });
      }
      return translateLoading;
    }
    function loadAnswers() {  // only for a long query (see mergeAnswers())
      if (!answersLoading) {
        answersLoading = Promise.all([fetch(answersUrl.href).then(function (r) { return r.ok ? r.json() : null; }), loadMore()])
          .then(function (x) { return x[1] && x[0]; }).catch(function () { return null; })
          .then(function (a) { if (!a) answersLoading = null; return a; });
      }
      return answersLoading;
    }
    function withAnswers(got, q) {  // a situation told in a sentence: what each page answers counts too
      var fill = fillers(rules), min = docWords && docWords.answers, n = contentWords(q, fill);
      // (or a query of two words or more that Pagefind finds nothing for)
      if (!min || (n < min && (n < 2 || got.results.length)) || namesDocument(got.a.searched, docWords)) return Promise.resolve(got);
      return loadAnswers().then(function (a) {
        // when no page holds every word (a partial match), Pagefind's order says less: what pages answer counts double
        if (a) got.results = window.lawsiteSearch.mergeAnswers(got.results, a, [q, got.a.searched], fill, siteRoot, got.partial ? 2 : 1);
        return got;
      });
    }
    function fromForeign(q) {  // [the query in this site's language, intents of the source's rules]
      if (!foreign(q, info, docWords)) return Promise.resolve([q, []]);
      return loadTranslate().then(function (t) { var k = []; return [t ? window.lawsiteSearch.translate(q, t, info, k) : q, k]; });
    }

    function options() { return list.querySelectorAll("[role=option]"); }

    function setActive(i) {
      var opts = options();
      if (active >= 0 && opts[active]) opts[active].setAttribute("aria-selected", "false");
      active = opts.length ? Math.max(-1, Math.min(i, opts.length - 1)) : -1;
      if (active >= 0) {
        opts[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", opts[active].id);
        opts[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function option(id, url, heading, tag, meta, excerpt, sub, flag) {
      var li = document.createElement("li");
      li.id = id;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.className = "md-search-result__item lawsite-search__option" + (sub ? " lawsite-search__sub" : "");
      li.setAttribute("data-url", url);
      // no link inside an option: an option's content is presentational (axe: nested-interactive);
      // Enter on the combobox and a click on the option both open data-url
      li.innerHTML = "<div class=\"md-search-result__link\">" +
        "<article class=\"md-search-result__article md-typeset\">" +
        (meta ? "<p class=\"lawsite-search__section\">" + escapeHtml(unfold(meta)) + "</p>" : "") +
        "<" + tag + ">" + escapeHtml(unfold(heading)) + "</" + tag + ">" +
        (flag ? "<p class=\"lawsite-search__flag\">" + escapeHtml(unfold(flag)) + "</p>" : "") +
        (excerpt ? "<p class=\"lawsite-search__excerpt\">" + safeExcerpt(excerpt) + "</p>" : "") +
        "</article></div>";
      li.addEventListener("click", function () { window.location.href = url; });
      return li;
    }

    function render(q, total, pages, searched, from) {
      var terms = bare(searched).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      if (!from) {
        list.textContent = "";
        active = -1;
        input.removeAttribute("aria-activedescendant");
      }
      pages.forEach(function (d, k) {
        var i = from + k;
        var li = option("lawsite-search-opt-" + i, d.url, d.meta.title || d.url, "h1", d.meta.section, d.excerpt, false, d.meta.status);
        li.setAttribute("data-page", "1");
        list.appendChild(li);
        var subs = (d.sub_results || []).filter(function (s) { return s.url.indexOf("#") > 0 && s.url !== d.url; })
          .map(function (s) {  // headings naming the query's words first, then the strongest matches
            var words = bare(unfold(s.title)).split(/[^\p{L}\p{N}]+/u);
            var named = terms.reduce(function (a, t, k) {  // numbers ("21", "282") are the most specific words
              var at = words.indexOf(t);
              if (at < 0) return a;
              return a + (/^\d+$/.test(t) ? 5 : 1) + (k > 0 && words[at - 1] === terms[k - 1] ? 10 : 0);
            }, 0);
            s._score = named * 1e9 + (s.weighted_locations || []).reduce(function (a, w) { return a + (w.balanced_score || 0); }, 0);
            return s;
          })
          .sort(function (a, b) { return b._score - a._score; });
        subs.slice(0, MAX_SUB).forEach(function (s, j) {
          list.appendChild(option("lawsite-search-opt-" + i + "-" + j, s.url, s.title, "h2", "", s.excerpt, true));
        });
      });
      if (!total) status.textContent = fmt(L.none, { q: q });
      else if (total > from + pages.length) status.textContent = fmt(L.more, { n: total, shown: from + pages.length });
      else status.textContent = total === 1 ? L.one : fmt(L.other, { n: total });
      if (total && current && current.fixed) status.textContent += " · " + fmt(L.corrected, { q: unfold(current.fixed) });
      else if (total && searched !== normalizeQuery(q)) status.textContent += " · " + fmt(L.rewritten, { q: unfold(searched) });
      if (total && current && current.partial) status.textContent += " · " + L.partial;
      more.hidden = total <= from + pages.length;
      input.setAttribute("aria-expanded", pages.length ? "true" : "false");
      list.setAttribute("data-query", q);  // which query the list shows (tests and assistive tech tools)
    }

    /* Pages of the current result list, from `from` on; expired documents (data-pagefind-meta status,
       weighted down in the index) come after the others among those loaded. */
    function show(mine, from) {
      var c = current;
      return Promise.all(c.results.slice(from, from + MAX_PAGES).map(function (x) { return x.data(); })).then(function (pages) {
        if (mine !== seq) return;
        pages = pages.filter(function (d) { return !d.meta.status; }).concat(pages.filter(function (d) { return !!d.meta.status; }));
        render(c.raw, c.results.length, pages, c.searched, from);
        c.shown = from + pages.length;
      });
    }

    /* Pagefind finds pages holding every word. When none does (a reader's question in their own words),
       search each word and rank pages by how many of the words they hold, then by score. */
    function anyWords(pf, words, intents) {
      words = words.filter(function (w) { return bare(w).replace(/[^\p{L}\p{N}]/gu, "").length >= 2; });
      if (words.length < 2) return Promise.resolve([]);
      var wt = words.map(function (w) {
        return info && info._idf ? queryOf(w, info).wi.reduce(function (a, x) { return a + x; }, 0) : 1;
      });
      return Promise.all(words.map(function (w) { return pf.search(w); })).then(function (res) {
        var pages = {};
        res.forEach(function (r, i) {
          ((r && r.results) || []).forEach(function (x) {
            var p = pages[x.id] || (pages[x.id] = { id: x.id, data: x.data, n: 0, score: 0, held: 0 });
            p.n += 1; p.score += x.score || 0; p.held += wt[i];
          });
        });
        var whole = wt.reduce(function (a, x) { return a + x; }, 0) || 1;
        var found = Object.keys(pages).map(function (k) { return pages[k]; })
          .filter(function (p) { return p.n > 1; })
          .sort(function (a, b) { return b.n - a.n || b.score - a.score; });
        found = rerank(found, words.join(" "), info, namesDocument(words.join(" "), docWords), intents);
        // the share of the query's weight (rare words count more) a page holds, then its re-ranking
        found.forEach(function (p) { p._rank = (p._rank || 0) * Math.pow(Math.min(1, p.held / whole), 2); });
        return found.sort(function (a, b) { return b._rank - a._rank || b.n - a.n; });
      });
    }

    function run() {
      clearTimeout(timer);
      timer = 0;
      var raw = input.value;
      var q = normalizeQuery(raw);
      var mine = ++seq;
      if (q.replace(/[\s\u0335]/g, "").length < MIN_CHARS) {
        list.textContent = ""; status.textContent = L.hint; input.setAttribute("aria-expanded", "false"); more.hidden = true;
        return Promise.resolve();
      }
      if (pagefind) status.textContent = L.searching;
      return load().then(function (pf) {
        if (mine !== seq) return null;
        status.textContent = L.searching;
        function attempt(typed, pre) {  // the normalised query, or its correction; pre: intents found already
          var kinds = (pre || []).slice(), searched = quantities(rewrite(typed, rules, kinds), docWords), marked = restore(searched, info);
          var intents = {}, weights = (docWords && docWords.weights) || {};
          kinds.forEach(function (k) { intents[k] = weights[k] || BOOST.intent; });
          var ranking = bare(marked) !== marked ? RANKING_EXACT : RANKING_FOLDED;
          return Promise.resolve(pf.options({ ranking: Object.assign({ metaWeights: RANK_META }, ranking) }))
            .then(function () { return pf.search(marked); })
            .then(function (r) { return r ? { searched: searched, marked: marked, r: r, fixed: "", intents: intents, pre: pre } : null; });
        }
        return fromForeign(q).then(function (t) { return mine === seq ? attempt(t[0], t[1]) : null; }).then(function (a) {
          if (mine !== seq || !a) return null;
          var typed = normalizeQuery(a.searched), plainTyped = bare(typed) === typed.replace(/\u0335/g, "");
          var found = a.r.results.length, odd = plainTyped && oddPairs(typed.split(" "), info).length > 0;
          if (found >= MIN_FOUND && !odd) return a;
          return loadVocab().then(function (vocab) {  // a typo? (the vocabulary is downloaded only now)
            var fixed = vocab ? window.lawsiteSearch.correct(a.searched, vocab, info, rules) : a.searched;  // the words searched: fillers are already out
            if (fixed === a.searched || mine !== seq) return a;
            return attempt(fixed, a.pre).then(function (b) {  // kept if it finds more, or fixed a pair the site never uses
              if (!b || !b.r.results.length || (found < MIN_FOUND && b.r.results.length <= found)) return a;
              b.fixed = fixed;
              return b;
            });
          });
        }).then(function (a) {
          if (!a || mine !== seq) return null;
          var words = a.marked.split(" "), found = a.r.results.length;
          var whole = { a: a, results: rerank(a.r.results, a.marked, info, namesDocument(a.marked, docWords), a.intents), partial: false };
          var asks = Object.keys(a.intents).length > 0;
          if ((found >= MIN_FOUND && words.length < MIN_ANY && !asks) || words.length < 2) return whole;
          // (almost) no page holds every word, or a long query (one word of it may be missing from the page that
          // answers it), or a question of a kind (the page that answers it may not use the reader's words for the
          // situation): add the pages holding most of the words (the same words: no other index chunk is needed)
          return anyWords(pf, words, a.intents).then(function (results) {
            return results.length > found ? { a: a, results: results, partial: !found } : whole;
          });
        }).then(function (got) {
          return got && mine === seq ? withAnswers(got, q) : null;
        }).then(function (got) {
          if (!got || mine !== seq) return null;
          current = { raw: raw.trim(), searched: got.a.searched, fixed: got.a.fixed, results: got.results, shown: 0, partial: got.partial };
          return show(mine, 0);
        });
      }).catch(function () { /* status already tells the reader */ });
    }

    more.addEventListener("click", function () {
      if (!current) return;
      var first = current.shown;
      show(seq, first).then(function () { setActive(first); input.focus(); });
    });

    input.addEventListener("focus", function () { setOpen(true); load().catch(function () {}); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, PAUSE_MS);
      if (pagefind && input.value.trim().length >= MIN_CHARS) status.textContent = L.searching;
    });
    input.addEventListener("keydown", function (ev) {
      var n = options().length;
      if (ev.key === "ArrowDown") { ev.preventDefault(); setActive(active + 1 >= n ? 0 : active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); setActive(active <= 0 ? n - 1 : active - 1); }
      else if (ev.key === "Enter") {
        ev.preventDefault();
        // Enter opens the first result *shown for what is typed now*: a pending search runs at once first
        var fresh = !timer && list.getAttribute("data-query") === input.value.trim();
        (fresh ? Promise.resolve() : run()).then(function () {
          var opts = options();
          var target = opts[fresh && active >= 0 ? active : 0];
          if (target) window.location.href = target.getAttribute("data-url");
        });
      } else if (ev.key === "Escape") {
        ev.preventDefault();
        ev.stopPropagation();
        setOpen(false);
        input.blur();
        if (openButton && getComputedStyle(openButton).display !== "none") openButton.focus();
      }
    });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.addEventListener("reset", function () {
      seq++; list.textContent = ""; status.textContent = ""; more.hidden = true; current = null; setOpen(false);
    });
    if (toggle) toggle.addEventListener("change", function () {
      if (!toggle.checked) { input.setAttribute("aria-expanded", "false"); setActive(-1); if (document.activeElement === input) input.blur(); }
    });
    if (openButton) openButton.addEventListener("click", function () { setOpen(true); input.focus(); });
    // search7: what typing `q` and pausing does, at once (a promise resolved when the list shows it): the query
    // tables run through it in one batch (tests/search_helpers.py) instead of waiting for each typing pause
    window.lawsiteSearch.search = function (q) { input.value = q; return run(); };
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      ev.preventDefault();
      setOpen(true);
      input.focus();
    });
  }

  window.lawsiteSearch = { normalizeQuery: normalizeQuery, unfold: unfold, rewrite: rewrite, prepare: prepare, rerank: rerank, restore: restore, quantities: quantities, edits: edits, namesDocument: namesDocument, foreign: foreign, bare: bare, isWord: isWord, oddPairs: oddPairs, known: known };
  var root = document.querySelector("[data-lawsite-search]");
  if (root) init(root);
})();

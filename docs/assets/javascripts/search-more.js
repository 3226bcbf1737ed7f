/* The parts of the site search that only some queries need (search7): loaded by search.js, once, with the file that
 * needs them (a mistyped query's vocabulary, another language's translation table, what each page answers for a long
 * query), so that the first query downloads none of it. It adds correct(), translate(), answerTerms() and
 * mergeAnswers() to window.lawsiteSearch and uses search.js's own helpers from there.
 */
(function () {
  "use strict";
  var S = window.lawsiteSearch;
  if (!S) return;
  var bare = S.bare, unfold = S.unfold, edits = S.edits, isWord = S.isWord, oddPairs = S.oddPairs, known = S.known,
      normalizeQuery = S.normalizeQuery, rewrite = S.rewrite;

  /* Typos (see search.js: when correct() is called). */
  function correct(q, vocab, info, rules) {
    if (!vocab || !vocab.w) return q;
    if (!vocab._rank) {
      vocab._rank = {};
      vocab.w.forEach(function (w, k) { vocab._rank[w] = k + 1; });
      (rules || []).forEach(function (r) { r[0].forEach(function (w) { vocab._rank[w] = vocab._rank[w] || vocab.w.length + 1; }); });
      var has = function (t, x, y) { return (" " + ((t || {})[x] || "") + " ").indexOf(" " + y + " ") >= 0; };
      vocab._pair = function (x, y) { return has(vocab.p, x, y); };
      vocab._strong = function (x, y) { return has(vocab.s, x, y); };
    }
    var rank = vocab._rank, w = q.split(" "), b = w.map(bare);
    b.forEach(function (x, i) {  // words the index does not have
      if (rank[x] || !isWord(x, 3)) return;
      var max = x.length >= 7 ? 2 : 1, best = null, bestD = max + 1;
      for (var k = 0; k < vocab.w.length && bestD > 1; k++) {
        var d = edits(x, vocab.w[k], Math.min(max, bestD - 1));
        if (d < bestD) { best = vocab.w[k]; bestD = d; }
      }
      if (best) { b[i] = best; w[i] = best; }
    });
    // pairs the indexed text never uses, in a query typed without marks (with marks, each syllable is as meant)
    if (w.some(function (x) { return bare(x) !== x.replace(/\u0335/g, ""); })) return w.join(" ");
    oddPairs(b, info).forEach(function (o) {
      if (vocab._pair(b[o.at - 1], b[o.at])) return;
      var fix = o.fixes.filter(function (f) {  // only to a pair the site uses often, keeping the word's other pair
        var i = f[0], other = i === o.at ? i + 1 : i - 1, x = b[other];
        if (x !== undefined && (other > i ? vocab._pair(b[i], x) : vocab._pair(x, b[i]))
            && !(other > i ? vocab._pair(f[1], x) : vocab._pair(x, f[1]))) return false;
        return rank[f[1]] && (i === o.at ? vocab._strong(b[o.at - 1], f[1]) : vocab._strong(f[1], b[o.at]));
      })
        .sort(function (f, g) { return rank[f[1]] - rank[g[1]]; })[0];
      if (fix) { b[fix[0]] = fix[1]; w[fix[0]] = fix[1]; }
    });
    return w.join(" ");
  }


  /* The source language's own rules first (its fillers go, its readers' words become its legal terms), then its
     terms become this site's; the words of the source left over are dropped, this site's words and numbers kept.
     Only when a term holding a foreign word is found; kinds: the intents of the source's rules. */
  function vocabOf(t) {
    if (!t._words) {
      t._words = {};
      (t.rules || []).concat(t.terms || []).forEach(function (r) { r[0].forEach(function (w) { t._words[w] = 1; }); });
    }
    return t._words;
  }
  function translate(q, table, info, kinds) {
    var out = null;
    Object.keys(table || {}).some(function (src) {
      var t = table[src], k = [], w = rewrite(q, t.rules || [], k).split(" "), b = w.map(bare), res = [], hit = false;
      for (var i = 0; i < w.length;) {
        var m = null;
        for (var r = 0; r < t.terms.length && !m; r++) {
          var tw = t.terms[r][0], ok = i + tw.length <= w.length;
          for (var j = 0; ok && j < tw.length; j++) ok = b[i + j] === tw[j];
          if (ok) m = t.terms[r];
        }
        if (m) {
          if (w.slice(i, i + m[0].length).some(function (x) { return !known(x, info); })) hit = true;
          res.push(normalizeQuery(m[1])); i += m[0].length;
        } else {  // a leftover: kept unless it is a word of the source language (in its rules or terms) or has marks
          if (known(w[i], info) || (bare(unfold(w[i])) === unfold(w[i]) && !vocabOf(t)[b[i]])) res.push(w[i]);
          i += 1;
        }
      }
      if (!hit || !res.length) return false;
      k.forEach(function (x) { if (kinds.indexOf(x) < 0) kinds.push(x); });
      out = res.join(" ");
      return true;
    });
    return out || q;
  }

  /* What each page answers (pagefind/lawsite-answers.<lang>.json, from lawsite/build/search.py answer_index: its
     title, readers' phrases, the questions and headings of its sections, its description, as weighted terms), downloaded
     only for a query of at least `answers` content words (lawsite-words.<lang>.json): a situation told in a sentence
     ("my visa ran out yesterday") is scored as a whole against it (BM25), through `concepts`, groups of everyday and
     legal words for one idea ("ran out" ~ "expired" ~ "overstay"), and that score is added to Pagefind's ranking. */
  var ANSWER = { k1: 1.2, b: 0.5, weight: 1, extra: 3 };
  function stemWord(w, rules) {
    if (/^\d+$/.test(w)) return w;
    for (var i = 0; i < rules.length; i++) {
      var x = rules[i][0], y = rules[i][1];
      if (w.length >= x.length && w.slice(w.length - x.length) === x && w.length - x.length + y.length >= 3) return w.slice(0, w.length - x.length) + y;
    }
    return w;
  }
  function answerTerms(text, a, fill) {  // the same terms as lawsite/build/search.py answer_terms
    var raw = bare(unfold(text)).split(/[^\p{L}\p{N}]+/u).filter(Boolean), ws = raw.map(function (w) { return stemWord(w, a.stem); }), out = [];
    ws.forEach(function (w, i) {
      Object.keys(a.concepts).forEach(function (name) {
        if (a.concepts[name].some(function (k) { return k.every(function (x, j) { return ws[i + j] === x; }); })) out.push("~" + name);
      });
    });
    ws = ws.filter(function (w, i) { return !fill[raw[i]]; });
    return out.concat(ws, ws.slice(1).map(function (w, i) { return ws[i] + " " + w; }));
  }

  function mergeAnswers(results, a, texts, fill, root, more) {
    var terms = {}, sc = {}, n = a.p.length, max = 0, w = ANSWER.weight * (more || 1);
    if (!a._avg) a._avg = a.len.reduce(function (s, x) { return s + x; }, 0) / (n || 1) || 1;
    texts.forEach(function (t) { answerTerms(t, a, fill).forEach(function (x) { terms[x] = 1; }); });
    Object.keys(terms).forEach(function (t) {
      var post = a.t[t];
      if (!post) return;
      var df = post.length / 2, idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      for (var i = 0; i < post.length; i += 2) {
        var tf = post[i + 1], id = a.p[post[i]][0];
        sc[id] = (sc[id] || 0) + idf * tf * (ANSWER.k1 + 1) / (tf + ANSWER.k1 * (1 - ANSWER.b + ANSWER.b * a.len[post[i]] / a._avg));
      }
    });
    Object.keys(sc).forEach(function (id) { max = Math.max(max, sc[id]); });
    if (!max) return results;
    var top = results.reduce(function (m, x) { return Math.max(m, x._rank !== undefined ? x._rank : x.score || 0); }, 0) || 1, seen = {};
    var out = results.map(function (x) {
      seen[x.id] = 1;
      x._final = (x._rank !== undefined ? x._rank : x.score || 0) / top + w * (sc[x.id] || 0) / max;
      return x;
    });
    a.p.filter(function (p) { return sc[p[0]] && !seen[p[0]]; }).sort(function (p, q) { return sc[q[0]] - sc[p[0]]; })
      .slice(0, ANSWER.extra).forEach(function (p) {  // pages Pagefind did not find but that answer the sentence best
        out.push({ id: p[0], _final: w * sc[p[0]] / max, data: function () {
          return Promise.resolve({ url: root.replace(/\/$/, "") + p[1], meta: { title: p[2], section: p[3] }, excerpt: p[4], sub_results: [] });
        } });
      });
    return out.sort(function (x, y) { return y._final - x._final; });
  }


  S.correct = correct; S.translate = translate; S.answerTerms = answerTerms; S.mergeAnswers = mergeAnswers;
})();

/* Overstay-fine tool (docs/cong-cu/qua-han-tam-tru*.md). Loaded only on that page (front matter
   `tool: overstay`, overrides/main.html), after tool.js (the start the three tools share).

   One source: the bands, fines, expulsion flags and citations are read from the page's own fallback
   table (#overstay-bands), which the build renders from data/figures/penalties.yaml. Every sentence
   comes from the page (<template id="overstay-templates">), in the page's language: this file has no
   text of its own. Without JavaScript the form stays hidden and the table is the answer.

   Bands follow Decree 282/2025 Art. 21: "dưới N" = below N, "từ A đến dưới B" = A included, B not. */
lawsiteTool("overstay", "[data-overstay-bands]", function (t, tool, table) {
  "use strict";
  var DAY_MS = 86400000;
  var YEAR_DAYS = 365; // a year typed as a number of days (with two dates the calendar year is used)
  var piece = t.piece, fill = t.fill, show = t.show, out = t.out;

  // the first number in a rendered figure ("16 ngày", "VND 5,000,000"), whatever the separators
  function figureNumber(el) {
    var m = el.textContent.match(/\d[\d.,\u00a0\u202f ]*/);
    return m ? parseInt(m[0].replace(/\D/g, ""), 10) : NaN;
  }

  function limit(cell, attr) {
    var el = cell.querySelector("[" + attr + "]");
    if (!el) return null;
    return { n: figureNumber(el), unit: el.getAttribute("data-unit") || "days" };
  }

  var bands = Array.prototype.map.call(table.querySelectorAll("tr[data-band]"), function (row) {
    var label = row.querySelector("[data-days]");
    return {
      row: row,
      label: label,
      from: limit(label, "data-from"),
      to: limit(label, "data-to"),
      fine: row.querySelector("[data-fine]"),
      basis: row.querySelector("[data-basis]"),
      expulsion: row.getAttribute("data-expulsion") === "yes"
    };
  });

  // has an overstay of `c.days` (or from c.until to c.on) reached the limit?
  function reached(lim, c) {
    if (!lim) return false;
    if (lim.unit === "years") {
      if (c.until !== null) {
        var d = new Date(c.until);
        d.setUTCFullYear(d.getUTCFullYear() + lim.n);
        return c.on >= d.getTime();
      }
      return c.days >= lim.n * YEAR_DAYS;
    }
    return c.days >= lim.n;
  }

  function bandFor(c) {
    for (var i = 0; i < bands.length; i++) {
      var b = bands[i];
      if ((b.from === null || reached(b.from, c)) && !reached(b.to, c)) return b;
    }
    return null;
  }

  var daysInput = document.getElementById("overstay-days");
  var untilInput = document.getElementById("overstay-until");
  var onInput = document.getElementById("overstay-on");
  var maxDays = parseInt(daysInput.getAttribute("max"), 10);

  function answer(c) {
    if (c.days <= 0) return show(piece("none"), "none");
    if (c.days > maxDays) {
      var big = piece("too-large");
      fill(big, "max", String(maxDays));
      return show(big, "too-large");
    }
    var b = bandFor(c);
    if (!b) return show(piece("empty"), "empty");
    var node = piece("band");
    fill(node, "days", String(c.days));
    fill(node, "band", b.label.textContent.trim());
    fill(node, "fine", t.children(b.fine));
    fill(node, "basis", t.children(b.basis));
    var org = b.fine.cloneNode(true);
    var src = b.fine.querySelectorAll("[data-min], [data-max]");
    t.each(org.querySelectorAll("[data-min], [data-max]"), function (el, i) {
      el.textContent = t.scaled(src[i], 2);
    });
    fill(node, "fine-org", t.children(org));
    t.keepIf(node, "expulsion", b.expulsion);
    t.keepIf(node, "no-expulsion", !b.expulsion);
    show(node, "band");
    out.setAttribute("data-band", String(bands.indexOf(b)));
  }

  function run() {
    out.removeAttribute("data-band");
    var u = untilInput.value, o = onInput.value;
    if (u || o) {
      if (!(u && o)) return show(piece("one-date"), "one-date");
      var until = untilInput.valueAsNumber, on = onInput.valueAsNumber;
      return answer({ days: Math.round((on - until) / DAY_MS), until: until, on: on });
    }
    var raw = daysInput.value.trim();
    if (daysInput.validity && daysInput.validity.badInput) return show(piece("not-number"), "not-number");
    if (raw === "") return show(piece("empty"), "empty");
    var n = Number(raw);
    if (!isFinite(n) || Math.floor(n) !== n) return show(piece("not-number"), "not-number");
    if (n < 0) return show(piece("negative"), "negative");
    answer({ days: n, until: null, on: null });
  }

  // the number field and the two dates are alternatives: typing in one clears the other
  daysInput.addEventListener("input", function () { untilInput.value = ""; onInput.value = ""; });
  function clearDays() { daysInput.value = ""; }
  untilInput.addEventListener("input", clearDays);
  onInput.addEventListener("input", clearDays);
  return run;
});

/* Public-service interface (issue 14), small and dependency-free: phone tables as labelled cards,
   a hint on tables that still scroll, the "Print this page" button and the date printed, and on
   touch screens a first tap on a citation that shows what the provision is instead of leaving. */
(function () {
  "use strict";
  var doc = document;
  var meta = doc.querySelector('meta[name="lawsite:ui"]');
  var words = meta ? meta.getAttribute("content").split("|") : ["", "", ""];

  /* Tables: 3 or more columns become labelled cards on phones (CSS: table[data-lawsite-stack]). */
  function tables() {
    doc.querySelectorAll(".md-typeset table").forEach(function (t) {
      var heads = t.querySelectorAll("thead th");
      if (heads.length >= 3) {
        var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
        t.querySelectorAll("tbody tr").forEach(function (tr) {
          Array.prototype.forEach.call(tr.children, function (td, i) {
            if (names[i]) td.setAttribute("data-label", names[i]);
          });
        });
        t.setAttribute("data-lawsite-stack", "");
      }
    });
    markScroll();
  }

  /* A table still wider than the screen: say it scrolls, and make the area reachable by keyboard. */
  function markScroll() {
    doc.querySelectorAll(".md-typeset__scrollwrap").forEach(function (w) {
      var wide = w.scrollWidth > w.clientWidth + 1;
      w.classList.toggle("lawsite-scroll", wide);
      if (wide && !w.hasAttribute("tabindex")) {
        w.setAttribute("tabindex", "0");
        w.setAttribute("role", "region");
        var cap = w.querySelector("caption");
        w.setAttribute("aria-label", cap ? cap.textContent.trim() : words[2]);
      }
      var hint = w.previousElementSibling;
      var has = hint && hint.classList.contains("lawsite-scroll-hint");
      if (wide && !has && words[2]) {
        var p = doc.createElement("p");
        p.className = "lawsite-scroll-hint";
        p.textContent = words[2];
        w.parentNode.insertBefore(p, w);
      } else if (!wide && has) {
        hint.remove();
      }
    });
  }

  /* Print: the button, and the date printed on the printed page. */
  function print() {
    var lang = doc.documentElement.lang || "vi";
    var stamp = function () {
      var d = new Date();
      var s = lang === "vi" ? [d.getDate(), d.getMonth() + 1, d.getFullYear()].map(function (n) { return String(n).padStart(2, "0"); }).join("/")
                            : d.toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric"});
      doc.querySelectorAll(".lawsite-print-date").forEach(function (e) { e.textContent = s; });
    };
    stamp();
    window.addEventListener("beforeprint", stamp);
    doc.querySelectorAll(".lawsite-print-row").forEach(function (row) {
      row.hidden = false;
      row.querySelector("button").addEventListener("click", function () { window.print(); });
    });
  }

  /* Citations on touch: the first tap opens a small box (the provision's title, the clause summary
     when the link carries one, a link to the provision); a second tap on the citation follows it.
     Mouse, keyboard and screen readers keep the plain link (and Material's tooltip). */
  var pointer = "", pop = null, popFor = null;
  function closePop() {
    if (pop) { pop.remove(); pop = null; }
    if (popFor) { popFor.removeAttribute("aria-expanded"); popFor = null; }
  }
  function openPop(a) {
    closePop();
    var title = a.getAttribute("data-lawsite-title") || a.getAttribute("title") || a.textContent;
    var box = doc.createElement("div");
    box.className = "lawsite-cite-pop";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", a.textContent.trim());
    var t = doc.createElement("p");
    t.className = "lawsite-cite-pop__title";
    t.textContent = title;
    box.appendChild(t);
    var summary = a.getAttribute("data-summary");
    if (summary) {
      var s = doc.createElement("p");
      s.textContent = summary;
      box.appendChild(s);
    }
    var row = doc.createElement("p");
    row.className = "lawsite-cite-pop__actions";
    var go = doc.createElement("a");
    go.href = a.href;
    go.textContent = words[0] || a.textContent;
    var close = doc.createElement("button");
    close.type = "button";
    close.textContent = words[1] || "×";
    close.addEventListener("click", closePop);
    row.appendChild(go);
    row.appendChild(close);
    box.appendChild(row);
    doc.body.appendChild(box);
    var r = a.getBoundingClientRect();
    var w = Math.min(box.offsetWidth, doc.documentElement.clientWidth - 16);
    box.style.top = (window.scrollY + r.bottom + 6) + "px";
    box.style.left = Math.max(8, Math.min(window.scrollX + r.left, doc.documentElement.clientWidth - w - 8)) + "px";
    a.setAttribute("aria-expanded", "true");
    pop = box;
    popFor = a;
  }
  function cites() {
    doc.querySelectorAll("a.cite[title]").forEach(function (a) {
      a.setAttribute("data-lawsite-title", a.getAttribute("title"));  /* kept if the tooltip script moves it */
    });
    doc.addEventListener("pointerdown", function (e) { pointer = e.pointerType || ""; }, true);
    doc.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a.cite");
      if (pop && !(e.target.closest && e.target.closest(".lawsite-cite-pop")) && a !== popFor) closePop();
      if (!a || pointer !== "touch" || a === popFor) return;
      e.preventDefault();
      openPop(a);
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && pop) { var a = popFor; closePop(); if (a) a.focus(); }
    });
  }

  function init() {
    tables();
    print();
    cites();
    window.addEventListener("resize", markScroll);
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
  /* capture the citation titles now, before other scripts run their own init */
  doc.querySelectorAll("a.cite[title]").forEach(function (a) { a.setAttribute("data-lawsite-title", a.getAttribute("title")); });
})();

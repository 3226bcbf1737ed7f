/* Public-service interface (issue 14), small and dependency-free: phone tables as labelled cards,
   a hint on tables that still scroll, the "Print this page" button and the date printed, and on
   touch screens a first tap on a citation that shows what the provision is instead of leaving.
   Material's JavaScript bundle (35 KB compressed) is not loaded (overrides/main.html): this file does
   the little of it the site uses (the colour-scheme toggle, the scroll box around tables, the
   description of a focused citation, Enter on the menu's section labels), and it loads search.js on
   the first use of the search field. When everything is bound, <html data-lawsite-ready="1">. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var script = doc.currentScript;
  /* a change on <html> or <body> restyles the whole page: only when there is one ("js" is set in
     <head>, overrides/main.html) */
  if (!root.classList.contains("js")) { root.classList.remove("no-js"); root.classList.add("js"); }
  var meta = doc.querySelector('meta[name="lawsite:ui"]');
  var words = meta ? meta.getAttribute("content").split("|") : ["", "", ""];

  /* Colour scheme (Material's markup and stored choice, __md_get/__md_set from its inline script):
     the stored choice, else the one matching the system's preference; the toggle shows the other. */
  function palette() {
    var inputs = Array.prototype.slice.call(doc.querySelectorAll('input[name="__palette"]'));
    if (!inputs.length) return;
    var stored = null;
    try { stored = window.__md_get ? window.__md_get("__palette") : null; } catch (e) { stored = null; }
    var i = stored && typeof stored.index === "number" ? stored.index : inputs.findIndex(function (x) {
      return matchMedia(x.getAttribute("data-md-color-media")).matches;
    });
    function apply(input, save) {
      var color = {};
      input.checked = true;
      ["media", "scheme", "primary", "accent"].forEach(function (k) {
        color[k] = input.getAttribute("data-md-color-" + k);
        /* (media: kept with the stored choice; no style reads it on <body>) */
        if (k !== "media" && doc.body.getAttribute("data-md-color-" + k) !== color[k]) doc.body.setAttribute("data-md-color-" + k, color[k]);
      });
      inputs.forEach(function (x) {
        var label = x.nextElementSibling;
        if (label && label.tagName === "LABEL" && label.hidden !== (x !== input)) label.hidden = x !== input;
      });
      if (save && window.__md_set) window.__md_set("__palette", {index: inputs.indexOf(input), color: color});
    }
    apply(inputs[Math.max(0, Math.min(i, inputs.length - 1))], false);
    inputs.forEach(function (x) { x.addEventListener("change", function () { apply(x, true); }); });
  }

  /* A table still wider than the screen: say it scrolls, and make the area reachable by keyboard. */
  function markScroll() {
    /* all measurements first, then all changes: one layout. Not in a closed <details> (measured when it opens):
       measuring there lays out what the browser skips (a document page's "pages that cite it" table) */
    var wraps = Array.prototype.slice.call(doc.querySelectorAll(".md-typeset__scrollwrap")).filter(function (w) {
      return !w.closest("details:not([open])");
    });
    var wides = wraps.map(function (w) { return w.scrollWidth > w.clientWidth + 1; });
    wraps.forEach(function (w, k) {
      var wide = wides[k];
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
    /* (the row is shown by site.css: unhiding it here laid the page out again) */
    doc.querySelectorAll(".lawsite-print-row button").forEach(function (b) {
      b.addEventListener("click", function () { window.print(); });
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
    var title = a.getAttribute("title") || a.textContent;
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
  /* A citation reached with the keyboard shows its provision's title below it (mouse users get the
     browser's own tooltip from the title; touch gets the box above). */
  var tip = null;
  function hideTip() {
    if (!tip) return;
    var a = doc.querySelector('a.cite[aria-describedby="lawsite-tip"]');
    if (a) a.removeAttribute("aria-describedby");
    tip.remove();
    tip = null;
  }
  function showTip(a) {
    hideTip();
    var text = a.getAttribute("title");
    if (!text) return;
    tip = doc.createElement("div");
    tip.id = "lawsite-tip";
    tip.className = "lawsite-tip";
    tip.setAttribute("role", "tooltip");
    tip.textContent = text;
    doc.body.appendChild(tip);
    var r = a.getBoundingClientRect(), w = Math.min(tip.offsetWidth, root.clientWidth - 16);
    tip.style.top = (window.scrollY + r.bottom + 6) + "px";
    tip.style.left = Math.max(8, Math.min(window.scrollX + r.left, root.clientWidth - w - 8)) + "px";
    a.setAttribute("aria-describedby", "lawsite-tip");
  }

  function cites() {
    doc.addEventListener("pointerdown", function (e) { pointer = e.pointerType || ""; }, true);
    doc.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest("a.cite");
      if (pop && !(e.target.closest && e.target.closest(".lawsite-cite-pop")) && a !== popFor) closePop();
      if (!a || pointer !== "touch" || a === popFor) return;
      e.preventDefault();
      openPop(a);
    });
    doc.addEventListener("keydown", function (e) {
      pointer = "";
      if (e.key === "Escape" && pop) { var a = popFor; closePop(); if (a) a.focus(); }
      if (e.key === "Escape") hideTip();
    });
    doc.addEventListener("focusin", function (e) {
      var a = e.target.closest && e.target.closest("a.cite");
      if (a && pointer !== "touch") showTip(a);
      else hideTip();
    });
    doc.addEventListener("focusout", hideTip);
  }

  /* The menu's section labels (tabindex="0") open with Enter or Space, as with Material's bundle. */
  function menu() {
    doc.addEventListener("keydown", function (e) {
      var t = e.target;
      if ((e.key === "Enter" || e.key === " ") && t && t.tagName === "LABEL" && t.hasAttribute("tabindex") && t.htmlFor) {
        e.preventDefault();
        t.click();
      }
    });
  }

  /* search.js (6 KB) is fetched on the first focus of the search field, a tap on the search button
     or the "/" key; what happened before it arrived (focus, typed text) is handed on to it. */
  function lazySearch() {
    var src = script && script.getAttribute("data-search");
    var input = doc.getElementById("lawsite-search-input");
    if (!src || !input) return;
    var toggle = doc.getElementById("__search"), open = doc.querySelector(".lawsite-search-open"), started = false;
    function openField() {
      if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
      input.focus();
    }
    function onKey(e) {
      var t = e.target;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      openField();
    }
    function load() {
      if (started) return;
      started = true;
      var s = doc.createElement("script");
      s.src = src;
      s.onload = function () {
        doc.removeEventListener("keydown", onKey);
        if (open) open.removeEventListener("click", openField);
        if (doc.activeElement === input) input.dispatchEvent(new FocusEvent("focus"));
        if (input.value) input.dispatchEvent(new Event("input"));
      };
      doc.body.appendChild(s);
    }
    input.addEventListener("focus", load);
    if (toggle) toggle.addEventListener("change", function () { if (toggle.checked) load(); });
    if (open) open.addEventListener("click", openField);
    doc.addEventListener("keydown", onKey);
  }

  function init() {
    markScroll();  /* the tables' scroll boxes and phone cards are in the HTML (lawsite/build/htmlfix.py) */
    print();
    cites();
    menu();
    lazySearch();
    window.addEventListener("resize", markScroll);
    doc.addEventListener("toggle", function (e) { if (e.target.open) markScroll(); }, true);
    root.setAttribute("data-lawsite-ready", "1");
  }
  palette();  /* at once: this script runs at the end of <body>, after the header's toggle */
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", init);
  else init();
})();

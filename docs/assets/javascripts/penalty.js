/* "Which penalty?" tool (docs/cong-cu/muc-phat*.md). Loaded only on that page (front matter
   `tool: penalty`, overrides/main.html).

   One source: the acts, who they apply to, fines, additional penalties, remedial measures, crimes and
   citations are read from the page's own fallback table (#penalty-acts), which the build generates
   from data/penalty-acts.yaml (lawsite/penalty_acts.py) - the same data as the table of fines.
   Every sentence comes from the page (<template id="penalty-templates">), in the page's language:
   this file has no text of its own. Without JavaScript the form stays hidden and the table is the answer. */
(function () {
  "use strict";
  var tool = document.querySelector("[data-penalty-tool]");
  var table = document.querySelector("[data-penalty-acts]");
  var tpl = document.getElementById("penalty-templates");
  if (!tool || !table || !tpl) return;

  var select = document.getElementById("penalty-act");
  var out = document.getElementById("penalty-result");
  var radios = Array.prototype.slice.call(tool.querySelectorAll('input[name="penalty-who"]'));
  var placeholder = select.options[0];

  // the same rendered figure with its number multiplied, keeping its thousands separator and words
  function scaledFigure(el, factor) {
    return el.textContent.replace(/\d{1,3}(?:([.,\u00a0\u202f ])\d{3})+|\d+/, function (m, sep) {
      var s = String(parseInt(m.replace(/\D/g, ""), 10) * factor);
      return sep ? s.replace(/\B(?=(\d{3})+(?!\d))/g, sep) : s;
    });
  }

  var acts = Array.prototype.map.call(table.querySelectorAll("tr[data-act]"), function (row) {
    return {
      id: row.getAttribute("data-act"),
      who: (row.getAttribute("data-who") || "").split(" "),
      warning: row.getAttribute("data-warning") === "yes",
      label: row.querySelector("[data-label]"),
      fine: row.querySelector("[data-fine]"),
      basis: row.querySelector("[data-basis]"),
      extras: Array.prototype.slice.call(row.querySelectorAll("li[data-extra]")),
      crime: row.querySelector("li[data-crime] .lawsite-acts__crime"),
      row: row
    };
  });
  var byId = {};
  acts.forEach(function (a) { byId[a.id] = a; });

  function who() {
    for (var i = 0; i < radios.length; i++) if (radios[i].checked) return radios[i].getAttribute("data-who");
    return null;
  }

  // the list of acts for the person chosen (all of them before a choice), keeping the current act if it applies
  function fillOptions() {
    var w = who(), keep = select.value;
    while (select.options.length > 1) select.remove(1);
    acts.forEach(function (a) {
      if (w && a.who.indexOf(w) < 0) return;
      var o = document.createElement("option");
      o.value = a.id;
      o.textContent = a.label.textContent.trim();
      select.appendChild(o);
    });
    select.value = byId[keep] && (!w || byId[keep].who.indexOf(w) >= 0) ? keep : "";
    select.setAttribute("data-count", String(select.options.length - 1));
  }

  function piece(name) {
    return tpl.content.querySelector('[data-result="' + name + '"]').cloneNode(true);
  }

  function cloneChildren(el) {
    var f = document.createDocumentFragment();
    Array.prototype.forEach.call(el.childNodes, function (n) { f.appendChild(n.cloneNode(true)); });
    return f;
  }

  function fill(node, slot, content) {
    Array.prototype.forEach.call(node.querySelectorAll('[data-slot="' + slot + '"]'), function (el) {
      el.textContent = "";
      if (typeof content === "string") el.textContent = content;
      else el.appendChild(content.cloneNode(true)); // a copy for each slot: appending a fragment empties it
    });
  }

  function keepIf(node, name, yes) {
    Array.prototype.forEach.call(node.querySelectorAll('[data-if="' + name + '"]'), function (el) {
      if (!yes) el.parentNode.removeChild(el);
    });
  }

  function show(node, state) {
    out.textContent = "";
    out.appendChild(node);
    out.setAttribute("data-state", state);
  }

  function answer(a, w) {
    var node = piece("answer");
    var amount = a.fine.querySelector(".lawsite-acts__amount"); // without "Cảnh cáo hoặc": its own sentence says it
    var hasFine = !!amount;
    fill(node, "act", a.label.textContent.trim());
    if (hasFine) {
      fill(node, "fine", cloneChildren(amount));
      fill(node, "basis", cloneChildren(a.basis));
      var org = amount.cloneNode(true);
      var src = amount.querySelectorAll("[data-min], [data-max]");
      Array.prototype.forEach.call(org.querySelectorAll("[data-min], [data-max]"), function (el, i) {
        el.textContent = scaledFigure(src[i], 2);
      });
      fill(node, "fine-org", cloneChildren(org));
    }
    keepIf(node, "fine", hasFine);
    keepIf(node, "no-fine", !hasFine);
    keepIf(node, "warning", a.warning);
    keepIf(node, "org", hasFine && (w === null || w === "organisation"));
    keepIf(node, "lodging", hasFine && w === "lodging");
    var extras = a.extras.filter(function (li) {
      var only = li.getAttribute("data-only");
      return !only || w === null || only === w;
    });
    if (extras.length) {
      var ul = document.createElement("ul");
      extras.forEach(function (li) { ul.appendChild(li.cloneNode(true)); });
      fill(node, "extra", ul);
    }
    keepIf(node, "extra", extras.length > 0);
    keepIf(node, "no-extra", extras.length === 0);
    if (a.crime) fill(node, "crime", cloneChildren(a.crime));
    keepIf(node, "crime", !!a.crime);
    keepIf(node, "no-crime", !a.crime);
    var link = node.querySelector('a[data-slot="row"]');
    if (link) link.setAttribute("href", link.getAttribute("href").split("#")[0] + "#hv-" + a.id);
    show(node, "answer");
    out.setAttribute("data-act", a.id);
    out.setAttribute("data-who", w || "");
  }

  function run() {
    out.removeAttribute("data-act");
    var a = byId[select.value];
    if (!a) return show(piece("empty"), "empty");
    answer(a, who());
  }

  radios.forEach(function (r) {
    r.addEventListener("change", function () {
      fillOptions();
      if (select.value) run(); else { out.textContent = ""; out.removeAttribute("data-state"); out.removeAttribute("data-act"); }
    });
  });
  select.addEventListener("change", run);
  select.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); run(); }
  });
  document.getElementById("penalty-go").addEventListener("click", run);
  placeholder.selected = true;
  fillOptions();
  tool.hidden = false;
})();

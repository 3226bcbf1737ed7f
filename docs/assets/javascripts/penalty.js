/* "Which penalty?" tool (docs/cong-cu/muc-phat*.md). Loaded only on that page (front matter
   `tool: penalty`, overrides/main.html), after tool.js (the start the three tools share).

   One source: the acts, who they apply to, fines, additional penalties, remedial measures, crimes and
   citations are read from the page's own fallback table (#penalty-acts), which the build generates
   from data/penalty-acts.yaml (lawsite/penalty_acts.py) - the same data as the table of fines.
   Every sentence comes from the page (<template id="penalty-templates">), in the page's language:
   this file has no text of its own. Without JavaScript the form stays hidden and the table is the answer. */
lawsiteTool("penalty", "[data-penalty-acts]", function (t, tool, table) {
  "use strict";
  var select = document.getElementById("penalty-act");
  var out = t.out, fill = t.fill, keepIf = t.keepIf, cloneChildren = t.children;
  var radios = Array.prototype.slice.call(tool.querySelectorAll('input[name="penalty-who"]'));
  var placeholder = select.options[0];

  var acts = Array.prototype.map.call(table.querySelectorAll("tr[data-act]"), function (row) {
    return {
      id: row.getAttribute("data-act"),
      who: (row.getAttribute("data-who") || "").split(" "),
      warning: row.getAttribute("data-warning") === "yes",
      label: row.querySelector("span[data-label]"),  // (the cells' own data-label is the phone card's column name)
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

  function answer(a, w) {
    var node = t.piece("answer");
    var amount = a.fine.querySelector(".lawsite-acts__amount"); // without "Cảnh cáo hoặc": its own sentence says it
    var hasFine = !!amount;
    fill(node, "act", a.label.textContent.trim());
    if (hasFine) {
      fill(node, "fine", cloneChildren(amount));
      fill(node, "basis", cloneChildren(a.basis));
      var org = amount.cloneNode(true);
      var src = amount.querySelectorAll("[data-min], [data-max]");
      t.each(org.querySelectorAll("[data-min], [data-max]"), function (el, i) {
        el.textContent = t.scaled(src[i], 2);
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
    t.show(node, "answer");
    out.setAttribute("data-act", a.id);
    out.setAttribute("data-who", w || "");
  }

  function run() {
    out.removeAttribute("data-act");
    var a = byId[select.value];
    if (!a) return t.show(t.piece("empty"), "empty");
    answer(a, who());
  }

  radios.forEach(function (r) {
    r.addEventListener("change", function () {
      fillOptions();
      if (select.value) run(); else { out.textContent = ""; out.removeAttribute("data-state"); out.removeAttribute("data-act"); }
    });
  });
  select.addEventListener("change", run);
  placeholder.selected = true;
  fillOptions();
  return run;
});

/* "Do I need a visa?" tool (docs/cong-cu/thi-thuc*.md). Loaded only on that page (front matter
   `tool: visa`, overrides/main.html), after tool.js (the start the three tools share).

   One source: the nationalities (<select>, in the page's language) and the exemption groups (the
   list under #visa-list: countries, purpose, dates, stay, citations) are written by the build from
   data/visa-exemptions.yaml, the same list as the visa-exemption page. Every sentence comes from the
   page (<template id="visa-templates">): this file has no text of its own. Without JavaScript the
   form stays hidden and the list is the answer.

   A group applies from its start to its last day inclusive, compared with the reader's own date. */
lawsiteTool("visa", "#visa-list", function (t) {
  "use strict";
  var select = document.getElementById("visa-country");
  var tourism = document.getElementById("visa-purpose-tourism");
  var out = t.out, fill = t.fill, piece = t.piece;

  function groupOf(code) {
    var li = document.getElementById("visa-country-" + code.toLowerCase());
    var box = li && li.closest(".lawsite-visa-group");
    if (!box) return null;
    var start = box.querySelector("time.lawsite-visa-start");
    var last = box.querySelector("time.lawsite-visa-last");
    var note = box.querySelector(".lawsite-visa-confidence");
    return {
      tourismOnly: box.classList.contains("lawsite-visa-group--tourism"),
      start: start.getAttribute("datetime"),
      last: last.getAttribute("datetime"),
      startText: start.textContent,
      lastText: last.textContent,
      resolution: t.children(box.querySelector(".lawsite-visa-resolution")),
      stay: t.children(box.querySelector(".lawsite-visa-stay")),
      basis: t.children(box.querySelector(".lawsite-visa-basis")),
      note: note ? note.textContent.trim() : ""
    };
  }

  function isoToday() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function confidence(node, g) {
    t.each(node.querySelectorAll('[data-slot="confidence"]'), function (el) {
      if (g.note) el.textContent = g.note;
      else el.parentNode.removeChild(el);
    });
  }

  return function run() {
    var code = select.value;
    out.textContent = "";
    out.removeAttribute("data-country");
    if (!code) return t.show(piece("empty"), "empty");
    var name = select.options[select.selectedIndex].textContent;
    var g = groupOf(code);
    var today = isoToday();
    var state, node;
    if (g && (today < g.start || today > g.last)) {
      state = "outside";
    } else if (g && g.tourismOnly && !tourism.checked) {
      state = "tourism-only";
    } else if (g) {
      state = "exempt";
    } else {
      state = "not-exempt";
    }
    node = piece(state);
    fill(node, "country", name);
    if (g) {
      fill(node, "resolution", g.resolution);
      fill(node, "stay", g.stay);
      fill(node, "basis", g.basis);
      fill(node, "start", g.startText);
      fill(node, "last", g.lastText);
      confidence(node, g);
      t.keepIf(node, "tourism", g.tourismOnly);
      t.keepIf(node, "any", !g.tourismOnly);
    }
    out.appendChild(node);
    if (state !== "exempt") out.appendChild(piece("evisa"));
    if (state === "not-exempt" || state === "outside") out.appendChild(piece("treaty"));
    out.setAttribute("data-state", state);
    out.setAttribute("data-country", code);
  };
});

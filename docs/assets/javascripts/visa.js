/* "Do I need a visa?" tool (docs/cong-cu/thi-thuc*.md). Loaded only on that page (front matter
   `tool: visa`, overrides/main.html).

   One source: the nationalities (<select>, in the page's language) and the exemption groups (the
   list under #visa-list: countries, purpose, dates, stay, citations) are written by the build from
   data/visa-exemptions.yaml, the same list as the visa-exemption page. Every sentence comes from the
   page (<template id="visa-templates">): this file has no text of its own. Without JavaScript the
   form stays hidden and the list is the answer.

   A group applies from its start to its last day inclusive, compared with the reader's own date. */
(function () {
  "use strict";
  var tool = document.getElementById("visa-tool");
  var list = document.getElementById("visa-list");
  var tpl = document.getElementById("visa-templates");
  if (!tool || !list || !tpl) return;

  var select = document.getElementById("visa-country");
  var tourism = document.getElementById("visa-purpose-tourism");
  var out = document.getElementById("visa-result");

  function piece(name) {
    return tpl.content.querySelector('[data-result="' + name + '"]').cloneNode(true);
  }

  function cloneChildren(el) {
    var f = document.createDocumentFragment();
    if (el) Array.prototype.forEach.call(el.childNodes, function (n) { f.appendChild(n.cloneNode(true)); });
    return f;
  }

  function fill(node, slot, content) {
    Array.prototype.forEach.call(node.querySelectorAll('[data-slot="' + slot + '"]'), function (el) {
      el.textContent = "";
      if (typeof content === "string") el.textContent = content;
      else el.appendChild(content.cloneNode(true));
    });
  }

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
      resolution: cloneChildren(box.querySelector(".lawsite-visa-resolution")),
      stay: cloneChildren(box.querySelector(".lawsite-visa-stay")),
      basis: cloneChildren(box.querySelector(".lawsite-visa-basis")),
      note: note ? note.textContent.trim() : ""
    };
  }

  function isoToday() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function confidence(node, g) {
    Array.prototype.forEach.call(node.querySelectorAll('[data-slot="confidence"]'), function (el) {
      if (g.note) el.textContent = g.note;
      else el.parentNode.removeChild(el);
    });
  }

  function run() {
    var code = select.value;
    out.textContent = "";
    out.removeAttribute("data-country");
    if (!code) {
      out.appendChild(piece("empty"));
      out.setAttribute("data-state", "empty");
      return;
    }
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
      Array.prototype.forEach.call(node.querySelectorAll("[data-if]"), function (el) {
        var want = el.getAttribute("data-if") === "tourism";
        if (want !== g.tourismOnly) el.parentNode.removeChild(el);
      });
    }
    out.appendChild(node);
    if (state !== "exempt") out.appendChild(piece("evisa"));
    if (state === "not-exempt" || state === "outside") out.appendChild(piece("treaty"));
    out.setAttribute("data-state", state);
    out.setAttribute("data-country", code);
  }

  select.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); run(); }
  });
  document.getElementById("visa-go").addEventListener("click", run);
  tool.hidden = false;
})();

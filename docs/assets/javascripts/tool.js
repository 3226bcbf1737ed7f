/* What the three answer tools share (penalty.js, visa.js, overstay.js; loaded before them, on tool
   pages only: overrides/main.html). For a tool NAME the page has #NAME-tool (the form, hidden until
   bound), #NAME-templates (every sentence, in the page's language), #NAME-result and #NAME-go, and
   the data the build wrote (`data`: a selector). start(t, form, data) binds the tool and returns its
   run(); Enter in a field (not a radio or a checkbox) and the button run it. No text of its own. */
window.lawsiteTool = function (name, data, start) {
  "use strict";
  var doc = document, each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var form = doc.getElementById(name + "-tool"), tpl = doc.getElementById(name + "-templates");
  data = doc.querySelector(data);
  if (!form || !data || !tpl) return;
  var out = doc.getElementById(name + "-result");
  var t = {
    out: out,
    each: each,
    piece: function (key) { return tpl.content.querySelector('[data-result="' + key + '"]').cloneNode(true); },
    /* a copy of what an element holds */
    children: function (el) {
      var f = doc.createDocumentFragment();
      if (el) each(el.childNodes, function (n) { f.appendChild(n.cloneNode(true)); });
      return f;
    },
    /* text or a copy of `content` in every [data-slot=slot] of node */
    fill: function (node, slot, content) {
      each(node.querySelectorAll('[data-slot="' + slot + '"]'), function (el) {
        el.textContent = "";
        if (typeof content === "string") el.textContent = content;
        else el.appendChild(content.cloneNode(true));
      });
    },
    /* the parts of node marked data-if=key stay only when yes */
    keepIf: function (node, key, yes) {
      each(node.querySelectorAll('[data-if="' + key + '"]'), function (el) { if (!yes) el.parentNode.removeChild(el); });
    },
    show: function (node, state) {
      out.textContent = "";
      out.appendChild(node);
      out.setAttribute("data-state", state);
    },
    /* the same rendered figure with its number multiplied, keeping its thousands separator and words */
    scaled: function (el, factor) {
      return el.textContent.replace(/\d{1,3}(?:([.,\u00a0\u202f ])\d{3})+|\d+/, function (m, sep) {
        var s = String(parseInt(m.replace(/\D/g, ""), 10) * factor);
        return sep ? s.replace(/\B(?=(\d{3})+(?!\d))/g, sep) : s;
      });
    }
  };
  var run = start(t, form, data);
  each(form.querySelectorAll("select, input:not([type=radio]):not([type=checkbox])"), function (el) {
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); run(); }
    });
  });
  doc.getElementById(name + "-go").addEventListener("click", run);
  form.hidden = false;
};

// Small page helpers: show the first highlighted sentence of each source text, and the sentence or heading a link points to.
(function () {
  "use strict";
  function reveal(mark) {
    var box = mark.closest("pre.source");
    if (box) { box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 60); }
  }
  document.querySelectorAll("pre.source").forEach(function (box) {
    var first = box.querySelector("mark");
    if (first) { reveal(first); }
  });
  function fromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    // a highlighted sentence, or a section heading's anchor, inside the scrolling source text
    var mark = el && (el.closest("mark") || (el.closest("pre.source") ? el : null));
    if (mark) { reveal(mark); mark.scrollIntoView({ block: mark.tagName === "MARK" ? "center" : "start" }); }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();

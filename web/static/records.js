/* records.js: the review desk's redaction by selection.  Selecting words in the message's
 * text (#message-text) fills the "Redact the selected text" form with exactly the selected
 * string; the person then picks the exemption and submits.  Without this script the same
 * form takes the text typed by hand. */
(function () {
  "use strict";
  var source = document.getElementById("message-text");
  var field = document.getElementById("redact-text");
  var status = document.getElementById("selection-status");
  if (!source || !field) return;

  function inside(node) {
    return node && (node === source || source.contains(node));
  }

  function takeSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
    if (!inside(sel.anchorNode) || !inside(sel.focusNode)) return;
    var text = sel.toString();
    if (text === "" || text === field.value) return;
    field.value = text;
    if (status) {
      var n = Array.from(text).length;
      status.textContent = "Selected " + n + " character" + (n === 1 ? "" : "s") +
        ": choose the exemption and redact.";
    }
  }

  // selectionchange fires for mouse and keyboard selections alike
  document.addEventListener("selectionchange", takeSelection);
  source.addEventListener("mouseup", takeSelection);
  source.addEventListener("keyup", takeSelection);
})();

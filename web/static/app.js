/* liaison web console: live updates, keyboard shortcuts and presence.  Every page works
 * without this file; it only spares reloading and adds keys.
 *
 * Live updates poll /live every 4 seconds (not server-sent events): a poll needs no
 * connection held open per tab against the server's connection limit, passes any proxy, and
 * costs one small indexed query; the page reloads its list only when the stamp changed. */
(function () {
  "use strict";
  var main = document.getElementById("main");
  var csrf = main ? main.getAttribute("data-csrf") : "";
  var stamp = null;

  function setCounts(counts) {
    Object.keys(counts).forEach(function (view) {
      document.querySelectorAll('[data-count="' + view + '"]').forEach(function (el) {
        el.textContent = String(counts[view]);
      });
    });
    var base = document.title.replace(/^\(\d+\) /, "");
    document.title = counts.unassigned > 0 ? "(" + counts.unassigned + ") " + base : base;
  }

  function reloadList() {
    var table = document.getElementById("threads");
    if (!table) return;
    fetch(location.href, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      var fresh = doc.getElementById("threads");
      if (fresh) table.replaceWith(fresh);
    });
  }

  function reloadThread() {
    var box = document.querySelector(".live-note");
    if (box) return;
    box = document.createElement("p");
    box.className = "live-note presence";
    box.setAttribute("role", "status");
    box.innerHTML = 'This thread changed. <a href="">Show the new messages</a>';
    main.insertBefore(box, main.firstChild);
  }

  function poll() {
    fetch("/live", { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (data) {
      if (!data) return;
      setCounts(data.counts);
      if (stamp !== null && data.stamp !== stamp) {
        if (document.getElementById("threads")) reloadList();
        else if (document.querySelector("article.thread")) reloadThread();
      }
      stamp = data.stamp;
    }).catch(function () {});
  }

  /* presence: who else views this thread or writes a reply to it */
  var thread = document.querySelector("article.thread");
  var writing = false;
  function presence() {
    if (!thread) return;
    var ref = thread.getAttribute("data-ref");
    var body = "csrf=" + encodeURIComponent(csrf) + "&state=" + (writing ? "writing" : "viewing");
    fetch("/t/" + encodeURIComponent(ref) + "/presence", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: body
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      var box = document.getElementById("presence");
      if (!box) {
        /* this line, kept up to date, replaces the list the page came with */
        var first = thread.querySelector("ul.presence");
        if (first) first.remove();
        box = document.createElement("p");
        box.id = "presence";
        box.className = "presence";
        box.setAttribute("role", "status");
        thread.insertBefore(box, thread.children[1] || null);
      }
      var others = data.others.map(function (o) {
        return o.user + (o.state === "writing" ? " is writing a reply" : " is viewing");
      });
      box.textContent = others.join("; ");
      box.hidden = others.length === 0;
    }).catch(function () {});
  }
  var reply = document.getElementById("reply-text");
  if (reply) reply.addEventListener("input", function () {
    if (!writing) { writing = true; presence(); }
  });

  /* keys: j/k move, Enter opens, r reply, n note, a take, / search, ? help */
  var rows = function () { return Array.prototype.slice.call(document.querySelectorAll("table.threads tbody tr")); };
  var current = -1;
  function select(i) {
    var list = rows();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (tr, k) { tr.classList.toggle("selected", k === current); });
    var link = list[current].querySelector("td.ref a");
    if (link) link.focus();
  }
  var help = document.getElementById("help");
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
    var k = e.key;
    if (k === "j") { select(current + 1); e.preventDefault(); }
    else if (k === "k") { select(current - 1); e.preventDefault(); }
    else if (k === "Enter" && current >= 0) {
      var a = rows()[current].querySelector("td.ref a");
      if (a) { location.href = a.href; e.preventDefault(); }
    }
    else if (k === "r" && document.getElementById("reply-text")) { document.getElementById("reply-text").focus(); e.preventDefault(); }
    else if (k === "n" && document.getElementById("note-text")) { document.getElementById("note-text").focus(); e.preventDefault(); }
    else if (k === "a") { var b = document.querySelector('[data-key="a"]'); if (b) { b.click(); e.preventDefault(); } }
    else if (k === "/") { var q = document.getElementById("q"); if (q) { q.focus(); e.preventDefault(); } }
    else if (k === "?" && help) {
      help.hidden = !help.hidden;
      if (!help.hidden) help.innerHTML = "<h2>Keyboard</h2><dl><dt>j / k</dt><dd>next / previous thread</dd><dt>Enter</dt><dd>open it</dd><dt>r</dt><dd>write a reply</dd><dt>n</dt><dd>write a note</dd><dt>a</dt><dd>take the thread</dd><dt>/</dt><dd>search</dd><dt>?</dt><dd>this list</dd></dl>";
      e.preventDefault();
    }
    else if (k === "Escape" && help && !help.hidden) { help.hidden = true; }
  });

  /* Only a signed-in page (it carries the session's form token) polls: for anyone else /live
   * answered with the sign-in page, which set a new form cookie and so spoiled the token of
   * the sign-in form under it (every sign-in was refused; /live now answers 403). */
  if (csrf) {
    poll();
    setInterval(poll, 4000);
  }
  if (thread) { presence(); setInterval(presence, 5000); }
})();

/* The agent's live chat page: new messages arrive by server-sent events; replies are sent
 * without reloading; typing "/" offers the canned replies (the chat's language first). Text is
 * inserted as text, never as HTML. */
(function () {
  "use strict";
  var log = document.getElementById("live-log");
  if (!log) { return; }
  var conversation = log.getAttribute("data-conversation");
  function markRead(line) {
    if (line.kind === "user" && window.ShopmateConsole) { window.ShopmateConsole.markRead(conversation, line.id); }
  }
  function add(line) {
    var item = document.createElement("li");
    item.className = line.kind;
    var who = document.createElement("strong");
    who.textContent = line.agent || line.kind;
    item.appendChild(who);
    item.appendChild(document.createTextNode(": " + line.text));
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }
  var after = log.getAttribute("data-after") || "0";
  markRead({ kind: "user", id: Number(log.getAttribute("data-last-user") || 0) });
  var source = new EventSource(log.getAttribute("data-stream") + "?after=" + encodeURIComponent(after));
  source.onmessage = function (event) {
    var line = JSON.parse(event.data);
    after = String(line.id);
    add(line);
    markRead(line);
  };
  var form = document.getElementById("live-reply");
  if (!form) { return; }
  var text = document.getElementById("live-text");
  var list = document.getElementById("canned-list");
  var replies = [];
  var shown = [];
  var active = 0;
  fetch(log.getAttribute("data-canned"), { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : { replies: [] }; })
    .then(function (data) { replies = data.replies || []; });

  function hide() { list.hidden = true; list.textContent = ""; shown = []; text.setAttribute("aria-expanded", "false"); }
  function render() {
    list.textContent = "";
    shown.forEach(function (reply, i) {
      var option = document.createElement("li");
      option.setAttribute("role", "option");
      option.id = "canned-" + i;
      option.setAttribute("aria-selected", i === active ? "true" : "false");
      var key = document.createElement("strong");
      key.textContent = "/" + reply.shortcut + " ";
      option.appendChild(key);
      option.appendChild(document.createTextNode(reply.text + " (" + reply.language + ")"));
      option.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
      list.appendChild(option);
    });
    list.hidden = shown.length === 0;
    text.setAttribute("aria-expanded", shown.length ? "true" : "false");
    if (shown.length) { text.setAttribute("aria-activedescendant", "canned-" + active); }
  }
  function pick(i) { text.value = shown[i].text; hide(); text.focus(); }
  text.addEventListener("input", function () {
    var value = text.value;
    if (value.charAt(0) !== "/" || value.indexOf(" ") >= 0) { hide(); return; }
    var typed = value.slice(1).toLowerCase();
    shown = replies.filter(function (r) { return r.shortcut.indexOf(typed) === 0; });
    active = 0;
    render();
  });
  text.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      render();
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape") {
      hide();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!text.value.trim()) { return; }
    fetch(form.action, { method: "POST", headers: { "X-Requested-With": "fetch" }, body: new URLSearchParams(new FormData(form)) })
      .then(function (response) { if (response.ok) { text.value = ""; } else { alert("Not sent: " + response.status); } });
  });
})();

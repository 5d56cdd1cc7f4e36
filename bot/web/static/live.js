/* The agent's live chat page: new messages arrive by server-sent events; replies are sent
 * without reloading. Text is inserted as text, never as HTML. */
(function () {
  "use strict";
  var log = document.getElementById("live-log");
  if (!log) { return; }
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
  var source = new EventSource(log.getAttribute("data-stream") + "?after=" + encodeURIComponent(after));
  source.onmessage = function (event) {
    var line = JSON.parse(event.data);
    after = String(line.id);
    add(line);
  };
  var form = document.getElementById("live-reply");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = document.getElementById("live-text");
    if (!text.value.trim()) { return; }
    fetch(form.action, { method: "POST", headers: { "X-Requested-With": "fetch" }, body: new URLSearchParams(new FormData(form)) })
      .then(function (response) { if (response.ok) { text.value = ""; } else { alert("Not sent: " + response.status); } });
  });
})();

/* Shopmate chat widget: embed with one tag
 *   <script src="https://shopmate.example/static/shopmate-widget.js" data-server="https://rasa.example"></script>
 * (optional: data-title; data-identity-url, the shop's endpoint that links its visitor to this chat,
 * default: the demo shop's /widget/identity). It loads the pinned socket.io client from the same origin.
 * The conversation secret (Rasa's sender id, 128 random bits) is made here, kept in localStorage so a
 * reload keeps the conversation, and sent only to Rasa and to the history, identity and hello endpoints.
 * All shopper and bot text is inserted as text, never as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  var server = script.getAttribute("data-server") || "http://localhost:5005";
  var customTitle = script.getAttribute("data-title");
  var pageLanguage = document.documentElement.lang || navigator.language || "en";
  // The widget's words in the page's language, from the web app's message catalogs (/widget/labels);
  // these English ones show until they arrive, or if they cannot.
  var L = {
    title: "Shop assistant", open: "Chat with us", open_new: "Chat with us (new message)", close: "Close chat",
    input: "Your message", placeholder: "Ask about products, shipping, returns…", send: "Send",
    comparison: "Comparison", typing: "The assistant is typing…",
    history_failed: "Earlier messages could not be loaded.", connection_lost: "Connection lost, reconnecting…",
    reconnected: "Reconnected.", load_failed: "The chat could not load; please reload the page.",
    agent_joined: "{agent} joined the chat", agent_left: "{agent} left the chat; the assistant answers again."
  };
  var title = customTitle || L.title;
  var webBase = new URL(script.src, location.href).origin;
  var identityUrl = script.getAttribute("data-identity-url") || webBase + "/widget/identity";
  var KEY = "shopmate.conversation";
  var MAX_TEXT = 2000;
  var sessionId = localStorage.getItem(KEY);
  if (!/^[0-9a-f]{32}$/.test(sessionId || "")) {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    sessionId = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    localStorage.setItem(KEY, sessionId);
  }
  var identity = null;  // the shop's signed link between its visitor and this conversation
  window.Shopmate = { visitorId: null };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  var style = el("style");
  style.textContent =
    "#shopmate{position:fixed;right:1rem;bottom:1rem;font-family:system-ui,sans-serif;z-index:9999}" +
    "#shopmate-toggle{background:#20304a;color:#fff;border:0;border-radius:2rem;padding:.8rem 1.2rem;cursor:pointer}" +
    "#shopmate-panel{width:min(380px,92vw);height:520px;background:#fff;border-radius:10px;box-shadow:0 4px 20px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}" +
    "#shopmate-panel[hidden]{display:none}#shopmate-head{background:#20304a;color:#fff;padding:.6rem .9rem;display:flex;justify-content:space-between}" +
    "#shopmate-log{flex:1;overflow-y:auto;padding:.6rem;display:flex;flex-direction:column;gap:.4rem}" +
    ".sm-msg{max-width:85%;padding:.45rem .7rem;border-radius:10px;white-space:pre-wrap;line-height:1.35}" +
    ".sm-user{align-self:flex-end;background:#dbe7ff}.sm-bot{align-self:flex-start;background:#f0f1f3}" +
    ".sm-agent{align-self:flex-start;background:#fff4d6}.sm-note{align-self:center;font-size:.8rem;color:#555}" +
    ".sm-card{align-self:flex-start;display:flex;gap:.6rem;border:1px solid #d5d8de;border-radius:.6rem;padding:.5rem;max-width:90%;background:#fff}" +
    ".sm-card img{width:72px;height:72px;object-fit:cover;border-radius:.4rem}.sm-card-body{display:flex;flex-direction:column;gap:.25rem}" +
    ".sm-price{margin:0}.sm-price s{color:#6b7280;margin-left:.3rem}.sm-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}" +
    ".sm-add{align-self:flex-start;border:0;background:#20304a;color:#fff;border-radius:1rem;padding:.3rem .8rem;cursor:pointer}.sm-add:disabled{opacity:.6}" +
    ".sm-buttons{display:flex;flex-wrap:wrap;gap:.3rem}.sm-buttons button{border:1px solid #20304a;background:#fff;border-radius:1rem;padding:.25rem .7rem;cursor:pointer}" +
    ".sm-table{border-collapse:collapse;font-size:.8rem;align-self:stretch}.sm-table th,.sm-table td{border:1px solid #ccd;padding:.25rem;vertical-align:top;text-align:left}" +
    "#shopmate-status{font-size:.8rem;color:#a33;padding:0 .6rem}#shopmate-typing{font-size:.8rem;color:#666;padding:0 .6rem}" +
    "#shopmate-form{display:flex;border-top:1px solid #ddd}#shopmate-form input{flex:1;border:0;padding:.7rem}#shopmate-form button{border:0;background:#20304a;color:#fff;padding:0 1rem}";
  document.head.appendChild(style);

  var root = el("div", { id: "shopmate" });
  var toggle = el("button", { id: "shopmate-toggle", "aria-expanded": "false", "aria-controls": "shopmate-panel" }, L.open);
  var panel = el("section", { id: "shopmate-panel", role: "dialog", "aria-label": title, hidden: "" });
  var head = el("div", { id: "shopmate-head" });
  var heading = el("strong", {}, title);
  head.appendChild(heading);
  var close = el("button", { "aria-label": L.close, style: "background:none;border:0;color:#fff;cursor:pointer" }, "×");
  head.appendChild(close);
  var log = el("div", { id: "shopmate-log", role: "log", "aria-live": "polite", "aria-relevant": "additions" });
  var typing = el("div", { id: "shopmate-typing", "aria-live": "polite" });
  var status = el("div", { id: "shopmate-status", role: "status" });
  var form = el("form", { id: "shopmate-form" });
  var input = el("input", { id: "shopmate-input", type: "text", autocomplete: "off", maxlength: String(MAX_TEXT), "aria-label": L.input, placeholder: L.placeholder });
  var send = el("button", { type: "submit" }, L.send);
  form.appendChild(input); form.appendChild(send);
  [head, log, typing, status, form].forEach(function (n) { panel.appendChild(n); });
  root.appendChild(panel); root.appendChild(toggle);
  document.body.appendChild(root);

  function applyLabels(labels) {
    Object.keys(L).forEach(function (k) { if (typeof labels[k] === "string") { L[k] = labels[k]; } });
    title = customTitle || L.title;
    heading.textContent = title;
    panel.setAttribute("aria-label", title);
    toggle.textContent = L.open;
    close.setAttribute("aria-label", L.close);
    input.setAttribute("aria-label", L.input);
    input.setAttribute("placeholder", L.placeholder);
    send.textContent = L.send;
  }
  function loadLabels() {
    return fetch(webBase + "/widget/labels?lang=" + encodeURIComponent(pageLanguage.slice(0, 35)))
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(applyLabels)
      .catch(function () { /* keep the English labels */ });
  }

  function setOpen(open) {
    if (open) { panel.removeAttribute("hidden"); input.focus(); } else { panel.setAttribute("hidden", ""); toggle.focus(); }
    toggle.setAttribute("aria-expanded", String(open));
    sessionStorage.setItem("shopmate.open", open ? "1" : "");
  }
  toggle.addEventListener("click", function () {
    toggle.textContent = L.open;
    setOpen(panel.hasAttribute("hidden"));
  });
  close.addEventListener("click", function () { setOpen(false); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { setOpen(false); } });
  if (sessionStorage.getItem("shopmate.open") || location.hash === "#chat") { setOpen(true); }

  function add(node) { log.appendChild(node); log.scrollTop = log.scrollHeight; }
  function addText(text, who) { add(el("div", { "class": "sm-msg sm-" + who }, text)); }

  function addTable(data) {
    var table = el("table", { "class": "sm-table sm-comparison" });
    table.appendChild(el("caption", {}, L.comparison));
    var row = el("tr"); row.appendChild(el("th", { scope: "col" }, ""));
    (data.products || []).forEach(function (p) { row.appendChild(el("th", { scope: "col" }, p.name)); });
    table.appendChild(row);
    (data.rows || []).forEach(function (r) {
      var tr = el("tr"); tr.appendChild(el("th", { scope: "row" }, r.label));
      (r.values || []).forEach(function (v) { tr.appendChild(el("td", {}, v)); });
      table.appendChild(tr);
    });
    add(table);
  }

  // A product under its answer: image, name (a link to its page), price and the price before a sale,
  // and "add to cart", which the shop's page receives as a "shopmate:add-to-cart" DOM event with the SKU.
  function safeUrl(url) { return typeof url === "string" && /^(https?:\/\/|\/(?!\/))/i.test(url) ? url : null; }
  function addCard(p) {
    var labels = p.labels || {};
    var card = el("div", { "class": "sm-card", role: "group", "aria-label": p.name });
    var image = safeUrl(p.image);
    if (image) {
      var picture = el("img", { src: image, alt: "", loading: "lazy" });
      picture.addEventListener("error", function () { picture.remove(); });  // a missing image leaves no hole
      card.appendChild(picture);
    }
    var body = el("div", { "class": "sm-card-body" });
    var url = safeUrl(p.url);
    body.appendChild(url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer",
                                     title: labels.open || "" }, p.name) : el("strong", {}, p.name));
    var price = el("p", { "class": "sm-price" });
    price.appendChild(el("span", {}, p.price));
    if (p.was) {
      price.appendChild(document.createTextNode(" "));
      price.appendChild(el("span", { "class": "sm-hidden" }, (labels.was || "was") + " "));
      price.appendChild(el("s", {}, p.was));
    }
    body.appendChild(price);
    if (p.in_stock) {
      var addButton = el("button", { type: "button", "class": "sm-add" }, labels.add || "Add to cart");
      addButton.addEventListener("click", function () {
        window.dispatchEvent(new CustomEvent("shopmate:add-to-cart", {
          detail: { sku: p.sku, name: p.name, price_eur: p.price_eur } }));
        addButton.disabled = true;
      });
      body.appendChild(addButton);
    }
    card.appendChild(body);
    add(card);
  }

  // The pages an answer from the shop's own FAQ or policy pages comes from (http(s) links only).
  function addLinks(data) {
    var box = el("p", { "class": "sm-links" });
    (data.links || []).forEach(function (link) {
      var url = safeUrl(link);
      if (url) { box.appendChild(el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, data.label || url)); }
    });
    if (box.childNodes.length) { add(box); }
  }

  function addButtons(buttons) {
    var box = el("div", { "class": "sm-buttons" });
    buttons.forEach(function (b) {
      var button = el("button", { type: "button" }, b.title);
      button.addEventListener("click", function () { say(b.payload, b.title); box.remove(); });
      box.appendChild(button);
    });
    add(box);
  }

  var socket = null;
  var pending = [];
  var confirmed = false;
  // The message sent and not yet answered. If the connection drops first (its Rasa process died),
  // it is sent again on reconnect with the same id: the server answers it from its record if it
  // already took it, so it is never answered twice.
  var unanswered = null;
  var counter = 0;
  var withPerson = false;  // an agent joined and has not left: no "assistant is typing"

  function messageId() {
    counter += 1;
    return sessionId.slice(0, 16) + "-" + Date.now().toString(36) + "-" + counter;
  }
  function emit(message) {
    unanswered = message;
    socket.emit("user_uttered", {
      message: message.text, session_id: sessionId,
      metadata: { identity: identity || undefined, language: pageLanguage, page: location.pathname.slice(0, 300),
                  message_id: message.id }
    });
    // While a person has the chat, nobody types "as the assistant": the agent's reply comes when it comes.
    typing.textContent = withPerson ? "" : L.typing;
  }
  function say(payload, shown) {
    addText(shown || payload, "user");
    var message = { text: payload, id: messageId() };
    if (confirmed) { emit(message); } else { pending.push(message); }
  }

  function showBot(msg, live) {
    var kind = msg.type || (msg.custom && msg.custom.type);
    if (kind === "agent_joined" || kind === "agent") { withPerson = true; }
    if (kind === "agent_left") { withPerson = false; }
    if (msg.type === "agent") { addText((msg.agent || "") + ": " + msg.text, "agent"); return; }
    if (msg.type === "agent_joined" || msg.type === "agent_left") {
      addText(L[msg.type].replace("{agent}", msg.agent || ""), "note");
      return;
    }
    if (msg.text) { addText(msg.text, "bot"); }
    var buttons = msg.quick_replies || msg.buttons;
    if (live && buttons && buttons.length) { addButtons(buttons); }
    var data = msg.type === "comparison" || msg.type === "product" || msg.type === "links" ? msg : msg.custom;
    if (data && data.type === "comparison") { addTable(data); }
    if (data && data.type === "product") { addCard(data); }
    if (data && data.type === "links") { addLinks(data); }
  }

  // A reload keeps the conversation: replay it from the web app, then connect for new messages.
  function loadHistory() {
    return fetch(webBase + "/widget/history", { method: "POST", headers: { "Content-Type": "application/json" },
                                                body: JSON.stringify({ conversation: sessionId }) })
      .then(function (r) { return r.ok ? r.json() : { messages: [] }; })
      .then(function (data) {
        var messages = data.messages || [];
        messages.forEach(function (m, i) {
          if (m.from === "user") { addText(m.text, "user"); } else { showBot(m, i === messages.length - 1); }
        });
      })
      .catch(function () { status.textContent = L.history_failed; });
  }

  function loadSocketIo() {
    return new Promise(function (resolve, reject) {
      if (window.io) { resolve(); return; }
      var loader = el("script", { src: webBase + "/vendor/socket.io.min.js" });
      loader.onload = resolve;
      loader.onerror = reject;
      document.head.appendChild(loader);
    });
  }

  function connect() {
    // WebSocket only: one connection stays on one Rasa process, so a load balancer needs no
    // sticky sessions (socket.io's long-polling sends each request anew and would need them).
    socket = io(server, { path: "/socket.io", transports: ["websocket"] });
    socket.on("connect", function () {
      status.textContent = "";
      socket.emit("session_request", { session_id: sessionId });
    });
    socket.on("session_confirm", function () {
      confirmed = true;
      if (unanswered) { pending.unshift(unanswered); }
      pending.splice(0).forEach(emit);
    });
    socket.on("disconnect", function () { confirmed = false; status.textContent = L.connection_lost; });
    socket.io.on("reconnect", function () { status.textContent = L.reconnected; });
    socket.on("bot_uttered", function (msg) {
      unanswered = null;
      typing.textContent = "";
      showBot(msg, true);
      if (panel.hasAttribute("hidden")) { toggle.textContent = L.open_new; }
    });
  }

  // Who the shopper is comes from the shop, signed; without it the chat is anonymous (no cart, no points).
  function loadIdentity() {
    return fetch(identityUrl, { method: "POST", credentials: "include", headers: { "Content-Type": "application/json" },
                                body: JSON.stringify({ conversation: sessionId }) })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (data) {
        identity = data.identity || null;
        window.Shopmate.visitorId = data.visitor_id || null;
        document.dispatchEvent(new CustomEvent("shopmate:identity", { detail: { visitorId: window.Shopmate.visitorId } }));
      })
      .catch(function () { identity = null; });
  }

  // The page loaded: the shop's lifecycle playbooks may have a message for this visitor (a welcome,
  // "welcome back", a follow-up on their order); it is shown like any reply, flagged on a closed widget.
  function greet() {
    return fetch(webBase + "/widget/hello", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ conversation: sessionId, identity: identity || undefined, language: pageLanguage.slice(0, 35) })
    })
      .then(function (r) { return r.ok ? r.json() : { messages: [] }; })
      .then(function (data) {
        var messages = data.messages || [];
        messages.forEach(function (m) { showBot(m, true); });
        if (messages.length && panel.hasAttribute("hidden")) { toggle.textContent = L.open_new; }
      })
      .catch(function () { /* no greeting: the chat works without it */ });
  }

  loadLabels().then(loadHistory).then(loadIdentity).then(function () { greet(); return loadSocketIo(); })
    .then(connect, function () {
    status.textContent = L.load_failed;
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    say(text);
  });
})();

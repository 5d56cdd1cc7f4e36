/* Every support page polls the console's pulse: the tab title counts shoppers waiting plus the
 * owned chats with an unread shopper message; a rise plays a short tone and, once the agent has
 * allowed it (asked once, on a click), shows a desktop notification. Polling also keeps the agent
 * counted as available for live chats while they are "online". */
(function () {
  "use strict";
  var url = document.body.getAttribute("data-pulse");
  if (!url) { return; }
  var base = document.title;
  var count = document.getElementById("pulse-count");
  var enable = document.getElementById("notify-enable");
  var last = null;
  var ASKED = "shopmate.notify.asked";

  function readMark(conversation) { return Number(localStorage.getItem("shopmate.read." + conversation) || 0); }
  window.ShopmateConsole = {
    markRead: function (conversation, messageId) {
      if (messageId > readMark(conversation)) { localStorage.setItem("shopmate.read." + conversation, String(messageId)); }
    }
  };

  if (enable && "Notification" in window && Notification.permission === "default" && !localStorage.getItem(ASKED)) {
    enable.hidden = false;
    enable.addEventListener("click", function () {
      localStorage.setItem(ASKED, "1");
      enable.hidden = true;
      Notification.requestPermission();
    });
  }

  function tone() {
    try {
      var Context = window.AudioContext || window.webkitAudioContext;
      var audio = new Context();
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.08;
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.15);
    } catch (e) { /* no audio on this machine: the title still counts */ }
  }

  function show(pulse) {
    var unread = 0;
    Object.keys(pulse.mine || {}).forEach(function (conversation) {
      if (pulse.mine[conversation] > readMark(conversation)) { unread += 1; }
    });
    var total = pulse.waiting + unread;
    document.title = (total ? "(" + total + ") " : "") + base;
    count.textContent = total ? String(total) : "";
    document.body.setAttribute("data-presence", pulse.presence);
    document.body.setAttribute("data-waiting", String(pulse.waiting));
    document.body.setAttribute("data-unread", String(unread));
    if (last !== null && total > last) {
      tone();
      if ("Notification" in window && Notification.permission === "granted") {
        new Notification("Shopmate", {
          body: pulse.waiting + " waiting, " + unread + " unread in your chats", tag: "shopmate-queue"
        });
      }
    }
    last = total;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (pulse) { if (pulse) { show(pulse); } })
      .catch(function () { /* the next poll tries again */ });
  }
  poll();
  setInterval(poll, 5000);
})();

// Nav badge: unread alerts plus chats waiting for an officer, refreshed every 20 s.
(function () {
  "use strict";
  var badge = document.getElementById("nav-badge");
  if (!badge || !window.fetch) {
    return;
  }
  var url = document.querySelector("link[rel=stylesheet]").getAttribute("href").replace(/\/static\/.*$/, "/badge");

  function update() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (reply) { return reply.ok ? reply.json() : null; })
      .then(function (counts) {
        if (!counts) {
          return;
        }
        badge.textContent = String(counts.total);
        badge.hidden = counts.total === 0;
        badge.title = counts.waiting + " percakapan menunggu, " + counts.alerts + " peringatan belum dibaca";
      })
      .catch(function () { /* offline for a moment: try again next round */ });
  }

  update();
  window.setInterval(update, 20000);
})();

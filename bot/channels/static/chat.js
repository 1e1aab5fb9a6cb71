// Aduan web chat: talks to the gateway's /web/api endpoints. No dependencies
// except the vendored Leaflet, and the page works without it (lat/lon fields).
(function () {
  "use strict";
  const JAKARTA = [-6.2, 106.83];
  const TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
  const NEWS_POLL_MS = 3000;
  const log = document.getElementById("log");
  const typing = document.getElementById("typing");
  const text = document.getElementById("text");
  const locator = document.getElementById("locator");
  const lat = document.getElementById("lat");
  const lon = document.getElementById("lon");
  let map = null;
  let marker = null;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  }

  // The chat's secret is an HttpOnly cookie the server sets (POST /web/api/session):
  // this script never sees it and sends no chat id, in a URL or anywhere else.
  localStorage.removeItem("aduan.sender"); // the old scheme's id is no credential
  let session = null;
  function startSession() {
    if (!session) {
      session = fetch("/web/api/session", { method: "POST" }).then((response) => {
        if (!response.ok) throw new Error("HTTP " + response.status);
      });
      session.catch(() => { session = null; });
    }
    return session;
  }

  // A request in the chat's session; a session the server no longer knows (the
  // cookie was cleared or expired) is started again, once.
  async function api(url, init) {
    await startSession();
    let response = await fetch(url, init);
    if (response.status === 401) {
      session = null;
      await startSession();
      response = await fetch(url, init);
    }
    return response;
  }

  function add(who, body, buttons, image) {
    const item = document.createElement("li");
    item.className = who;
    if (image && /^https?:\/\//.test(image)) {
      const picture = document.createElement("img");
      picture.src = image;
      picture.alt = "Gambar dari petugas";
      picture.className = "picture";
      item.appendChild(picture);
    }
    if (body) {
      const bubble = document.createElement("div");
      bubble.className = "bubble";
      bubble.textContent = body;
      item.appendChild(bubble);
    }
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      for (const b of buttons) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.title || b.payload;
        button.addEventListener("click", () => {
          row.querySelectorAll("button").forEach((x) => { x.disabled = true; });
          send({ payload: b.payload, title: b.title || null }, b.title || b.payload);
        });
        row.appendChild(button);
      }
      item.appendChild(row);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function showReply(r) {
    const hasButtons = r.buttons && r.buttons.length;
    if (r.text || hasButtons || r.image) {
      add("bot", r.text || (hasButtons ? "Silakan pilih:" : ""), r.buttons, r.image);
    }
    if (r.request_location) openLocator();
  }

  function showReplies(data) {
    for (const r of data.replies || []) showReply(r);
  }

  // News nobody asked for just now (an officer's reply, a status change) waits in
  // the gateway until acknowledged; reading it deletes nothing, and the last id
  // shown survives a page reload, so nothing is shown twice or lost.
  let lastNews = parseInt(localStorage.getItem("aduan.news") || "0", 10) || 0;
  let acknowledged = 0;
  async function pollNews() {
    try {
      const response = await api("/web/api/inbox?after=" + lastNews);
      if (response.ok) {
        for (const m of (await response.json()).messages || []) {
          if (m.id <= lastNews) continue;
          showReply(m);
          lastNews = m.id;
          localStorage.setItem("aduan.news", String(lastNews));
        }
      }
      if (lastNews > acknowledged) {
        const ack = await api("/web/api/inbox/ack", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ upto: lastNews }),
        });
        if (ack.ok) acknowledged = lastNews;
      }
    } catch (e) {
      // offline for a moment: the next poll reads the same news again
    }
    window.setTimeout(pollNews, NEWS_POLL_MS);
  }

  async function post(url, init, shown) {
    if (shown) add("me", shown);
    typing.hidden = false;
    try {
      const response = await api(url, init);
      // 413 (photo too large) and 429 (too many messages from here) carry a reply.
      const answered = response.ok || response.status === 413 || response.status === 429;
      if (!answered) throw new Error("HTTP " + response.status);
      showReplies(await response.json());
    } catch (e) {
      add("bot", "Maaf, pesan belum terkirim. Periksa koneksi Anda lalu coba lagi.");
    } finally {
      typing.hidden = true;
    }
  }

  function send(fields, shown) {
    const body = JSON.stringify(Object.assign({ id: newId() }, fields));
    return post("/web/api/messages", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: body,
    }, shown);
  }

  document.getElementById("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    text.value = "";
    send({ text: value }, value);
  });

  const photo = document.getElementById("photo");
  document.getElementById("photo-button").addEventListener("click", () => photo.click());
  photo.addEventListener("change", () => {
    const file = photo.files && photo.files[0];
    if (!file) return;
    const form = new FormData();
    form.append("id", newId());
    form.append("file", file);
    photo.value = "";
    post("/web/api/photos", { method: "POST", body: form }, "📷 " + file.name);
  });

  function place(latitude, longitude) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    if (!map) return;
    if (marker) marker.setLatLng([latitude, longitude]);
    else marker = window.L.marker([latitude, longitude]).addTo(map);
  }

  function openLocator() {
    locator.hidden = false;
    if (map || !window.L) return;
    try {
      map = window.L.map("map").setView(JAKARTA, 12);
      window.L.tileLayer(TILES, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
      map.on("click", (e) => place(e.latlng.lat, e.latlng.lng));
    } catch (e) {
      map = null;
      document.getElementById("map").hidden = true;
    }
  }

  document.getElementById("location-button").addEventListener("click", openLocator);
  document.getElementById("close-location").addEventListener("click", () => { locator.hidden = true; });
  document.getElementById("here").addEventListener("click", () => {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition((p) => {
      place(p.coords.latitude, p.coords.longitude);
      if (map) map.setView([p.coords.latitude, p.coords.longitude], 16);
    });
  });
  document.getElementById("send-location").addEventListener("click", () => {
    const la = parseFloat(lat.value);
    const lo = parseFloat(lon.value);
    if (!isFinite(la) || !isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      add("bot", "Pilih titik di peta atau isi lintang dan bujur dulu ya.");
      return;
    }
    locator.hidden = true;
    send({ latitude: la, longitude: lo }, "📍 " + la.toFixed(5) + ", " + lo.toFixed(5));
  });

  send({ payload: "/greet" }, null);
  pollNews();
})();

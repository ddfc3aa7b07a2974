/* Check-in with or without signal (docs/offline.md).
 *
 * The list of delegates is kept on the phone (IndexedDB, js/pwa.js); each tap becomes a
 * record with an id made here and the moment it happened, queued on the phone and sent
 * when there is signal (automatically, or with "Kirim sekarang"). The server applies
 * each id once and keeps the earliest moment. */
(function () {
  "use strict";

  var root = document.getElementById("offline-checkin");
  if (!root) { return; }
  var R = window.Rombongan;
  var t = root.dataset;
  var eventId = parseInt(t.eventId, 10);
  var list = null;       // {event_id, saved_at, event, delegates}
  var queue = [];        // records of this event not yet sent
  var LIMIT = 50;

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* Each delegate's status on this phone: the saved list, then the queue on top. */
  function present() {
    var state = {};
    (list ? list.delegates : []).forEach(function (d) {
      state[d.id] = d.status === "attended" ? (d.attended_at || "") : null;
    });
    queue.slice().sort(function (a, b) { return a.at < b.at ? -1 : 1; }).forEach(function (r) {
      if (r.action === "in" && !state[r.delegate_id]) { state[r.delegate_id] = r.at; }
      if (r.action === "undo") { state[r.delegate_id] = null; }
    });
    return state;
  }

  function timeOf(iso) {
    if (!iso) { return ""; }
    return new Date(iso).toLocaleTimeString(document.documentElement.lang || "id", {hour: "2-digit", minute: "2-digit"});
  }

  function renderStatus() {
    var status = document.getElementById("sync-status");
    var parts = [];
    if (!navigator.onLine) { parts.push(t.tOffline); }
    parts.push(queue.length ? fill(t.tWaiting, {n: queue.length}) : t.tAllSent);
    status.textContent = parts.join(" · ");
    status.dataset.waiting = String(queue.length);
    document.getElementById("saved-at").textContent = list
      ? fill(t.tSaved, {time: new Date(list.saved_at).toLocaleString(document.documentElement.lang || "id")})
      : t.tNotSaved;
    var state = present();
    var ids = Object.keys(state);
    var attended = ids.filter(function (id) { return state[id] !== null; }).length;
    var expected = (list ? list.delegates : []).filter(function (d) { return d.status !== "nominated"; }).length;
    var extra = ids.filter(function (id) {
      return state[id] !== null && list.delegates.some(function (d) { return String(d.id) === id && d.status === "nominated"; });
    }).length;
    document.getElementById("offline-totals").textContent = fill(t.tTotals, {a: attended, b: expected + extra});
  }

  function renderResults() {
    var ul = document.getElementById("offline-results");
    var q = document.getElementById("offline-q").value.trim().toLowerCase();
    ul.textContent = "";
    if (!list || q.length < 2) { return; }
    var state = present();
    var found = list.delegates.filter(function (d) { return d.name.toLowerCase().indexOf(q) !== -1; });
    if (!found.length) {
      var none = document.createElement("li");
      none.className = "list-group-item";
      none.textContent = t.tNoMatch;
      ul.appendChild(none);
      return;
    }
    found.slice(0, LIMIT).forEach(function (d) {
      var li = document.createElement("li");
      li.className = "list-group-item py-3 d-flex flex-column flex-sm-row gap-2 align-items-sm-center";
      var who = document.createElement("div");
      who.className = "flex-grow-1 text-break";
      var name = document.createElement("div");
      name.className = "fw-semibold fs-5";
      name.textContent = d.name;
      var from = document.createElement("div");
      from.className = "small text-muted";
      from.textContent = d.delegation;
      who.appendChild(name);
      who.appendChild(from);
      li.appendChild(who);
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.delegateId = d.id;
      if (state[d.id] !== null && state[d.id] !== undefined) {
        button.className = "btn btn-lg btn-outline-success";
        button.textContent = "\u2713 " + t.tPresent + " " + timeOf(state[d.id]) + " \u00b7 " + t.tUndo;
        button.dataset.action = "undo";
      } else {
        button.className = "btn btn-lg btn-success px-4";
        button.textContent = t.tPresent;
        button.dataset.action = "in";
      }
      li.appendChild(button);
      ul.appendChild(li);
    });
  }

  function render() {
    renderStatus();
    renderResults();
  }

  function loadQueue() {
    return R.store.queueAll().then(function (records) {
      queue = records.filter(function (r) { return r.event_id === eventId; });
    });
  }

  function refreshList() {
    return fetch(t.listUrl, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      var saved = {event_id: eventId, saved_at: new Date().toISOString(), event: data.event, delegates: data.delegates};
      return R.store.listPut(saved).then(function () { list = saved; });
    });
  }

  function send() {
    if (!navigator.onLine) { render(); return Promise.resolve(); }
    return R.sendQueue().then(loadQueue, loadQueue).then(function () {
      return queue.length ? null : refreshList().catch(function () {});
    }).then(render);
  }

  function tap(delegateId, action) {
    var record = {
      id: newId(), event_id: eventId, delegate_id: delegateId, action: action,
      at: new Date().toISOString(), sync_url: t.syncUrl
    };
    return R.store.queuePut(record).then(loadQueue).then(function () {
      render();
      return send();
    });
  }

  /* Fetch the list (and the pages to keep) while there is signal. */
  function save() {
    var button = document.getElementById("save-offline");
    button.disabled = true;
    button.textContent = t.tSaving;
    var urls = JSON.parse(t.keepUrls || "[]");
    var pages = urls.map(function (url) {
      return fetch(url, {credentials: "same-origin", headers: {"X-Offline-Save": "1"}}).catch(function () {});
    });
    return Promise.all([refreshList()].concat(pages)).catch(function () {}).then(function () {
      button.disabled = false;
      button.textContent = button.dataset.label;
      render();
    });
  }

  document.addEventListener("rombongan:sent", function (event) {
    var messages = event.detail.messages || {};
    var box = document.getElementById("offline-messages");
    var lines = Object.keys(messages).map(function (id) {
      var record = queue.filter(function (r) { return r.id === id; })[0];
      var d = record && list ? list.delegates.filter(function (x) { return x.id === record.delegate_id; })[0] : null;
      return fill(t.tRefused, {name: d ? d.name : "", reason: messages[id]});
    });
    box.textContent = lines.join(" ");
  });


  /* Scanning a card's QR code with the camera: the browser's BarcodeDetector where it
   * exists, otherwise the vendored jsQR (stored by the service worker, so offline too). */
  var scan = {stream: null, timer: null, detector: null, canvas: null, last: "", lastAt: 0};

  function loadJsQR() {
    if (window.jsQR) { return Promise.resolve(); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = t.jsqrUrl;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function decode(video) {
    if (scan.detector) {
      return scan.detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    var canvas = scan.canvas;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    if (!canvas.width) { return Promise.resolve(null); }
    var context = canvas.getContext("2d", {willReadFrequently: true});
    context.drawImage(video, 0, 0);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
    return Promise.resolve(code ? code.data : null);
  }

  function scanned(value) {
    var out = document.getElementById("scan-result");
    var match = null;
    try {
      match = new URL(value, location.origin).pathname.match(/\/events\/(\d+)\/check-in\/(\d+)$/);
    } catch (e) { match = null; }
    var delegate = match && parseInt(match[1], 10) === eventId && list
      ? list.delegates.filter(function (d) { return d.id === parseInt(match[2], 10); })[0]
      : null;
    if (!delegate) {
      out.textContent = t.tForeign;
      out.className = "fs-5 mt-2 mb-0 text-danger";
      return;
    }
    var state = present();
    if (state[delegate.id]) {
      out.textContent = fill(t.tAlready, {name: delegate.name});
      out.className = "fs-5 mt-2 mb-0 text-success";
      return;
    }
    out.textContent = fill(t.tScanned, {name: delegate.name});
    out.className = "fs-5 mt-2 mb-0 text-success fw-semibold";
    tap(delegate.id, "in");
  }

  function stopScan() {
    clearTimeout(scan.timer);
    if (scan.stream) { scan.stream.getTracks().forEach(function (track) { track.stop(); }); }
    scan.stream = null;
    document.getElementById("scan-video").hidden = true;
    document.getElementById("scan-stop").hidden = true;
    document.getElementById("scan-start").hidden = false;
  }

  function startScan() {
    var video = document.getElementById("scan-video");
    var ready = "BarcodeDetector" in window
      ? Promise.resolve().then(function () { scan.detector = new window.BarcodeDetector({formats: ["qr_code"]}); })
      : loadJsQR().then(function () { scan.canvas = scan.canvas || document.createElement("canvas"); });
    ready.then(function () {
      return navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false});
    }).then(function (stream) {
      scan.stream = stream;
      video.srcObject = stream;
      video.hidden = false;
      document.getElementById("scan-stop").hidden = false;
      document.getElementById("scan-start").hidden = true;
      return video.play();
    }).then(function () {
      var step = function () {
        if (!scan.stream) { return; }
        decode(video).then(function (value) {
          var now = Date.now();
          // The same card held in front of the camera counts once.
          if (value && (value !== scan.last || now - scan.lastAt > 5000)) {
            scan.last = value;
            scan.lastAt = now;
            scanned(value);
          }
        }).catch(function () {}).then(function () { scan.timer = setTimeout(step, 250); });
      };
      step();
    }).catch(function () {
      stopScan();
      var out = document.getElementById("scan-result");
      out.textContent = t.tNoCamera;
      out.className = "fs-5 mt-2 mb-0 text-danger";
    });
  }

  document.getElementById("scan-start").addEventListener("click", startScan);
  document.getElementById("scan-stop").addEventListener("click", stopScan);

  document.getElementById("offline-results").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-delegate-id]");
    if (button) {
      button.disabled = true;
      tap(parseInt(button.dataset.delegateId, 10), button.dataset.action);
    }
  });
  document.getElementById("offline-q").addEventListener("input", renderResults);
  document.getElementById("send-now").addEventListener("click", send);
  var saveButton = document.getElementById("save-offline");
  saveButton.dataset.label = saveButton.textContent;
  saveButton.addEventListener("click", save);
  window.addEventListener("online", send);
  window.addEventListener("offline", render);
  setInterval(function () { if (queue.length) { send(); } }, 30000);

  R.store.listGet(eventId).then(function (stored) { list = stored || null; })
    .then(loadQueue)
    .then(function () {
      render();
      if (navigator.onLine) {
        return send().then(save);
      }
    });
})();

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

/* Installable app, offline bar and sign-out clean-up (docs/offline.md).
 * Loaded on every page; no inline script (the CSP forbids it). */
(function () {
  "use strict";

  var DB_NAME = "rombongan";

  function openStore() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("lists")) {
          db.createObjectStore("lists", {keyPath: "event_id"});
        }
        if (!db.objectStoreNames.contains("queue")) {
          db.createObjectStore("queue", {keyPath: "id"});
        }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(storeName, mode, work) {
    return openStore().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result = work(tx.objectStore(storeName));
        tx.oncomplete = function () { db.close(); resolve(result instanceof IDBRequest ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var store = {
    queueAll: function () { return run("queue", "readonly", function (s) { return s.getAll(); }); },
    queuePut: function (record) { return run("queue", "readwrite", function (s) { s.put(record); }); },
    queueDelete: function (ids) {
      return run("queue", "readwrite", function (s) { ids.forEach(function (id) { s.delete(id); }); });
    },
    listGet: function (eventId) { return run("lists", "readonly", function (s) { return s.get(eventId); }); },
    listPut: function (list) { return run("lists", "readwrite", function (s) { s.put(list); }); },
    forget: function () {
      return new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(DB_NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
    }
  };

  function csrfToken() {
    var meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  /* Send every queued record, event by event; resolves to the number still waiting. */
  function sendQueue() {
    return store.queueAll().then(function (records) {
      var byUrl = {};
      records.forEach(function (r) { (byUrl[r.sync_url] = byUrl[r.sync_url] || []).push(r); });
      var sends = Object.keys(byUrl).map(function (url) {
        var batch = byUrl[url].slice(0, 500);
        return fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
          body: JSON.stringify({records: batch.map(function (r) {
            return {id: r.id, delegate_id: r.delegate_id, action: r.action, at: r.at};
          })})
        }).then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        }).then(function (result) {
          var done = Object.keys(result.outcomes || {});
          document.dispatchEvent(new CustomEvent("rombongan:sent", {detail: result}));
          return store.queueDelete(done);
        }).catch(function () { return null; });
      });
      return Promise.all(sends).then(function () { return store.queueAll(); })
        .then(function (left) { return left.length; });
    });
  }

  function texts() {
    return document.getElementById("pwa-texts").dataset;
  }

  function showBar() {
    var bar = document.getElementById("offline-bar");
    if (!bar) { return; }
    var savedAt = document.body.dataset.savedAt;
    var parts = [];
    if (!navigator.onLine) { parts.push(texts().offline); }
    if (savedAt) {
      var moment = new Date(savedAt);
      parts.push(texts().saved.replace("{time}", moment.toLocaleString(document.documentElement.lang || "id")));
    }
    bar.textContent = parts.join(" · ");
    bar.hidden = parts.length === 0;
  }

  /* Signing out: send the queue first; if some cannot be sent, ask; then forget
   * everything this phone stored (pages, lists, queue). */
  function guardSignOut() {
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.cleared === "1") { return; }
        event.preventDefault();
        var finish = function () {
          if (form.dataset.cleared === "1") { return; }
          form.dataset.cleared = "1";
          form.submit();
        };
        sendQueue().catch(function () { return 0; }).then(function (left) {
          if (left > 0 && !window.confirm(texts().unsent.replace("{n}", left))) {
            return;
          }
          var clean = [store.forget()];
          if (window.caches) {
            clean.push(caches.keys().then(function (keys) {
              return Promise.all(keys.filter(function (k) { return k === "rombongan-pages"; })
                .map(function (k) { return caches.delete(k); }));
            }));
          }
          // Signing out never waits on a stuck store for more than a few seconds.
          setTimeout(finish, 4000);
          Promise.all(clean).then(finish, finish);
        });
      });
    });
  }

  window.Rombongan = {store: store, sendQueue: sendQueue, csrfToken: csrfToken};

  /* Store the files every page needs in the worker's cache, from this page: the browser
   * already has them, so this costs no download (a worker's own fetch would). */
  function storeShell(worker) {
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
      var shell = event.data;
      caches.open(shell.cache).then(function (cache) {
        return Promise.all(shell.urls.map(function (url) {
          return cache.match(url).then(function (found) {
            if (found) { return null; }
            return fetch(url, {cache: "force-cache", credentials: "same-origin"}).then(function (response) {
              return response.ok ? cache.put(url, response) : null;
            });
          });
        }));
      }).catch(function () {});
    };
    worker.postMessage({type: "shell"}, [channel.port2]);
  }

  if ("serviceWorker" in navigator && window.isSecureContext) {
    var firstVisit = !navigator.serviceWorker.controller;
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () {});
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) { storeShell(registration.active); }
    });
    if (firstVisit && navigator.onLine && document.body.hasAttribute("data-keep")) {
      // This page came from the network before the worker could store it: ask it to.
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({type: "keep", url: location.href});
        }
      });
    }
  }
  window.addEventListener("online", showBar);
  window.addEventListener("offline", showBar);
  document.addEventListener("DOMContentLoaded", function () {
    showBar();
    guardSignOut();
  });
})();

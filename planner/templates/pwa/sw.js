/* Rombongan's service worker (docs/offline.md), written for this app.
 *
 * - Shell files (hashed names, never changing) come from the cache first.
 * - Pages come from the network first; a page the server marks X-Offline-Keep is
 *   stored with the moment it was saved, and shown from the store when there is no
 *   signal, with that moment on it. Other pages fall back to the offline page.
 * - Nothing else is stored. Signing out deletes the stored pages (js/pwa.js).
 */
"use strict";

const VERSION = {{ version|tojson }};
const SHELL_CACHE = "rombongan-shell-" + VERSION;
const PAGE_CACHE = "rombongan-pages";
const SHELL = {{ shell|tojson }};
const OFFLINE_PAGE = {{ url_for('pwa.offline')|tojson }};

// The shell is stored by the page (js/pwa.js asks for the list below): its fetches use
// what the browser already downloaded, where this worker's own would download it again.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.add(OFFLINE_PAGE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("rombongan-shell-") && key !== SHELL_CACHE)
          .map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

function isStatic(url) {
  return url.pathname.startsWith("/static/") || url.pathname.startsWith("/bootstrap/static/");
}

async function keep(request, response) {
  const headers = new Headers(response.headers);
  headers.set("X-Saved-At", new Date().toISOString());
  const body = await response.clone().arrayBuffer();
  const cache = await caches.open(PAGE_CACHE);
  await cache.put(request.url, new Response(body, {
    status: response.status, statusText: response.statusText, headers,
  }));
}

async function fromStore(request) {
  const cache = await caches.open(PAGE_CACHE);
  const stored = await cache.match(request.url, {ignoreVary: true});
  if (!stored) {
    return null;
  }
  const savedAt = stored.headers.get("X-Saved-At") || "";
  const type = stored.headers.get("Content-Type") || "";
  if (!type.startsWith("text/html")) {
    return stored;
  }
  // Say on the page when it was saved: base.html carries data-saved-at="".
  const html = (await stored.text()).replace('data-saved-at=""', 'data-saved-at="' + savedAt + '"');
  const headers = new Headers(stored.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  return new Response(html, {status: 200, headers});
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok && response.headers.get("X-Offline-Keep") === "1") {
      await keep(request, response);
    }
    return response;
  } catch (error) {
    const stored = await fromStore(request);
    if (stored) {
      return stored;
    }
    if (request.mode === "navigate") {
      const offline = await caches.match(OFFLINE_PAGE, {ignoreVary: true});
      if (offline) {
        return offline;
      }
    }
    throw error;
  }
}

async function shellFile(request) {
  const cached = await caches.match(request, {ignoreVary: true});
  if (cached) {
    return cached;
  }
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (isStatic(url)) {
    event.respondWith(shellFile(request));
  } else if (request.mode === "navigate" || request.headers.get("X-Offline-Save") === "1") {
    event.respondWith(page(request));
  }
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "shell" && event.ports[0]) {
    event.ports[0].postMessage({cache: SHELL_CACHE, urls: SHELL});
  } else if (data === "forget") {
    event.waitUntil(caches.delete(PAGE_CACHE));
  } else if (data.type === "keep" && typeof data.url === "string") {
    // The first visit happened before this worker served the page: store it now.
    const url = new URL(data.url, self.location.origin);
    if (url.origin === self.location.origin) {
      event.waitUntil(
        fetch(url.href, {credentials: "same-origin"})
          .then((response) => {
            if (response.ok && response.headers.get("X-Offline-Keep") === "1") {
              return keep(new Request(url.href), response);
            }
          })
          .catch(() => {})
      );
    }
  }
});

// The app shell offline: the pages' files are cached, and the last marks, results,
// absences, timetable, exam dates and homework a signed-in reader saw stay readable without a
// connection (answered from the cache, marked with X-Massar-Offline: when they were saved).
const SHELL = "massar-shell-v1";
const DATA = "massar-data-v1";
const SHELL_FILES = [
  "/",
  "/app.css",
  "/js/app.js",
  "/js/core.js",
  "/js/views/home.js",
  "/js/views/auth.js",
  "/js/views/space.js",
  "/js/views/space-homework.js",
  "/icon.svg",
  "/manifest.webmanifest",
];
// Read-only views of a pupil's records worth keeping offline.
const KEPT = /^\/v1\/(me|students\/[A-Z][0-9]{9}\/(grades|results|absences|timetable|exams|exams\/national|homework))$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== SHELL && n !== DATA).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "forget-data") event.waitUntil(caches.delete(DATA));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // submissions go to the network, never replayed here
  const url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (KEPT.test(url.pathname)) {
    event.respondWith(networkThenSaved(request));
  } else if (!url.pathname.startsWith("/v1/") && !url.pathname.startsWith("/dev/")) {
    event.respondWith(savedThenRefreshed(request));
  }
});

// Records: the network first (fresh marks); the saved copy only when it fails.
async function networkThenSaved(request) {
  const cache = await caches.open(DATA);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = new Headers(response.headers);
      copy.set("X-Massar-Saved-At", new Date().toISOString());
      const body = await response.clone().arrayBuffer();
      await cache.put(request, new Response(body, { status: response.status, headers: copy }));
    }
    return response;
  } catch (error) {
    const saved = await cache.match(request, { ignoreVary: true });
    if (!saved) throw error;
    const headers = new Headers(saved.headers);
    headers.set("X-Massar-Offline", saved.headers.get("X-Massar-Saved-At") || "");
    return new Response(await saved.arrayBuffer(), { status: 200, headers });
  }
}

// The shell: the saved copy at once, refreshed in the background for the next visit.
async function savedThenRefreshed(request) {
  const cache = await caches.open(SHELL);
  const key = new URL(request.url).pathname === "/index.html" ? "/" : request;
  const saved = await cache.match(key, { ignoreSearch: true });
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(key, response.clone());
      return response;
    })
    .catch(() => null);
  if (saved) return saved;
  const response = await fresh;
  return response || new Response("offline", { status: 503, headers: { "Content-Type": "text/plain" } });
}

// Registers the service worker and tells the reader when the site is ready
// for offline use, and when an update is waiting.

const statusEl = document.getElementById("offline-status");
const textEl = document.getElementById("offline-text");
const updateButton = document.getElementById("offline-update");

function show(state, text) {
  if (!statusEl) return;
  statusEl.hidden = false;
  statusEl.dataset.state = state;
  textEl.textContent = text;
  updateButton.hidden = state !== "update";
}

function track(registration) {
  const refresh = () => {
    if (registration.waiting && navigator.serviceWorker.controller) {
      show("update", "A new version of this site is ready.");
    } else if (registration.installing) {
      show("saving", "Saving this site for offline use\u2026");
    } else if (registration.active) {
      show("ready", "Ready to use offline: this site and its calculator now work without an internet connection.");
      registration.active.postMessage({ type: "version" });
    }
  };
  registration.addEventListener("updatefound", () => {
    registration.installing?.addEventListener("statechange", refresh);
    refresh();
  });
  registration.installing?.addEventListener("statechange", refresh);
  refresh();
}

function register() {
  const root = document.documentElement.dataset.root;
  const unavailable = () => show("unavailable", "Offline use is not available in this browser.");
  navigator.serviceWorker
    .register(`${root}sw.js`, { scope: root })
    .then((registration) => (registration ? track(registration) : unavailable()), unavailable);
  let hadController = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (hadController) window.location.reload(); // the reader chose to update
    hadController = true;
  });
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "version") document.documentElement.dataset.swVersion = event.data.version;
  });
  updateButton.addEventListener("click", async () => {
    const registration = await navigator.serviceWorker.getRegistration(root);
    registration?.waiting?.postMessage({ type: "skip-waiting" });
  });
}

// Saving the site for offline use downloads every file; on a page with the
// calculator, wait until it has started so the two never compete.
if (navigator.serviceWorker && statusEl) {
  if (document.getElementById("calculator")) {
    document.addEventListener("calc:settled", register, { once: true });
  } else {
    register();
  }
}

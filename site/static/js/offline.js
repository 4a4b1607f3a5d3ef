// Registers the service worker and says, in the footer, how much of the site
// works offline. The pages are saved on the first visit (small); the
// calculator's runtime (about 21 MB) only once the reader has used the
// calculator, or asks for it with "Keep the calculator for offline use".
//
// A new version takes over by itself (the service worker explains why that is
// safe), so there is no "update" prompt, and no tab is ever reloaded.
//
// Footer states (#offline-status[data-state]): saving, pages, keeping, ready,
// failed, full (no room for the calculator: not tried again by itself), unavailable. <html data-sw-version> is the version of the worker in charge.

const statusEl = document.getElementById("offline-status");
const textEl = document.getElementById("offline-text");
const keepButton = document.getElementById("offline-keep");
const root = document.documentElement.dataset.root;
// How long to wait before trying again after a failure; a test may shorten it.
const retryMs = () => Number(document.documentElement.dataset.offlineRetryMs || 60_000);

const TEXT = {
  saving: "Saving this site for offline use\u2026",
  pages: "The articles work offline. The calculator needs a connection until it is saved too.",
  keeping: "Saving the calculator for offline use\u2026",
  ready: "Ready to use offline: this site and its calculator now work without an internet connection.",
  failed: "This site could not be saved for offline use. It will try again in a minute.",
  keepFailed: "The calculator could not be saved for offline use. It will try again in a minute.",
  damaged: "The calculator could not be saved for offline use: a file arrived damaged, twice. It will try again in a minute.",
  full: "There is not enough storage on this device to keep the calculator offline. Nothing of it was left behind; the articles still work offline.",
  updateFailed: "A new version of this site could not be saved for offline use yet; the copy saved before still works. It will try again in a minute.",
  unavailable: "Offline use is not available in this browser.",
  // in another site's frame (embed/), where browsers may refuse storage
  refused: "This browser does not let a calculator shown inside another website save files, so here it works only while you are online. On its own site it can be kept for offline use.",
};

function show(state, text = TEXT[state]) {
  statusEl.hidden = false;
  statusEl.dataset.state = state;
  textEl.textContent = text;
  keepButton.hidden = state !== "pages" && state !== "full"; // after "full", the reader may free room and ask again
}

// --- the calculator's runtime: saved once the reader has used the calculator

let wanted = false; // the reader used the calculator, or asked to keep it
let noRoom = false; // the device was too full: only the button asks again
let retryTimer = 0;

function keepCalculator() {
  wanted = true;
  navigator.serviceWorker.ready.then((registration) => {
    show("keeping");
    registration.active?.postMessage({ type: "keep-calculator" });
  });
}

// "Used" means typed into the form and saw the calculator settle (a result or
// an error): the runtime has then been downloaded once already, and saving it
// reads it from the browser's HTTP cache instead of competing with the boot.
function watchCalculator() {
  const form = document.getElementById("calc-form");
  if (!form) return;
  let typed = false;
  let settled = false;
  const maybeKeep = () => {
    if (typed && settled && !wanted && !noRoom) keepCalculator();
  };
  form.addEventListener("input", () => ((typed = true), maybeKeep()), { once: true });
  // Capture: the page dispatches calc:settled on the calculator's root (or the
  // document); a capturing listener on the document hears either.
  document.addEventListener("calc:settled", () => ((settled = true), maybeKeep()), { capture: true });
}

function onStatus(message) {
  document.documentElement.dataset.swVersion = message.version;
  clearTimeout(retryTimer);
  if (message.calculator) {
    show("ready");
  } else if (message.full) {
    wanted = false; // asking again by itself would download it all again for nothing; the button stays
    noRoom = true;
    show("full");
  } else if (message.keeping) {
    show("keeping"); // asked for from another page: this one hears when it is done
  } else if (message.failed) {
    show("failed", message.damaged ? TEXT.damaged : TEXT.keepFailed);
    retryTimer = setTimeout(keepCalculator, retryMs());
  } else if (wanted) {
    keepCalculator();
  } else {
    show("pages");
  }
}

// --- the service worker's own install

function askStatus(worker) {
  worker?.postMessage({ type: "status" });
}

async function installFailed() {
  const registration = await navigator.serviceWorker.getRegistration(root);
  show("failed", registration?.active ? TEXT.updateFailed : TEXT.failed);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(register, retryMs()); // registering again installs again
}

// Follow a worker being installed: saved, or failed.
function follow(worker) {
  show("saving");
  let saved = worker.state !== "installing";
  worker.addEventListener("statechange", () => {
    if (worker.state === "installed") saved = true;
    if (worker.state === "redundant" && !saved) installFailed();
    if (worker.state === "activated") askStatus(worker);
  });
}

const tracked = new WeakSet(); // registering again (a retry) must not follow twice

function track(registration) {
  if (!tracked.has(registration)) {
    tracked.add(registration);
    registration.addEventListener("updatefound", () => follow(registration.installing));
  }
  if (registration.installing) follow(registration.installing);
  else askStatus(registration.waiting || registration.active);
}

function register() {
  const registered = (registration) => (registration ? track(registration) : show("unavailable"));
  navigator.serviceWorker.register(`${root}sw.js`, { scope: root }).then(registered, async () => {
    // Offline, checking for a new sw.js fails; the version already here still works.
    let existing;
    try {
      existing = await navigator.serviceWorker.getRegistration(root);
    } catch {
      // Service workers refused outright: a frame on another site where the
      // browser blocks its storage (embed/). Nothing to save, nor to retry.
      show("unavailable", window.top === window ? TEXT.unavailable : TEXT.refused);
      return;
    }
    if (existing?.active) track(existing);
    else installFailed();
  });
}

if (statusEl && !navigator.serviceWorker) {
  show("unavailable");
} else if (statusEl) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "status") onStatus(event.data);
  });
  keepButton.addEventListener("click", keepCalculator);
  // Back to a page kept in the back/forward cache: the service worker did not
  // write to it while it was away, so ask again where things stand.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) navigator.serviceWorker.getRegistration(root).then((r) => askStatus(r?.active));
  });
  watchCalculator();
  register();
}

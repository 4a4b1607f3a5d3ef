// The calculator's transport: boots the Python worker and sends it inputs.
//
// The article loads this file as an async module right after the calculator's
// opening tag, so it runs as soon as its bytes are here, while the rest of the
// page is still being parsed, and starts the worker at once (the last lines
// of this file): Python boots during the parse instead of after it.
// calculator.js (a deferred module, which waits for the whole page) then
// imports this same module instance and attaches to it:
//
//   const { listen, assess, start, configFrom } = await import(urlOfThisFile);  // hashed URL from the page
//   listen({progress, ready, result, errors, failure, error});  // every event so far is handed over, in order
//   assess(inputs);   // latest input wins: only the answer to the newest call is delivered,
//                     // as result(result, inputs) or errors(list, inputs): calc's result
//                     // (parsed from its reply) and the inputs it answers
//   start(configFrom(section));   // Try again: boot afresh; the listener stays
//   started();        // false while a data saver holds the boot back until the reader answers
//
// Every boot step has a time limit (stepTimeoutMs, without a sign of life from
// the worker: a step starting or bytes arriving). When a step stalls or fails,
// `error(reason)` is called once and the worker is stopped; `start` again
// retries from the beginning. Every worker reply is {type, id, ...} (worker/worker.js).
// No scoring, formatting or labelling happens here: replies go out as calc wrote them.

let worker = null;
let handlers = null; // null until listen(): events wait in `backlog`
let backlog = [];
let ready = false;
let inFlight = null; // id of the request the worker is working on
let pending = null; // the newest inputs not yet sent
let inFlightInputs = null; // what the request in flight asks about
let nextId = 0;
let generation = 0; // a restarted boot ignores the old worker's messages
let stallTimer = 0;
let stepTimeoutMs = 45_000;

function deliver(name, ...args) {
  if (handlers) handlers[name]?.(...args);
  else backlog.push([name, args]);
}

/** Receive the boot's and the answers' events (any that came before are handed over first). */
export function listen(on) {
  handlers = on;
  const waiting = backlog;
  backlog = [];
  for (const [name, args] of waiting) {
    try {
      deliver(name, ...args);
    } catch (error) {
      queueMicrotask(() => {
        throw error; // reported as an uncaught error, without losing the events after it
      });
    }
  }
}

/** The boot configuration the build wrote on the calculator's section (URLs made absolute). */
export function configFrom(section) {
  const absolute = (path) => new URL(path, document.baseURI).href;
  const data = section.dataset;
  return {
    worker: absolute(data.worker),
    runtime: absolute(data.runtime),
    lock: absolute(data.lock),
    snapshot: data.snapshot
      ? { url: absolute(data.snapshot), integrity: data.snapshotIntegrity, probe: absolute(data.snapshotProbe) }
      : null,
    stepTimeoutMs: Number(data.stepTimeoutMs) || 45_000,
    bootBytes: JSON.parse(data.bootBytes || "{}"), // each boot file's size, for "X of about Y MB"
  };
}

function unsupported() {
  if (typeof WebAssembly !== "object") return "this browser does not support WebAssembly";
  if (typeof Worker !== "function") return "this browser does not support Web Workers";
  return "";
}

function alive(step) {
  // a sign of life restarts the current step's clock
  clearTimeout(stallTimer);
  if (ready) return;
  stallTimer = setTimeout(() => fail(`starting the calculator stalled (${step}: nothing for ${stepTimeoutMs / 1000} s)`), stepTimeoutMs);
}

function fail(reason) {
  clearTimeout(stallTimer);
  generation += 1;
  ready = false;
  inFlight = null;
  if (worker) worker.terminate();
  worker = null;
  deliver("error", reason);
}

function pump() {
  if (!ready || inFlight !== null || pending === null) return;
  inFlight = ++nextId;
  inFlightInputs = pending;
  worker.postMessage({ type: "assess", id: inFlight, inputs: pending });
  pending = null;
}

/** Is an answer still to come for the latest inputs? */
export function busy() {
  return pending !== null || inFlight !== null;
}

/** Send `inputs`; the answer to the newest call only is delivered (latest input wins). */
export function assess(inputs) {
  pending = inputs;
  pump();
}

/** Forget inputs not yet answered (the form was emptied): the reply to the
 * request in flight, if any, is dropped too. */
export function cancel() {
  pending = null;
  inFlightInputs = null;
}

function onMessage(message, mine) {
  if (mine !== generation) return;
  const { type, id } = message;
  if (type === "progress") {
    alive(message.step);
    deliver("progress", message);
  } else if (type === "ready") {
    clearTimeout(stallTimer);
    ready = true;
    // when it arrived: the page may be handed it later (see listen)
    deliver("ready", { ...message, receivedAt: performance.now() });
    pump();
  } else if (type === "fatal") {
    fail(message.message);
  } else if (id === inFlight) {
    const asked = inFlightInputs;
    inFlight = null;
    inFlightInputs = null;
    if (pending !== null) {
      pump(); // the reader changed something: this answer is already stale
      return;
    }
    if (asked === null) return; // cancelled: the form was emptied while it was worked on
    if (type !== "reply") {
      deliver("failure", message.message);
      return;
    }
    // calc's reply, as calc wrote it: {"result": ...} or {"errors": [...]}
    const reply = JSON.parse(message.json);
    if (reply.errors) deliver("errors", reply.errors, asked);
    else deliver("result", reply.result, asked);
  }
}

// The runtime's wasm (3.5 MB gzipped, most of the download) is requested from
// here, while the worker's own script is still on its way, and handed to the
// worker (a transferred stream, with the link's speed measured on its first
// 512 KB, as the worker would: its snapshot decision needs it). On a phone's
// 4G that saves the worker script's round trips before the largest download.
// {body: null} when the service worker keeps the plain wasm (the worker uses
// that, for its compiled code) or the download failed: the worker fetches.
const PROBE_BYTES = 512 * 1024; // as in worker/boot.js
function preloadWasm(config) {
  const plain = config.runtime + "pyodide.asm.wasm";
  return (async () => {
    if (globalThis.caches && (await caches.match(plain).catch(() => null))) return { body: null };
    const started = performance.now();
    const response = await fetch(plain + ".gz");
    if (!response.ok || !response.body) return { body: null };
    const [probe, body] = response.body.tee();
    const reader = probe.getReader();
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (!done) received += value.byteLength;
      if (done || received >= PROBE_BYTES) break;
    }
    reader.cancel().catch(() => {});
    return { body, linkMbit: (received * 8) / 1000 / Math.max(1, performance.now() - started) };
  })().catch(() => ({ body: null }));
}

// The worker's own scripts are cached as immutable, like every runtime file,
// and a damaged copy (a script that does not parse) stops the worker before its
// boot can refresh anything: Try again and every reload would read the same
// bytes back for ever. So when the worker fails, both are fetched once more
// past the HTTP cache (which then keeps the fresh copies) before the reader is
// told. worker.js imports boot.js from its own folder (worker/worker.js).
const REFRESH_MS = 15_000;
function refreshWorkerScripts(workerURL) {
  const scripts = [workerURL, new URL("boot.js", workerURL).href];
  const again = scripts.map((url) => fetch(url, { cache: "reload" }).then((response) => response.arrayBuffer()));
  return Promise.race([Promise.allSettled(again), new Promise((resolve) => setTimeout(resolve, REFRESH_MS))]);
}

function canTransferStreams() {
  if (typeof DecompressionStream !== "function" || typeof ReadableStream !== "function") return false;
  try {
    const stream = new ReadableStream();
    new MessageChannel().port1.postMessage(stream, [stream]);
    return true;
  } catch {
    return false;
  }
}

/** Boot (or boot again) the worker. Every URL in `config` is absolute. */
export function start(config) {
  clearTimeout(stallTimer);
  generation += 1;
  const mine = generation;
  if (worker) worker.terminate();
  worker = null;
  ready = false;
  inFlight = null;
  stepTimeoutMs = config.stepTimeoutMs || stepTimeoutMs;
  const missing = unsupported();
  if (missing) {
    fail(`${missing}. A recent version of Firefox, Chrome, Edge or Safari can run the calculator.`);
    return;
  }
  // Nothing awaits from here on, so no worker event can arrive before its handler.
  // Whether the boot snapshot pays is decided in the worker, which measures the link.
  alive("loading the calculator's worker");
  try {
    worker = new Worker(config.worker, { type: "module", name: "calc" });
  } catch (error) {
    fail(String(error));
    return;
  }
  worker.onmessage = (event) => onMessage(event.data, mine);
  worker.onerror = (event) => {
    event.preventDefault();
    if (mine !== generation) return;
    const reason = event.message || "the calculator's worker failed to load";
    refreshWorkerScripts(config.worker).finally(() => mine === generation && fail(reason));
  };
  worker.onmessageerror = () => mine === generation && fail("a message from the worker could not be read");
  const wasm = canTransferStreams() ? preloadWasm(config) : null;
  worker.postMessage({ type: "init", id: 0, runtime: config.runtime, lock: config.lock, snapshot: config.snapshot,
                       bootBytes: config.bootBytes || {}, wasmFromPage: Boolean(wasm) });
  const own = worker;
  wasm?.then(({ body, linkMbit }) => {
    if (mine !== generation) {
      body?.cancel().catch(() => {});
      return;
    }
    try {
      own.postMessage({ type: "wasm", id: 0, body, linkMbit }, body ? [body] : []);
    } catch {
      body?.cancel().catch(() => {});
      own.postMessage({ type: "wasm", id: 0, body: null });
    }
  });
}

/** Has the boot begun? (A data saver holds it back until the reader answers.) */
export function started() {
  return generation > 0;
}

// The browser asks to save data: nothing of the runtime (about 5 MB) is
// downloaded until the reader starts answering (calculator.js calls start then).
function savingData() {
  return Boolean(globalThis.navigator?.connection?.saveData);
}

// calculator.js renders; if it has not attached within the step limit after
// the page was parsed (its file stalled or failed), say so here, with the
// page's own words, and let Try again reload the page (which fetches it again).
function watchRenderer(section) {
  const limit = Number(section.dataset.stepTimeoutMs) || stepTimeoutMs;
  const arm = () => setTimeout(() => {
    if (handlers) return;
    const $ = (id) => section.querySelector(`#${id}`);
    const result = $("result");
    result.dataset.status = "error";
    result.dataset.error = `the calculator's page script did not arrive (nothing for ${limit / 1000} s)`;
    $("calc-status").textContent = $("calc-status").dataset.errorText;
    $("boot-progress").hidden = true;
    $("calc-retry").hidden = false;
    $("calc-retry").addEventListener("click", () => handlers || location.reload(), { once: true });
  }, limit);
  if (document.readyState === "loading") {
    document.addEventListener("readystatechange", arm, { once: true }); // parsed: "interactive"
  } else {
    arm();
  }
}

// Start as soon as this file runs, if the page has a calculator to start.
const section = globalThis.document?.querySelector("section.calculator[data-worker]");
if (section) {
  watchRenderer(section);
  if (!savingData()) start(configFrom(section));
}

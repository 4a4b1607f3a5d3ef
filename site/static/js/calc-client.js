// The calculator's transport: boots the Python worker and sends it inputs.
//
//   import { start, assess } from "./calc-client.js";
//   start({worker, runtime, lock, snapshot, stepTimeoutMs, on: {progress, ready, result, errors, error}});
//   assess(inputs);   // latest input wins: only the answer to the newest call is delivered
//
// Every boot step has a time limit (stepTimeoutMs, without a sign of life from
// the worker: a step starting or bytes arriving). When a step stalls or fails,
// `on.error(reason)` is called once and the worker is stopped; `start` again
// retries from the beginning. Every worker reply is {type, id, ...} (worker.js).
// No scoring, formatting or labelling happens here: replies go out as calc wrote them.

let worker = null;
let handlers = {};
let ready = false;
let inFlight = null; // id of the request the worker is working on
let pending = null; // the newest inputs not yet sent
let nextId = 0;
let generation = 0; // a restarted boot ignores the old worker's messages
let stallTimer = 0;
let stepTimeoutMs = 45_000;

function unsupported() {
  if (typeof WebAssembly !== "object") return "this browser does not support WebAssembly";
  if (typeof Worker !== "function") return "this browser does not support Web Workers";
  return "";
}

// The boot snapshot saves about two seconds of start-up for about 6 MB of
// download. It always pays once it is on this device (the service worker keeps
// it); on a first visit it pays on a fast connection, so it is skipped when the
// browser says data is to be saved or the connection is slow.
async function snapshotPays(url) {
  if (!url || typeof DecompressionStream !== "function") return false;
  try {
    if (window.caches && (await caches.match(url))) return true;
  } catch {
    // storage blocked: decide by the connection alone
  }
  const connection = navigator.connection;
  if (connection && (connection.saveData || ["slow-2g", "2g", "3g"].includes(connection.effectiveType))) {
    return false;
  }
  return true;
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
  handlers.error?.(reason);
}

function pump() {
  if (!ready || inFlight !== null || pending === null) return;
  inFlight = ++nextId;
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

/** Forget inputs not yet answered (the form was emptied). */
export function cancel() {
  pending = null;
}

function onMessage(message, mine) {
  if (mine !== generation) return;
  const { type, id } = message;
  if (type === "progress") {
    alive(message.step);
    handlers.progress?.(message);
  } else if (type === "ready") {
    clearTimeout(stallTimer);
    ready = true;
    handlers.ready?.(message);
    pump();
  } else if (type === "fatal") {
    fail(message.message);
  } else if (id === inFlight) {
    inFlight = null;
    if (pending !== null) {
      pump(); // the reader changed something: this answer is already stale
      return;
    }
    if (type === "result") handlers.result?.(message.json);
    else if (type === "errors") handlers.errors?.(message.errors);
    else handlers.failure?.(message.message);
  }
}

/** Boot (or boot again) the worker. Every URL in `config` is absolute. */
export async function start(config) {
  clearTimeout(stallTimer);
  generation += 1;
  const mine = generation;
  if (worker) worker.terminate();
  worker = null;
  ready = false;
  inFlight = null;
  handlers = config.on || {};
  stepTimeoutMs = config.stepTimeoutMs || stepTimeoutMs;
  const missing = unsupported();
  if (missing) {
    fail(`${missing}. A recent version of Firefox, Chrome, Edge or Safari can run the calculator.`);
    return;
  }
  alive("checking the device");
  const snapshot = (await snapshotPays(config.snapshot?.url)) ? config.snapshot : null;
  if (mine !== generation) return;
  // From here on nothing awaits, so no worker event can arrive before its handler.
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
    if (mine === generation) fail(event.message || "the calculator's worker failed to load");
  };
  worker.onmessageerror = () => mine === generation && fail("a message from the worker could not be read");
  worker.postMessage({ type: "init", id: 0, runtime: config.runtime, lock: config.lock, snapshot });
}

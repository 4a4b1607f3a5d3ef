// The calculator's Web Worker: boots Python (Pyodide) and runs calc.assess.
//
// Protocol (calc-client.js is the only other side):
//   page -> worker  {type: "init", id: 0, runtime, lock, snapshot}
//                   first, once: where the runtime and the lock that registers
//                   calc live, and the boot snapshot to try first
//                   ({url, integrity, probe}) or null
//   page -> worker  {type: "assess", id, inputs}   the form's raw values by calc key
// Every reply has one shape, {type, id, ...}:
//   {type: "progress", id: 0, step, loaded}   a boot step began, or bytes arrived
//                                             (step: "runtime", "python" (download
//                                             and start, calc's wheel included), "calc";
//                                             loaded: bytes downloaded so far)
//   {type: "ready", id: 0, bootMs, mode, fallback}
//                   mode: "snapshot" or "standard"; fallback: why a snapshot was not used
//   {type: "fatal", id: 0, message}
//   {type: "result", id, json}      json: calc.assess_json's result, as its own JSON text
//   {type: "errors", id, errors}    calc.ValidationError's list
//   {type: "failure", id, message}  an unexpected error (a bug), as text
//
// The runtime and the lock file that registers the calc wheel (by sha256) come
// in the init message, not in this script's URL: a service worker may answer
// for this script from its cache, and the URL's query is then lost.

let loaded = 0;
let step = "runtime";
function progress(next) {
  if (next) step = next;
  self.postMessage({ type: "progress", id: 0, step, loaded });
}

// Count the bytes of every download as they arrive, so the page can show real
// progress and knows the boot is alive. The body is passed on as a stream, so
// the wasm still compiles while it downloads.
const plainFetch = self.fetch.bind(self);
self.fetch = async (...args) => {
  const response = await plainFetch(...args);
  if (!response.body) return response;
  let last = 0;
  const counter = new TransformStream({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      const now = performance.now();
      if (now - last > 100) {
        last = now;
        progress();
      }
      controller.enqueue(chunk);
    },
    flush() {
      progress();
    },
  });
  return new Response(response.body.pipeThrough(counter), {
    status: response.status, statusText: response.statusText, headers: response.headers,
  });
};

// JSON text in, JSON text out: calc.assess_json is the only glue, the same
// function the snapshot builder and the tests call, so they can never disagree.
const GLUE = `
import calc
calc.assess_json
`;

// Pyodide reports a failed WebAssembly download or compile with console.warn
// and then waits for ever. Watch the standard WebAssembly calls during one boot
// attempt instead, so that a failure ends the attempt with a clear error.
function watchWasm() {
  let reject;
  const failed = new Promise((_, r) => {
    reject = r;
  });
  const originals = {};
  for (const name of ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]) {
    const original = WebAssembly[name];
    if (typeof original !== "function") continue;
    originals[name] = original;
    WebAssembly[name] = function (...args) {
      const result = original.apply(this, args);
      result.catch((error) => reject(new Error(`the Python runtime could not be loaded (${error.message || error})`)));
      return result;
    };
  }
  return { failed, stop: () => Object.assign(WebAssembly, originals) };
}

async function attempt(loadPyodide, options) {
  const watch = watchWasm();
  try {
    return await Promise.race([loadPyodide(options), watch.failed]);
  } finally {
    watch.stop();
  }
}

function timeout(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms));
}

// The memory snapshot: the interpreter as it was right after `import calc`,
// made at build time from this exact runtime. Fetched with its sha256 checked,
// restored, and then verified: the probe made at build time must give exactly
// the same JSON here. Anything else, and the caller boots normally.
async function bootFromSnapshot(loadPyodide, base, snapshot) {
  const [bytes, probe] = await Promise.all([
    fetch(snapshot.url, { integrity: snapshot.integrity }).then(async (response) => {
      if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
      const unzipped = response.body.pipeThrough(new DecompressionStream("gzip"));
      return new Uint8Array(await new Response(unzipped).arrayBuffer());
    }),
    fetch(snapshot.probe).then((response) => response.json()),
  ]);
  const pyodide = await Promise.race([
    attempt(loadPyodide, { ...base, _loadSnapshot: bytes }),
    timeout(20_000, "restoring the snapshot"),
  ]);
  const assess = pyodide.runPython(GLUE);
  if (assess(probe.input) !== probe.output) throw new Error("the snapshot did not verify");
  return assess;
}

async function boot({ runtime, lock, snapshot }) {
  const started = performance.now();
  // The page shows what went wrong; the runtime's own start-up chatter is kept
  // out of the reader's console.
  const { warn, error } = console;
  console.warn = console.debug;
  console.error = console.debug;
  try {
    progress("runtime");
    const { loadPyodide } = await import(runtime + "pyodide.mjs");
    progress("python");
    const base = { indexURL: runtime, lockFileURL: lock, stdout: () => {}, stderr: () => {} };
    let assess = null;
    let mode = "standard";
    let fallback = "";
    if (snapshot) {
      try {
        assess = await bootFromSnapshot(loadPyodide, base, snapshot);
        mode = "snapshot";
      } catch (failure) {
        fallback = String((failure && failure.message) || failure);
      }
    }
    if (!assess) {
      const pyodide = await attempt(loadPyodide, { ...base, packages: ["calc"] });
      progress("calc");
      assess = pyodide.runPython(GLUE); // also proves calc imports
    }
    self.postMessage({ type: "ready", id: 0, bootMs: Math.round(performance.now() - started), mode, fallback });
    return assess;
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

let ready = null;

self.onmessage = async (event) => {
  if (event.data.type === "init") {
    ready = boot(event.data);
    ready.catch((error) => {
      self.postMessage({ type: "fatal", id: 0, message: String((error && error.message) || error) });
    });
    return;
  }
  const { id, inputs } = event.data;
  let assess;
  try {
    assess = await ready;
  } catch {
    return; // the fatal message has already been sent
  }
  try {
    const reply = assess(JSON.stringify(inputs));
    const parsed = JSON.parse(reply);
    if (parsed.errors) {
      self.postMessage({ type: "errors", id, errors: parsed.errors });
    } else {
      // the result's own JSON text, cut from calc's reply, so the page shows calc's bytes
      self.postMessage({ type: "result", id, json: reply.slice('{"result": '.length, -1) });
    }
  } catch (error) {
    self.postMessage({ type: "failure", id, message: String((error && error.message) || error) });
  }
};

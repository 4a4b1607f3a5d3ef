// The calculator's Web Worker: boots Python (Pyodide) and runs calc.assess.
//
// Protocol:
//   page -> worker  {type: "init", runtime, lock, snapshot}
//                                          first, once: where the runtime and the lock
//                                          that registers calc live, and the boot
//                                          snapshot to try first ({url, integrity,
//                                          probe}) or null
//   page -> worker  {id, inputs}           inputs: the form's raw values by calc key
//   worker -> page  {id, json}             json: the JSON text of calc.assess_json's result
//                   {id, errors}           errors: calc.ValidationError's list
//                   {id, failure}          an unexpected error (a bug), as text
// and once, unprompted:  {type: "ready", bootMs, mode, fallback}  or  {type: "fatal", message}
//                        mode: "snapshot" or "standard"; fallback: why a snapshot was not used
//
// The runtime and the lock file that registers the calc wheel (by sha256) come
// in the init message, not in this script's URL: a service worker may answer
// for this script from its cache, and the URL's query is then lost.

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
    const { loadPyodide } = await import(runtime + "pyodide.mjs");
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
      assess = pyodide.runPython(GLUE); // also proves calc imports
    }
    self.postMessage({ type: "ready", bootMs: Math.round(performance.now() - started), mode, fallback });
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
      self.postMessage({ type: "fatal", message: String((error && error.message) || error) });
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
      self.postMessage({ id, errors: parsed.errors });
    } else {
      // the result's own JSON text, cut from calc's reply, so the page shows calc's bytes
      self.postMessage({ id, json: reply.slice('{"result": '.length, -1) });
    }
  } catch (error) {
    self.postMessage({ id, failure: String((error && error.message) || error) });
  }
};

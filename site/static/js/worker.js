// The calculator's Web Worker: boots Python (Pyodide) and runs calc.assess.
//
// Protocol:
//   page -> worker  {type: "init", runtime, lock}   first, once: where the runtime and
//                                                   the lock that registers calc live
//   page -> worker  {id, inputs}           inputs: the form's raw values by calc key
//   worker -> page  {id, json}             json: the JSON text calc.assess returned
//                   {id, errors}           errors: calc.ValidationError's list
//                   {id, failure}          an unexpected error (a bug), as text
// and once, unprompted:  {type: "ready", bootMs}  or  {type: "fatal", message}
//
// The runtime and the lock file that registers the calc wheel (by sha256) come
// in the init message, not in this script's URL: a service worker may answer
// for this script from its cache, and the URL's query is then lost.

// JSON text in, tagged JSON text out ("R" + result or "E" + errors), so no
// Python objects cross into JavaScript and the result's JSON is calc's own.
const GLUE = `
import json
import calc

def _assess(text):
    try:
        result = calc.assess(json.loads(text))
    except calc.ValidationError as error:
        return "E" + json.dumps(error.errors)
    return "R" + json.dumps(result, allow_nan=False)

_assess
`;

// Pyodide reports a failed WebAssembly download or compile with console.warn
// and then waits for ever. Watch the standard WebAssembly calls instead, so the
// failure reaches the page as a clear "fatal" message.
function wasmFailure() {
  let reject;
  const failed = new Promise((_, r) => {
    reject = r;
  });
  for (const name of ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]) {
    const original = WebAssembly[name];
    if (typeof original !== "function") continue;
    WebAssembly[name] = function (...args) {
      const result = original.apply(this, args);
      result.catch((error) => reject(new Error(`the Python runtime could not be loaded (${error.message || error})`)));
      return result;
    };
  }
  return failed;
}

async function boot(runtimeURL, lockURL) {
  const started = performance.now();
  // The page shows what went wrong; the runtime's own start-up chatter is kept
  // out of the reader's console.
  const { warn, error } = console;
  console.warn = console.debug;
  console.error = console.debug;
  try {
    const { loadPyodide } = await import(runtimeURL + "pyodide.mjs");
    const pyodide = await Promise.race([
      loadPyodide({
        indexURL: runtimeURL,
        lockFileURL: lockURL,
        packages: ["calc"],
        stdout: () => {},
        stderr: () => {},
      }),
      wasmFailure(),
    ]);
    const assess = pyodide.runPython(GLUE); // also proves calc imports
    self.postMessage({ type: "ready", bootMs: Math.round(performance.now() - started) });
    return assess;
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

let ready = null;

self.onmessage = async (event) => {
  if (event.data.type === "init") {
    ready = boot(event.data.runtime, event.data.lock);
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
    if (reply[0] === "E") {
      self.postMessage({ id, errors: JSON.parse(reply.slice(1)) });
    } else {
      self.postMessage({ id, json: reply.slice(1) });
    }
  } catch (error) {
    self.postMessage({ id, failure: String((error && error.message) || error) });
  }
};

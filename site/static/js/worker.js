// The calculator's Web Worker: boots Python (Pyodide) and runs calc.assess.
//
// Protocol (one message each way per calculation):
//   page -> worker  {id, inputs}           inputs: the form's raw values by calc key
//   worker -> page  {id, json}             json: the JSON text calc.assess returned
//                   {id, errors}           errors: calc.ValidationError's list
//                   {id, failure}          an unexpected error (a bug), as text
// and once, unprompted:  {type: "ready", bootMs}  or  {type: "fatal", message}
//
// The runtime and the lock file that registers the calc wheel (by sha256) are
// passed in this script's URL by the page, so this file never changes per build.

const params = new URL(self.location.href).searchParams;
const runtimeURL = new URL(params.get("runtime"), self.location.href).href;
const lockURL = new URL(params.get("lock"), self.location.href).href;

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

async function boot() {
  const started = performance.now();
  const { loadPyodide } = await import(runtimeURL + "pyodide.mjs");
  const pyodide = await loadPyodide({
    indexURL: runtimeURL,
    lockFileURL: lockURL,
    packages: ["calc"],
    stdout: () => {},
    stderr: () => {},
  });
  const assess = pyodide.runPython(GLUE); // also proves calc imports
  self.postMessage({ type: "ready", bootMs: Math.round(performance.now() - started) });
  return assess;
}

const ready = boot();
ready.catch((error) => {
  self.postMessage({ type: "fatal", message: String((error && error.message) || error) });
});

self.onmessage = async (event) => {
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

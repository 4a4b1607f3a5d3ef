// Make a Pyodide memory snapshot with calc already imported, for a fast boot.
//
//   node scripts/make_snapshot.mjs RUNTIME_DIR WHEEL OUT.gz
//
// Boots the pinned runtime from node_modules (the exact build the site serves:
// a snapshot only fits the runtime that made it), unpacks the calc wheel into
// the runtime's own site-packages, imports calc, runs one probe through
// calc.assess, and writes the gzipped snapshot. Prints JSON with the probe's
// input and output, which the browser runs again after restoring, to verify
// the snapshot before trusting it. sitebuild/runtime.py runs this and caches
// the result by the runtime's version, the wheel's sha256 and this file.
//
// The loadPyodide options _makeSnapshot and makeMemorySnapshot() are
// experimental Pyodide APIs; the browser falls back to a normal boot if a
// snapshot fails to load or to verify.

import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [runtimeDir, wheelPath, outPath] = process.argv.slice(2);
const { loadPyodide } = await import(new URL(`file://${runtimeDir}/pyodide.mjs`).href);

// Keep everything the runtime prints off stdout: stdout carries the result.
const pyodide = await loadPyodide({
  indexURL: `${runtimeDir}/`,
  _makeSnapshot: true,
  stdout: () => {},
  stderr: (line) => process.stderr.write(`${line}\n`),
});
// Where this runtime's Python looks for packages (it names its own version).
const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel", { extractDir: sitePackages });
const PROBE = JSON.stringify({ age: "67", sex: "female", menopause: "yes", height: "5 ft 3",
  height_unit: "ft_in", weight: "9 st 2", weight_unit: "st_lb", vitamin_d: "45",
  vitamin_d_unit: "nmol/L", crp: "<5", crp_unit: "mg/L", smoking: "light", exercise_minutes: "60",
  prior_fracture: "yes" });
pyodide.globals.set("probe_input", PROBE);
// calc.assess_json: the same glue the browser's worker calls.
const probeOutput = pyodide.runPython(`
import calc
calc.assess_json(probe_input)
`);
pyodide.globals.delete("probe_input");
const snapshot = pyodide.makeMemorySnapshot();
const gz = gzipSync(snapshot, { level: 6 });
writeFileSync(outPath, gz);
process.stdout.write(JSON.stringify({
  probe_input: PROBE,
  probe_output: probeOutput,
}));

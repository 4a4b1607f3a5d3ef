// Build-time boot files for the calculator: the standard library calc needs,
// and a Pyodide memory snapshot with calc already imported, for a fast boot.
//
//   node sitebuild/make_snapshot.mjs trace RUNTIME_DIR WHEEL INPUTS.json
//       boots the full standard library, installs the wheel the way the
//       browser's standard boot does (loadPackage), imports calc and runs
//       calc.assess_json on every input (a JSON list of input objects), on
//       the probe and on broken JSON; prints JSON {path in the zip: base64 of
//       the compiled .pyc} for every standard library module that was imported.
//       They are compiled here, by the runtime itself, because its Python
//       (3.14) rejects bytecode from the host's: loading .pyc instead of
//       compiling each module's source at every boot saves about 1.5 s of CPU.
//   node sitebuild/make_snapshot.mjs snapshot RUNTIME_DIR WHEEL STDLIB_ZIP OUT.gz
//       boots with that (trimmed) standard library, unpacks the wheel, imports
//       calc, runs the probe and writes the snapshot (sparse pages, gzipped); prints JSON with
//       the probe's input and output, which the browser runs again after
//       restoring, to verify the snapshot before trusting it.
//
// Both boot the pinned runtime from node_modules: the exact build the site
// serves (a snapshot only fits the runtime that made it). sitebuild/runtime.py
// runs this and caches the results by the runtime's version, the wheel's
// sha256, the trace's inputs (sitebuild/trace_inputs.json) and this file.
//
// The loadPyodide options _makeSnapshot and makeMemorySnapshot() are
// experimental Pyodide APIs; the browser falls back to a normal boot if a
// snapshot fails to load or to verify.

import { readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [mode, runtimeDir, wheelPath, ...rest] = process.argv.slice(2);
const { loadPyodide } = await import(new URL(`file://${runtimeDir}/pyodide.mjs`).href);

const PROBE = JSON.stringify({ age: "67", sex: "female", menopause: "yes", height: "5 ft 3",
  height_unit: "ft_in", weight: "9 st 2", weight_unit: "st_lb", vitamin_d: "45",
  vitamin_d_unit: "nmol/L", crp: "<5", crp_unit: "mg/L", smoking: "light", exercise_minutes: "60",
  prior_fracture: "yes" });

// calc.assess_json: the same glue the browser's worker calls.
function assessJson(pyodide, text) {
  pyodide.globals.set("probe_input", text);
  const output = pyodide.runPython("import calc\ncalc.assess_json(probe_input)");
  pyodide.globals.delete("probe_input");
  return output;
}

// The snapshot is saved in "sparse pages" form, which the worker unpacks
// (unpackSnapshot in site/static/js/worker/boot.js; the format is described in
// docs/runtime.md). More than half of the interpreter's memory is zero pages:
// leaving them out means the browser unzips about 13 MB instead of 31 MB,
// about 100 ms less on every boot from the snapshot; the download is the same.
//   bytes 0-3   "PSP1"
//   bytes 4-7   the memory's length in bytes (uint32, little-endian)
//   bytes 8-11  the page size, 4096 (uint32, little-endian)
//   then        one bit per page, lowest bit first: 1 if the page is stored
//   then        the stored pages, in order (the last page may be short)
const PAGE = 4096;
function packSparse(memory) {
  const count = Math.ceil(memory.length / PAGE);
  const bitmap = new Uint8Array(Math.ceil(count / 8));
  const kept = [];
  for (let i = 0; i < count; i++) {
    const page = memory.subarray(i * PAGE, Math.min(memory.length, (i + 1) * PAGE));
    if (page.some((byte) => byte !== 0)) {
      bitmap[i >> 3] |= 1 << (i & 7);
      kept.push(page);
    }
  }
  const header = new Uint8Array(12);
  header.set([0x50, 0x53, 0x50, 0x31]); // "PSP1"
  new DataView(header.buffer).setUint32(4, memory.length, true);
  new DataView(header.buffer).setUint32(8, PAGE, true);
  return Buffer.concat([header, bitmap, ...kept]);
}

// Keep everything the runtime prints off stdout: stdout carries the result.
const quiet = { stdout: () => {}, stderr: (line) => process.stderr.write(`${line}\n`) };

if (mode === "trace") {
  const [inputsPath] = rest;
  const pyodide = await loadPyodide({ indexURL: `${runtimeDir}/`, ...quiet });
  await pyodide.loadPackage(wheelPath, { messageCallback: () => {} });
  for (const input of [...JSON.parse(readFileSync(inputsPath, "utf8")), JSON.parse(PROBE)]) {
    assessJson(pyodide, JSON.stringify(input));
  }
  assessJson(pyodide, "{not json");
  // Every module loaded from the standard library zip, compiled as its .pyc
  // (timestamp 0: with no source beside it, zipimport checks none). optimize=2
// drops docstrings and asserts, as python -OO does: 1.3 MB instead of 1.6 MB;
// calc's own modules, imported from the wheel, keep theirs.
  const compiled = pyodide.runPython(`
import base64, json, sys, zipfile
from importlib._bootstrap_external import _code_to_timestamp_pyc
zip_path = sys.path[[p.endswith(".zip") for p in sys.path].index(True)]
stdlib = zipfile.ZipFile(zip_path)
compiled = {}
for module in list(sys.modules.values()):
    origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
    if origin.startswith(zip_path + "/") and origin.endswith(".py"):
        name = origin[len(zip_path) + 1:]
        code = compile(stdlib.read(name), origin, "exec", dont_inherit=True, optimize=2)
        compiled[name + "c"] = base64.b64encode(_code_to_timestamp_pyc(code, 0, 0)).decode()
json.dumps(compiled, sort_keys=True)
`);
  process.stdout.write(compiled);
} else if (mode === "snapshot") {
  const [stdlibPath, outPath] = rest;
  const pyodide = await loadPyodide({
    indexURL: `${runtimeDir}/`, stdLibURL: stdlibPath, _makeSnapshot: true, ...quiet,
  });
  // Where this runtime's Python looks for packages (it names its own version).
  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  pyodide.unpackArchive(new Uint8Array(readFileSync(wheelPath)), "wheel", { extractDir: sitePackages });
  const probeOutput = assessJson(pyodide, PROBE);
  // Free what start-up and the probe left behind, so that less garbage is saved.
  pyodide.runPython("import gc; gc.collect()");
  const snapshot = pyodide.makeMemorySnapshot();
  const packed = packSparse(snapshot);
  writeFileSync(outPath, gzipSync(packed, { level: 9 }));
  process.stdout.write(JSON.stringify({ probe_input: PROBE, probe_output: probeOutput, raw_bytes: snapshot.length,
                                        packed_bytes: packed.length }));
} else {
  process.stderr.write("usage: make_snapshot.mjs trace|snapshot ...\n");
  process.exit(2);
}

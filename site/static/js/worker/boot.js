// The calculator worker's boot: starts Python (Pyodide) with calc in it, from
// the snapshot or the standard way, and returns calc's glue function. The
// message protocol is in worker.js, the worker's entry, which imports this.
//
// boot(init, send) takes the "init" message (see worker.js) and a function
// that posts a message to the page; it sends "progress" messages as the steps
// begin and the bytes arrive, and resolves to {assess, bootMs, mode, fallback,
// linkMbit}: `assess` is calc.assess_json, JSON text in and out. After it has
// resolved no progress is sent. acceptWasm(message) hands over the page's own
// download of the wasm (a "wasm" message); refreshCopies() re-fetches, past
// the HTTP cache, every file a failed boot received.
//
// Imported anywhere but in a worker (a test in Node), this file only defines
// things: it patches no global until boot() runs. It exports decideSnapshot,
// the snapshot decision as a function of what the worker knows.
let loaded = 0;
let step = "runtime";
let booted = false; // once boot() has resolved, progress is over (a late byte count must not follow "ready")
let send = () => {}; // posts a message to the page: given by boot()
// The boot's download in two parts, each known once decided: the wasm (gzipped
// or plain) and the rest (the lock, the stdlib, and the wheel or the snapshot).
// After a failed snapshot the boot downloads more than planned: total unknown.
const expected = { wasm: null, rest: null, unknown: false };
function total() {
  const { wasm, rest, unknown } = expected;
  return unknown || wasm === null || rest === null ? null : wasm + rest;
}
function progress(next) {
  if (booted) return;
  if (next) step = next;
  send({ type: "progress", id: 0, step, loaded, total: total() });
}

// Count the bytes of every download as they arrive, so the page can show real
// progress and knows the boot is alive: the gzipped wasm, the stdlib, the wheel
// and the snapshot all come through here. The bytes are counted on a clone, so
// the response itself is passed on untouched: its body still streams into the
// compiler, and it keeps its URL (the browser caches compiled wasm by URL).
let plainFetch = null; // the browser's own fetch, kept when boot() installs countingFetch
// Every file this boot received (its URL), for refreshCopies().
const bootFiles = new Set();
async function countingFetch(...args) {
  const response = await plainFetch(...args);
  if (response.ok) bootFiles.add(response.url);
  if (!response.body) return response;
  const reader = response.clone().body.getReader();
  (async () => {
    let last = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      const now = performance.now();
      if (now - last > 100) {
        last = now;
        progress();
      }
    }
    progress();
  })().catch(() => {}); // a failed body fails its own reader too
  return response;
}

// JSON text in, JSON text out: calc.assess_json is the only glue, the same
// function the snapshot builder and the tests call, so they can never disagree.
const GLUE = `
import calc
calc.assess_json
`;

// Pyodide reports a failed WebAssembly download or compile with console.warn
// and then waits for ever. Watch the standard WebAssembly calls during one boot
// attempt instead, so that a failure ends the attempt with a clear error.
// The browser's own functions, kept once: an attempt puts these back when it
// ends, not whatever was installed when it began (an attempt abandoned after a
// time limit may still be running when the next one starts).
const WASM_CALLS = Object.fromEntries(
  ["instantiateStreaming", "instantiate", "compileStreaming", "compile"]
    .filter((name) => typeof WebAssembly[name] === "function")
    .map((name) => [name, WebAssembly[name]]),
);
function watchWasm() {
  let reject;
  const failed = new Promise((_, r) => {
    reject = r;
  });
  for (const [name, original] of Object.entries(WASM_CALLS)) {
    WebAssembly[name] = function (...args) {
      const result = original.apply(this, args);
      result.catch((error) => reject(new Error(`the Python runtime could not be loaded (${error.message || error})`)));
      return result;
    };
  }
  return { failed, stop: () => Object.assign(WebAssembly, WASM_CALLS) };
}

// Is this file in the service worker's offline copy?
async function cached(url) {
  try {
    return Boolean(self.caches && (await caches.match(url)));
  } catch {
    return false; // storage blocked
  }
}

// loadPyodide fetches `<indexURL>pyodide.asm.wasm` with the global fetch and
// has no option for another source; during one boot attempt that one request
// is answered with our own download (see fetchWasm). Nothing else is touched.
async function attempt(loadPyodide, options, wasm) {
  const watch = watchWasm();
  const wasmURL = new URL("pyodide.asm.wasm", options.indexURL).href;
  self.fetch = (resource, init) =>
    new URL(String(resource.url || resource), location.href).href === wasmURL
      ? wasm.response()
      : networkFetch(resource, init);
  try {
    return await Promise.race([loadPyodide(options), watch.failed]);
  } finally {
    watch.stop();
    self.fetch = countingFetch;
  }
}

// The runtime's 9.6 MB wasm is 3.5 MB gzipped. Whether a static host
// compresses application/wasm is up to the host, so the build ships it gzipped
// (pyodide.asm.wasm.gz) and it is unzipped here, streaming, so compilation
// still starts on the first bytes. Without DecompressionStream, or if the .gz
// cannot be fetched, the plain wasm is used.
//
// The download starts before anything else, and its first bytes measure the
// link (the only honest speed figure a first visit has): linkMbit resolves to
// Mbit/s from the request to PROBE_BYTES received (or the whole file), or null if unknown.
const PROBE_BYTES = 512 * 1024;
// The real (byte-counting) fetch: attempt() answers the wasm's URL through
// fetchWasm, which must itself reach the network, not loop back.
const networkFetch = countingFetch;

function fetchWasm(runtime, onForm, fromPage = null) {
  const plain = runtime + "pyodide.asm.wasm";
  let measured;
  const linkMbit = new Promise((resolve) => {
    measured = resolve;
  });
  let started = 0;
  let pageMbit; // the page's measure, when the page downloaded it
  async function gzipped() {
    if (typeof DecompressionStream !== "function") return null;
    const given = await fromPage;
    fromPage = null; // a later attempt fetches again (from the HTTP cache by then)
    if (given?.body) {
      pageMbit = given.linkMbit;
      // the page fetched it, but a damaged copy is refreshed from here like any boot file
      bootFiles.add(new URL("pyodide.asm.wasm.gz", runtime).href);
      return new Response(counted(given.body));
    }
    try {
      started = performance.now();
      const response = await networkFetch(runtime + "pyodide.asm.wasm.gz");
      return response.ok ? response : null;
    } catch {
      return null;
    }
  }
  function unzipped(response) {
    return new Response(response.body.pipeThrough(new DecompressionStream("gzip")), {
      headers: { "Content-Type": "application/wasm" },
    });
  }
  // The gzipped wasm's response, or null for the plain one. Once the service
  // worker keeps the plain wasm, that is used: a response with the wasm's own
  // URL lets the browser reuse the machine code it compiled on the last visit,
  // which an unzipped stream (no URL) never does.
  const gzippedUnlessCached = async () => ((await cached(plain)) ? null : gzipped());
  const first = gzippedUnlessCached().then((response) => {
    onForm(response ? "gzipped" : "plain");
    if (!response) {
      measured(null);
      return networkFetch(plain);
    }
    if (pageMbit !== undefined) {
      measured(pageMbit);
      return unzipped(response);
    }
    // One branch of the body feeds the compiler; the other only counts bytes
    // as they arrive (tee buffers for the slower reader, at most the 3.5 MB).
    const [body, counted] = response.body.tee();
    // Timed from the request, round trip included: timing from the first bytes
    // instead reads 0 on a fast link, where the first chunk already holds them all.
    (async () => {
      const reader = counted.getReader();
      let received = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (!done) received += value.byteLength;
        if (done || received >= PROBE_BYTES) {
          measured((received * 8) / 1000 / Math.max(1, performance.now() - started));
          if (done) return;
        }
      }
    })().catch(() => measured(null));
    return unzipped(new Response(body));
  });
  let used = false;
  return {
    linkMbit,
    // The first attempt gets the download already under way; a later one (after
    // a failed snapshot) fetches again, from the HTTP cache by then.
    response() {
      if (!used) {
        used = true;
        return first;
      }
      return gzippedUnlessCached().then((response) => (response ? unzipped(response) : networkFetch(plain)));
    },
  };
}

// The page's download of the wasm, counted as its bytes arrive (on a branch of
// its own, like countingFetch's clone), whether or not the compiler reads yet.
function counted(body) {
  const [out, counter] = body.tee();
  (async () => {
    const reader = counter.getReader();
    let last = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      loaded += value.byteLength;
      if (performance.now() - last > 100) {
        last = performance.now();
        progress();
      }
    }
    progress();
  })().catch(() => {}); // a failed body fails its own reader too
  return out;
}

function timeout(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms));
}

// On a first visit the snapshot (5.1 MB gzipped) pays only on a fast link. It
// saves 0.5 s of start-up on the 2-core machine of docs/performance.md (break-even
// near 80 Mbit/s) and 1.5 s or more on a phone's slower CPU (near 27 Mbit/s).
// Below the threshold (phones on 4G, about 9 Mbit/s) the normal boot is faster.
// It is low rather than high because the measure reads low on a busy device
// (the bytes are counted on this thread, which is also starting the runtime),
// and it includes one round trip.
// Once the snapshot is on this device (the service worker's offline copy keeps
// it), it always pays.
const SNAPSHOT_PAYS_MBIT = 25;

// Whether to boot from the snapshot, as a function of what the worker knows,
// so that it can be tested without a network or a clock: {use, why}.
//   available: there is a snapshot and this browser can unzip it
//   onDevice: it is in the service worker's offline copy (then it always pays)
//   saveData, effectiveType: what navigator.connection reports, if anything
//   linkMbit: the link's measured speed; null if it could not be measured,
//             undefined if not measured yet (then `use` is undefined: measure, ask again)
//   thresholdMbit: a first visit restores the snapshot from this speed up
export function decideSnapshot({ available, onDevice = false, saveData = false, effectiveType = "", linkMbit,
                                 thresholdMbit = SNAPSHOT_PAYS_MBIT }) {
  if (!available) return { use: false, why: "" };
  if (onDevice) return { use: true, why: "" };
  if (saveData || ["slow-2g", "2g", "3g"].includes(effectiveType)) {
    return { use: false, why: "the browser asks to save data or reports a slow connection" };
  }
  if (linkMbit === undefined) return { use: undefined, why: "" };
  if (linkMbit !== null && linkMbit < thresholdMbit) {
    return { use: false, why: `a ${linkMbit.toFixed(1)} Mbit/s link: the snapshot does not pay` };
  }
  return { use: true, why: "" };
}

// The decision for this boot, made once: {use, linkMbit, why}. The link is
// measured (the wasm's first bytes) only when the decision needs it.
async function snapshotPays(snapshot, wasm, thresholdMbit) {
  const available = Boolean(snapshot) && typeof DecompressionStream === "function";
  const connection = self.navigator.connection || {};
  const facts = { available, onDevice: available && (await cached(snapshot.url)), saveData: Boolean(connection.saveData),
                  effectiveType: connection.effectiveType || "", thresholdMbit };
  let choice = decideSnapshot(facts);
  if (choice.use === undefined) {
    facts.linkMbit = await wasm.linkMbit;
    choice = decideSnapshot(facts);
  }
  return { ...choice, linkMbit: facts.linkMbit ?? null };
}


// The memory snapshot: the interpreter as it was right after `import calc`,
// made at build time from this exact runtime. Its download and unzipping start
// as soon as the worker knows it wants it ({bytes, probe}: two promises), so
// they run while pyodide.mjs is imported. The bytes are checked against their
// sha256 by the browser (Subresource Integrity).
function fetchSnapshot(snapshot) {
  const bytes = fetch(snapshot.url, { integrity: snapshot.integrity }).then(async (response) => {
    if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
    const unzipped = response.body.pipeThrough(new DecompressionStream("gzip"));
    return unpackSnapshot(new Uint8Array(await new Response(unzipped).arrayBuffer()));
  });
  const probe = fetch(snapshot.probe).then((response) => response.json());
  // A failure is reported where each is awaited; this keeps it from also
  // showing as an unhandled rejection while the other steps run.
  bytes.catch(() => {});
  probe.catch(() => {});
  return { bytes, probe };
}

// The snapshot is stored without its zero pages (more than half of them), so
// that about 13 MB are unzipped here instead of 31 MB. This puts the stored
// pages back in place in zeroed memory. Format ("sparse pages", written by
// sitebuild/make_snapshot.mjs): "PSP1", the memory's length and the page size
// (uint32, little-endian), one bit per page (lowest first: 1 if stored), then
// the stored pages in order, the last one possibly short.
function unpackSnapshot(packed) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  if (packed.length < 12 || view.getUint32(0, true) !== 0x31505350) throw new Error("snapshot: not in sparse pages");
  const length = view.getUint32(4, true);
  const page = view.getUint32(8, true);
  if (!(page > 0)) throw new Error("snapshot: its header is damaged");
  const count = Math.ceil(length / page);
  if (packed.length < 12 + Math.ceil(count / 8)) throw new Error("snapshot: its header is damaged");
  const bitmap = packed.subarray(12, 12 + Math.ceil(count / 8));
  const memory = new Uint8Array(length);
  let at = 12 + bitmap.length;
  for (let i = 0; i < count; i++) {
    if (bitmap[i >> 3] & (1 << (i & 7))) {
      const start = i * page;
      const size = Math.min(page, length - start);
      memory.set(packed.subarray(at, at + size), start);
      at += size;
    }
  }
  if (at !== packed.length) throw new Error("snapshot: its pages do not add up to its size");
  return memory;
}

// Restore the snapshot, then verify it: the probe made at build time must give
// exactly the same JSON here. Anything else, and the caller boots normally.
// loadPyodide starts only once the bytes and the probe are here: started
// earlier, it would already be fetching the wasm, the lock and the stdlib, and a
// snapshot that then failed would leave the standard boot to fetch them again.
async function bootFromSnapshot(loadPyodide, base, fetched, wasm) {
  const [bytes, probe] = await Promise.all([fetched.bytes, fetched.probe]);
  const pyodide = await Promise.race([
    attempt(loadPyodide, { ...base, _loadSnapshot: bytes }, wasm),
    timeout(20_000, "restoring the snapshot"),
  ]);
  const assess = pyodide.runPython(GLUE);
  if (assess(probe.input) !== probe.output) throw new Error("the snapshot did not verify");
  return assess;
}

let wasmFromPage;
const pageWasm = new Promise((resolve) => {
  wasmFromPage = resolve;
});

/** The page's download of the wasm ({body, linkMbit}, body null: fetch it here). */
export function acceptWasm({ body, linkMbit }) {
  wasmFromPage({ body, linkMbit });
}

/** Start Python with calc in it; see the top of this file. Called once per worker. */
export async function boot(init, sendMessage) {
  send = sendMessage;
  plainFetch = self.fetch.bind(self);
  self.fetch = countingFetch; // every download is counted, the runtime's own included
  return start(init);
}

async function start({ runtime, lock, snapshot, bootBytes = {}, snapshotPaysMbit = SNAPSHOT_PAYS_MBIT,
                      wasmFromPage: pageFetches = false }) {
  const started = performance.now();
  // The page shows what went wrong; the runtime's own start-up chatter is kept
  // out of the reader's console.
  const { warn, error } = console;
  console.warn = console.debug;
  console.error = console.debug;
  try {
    progress("runtime");
    // the bytes of these boot files together, or null if the build did not give one
    const sizeOf = (...names) =>
      names.every((name) => Number.isFinite(bootBytes[name])) ? names.reduce((sum, name) => sum + bootBytes[name], 0) : null;
    // first: the largest download, and the link's measure
    const wasm = fetchWasm(runtime, (form) => {
      expected.wasm = sizeOf(form === "gzipped" ? "wasm_gz" : "wasm");
    }, pageFetches ? pageWasm : null);
    const decided = snapshotPays(snapshot, wasm, snapshotPaysMbit);
    decided.then((pays) => {
      expected.rest = sizeOf("lock", "stdlib", pays.use ? "snapshot" : "wheel");
    });
    const fetched = decided.then((pays) => (pays.use ? fetchSnapshot(snapshot) : null));
    // loadPyodide imports pyodide.asm.mjs (1.3 MB of JavaScript) only once it
    // starts; importing it now lets it download and parse while the link is measured.
    bootFiles.add(new URL("pyodide.asm.mjs", runtime).href).add(new URL("pyodide.mjs", runtime).href);
    import(runtime + "pyodide.asm.mjs").catch(() => {}); // a failure shows in loadPyodide's own import
    const { loadPyodide } = await import(runtime + "pyodide.mjs");
    progress("python");
    // The standard library calc needs (1.3 MB, compiled), not the whole of it (2.5 MB):
    // the build keeps it beside the lock, and proves calc imports and runs on it.
    const stdLibURL = new URL("python_stdlib.zip", lock).href;
    const base = { indexURL: runtime, lockFileURL: lock, stdLibURL, stdout: () => {}, stderr: () => {} };
    let assess = null;
    let mode = "standard";
    const pays = await decided;
    const linkMbit = pays.linkMbit;
    let fallback = pays.why;
    if (pays.use) {
      try {
        assess = await bootFromSnapshot(loadPyodide, base, await fetched, wasm);
        mode = "snapshot";
      } catch (failure) {
        fallback = String((failure && failure.message) || failure);
        expected.unknown = true;
      }
    }
    if (!assess) {
      const pyodide = await attempt(loadPyodide, { ...base, packages: ["calc"] }, wasm);
      progress("calc");
      assess = pyodide.runPython(GLUE); // also proves calc imports
    }
    booted = true;
    return { assess, bootMs: Math.round(performance.now() - started), mode, fallback,
             linkMbit: linkMbit === null ? null : Math.round(linkMbit) };
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

// After a failed boot, fetch every file it received once more, past the
// browser's HTTP cache (which then keeps these copies instead). Every runtime
// file is cached as immutable: a single damaged download (a wasm that does not
// compile, a lock or script that does not parse) would otherwise be read back
// by every Try again and every reload, for ever. At most REFRESH_MS, so that
// the reader is told soon; a file that cannot be had now fails at once.
const REFRESH_MS = 15_000;
export async function refreshCopies() {
  const again = [...bootFiles].map((url) => plainFetch(url, { cache: "reload" }).then((response) => response.arrayBuffer()));
  await Promise.race([Promise.allSettled(again), new Promise((resolve) => setTimeout(resolve, REFRESH_MS))]);
}

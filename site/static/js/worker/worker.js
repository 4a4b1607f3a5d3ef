// The calculator's Web Worker: its message protocol. The boot (starting
// Python with calc in it) is in boot.js; this file answers the page.
//
// Protocol (calc-client.js is the only other side):
//   page -> worker  {type: "init", id: 0, runtime, lock, snapshot, bootBytes, snapshotPaysMbit, wasmFromPage}
//                   first, once: where the runtime and the lock that registers
//                   calc live, and the boot snapshot to try first
//                   ({url, integrity, probe}) or null; on a first visit the
//                   worker still skips the snapshot when the link is slow;
//                   bootBytes: each boot file's size from the build
//                   ({wasm, wasm_gz, lock, stdlib, wheel, snapshot}), for `total`;
//                   snapshotPaysMbit (optional, for tests and benchmarks): the
//                   link speed from which a first visit restores the snapshot;
//                   wasmFromPage: true when the page itself has begun the
//                   gzipped wasm's download, to hand over in a "wasm" message
//   page -> worker  {type: "wasm", id: 0, body, linkMbit}   once, after such an init: the
//                   download's body (a transferred ReadableStream) and the link's
//                   speed the page measured on it, or body null: fetch it here
//   page -> worker  {type: "assess", id, inputs}   the form's raw values by calc key
// Every reply has one shape, {type, id, ...}:
//   {type: "progress", id: 0, step, loaded, total}   a boot step began, or bytes arrived
//                                             (step: "runtime", "python" (download
//                                             and start, calc's wheel included), "calc";
//                                             loaded: bytes downloaded so far, the
//                                             gzipped wasm's included; total: the bytes
//                                             this boot will download in all, once
//                                             known, else null)
//   {type: "ready", id: 0, bootMs, mode, fallback, linkMbit}
//                   mode: "snapshot" or "standard"; fallback: why a snapshot was not used;
//                   linkMbit: the link's speed measured on the runtime's first bytes, or null
//   {type: "fatal", id: 0, message}   the boot failed
//   {type: "reply", id, json}         json: calc.assess_json's reply, the text exactly as
//                                     calc wrote it: {"result": ...} or {"errors": [...]}
//   {type: "failure", id, message}    an unexpected error (a bug), as text
//
// The runtime and the lock file that registers the calc wheel (by sha256) come
// in the init message, not in this script's URL: a service worker may answer
// for this script from its cache, and the URL's query is then lost.
//
// This file and boot.js share a folder addressed by the hash of both
// (sitebuild/assets.py), so the relative import below always finds the boot
// this worker was built with. The page's Content-Security-Policy reaches a
// worker only through this script's response header (docs/hardening.md).

import { acceptWasm, boot, refreshCopies } from "./boot.js";

const send = (message) => self.postMessage(message);
let ready = null; // boot()'s promise: {assess, ...}

async function answer({ id, inputs }) {
  let assess;
  try {
    ({ assess } = await ready);
  } catch {
    return; // the fatal message has already been sent
  }
  try {
    send({ type: "reply", id, json: assess(JSON.stringify(inputs)) });
  } catch (error) {
    send({ type: "failure", id, message: String((error && error.message) || error) });
  }
}

self.onmessage = ({ data }) => {
  if (data.type === "wasm") {
    acceptWasm(data);
  } else if (data.type === "init") {
    ready = boot(data, send);
    ready.then(
      ({ assess, ...facts }) => send({ type: "ready", id: 0, ...facts }),
      async (error) => {
        await refreshCopies(); // before the page hears of it: it ends this worker then
        send({ type: "fatal", id: 0, message: String((error && error.message) || error) });
      },
    );
  } else if (data.type === "assess") {
    answer(data);
  }
};

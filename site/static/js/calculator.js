// The calculator page: a thin layer between the form and the Python worker.
//
// It sends the form's raw values to the worker and renders exactly what
// calc.assess returns. There is no scoring logic here: every number, label
// and sentence in the results comes from calc.
//
// Test contract: #result carries data-status (loading, empty, ready, invalid,
// error) and data-json (calc's JSON for the shown result, "" otherwise).

const root = document.getElementById("calculator");
const form = document.getElementById("calc-form");
const resultEl = document.getElementById("result");
const statusEl = document.getElementById("calc-status");
const bodyEl = document.getElementById("result-body");
const retryButton = document.getElementById("calc-retry");
const errorDetail = document.getElementById("calc-error-detail");
const labels = JSON.parse(document.getElementById("calc-labels").textContent);
const $ = (id) => document.getElementById(id);

const STATUS_TEXT = {
  loading: "Starting the calculator. The first visit takes a few seconds; you can start filling in the form now.",
  empty: "Fill in any of the questions to see your results.",
  ready: "Your results, updated as you type.",
  invalid: "Please check the answer marked below. Everything else you entered is kept.",
  error: "The calculator could not start in this browser. The article and the questions still work. Try again, or reload the page.",
};

// --- the form

const unitKeys = new Set(
  [...form.querySelectorAll(".units input[type=radio]")].map((el) => el.name),
);

function applicable(el) {
  // A field for the other sex is hidden, kept as typed, and not sent.
  const wrapper = el.closest("[data-sex]");
  return !(wrapper && wrapper.hidden);
}

function readInputs() {
  const inputs = {};
  for (const el of form.elements) {
    if (!el.name || !applicable(el)) continue;
    if (el.type === "radio") {
      if (el.checked) inputs[el.name] = el.value;
      else if (!(el.name in inputs)) inputs[el.name] = "";
    } else if (el.type === "checkbox") {
      inputs[el.name] = el.checked ? el.value : "";
    } else {
      inputs[el.name] = el.value;
    }
  }
  return inputs;
}

function isEmpty(inputs) {
  return Object.entries(inputs).every(([key, value]) => unitKeys.has(key) || value.trim() === "");
}

function updateVisibility() {
  const sex = form.elements.sex.value;
  for (const wrapper of form.querySelectorAll("[data-sex]")) {
    wrapper.hidden = wrapper.dataset.sex !== sex;
  }
  for (const group of form.querySelectorAll(".field-number")) {
    const checked = group.querySelector(".units input:checked");
    if (!checked) continue;
    for (const ref of group.querySelectorAll(".reference[data-unit]")) {
      ref.hidden = ref.dataset.unit !== checked.value;
    }
  }
}

// --- field messages

function clearFieldErrors() {
  for (const el of form.querySelectorAll(".error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

function showFieldErrors(errors) {
  const unplaced = [];
  for (const { field, message } of errors) {
    const messageEl = $(`f-${field}-error`);
    const controls = form.querySelectorAll(`[name="${CSS.escape(field)}"]`);
    if (!messageEl || controls.length === 0) {
      unplaced.push(message);
      continue;
    }
    messageEl.textContent = message;
    messageEl.hidden = false;
    for (const control of controls) control.setAttribute("aria-invalid", "true");
    const section = messageEl.closest("details");
    if (section) section.open = true;
  }
  return unplaced;
}

// --- results

function setStatus(status, text) {
  resultEl.dataset.status = status;
  statusEl.textContent = text || STATUS_TEXT[status];
  retryButton.hidden = status !== "error";
  errorDetail.hidden = status !== "error";
  if (status !== "ready") {
    resultEl.dataset.json = "";
    bodyEl.hidden = true;
  }
}

function listItems(list, items, decorate) {
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      decorate(li, item);
      return li;
    }),
  );
}

const LEVEL_WORDS = { alert: "Important", warning: "Worth acting on", info: "Good to know" };

function oneDecimal(value) {
  const text = value.toFixed(1);
  return text === "0.0" ? "less than 0.1%" : `${text}%`;
}

function renderResult(json) {
  const result = JSON.parse(json);
  $("score-value").textContent = String(result.score);
  const level = $("score-level");
  level.textContent = labels.categories[result.category];
  level.dataset.level = result.category;

  for (const row of $("points").children) {
    const points = result.points[row.dataset.factor];
    row.querySelector("[data-points]").textContent = String(points);
    row.querySelector(".bar-fill").style.width = `${(100 * points) / Number(row.dataset.max)}%`;
    row.classList.toggle("zero", points === 0);
  }

  listItems($("findings"), result.findings, (li, f) => {
    li.className = `finding level-${f.level}`;
    li.dataset.code = f.code;
    const tag = document.createElement("strong");
    tag.className = "finding-level";
    tag.textContent = `${LEVEL_WORDS[f.level]}: `;
    li.append(tag, f.text);
  });
  listItems($("recommendations"), result.recommendations, (li, r) => {
    li.dataset.code = r.code;
    li.textContent = r.text;
  });

  const notes = result.notes;
  const notesFor = (prefix) => notes.filter((n) => n.code.startsWith(prefix)).map((n) => n.text).join(" ");

  const ost = result.ost;
  $("ost-value").hidden = !ost;
  $("ost-absent").hidden = Boolean(ost);
  if (ost) {
    const ostEl = $("ost-value");
    ostEl.dataset.index = String(ost.index);
    ostEl.dataset.category = ost.category;
    ostEl.textContent = `Index ${ost.index}: ${ost.category} risk, using the cut-offs for ${ost.population}.`;
  } else {
    $("ost-absent").textContent = notesFor("ost_");
  }

  const qf = result.qfracture;
  $("qfracture-values").hidden = !qf;
  $("qfracture-disclaimer").hidden = !qf;
  $("qfracture-absent").hidden = Boolean(qf) && !notesFor("qfracture_");
  $("qfracture-absent").textContent = notesFor("qfracture_");
  if (qf) {
    $("qfracture-osteoporotic").textContent = oneDecimal(qf.osteoporotic);
    $("qfracture-hip").textContent = oneDecimal(qf.hip);
  }

  const bmi = $("bmi-value");
  bmi.parentElement.hidden = result.bmi === null;
  if (result.bmi !== null) bmi.textContent = result.bmi.toFixed(1);

  listItems(
    $("notes"),
    notes.filter((n) => !n.code.startsWith("ost_") && !n.code.startsWith("qfracture_")),
    (li, n) => {
      li.dataset.code = n.code;
      li.textContent = n.text;
    },
  );

  resultEl.dataset.json = json;
  bodyEl.hidden = false;
  setStatus("ready", restoredNote ? `${restoredNote} ${STATUS_TEXT.ready}` : undefined);
  restoredNote = "";
  if (!$("share-box").hidden) $("share-link").value = shareLink();
  if (!performance.getEntriesByName("calc:first-result").length) performance.mark("calc:first-result");
}

// --- a one-page printout for a doctor

function answerText(el) {
  if (el.tagName === "SELECT") return el.selectedOptions[0].textContent.trim();
  if (el.type === "radio" || el.type === "checkbox") return el.closest("label")?.textContent.trim() || "Yes";
  const unit = el.closest(".field")?.querySelector(".units input:checked, .unit");
  return `${el.value.trim()} ${unit ? (unit.value || unit.textContent.replace(/[()]/g, "")).trim() : ""}`.trim();
}

function fieldLabel(el) {
  const field = el.closest("[data-field]");
  const label = field?.querySelector(":scope > label, :scope > legend");
  return (label ? label.textContent : el.name).replace(/\s*\(.*\)\s*$/, "").trim();
}

function printSummary() {
  const list = $("print-answers");
  list.replaceChildren();
  for (const el of form.elements) {
    if (!el.name || unitKeys.has(el.name) || !applicable(el)) continue;
    const given = el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "";
    if (!given) continue;
    const dt = document.createElement("dt");
    dt.textContent = fieldLabel(el);
    const dd = document.createElement("dd");
    dd.textContent = el.type === "checkbox" ? "Yes" : answerText(el);
    list.append(dt, dd);
  }
  $("print-date").textContent = new Date().toLocaleDateString(document.documentElement.lang || undefined,
    { year: "numeric", month: "long", day: "numeric" });
  document.documentElement.classList.add("print-summary");
  window.print();
}

window.addEventListener("afterprint", () => document.documentElement.classList.remove("print-summary"));

// --- sharing answers in the link's fragment (never sent to any server)

const SHARE_PREFIX = "#share?";

function isDefaultUnit(key, value) {
  // the unit radio checked in the page's HTML is the default
  return unitKeys.has(key) && form.querySelector(`[name="${key}"][checked]`)?.value === value;
}

function shareLink() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(readInputs())) {
    if (value.trim() !== "" && !isDefaultUnit(key, value)) params.set(key, value);
  }
  const url = new URL(window.location.href);
  url.hash = SHARE_PREFIX.slice(1) + params.toString();
  return url.href;
}

function forgetLinkAnswers() {
  history.replaceState(null, "", window.location.pathname + window.location.search);
}

function restoreFromLink() {
  if (!window.location.hash.startsWith(SHARE_PREFIX)) return;
  const params = new URLSearchParams(window.location.hash.slice(SHARE_PREFIX.length));
  let skipped = 0;
  for (const [key, value] of params) {
    const controls = [...form.querySelectorAll(`[name="${CSS.escape(key)}"]`)];
    const control = controls[0];
    if (!control) {
      skipped += 1;
    } else if (control.type === "radio") {
      const match = controls.find((el) => el.value === value);
      if (match) match.checked = true;
      else skipped += 1;
    } else if (control.type === "checkbox") {
      control.checked = value !== "";
    } else if (control.tagName === "SELECT") {
      if ([...control.options].some((o) => o.value === value)) control.value = value;
      else skipped += 1;
    } else {
      control.value = value;
    }
  }
  // Out of the address bar, and out of links copied from it. The browser's history
  // still keeps the link as it was opened: JavaScript cannot remove that entry.
  forgetLinkAnswers();
  restoredNote = skipped
    ? `Answers restored from a shared link; ${skipped} could not be used and were left out.`
    : "Answers restored from a shared link.";
}

let restoredNote = "";

function openShareBox() {
  $("share-link").value = shareLink();
  $("share-box").hidden = false;
  $("share-answers").setAttribute("aria-expanded", "true");
  $("share-copied").textContent = "";
  $("share-link").select();
}

async function copyShareLink() {
  try {
    await navigator.clipboard.writeText($("share-link").value);
    $("share-copied").textContent = "Link copied.";
  } catch {
    $("share-link").select();
    $("share-copied").textContent = "Select the link and copy it with your device's copy command.";
  }
}

function clearMyData() {
  // The form's own reset clears every answer; also forget the share link.
  $("share-box").hidden = true;
  $("share-link").value = "";
  $("share-answers").setAttribute("aria-expanded", "false");
  if (window.location.hash.startsWith(SHARE_PREFIX)) forgetLinkAnswers();
}

// --- talking to the worker

let worker = null;
let workerReady = false;
let inFlight = null; // id of the request the worker is working on
let dirty = false; // the form changed since the last request was sent
let nextId = 0;

function pump() {
  if (!workerReady || inFlight !== null || !dirty) return;
  dirty = false;
  const inputs = readInputs();
  if (isEmpty(inputs)) {
    clearFieldErrors();
    setStatus("empty");
  } else {
    inFlight = ++nextId;
    worker.postMessage({ id: inFlight, inputs });
  }
  // aria-busy: set exactly while a request is in flight (tests wait on it too)
  if (inFlight !== null) resultEl.setAttribute("aria-busy", "true");
  else resultEl.removeAttribute("aria-busy");
}

function schedule() {
  dirty = true;
  pump();
}

function onWorkerMessage(event) {
  const message = event.data;
  if (message.type === "ready") {
    performance.mark("calc:python-ready");
    clearTimeout(slowTimer);
    workerReady = true;
    root.dataset.bootMs = String(message.bootMs);
    root.dataset.bootMode = message.mode;
    if (message.fallback) root.dataset.bootFallback = message.fallback;
    settled();
    dirty = true; // compute whatever was typed while Python was starting
    setStatus("empty");
    pump();
    return;
  }
  if (message.type === "fatal") {
    fail(message.message);
    return;
  }
  if (message.id !== inFlight) return;
  inFlight = null;
  if (dirty) {
    pump(); // the reader typed again: this answer is already stale
    return;
  }
  resultEl.removeAttribute("aria-busy");
  clearFieldErrors();
  if (message.errors) {
    const unplaced = showFieldErrors(message.errors);
    setStatus("invalid", unplaced.length ? `${STATUS_TEXT.invalid} ${unplaced.join(" ")}` : undefined);
    resultEl.dataset.errors = JSON.stringify(message.errors);
  } else if (message.json !== undefined) {
    delete resultEl.dataset.errors;
    renderResult(message.json);
  } else {
    fail(message.failure);
  }
}

function fail(reason) {
  // The page says what happened and how to retry; the technical reason is kept
  // on the element for anyone debugging, not written to the console.
  errorDetail.textContent = `Technical detail: ${reason}`;
  resultEl.dataset.error = reason;
  clearTimeout(slowTimer);
  workerReady = false;
  inFlight = null;
  resultEl.removeAttribute("aria-busy");
  if (worker) worker.terminate();
  worker = null;
  setStatus("error");
  settled();
}

let slowTimer = 0;
const SLOW_BOOT_MS = 30_000;

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

function settled() {
  // Other scripts (the service worker registration) wait for this, so that
  // nothing competes with the calculator's own start-up for the network.
  document.dispatchEvent(new Event("calc:settled"));
}

async function startWorker() {
  workerReady = false;
  inFlight = null;
  delete resultEl.dataset.error;
  setStatus("loading");
  const missing = unsupported();
  if (missing) {
    fail(`${missing}. A recent version of Firefox, Chrome, Edge or Safari can run the calculator.`);
    return;
  }
  clearTimeout(slowTimer);
  slowTimer = setTimeout(() => {
    if (!workerReady && resultEl.dataset.status === "loading") {
      statusEl.textContent = "Still starting. This can take longer on a slow connection or an older device.";
    }
  }, SLOW_BOOT_MS);
  const absolute = (path) => new URL(path, document.baseURI).href;
  const snapshotURL = root.dataset.snapshot ? absolute(root.dataset.snapshot) : "";
  const snapshot = (await snapshotPays(snapshotURL))
    ? { url: snapshotURL, integrity: root.dataset.snapshotIntegrity, probe: absolute(root.dataset.snapshotProbe) }
    : null;
  // From here on nothing awaits, so no worker event can arrive before its handler.
  try {
    worker = new Worker(absolute(root.dataset.worker), { type: "module", name: "calc" });
  } catch (error) {
    fail(String(error));
    return;
  }
  worker.onmessage = onWorkerMessage;
  worker.onerror = (event) => {
    event.preventDefault();
    fail(event.message || "the calculator's worker failed to load");
  };
  worker.onmessageerror = () => fail("a message from the worker could not be read");
  worker.postMessage({ type: "init", runtime: absolute(root.dataset.runtime), lock: absolute(root.dataset.lock), snapshot });
}

function onFormChange() {
  updateVisibility();
  schedule();
}

form.addEventListener("input", onFormChange);
form.addEventListener("change", onFormChange);
form.addEventListener("reset", () => {
  clearMyData();
  setTimeout(onFormChange, 0); // the reset event fires before the controls are cleared
});
form.addEventListener("submit", (event) => event.preventDefault());
retryButton.addEventListener("click", startWorker);
$("print-summary").addEventListener("click", printSummary);
$("share-answers").addEventListener("click", openShareBox);
$("share-copy").addEventListener("click", copyShareLink);

restoreFromLink();
updateVisibility();
startWorker();

// The calculator page: reads the form, and renders exactly what calc returns.
//
// Transport and boot live in calc-client.js; this file only renders. Every
// number, label and sentence in the results comes from calc (its `display`,
// the labels the build put in the page from calc.view); nothing is scored,
// rounded or labelled here. Every element is looked up inside the calculator,
// so an article heading can never take one over.
//
// Test contract: #result carries data-status (loading, empty, ready, invalid,
// error) and data-json (calc's result as JSON, for the shown result, "" when none is
// shown). While an answer is changing, or is invalid, the last good result
// stays on screen with data-stale="true".

const root = document.querySelector("section.calculator[data-worker]");
// Each static file lives in a folder named after its own hash, so a relative
// import would point at a folder that does not exist: the page names the
// client's hashed URL. The page loads that file already (an async script), so
// the import (at the end of this file) gets the same module, with the boot it
// started. Until it arrives the form works and keeps its answers; if it does
// not arrive within the step limit, the reader is told and can try again.
let client = null;
const $ = (id) => root.querySelector(`#${id}`);
const form = $("calc-form");
const resultEl = $("result");
const statusEl = $("calc-status");
const bodyEl = $("result-body");
const retryButton = $("calc-retry");
const errorDetail = $("calc-error-detail");
const labels = JSON.parse($("calc-labels").textContent);
const stepLimitMs = () => Number(root.dataset.stepTimeoutMs) || 45_000;

const STATUS_TEXT = {
  loading: "Starting the calculator. You can fill in the form now: your results appear here as soon as it is ready.",
  saving: "Your browser asks to save data, so the calculator (about {size} MB) is downloaded only when you start answering.",
  empty: "Answer any of the questions to see your results. Age, sex, height and weight are enough for the validated tools.",
  error: statusEl.dataset.errorText,
};

// --- the form

// unit choice -> the value it sets the unit of; value -> its unit choice
const unitOf = {};
const unitFor = {};
for (const group of form.querySelectorAll(".field-number[data-field] .units")) {
  const key = group.closest("[data-field]").dataset.field;
  const name = group.querySelector("input[name]").name;
  unitOf[name] = key;
  unitFor[key] = name;
}

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
  // a unit chosen with no value is not yet an answer
  return Object.entries(inputs).every(([key, value]) => key in unitOf || value.trim() === "");
}

// Feet and inches, stones and pounds: two small boxes that write calc's own
// text form ("5 ft 3", "9 st 2") into the named control.
function compoundOf(key) {
  const field = form.querySelector(`[data-field="${key}"]`);
  const unit = form.elements[unitFor[key]]?.value;
  return field?.querySelector(`.compound[data-compound="${unit}"]`) || null;
}

function valueControl(box) {
  const field = box.closest("[data-field]");
  return field.querySelector(`input[name="${field.dataset.field}"]`);
}

function writeCompound(box) {
  const control = valueControl(box);
  const big = box.querySelector("[data-part=big]").value.trim();
  const small = box.querySelector("[data-part=small]").value.trim();
  if (!big && !small) control.value = "";
  else control.value = `${big || "0"} ${box.dataset.big}${small ? ` ${small}` : ""}`;
}

function readCompound(box) {
  // the named control's text back into the boxes; false if it is not in that form
  const control = valueControl(box);
  const match = control.value.trim().match(new RegExp(`^(\\S+)\\s*${box.dataset.big}\\s*(\\S*)$`));
  if (!control.value.trim()) {
    for (const input of box.querySelectorAll("input")) input.value = "";
    return true;
  }
  if (!match) return false;
  box.querySelector("[data-part=big]").value = match[1];
  box.querySelector("[data-part=small]").value = match[2];
  return true;
}

function updateVisibility() {
  // a lab's upper limit is in the unit chosen for its result: say which
  for (const span of form.querySelectorAll("[data-unit-from]")) {
    span.dataset.unset ??= span.textContent;
    const chosen = form.querySelector(`input[name="${span.dataset.unitFrom}"]:checked`);
    span.textContent = chosen ? `(${chosen.closest("label").textContent.trim()})` : span.dataset.unset;
  }
  const sex = form.elements.sex.value;
  for (const wrapper of form.querySelectorAll("[data-sex]")) {
    wrapper.hidden = wrapper.dataset.sex !== sex;
  }
  for (const key of Object.keys(unitFor)) {
    const field = form.querySelector(`[data-field="${key}"]`);
    const control = field.querySelector(`input[name="${key}"]`);
    let shown = null;
    for (const box of field.querySelectorAll(".compound")) {
      const mine = box === compoundOf(key);
      if (mine && box.hidden && !readCompound(box)) continue; // text not in that form: keep the plain box
      box.hidden = !mine;
      if (mine) shown = box;
    }
    control.hidden = Boolean(shown);
  }
}

// --- field messages: shown once the reader has left the field

const touched = new Set();

function showable(field) {
  return touched.has(field) || (field in unitOf && touched.has(unitOf[field]));
}

function clearFieldErrors() {
  for (const el of form.querySelectorAll(".error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

function showFieldErrors(errors) {
  let shown = 0;
  const unplaced = [];
  for (const { field, message } of errors) {
    const messageEl = $(`f-${field}-error`);
    const controls = form.querySelectorAll(`[name="${CSS.escape(field)}"]`);
    if (!messageEl || controls.length === 0) {
      unplaced.push(message);
      continue;
    }
    if (!showable(field)) continue;
    shown += 1;
    messageEl.textContent = message;
    messageEl.hidden = false;
    for (const control of controls) control.setAttribute("aria-invalid", "true");
    const box = compoundOf(field);
    if (box) for (const input of box.querySelectorAll("input")) input.setAttribute("aria-invalid", "true");
    const section = messageEl.closest("details");
    if (section) section.open = true;
  }
  return { shown: shown + unplaced.length, unplaced };
}

// --- status, and the short line a screen reader hears

function say(text) {
  if (statusEl.textContent !== text) statusEl.textContent = text;
}

function setStatus(status, text) {
  resultEl.dataset.status = status;
  say(text || STATUS_TEXT[status] || "");
  retryButton.hidden = status !== "error";
  errorDetail.hidden = status !== "error";
  $("boot-progress").hidden = status !== "loading";
  if (status === "empty" || status === "error" || status === "loading") {
    resultEl.dataset.json = "";
    delete resultEl.dataset.stale;
    $("stale-note").hidden = true;
    $("pinned-updating").hidden = true;
    bodyEl.hidden = true;
  }
  updatePinned();
}

const STALE_TEXT = {
  updating: "Updating\u2026 the results below are for your previous answers.",
  invalid: "The results below are for your previous answers, until you correct the answer marked in the form.",
};

// The last good result stays on screen while an answer changes ("updating") or
// is wrong ("invalid"); only a change in progress is called updating.
function markStale(stale, why = "updating") {
  const shown = !bodyEl.hidden;
  if (stale && shown) resultEl.dataset.stale = "true";
  else delete resultEl.dataset.stale;
  $("stale-note").hidden = !(stale && shown);
  $("stale-note").textContent = STALE_TEXT[why];
  $("pinned-updating").hidden = !(stale && shown && why === "updating");
}

function settled() {
  // Other scripts (the offline code) wait for this, so that nothing competes
  // with the calculator's start-up for the network.
  root.dispatchEvent(new Event("calc:settled", { bubbles: true }));
}

// --- results: placing calc's strings

function listItems(list, items, decorate) {
  list.replaceChildren(
    ...items.map((item) => {
      const li = document.createElement("li");
      decorate(li, item);
      return li;
    }),
  );
}

function fillFigure(grid, count) {
  [...grid.children].forEach((person, i) => person.classList.toggle("hit", i < count));
}

function notesWith(notes, test) {
  return notes.filter((n) => test(n.code));
}

function renderResult(result) {
  const shown = result.display;
  const notes = result.notes;
  const noteText = (prefix) => notesWith(notes, (c) => c.startsWith(prefix)).map((n) => n.text).join(" ");

  // 1. QFracture, with 100 people and the typical risk beside them
  // (calc's notes about QFracture sit beside its figures: what it assumed, its
  // limits, why the hip figure can be the higher; or why it is absent)
  const head = shown.headline;
  $("qfracture-values").hidden = !head;
  $("qfracture-disclaimer").hidden = !head;
  $("qfracture-absent").hidden = Boolean(head);
  $("qfracture-absent").textContent = head ? "" : noteText("qfracture_");
  listItems($("qfracture-notes"), head ? notesWith(notes, (c) => c.startsWith("qfracture_")) : [], (li, n) => {
    li.dataset.code = n.code;
    li.textContent = n.text;
  });
  if (head) {
    $("qfracture-sentence").textContent = head.sentence;
    $("qfracture-typical").textContent = head.typical;
    $("qfracture-percent").textContent = head.percent;
    $("qfracture-hip").textContent = head.hip;
    fillFigure($("people-you"), head.of_100);
    fillFigure($("people-typical"), head.typical_of_100);
  }

  // 2. OST and what its category means
  $("ost-value").hidden = !shown.ost;
  $("ost-absent").hidden = Boolean(shown.ost);
  if (shown.ost) {
    $("ost-category").textContent = shown.ost.category;
    $("ost-category").dataset.category = result.ost.category;
    $("ost-index").textContent = shown.ost.index;
    $("ost-population").textContent = shown.ost.population;
    $("ost-meaning").textContent = shown.ost.meaning;
  } else {
    $("ost-absent").textContent = noteText("ost_");
  }

  // 3. Next steps that follow guidelines, above the general advice
  const next = result.recommendations.filter((r) => labels.next_steps.includes(r.code));
  $("next-steps").hidden = next.length === 0;
  listItems($("next-list"), next, (li, r) => {
    li.dataset.code = r.code;
    li.textContent = r.text;
  });

  // 4. The educational score, with what it is based on
  $("score-value").textContent = shown.score_out_of;
  $("score-level").textContent = shown.category;
  $("score-level").dataset.level = result.category;
  $("score-coverage").textContent = `(${shown.coverage})`;
  const higher = notesWith(notes, (c) => c.startsWith("validated_tools_"));
  $("tools-higher").hidden = higher.length === 0;
  $("tools-higher").textContent = higher.map((n) => n.text).join(" ");
  const bmi = $("bmi-value");
  bmi.parentElement.hidden = shown.bmi === null;
  bmi.textContent = shown.bmi ?? "";
  for (const factor of shown.factors) {
    const row = $("points").querySelector(`[data-factor="${factor.key}"]`);
    row.hidden = factor.answered === null;
    row.dataset.answered = String(factor.answered);
    row.querySelector("[data-points]").textContent = factor.points;
    const bar = row.querySelector(".bar");
    bar.hidden = !factor.bar;
    bar.firstElementChild.style.width = factor.bar || "0";
  }

  // 5. What would help
  $("what-if").hidden = result.what_if.length === 0;
  const list = $("what-if-list");
  listItems(list, shown.what_if, (li, item) => {
    const raw = result.what_if.find((w) => w.code === item.code);
    li.dataset.code = item.code;
    const text = document.createElement("p");
    text.textContent = raw.text;
    const score = document.createElement("p");
    score.className = "what-if-result";
    score.textContent = `${list.dataset.scoreLabel}: ${item.score} (${item.category})`;
    li.append(text, score);
    if (item.qfracture) {
      const qf = document.createElement("p");
      qf.className = "what-if-result";
      qf.textContent = `${list.dataset.qfractureLabel}: ${item.qfracture.osteoporotic.people} (${item.qfracture.osteoporotic.percent})`;
      li.append(qf);
    }
  });

  // 6. Findings, general advice and notes
  listItems($("findings"), result.findings, (li, f) => {
    li.className = `finding level-${f.level}`;
    li.dataset.code = f.code;
    const tag = document.createElement("strong");
    tag.className = "finding-level";
    tag.textContent = `${labels.levels[f.level]}: `;
    li.append(tag, f.text);
  });
  listItems($("recommendations"), result.recommendations.filter((r) => !labels.next_steps.includes(r.code)), (li, r) => {
    li.dataset.code = r.code;
    li.textContent = r.text;
  });
  const placed = (c) => c.startsWith("ost_") || c.startsWith("qfracture_") || c.startsWith("validated_tools_");
  listItems($("notes"), notesWith(notes, (c) => !placed(c)), (li, n) => {
    li.dataset.code = n.code;
    li.textContent = n.text;
  });

  showUnitsRead(shown.units || {});
  resultEl.dataset.json = JSON.stringify(result);
  delete resultEl.dataset.errors;
  bodyEl.hidden = false;
  markStale(false);
  setStatus("ready", restoredNote ? `${restoredNote} ${shown.summary}` : shown.summary);
  restoredNote = "";
  $("pinned-text").textContent = shown.short;
  if (!$("share-box").hidden) $("share-link").value = shareLink();
  if (!performance.getEntriesByName("calc:first-result").length) performance.mark("calc:first-result");
  settled();
}

// A unit typed after the number ("45 nmol/L", "152 lb") is read by calc, which
// says which unit it read: the unit control then shows it, unless the reader
// is still in that field (feet and inches would swap the box under the cursor).
function showUnitsRead(units) {
  let changed = false;
  for (const [key, unit] of Object.entries(units)) {
    const name = unitFor[key];
    const field = form.querySelector(`[data-field="${key}"]`);
    if (!name || !field || field.contains(document.activeElement)) continue;
    const radio = [...form.querySelectorAll(`input[name="${name}"]`)].find((el) => el.value === unit);
    if (radio && !radio.checked) {
      radio.checked = true;
      changed = true;
    }
  }
  if (changed) {
    updateVisibility();
    keepForTab(readInputs());
  }
}

function renderErrors(errors) {
  clearFieldErrors();
  const { shown, unplaced } = showFieldErrors(errors);
  keepEditedFieldClear();
  resultEl.dataset.errors = JSON.stringify(errors);
  if (shown === 0) {
    // only the field being typed in is wrong so far: say nothing until the reader leaves it
    markStale(true);
    resultEl.removeAttribute("aria-busy");
    return;
  }
  markStale(true, "invalid");
  const count = shown === 1 ? "1 answer needs checking" : `${shown} answers need checking`;
  setStatus("invalid", `${restoredNote} ${count}. ${unplaced.join(" ")} Everything else you entered is kept.`.replace(/\s+/g, " ").trim());
  restoredNote = "";
  $("pinned-text").textContent = count;
  settled();
}

// --- talking to calc

function schedule() {
  const inputs = readInputs();
  keepForTab(inputs);
  if (!client) return; // its script is still on its way: sent once it is here
  if (client.started() === false) {
    if (isEmpty(inputs)) return;
    boot(); // a data saver held the download back until the reader started answering
    return;
  }
  const { assess, busy, cancel } = client;
  if (isEmpty(inputs)) {
    cancel();
    clearFieldErrors();
    delete resultEl.dataset.errors;
    if (resultEl.dataset.status !== "loading" && resultEl.dataset.status !== "error") setStatus("empty");
    resultEl.removeAttribute("aria-busy");
    return;
  }
  assess(inputs);
  if (busy()) resultEl.setAttribute("aria-busy", "true");
  markStale(true);
}

function afterReply() {
  if (!client.busy()) resultEl.removeAttribute("aria-busy");
}

// Does a reply answer the form as it is now? (Start again, or an answer
// changed while it was worked on: then it is not shown.)
function answersForm(inputs) {
  return !inputs || JSON.stringify(inputs) === JSON.stringify(readInputs());
}

const inMB = (bytes) => (Math.floor(bytes / 100_000) / 10).toFixed(1);

function bootProgress(message) {
  // in words a reader knows: what is downloading, and how much of how much
  const { loaded, total, step } = message;
  let text = "Downloading the calculator";
  if (step === "calc" || (total && loaded >= total)) text = "Setting up the calculator on this device";
  else if (loaded && total) text += `: ${inMB(loaded)} of ${(total / 1_000_000).toFixed(1)} MB`;
  else if (loaded) text += `: ${inMB(loaded)} MB so far`;
  $("boot-step").textContent = text;
  const bar = $("boot-bar");
  if (total) {
    bar.max = total;
    bar.value = Math.min(loaded, total);
  }
  $("pinned-text").textContent = `Starting the calculator. ${text}`;
  updatePinned();
}

function fail(reason) {
  // The page says what happened and how to retry; the technical reason is kept
  // on the element for anyone debugging, not written to the console.
  errorDetail.textContent = `Technical detail: ${reason}`;
  resultEl.dataset.error = reason;
  resultEl.removeAttribute("aria-busy");
  setStatus("error");
  $("pinned-text").textContent = "The calculator could not start.";
  settled();
}

// What the client reports while Python starts, and once it answers.
const clientEvents = {
  progress: bootProgress,
  ready(message) {
    performance.mark("calc:python-ready", { startTime: message.receivedAt });
    root.dataset.bootMs = String(message.bootMs);
    root.dataset.bootMode = message.mode;
    if (message.fallback) root.dataset.bootFallback = message.fallback;
    setStatus("empty");
    schedule(); // compute whatever was typed while Python was starting
    if (!client.busy()) settled();
  },
  result(result, inputs) {
    if (!answersForm(inputs)) {
      schedule(); // a reply for answers no longer in the form is never shown
      return;
    }
    clearFieldErrors();
    renderResult(result);
    afterReply();
  },
  errors(errors, inputs) {
    if (!answersForm(inputs)) {
      schedule();
      return;
    }
    renderErrors(errors);
    afterReply();
  },
  failure(reason) {
    fail(reason);
  },
  error: fail,
};

function showStarting() {
  delete resultEl.dataset.error;
  setStatus("loading");
  $("boot-step").textContent = "Downloading the calculator";
  $("boot-bar").removeAttribute("value");
  $("pinned-text").textContent = "Starting the calculator\u2026";
}

// The browser's data saver is on: nothing is downloaded until the reader answers.
function showWaiting() {
  const sizes = JSON.parse(root.dataset.bootBytes || "{}");
  const size = ["wasm_gz", "lock", "stdlib", "wheel"].reduce((sum, name) => sum + (sizes[name] || 0), 0);
  setStatus("loading", STATUS_TEXT.saving.replace("{size}", inMB(size)));
  $("boot-progress").hidden = true;
  $("pinned-text").textContent = "The calculator downloads when you start answering.";
}

// calc-client.js started the worker when it loaded (while the page was parsed);
// its events so far arrive through listen(). Try again starts afresh; if the
// client's own script never came, Try again loads the page again (the answers
// are kept for this tab).
function boot() {
  if (!client) {
    keepForTab(readInputs());
    location.reload();
    return;
  }
  showStarting();
  client.start(client.configFrom(root));
  schedule(); // queue what is already typed (a restored link, a retry)
}

// --- the pinned summary: the result in reach while the form is on screen

let resultInView = false;
let formInView = false;

function updatePinned() {
  const status = resultEl.dataset.status;
  const wanted = !resultInView && formInView && status !== "empty";
  const pinned = $("pinned");
  pinned.hidden = !wanted;
  pinned.dataset.status = status;
  // focusing a field scrolls it clear of the line, however many lines it wraps to
  // (only where the line is drawn: the embedded calculator never draws it, embed.css)
  document.documentElement.style.scrollPaddingBottom = drawn(pinned) ? `${pinned.offsetHeight + 16}px` : "";
  keepEditedFieldClear();
}

// The pinned line never covers the field being edited, nor its message (shown
// when the reader leaves one of its boxes): the page scrolls it clear.
let pointerDown = false; // never scroll between a tap's press and release: the tap would miss
document.addEventListener("pointerdown", () => { pointerDown = true; }, true);
document.addEventListener("pointerup", () => { pointerDown = false; }, true);
document.addEventListener("pointercancel", () => { pointerDown = false; }, true);

// Is the pinned line on screen? In the embedded calculator it is never drawn
// (embed.css): there, moving a field "clear of it" scrolled the frame itself,
// and a tap landed on what had moved under it.
function drawn(pinned) {
  return !pinned.hidden && pinned.getClientRects().length > 0;
}

function keepEditedFieldClear() {
  const pinned = $("pinned");
  const field = document.activeElement?.closest?.("#calc-form .field");
  if (!drawn(pinned) || !field || pointerDown) return;
  const box = field.getBoundingClientRect();
  const overlap = box.bottom - (pinned.getBoundingClientRect().top - 8);
  if (overlap > 0 && box.top < window.innerHeight) window.scrollBy(0, Math.min(overlap, Math.max(0, box.top)));
}

if ("IntersectionObserver" in window) {
  new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.target === resultEl) resultInView = entry.isIntersecting;
      else formInView = entry.isIntersecting;
    }
    updatePinned();
  }, { threshold: 0 }).observe(resultEl);
  new IntersectionObserver((entries) => {
    formInView = entries.some((e) => e.isIntersecting);
    updatePinned();
  }).observe(form);
}

$("pinned").addEventListener("click", (event) => {
  event.preventDefault();
  // hidden first: the room the form keeps for the line goes before the scroll,
  // not after it (the results' top would then sit above the screen)
  resultInView = true;
  updatePinned();
  resultEl.scrollIntoView({ block: "start" });
  $("result-title").focus({ preventScroll: true });
});

// --- a one-page printout for a doctor

function answerText(el) {
  if (el.tagName === "SELECT") return el.selectedOptions[0].textContent.trim();
  if (el.type === "radio" || el.type === "checkbox") return el.closest("label")?.textContent.trim() || "Yes";
  const field = el.closest(".field");
  const unit = field?.querySelector(".units input:checked")?.closest("label") || field?.querySelector("label > .unit");
  // "5 ft 3" already says its units
  const compound = unit?.querySelector("input") && compoundOf(field.dataset.field);
  const unitText = unit && !compound ? unit.textContent.replace(/[()]/g, "").trim() : "";
  return `${el.value.trim()} ${unitText}`.trim();
}

function fieldLabel(el) {
  const field = el.closest("[data-field]");
  const label = field?.querySelector(":scope > label, :scope > legend");
  return (label ? label.textContent : el.name).replace(/\s*\(.*\)\s*$/, "").trim();
}

function printAnswers() {
  const list = $("print-answers");
  list.replaceChildren();
  for (const el of form.elements) {
    if (!el.name || el.name in unitOf || !applicable(el)) continue;
    const given = el.type === "radio" || el.type === "checkbox" ? el.checked : el.value.trim() !== "";
    if (!given) continue;
    const dt = document.createElement("dt");
    dt.textContent = fieldLabel(el);
    const dd = document.createElement("dd");
    dd.textContent = el.type === "checkbox" ? "Yes" : answerText(el);
    const pair = document.createElement("div"); // one answer, kept together in the printed columns
    pair.append(dt, dd);
    list.append(pair);
  }
  const page = readerPage(); // where it is read, not where it was built
  $("print-address").textContent = page.origin + page.pathname;
  $("print-date").textContent = new Date().toLocaleDateString(document.documentElement.lang || undefined,
    { year: "numeric", month: "long", day: "numeric" });
}

function printSummary() {
  printAnswers();
  document.documentElement.classList.add("print-summary");
  window.print();
}

window.addEventListener("afterprint", () => document.documentElement.classList.remove("print-summary"));

// --- sharing answers in the link's fragment (never sent to any server)

const SHARE_PREFIX = "#share?";

// The page a reader can open: this one, or, in the embedded calculator (embed/),
// its article, so that a shared link or a printed address opens the full
// calculator on this site, not the frame on someone's blog.
function readerPage() {
  return new URL(root.closest("[data-share-url]")?.dataset.shareUrl || window.location.href, window.location.href);
}

function shareLink() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(readInputs())) {
    if (value.trim() !== "") params.set(key, value);
  }
  const url = readerPage();
  url.hash = SHARE_PREFIX.slice(1) + params.toString();
  return url.href;
}

function forgetLinkAnswers() {
  history.replaceState(null, "", window.location.pathname + window.location.search);
}

let restoredNote = "";

// The answers of this tab, kept in sessionStorage so that a reload (or Try
// again after a script stalled) does not empty the form. The browser drops it
// when the tab is closed; Start again removes it at once.
const TAB_KEY = "bone-calc-answers";

function keepForTab(inputs) {
  try {
    if (isEmpty(inputs)) {
      sessionStorage.removeItem(TAB_KEY);
      return;
    }
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(inputs)) if (value.trim() !== "") params.append(key, value);
    sessionStorage.setItem(TAB_KEY, JSON.stringify({ answers: params.toString(), fromLink: !$("link-banner").hidden }));
  } catch {
    // storage blocked: a reload starts empty, as before
  }
}

function keptForTab() {
  try {
    return JSON.parse(sessionStorage.getItem(TAB_KEY) || "null");
  } catch {
    return null;
  }
}

const FOR_SEX = { female: "women", male: "men" };
const ANSWER_WORDS = Object.fromEntries([...labels.true_words.map((w) => [w, true]), ...labels.false_words.map((w) => [w, false])]);

function quoted(value) {
  return `\u201c${value.length > 40 ? `${value.slice(0, 40)}\u2026` : value}\u201d`;
}

// Put a link's answers (or this tab's kept answers) into the form. Every
// answer that cannot be used is left out and named, with the reason.
function applyAnswers(params) {
  form.reset();
  touched.clear();
  const byKey = new Map();
  for (const [key, value] of params) byKey.set(key, [...(byKey.get(key) || []), value]);
  const notes = [];
  const labelOf = (key) => {
    const control = form.querySelector(`[name="${CSS.escape(key)}"]`);
    return control ? fieldLabel(control) : quoted(key);
  };
  const choices = (key) => [...form.querySelectorAll(`[name="${CSS.escape(key)}"]`)];
  // a key given twice with different answers is not guessed at
  const usable = new Map();
  for (const [key, values] of byKey) {
    const distinct = [...new Set(values)];
    if (distinct.length > 1) notes.push(`${labelOf(key)}: the link gives ${distinct.length} different answers (${distinct.map(quoted).join(", ")}), so none of them was used.`);
    else usable.set(key, distinct[0]);
  }
  const sexGiven = usable.get("sex");
  const sex = choices("sex").some((el) => el.value === sexGiven) ? sexGiven : "";
  for (const [key, value] of usable) {
    const controls = choices(key);
    const control = controls[0];
    if (!control) {
      notes.push(`${quoted(key)} is not a question in this calculator, so it was left out.`);
      continue;
    }
    const only = control.closest("[data-sex]")?.dataset.sex;
    if (only && only !== sex) {
      const why = sex ? `the link is for ${FOR_SEX[sex]}` : "the link has no usable answer for sex";
      notes.push(`${labelOf(key)}: this question is only for ${FOR_SEX[only]} and ${why}, so it was left out.`);
      continue;
    }
    const word = ANSWER_WORDS[value.trim().toLowerCase()];
    let used = true;
    if (control.type === "radio") {
      const yesNo = controls.every((el) => el.value === "yes" || el.value === "no");
      const wanted = yesNo && word !== undefined ? (word ? "yes" : "no") : value;
      const match = controls.find((el) => el.value === wanted);
      if (match) match.checked = true;
      else used = false;
    } else if (control.type === "checkbox") {
      if (word === undefined) used = false;
      else control.checked = word;
    } else if (control.tagName === "SELECT") {
      if ([...control.options].some((o) => o.value === value && o.value !== "")) control.value = value;
      else used = false;
    } else {
      control.value = value;
    }
    if (used) touched.add(key);
    else notes.push(`${labelOf(key)}: ${quoted(value)} is not one of the answers this question takes, so it was left out.`);
  }
  for (const box of form.querySelectorAll(".compound")) box.hidden = true;
  updateVisibility();
  return notes;
}

function showBanner(text, notes) {
  $("link-banner-text").textContent = text;
  listItems($("link-banner-notes"), notes, (li, note) => {
    li.textContent = note;
  });
  $("link-banner").hidden = false;
}

function hideBanner() {
  $("link-banner").hidden = true;
  $("link-banner-text").textContent = "";
  $("link-banner-notes").replaceChildren();
}

function bannerText(notes, reloaded) {
  const where = reloaded ? "These answers were restored from a shared link, and kept for this tab when the page was reloaded."
    : "These answers were restored from a shared link.";
  if (!notes.length) return where;
  return `${where} ${notes.length === 1 ? "1 answer in it was" : `${notes.length} answers in it were`} left out:`;
}

function restoreFromLink() {
  if (!window.location.hash.startsWith(SHARE_PREFIX)) return false;
  const params = new URLSearchParams(window.location.hash.slice(SHARE_PREFIX.length));
  forgetLinkAnswers(); // out of the address bar (the history keeps the link, as the share box says)
  const notes = applyAnswers(params);
  const text = bannerText(notes, false);
  showBanner(text, notes);
  restoredNote = [text, ...notes].join(" ");
  say(restoredNote);
  root.scrollIntoView({ block: "start" });
  return true;
}

function restoreForTab() {
  const kept = keptForTab();
  if (!kept) return false;
  const notes = applyAnswers(new URLSearchParams(kept.answers));
  if (kept.fromLink) {
    showBanner(bannerText(notes, true), notes);
  } else {
    showBanner("Your answers were kept for this tab when the page was reloaded. Closing the tab, or Start again, clears them.", notes);
  }
  restoredNote = $("link-banner-text").textContent;
  return true;
}

function openShareBox() {
  $("share-link").value = shareLink();
  $("share-box").hidden = false;
  $("share-answers").setAttribute("aria-expanded", "true");
  $("share-copied").textContent = "";
  $("share-native").hidden = typeof navigator.share !== "function";
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

async function nativeShare() {
  try {
    await navigator.share({ title: document.title, url: $("share-link").value });
  } catch {
    // the reader closed the share sheet: nothing to do
  }
}

// --- start again, with undo

let undoState = null;

function snapshotForm() {
  return {
    values: [...form.querySelectorAll("input, select")].map((el) =>
      el.type === "radio" || el.type === "checkbox" ? el.checked : el.value),
    banner: $("link-banner").hidden ? null
      : { text: $("link-banner-text").textContent, notes: [...$("link-banner-notes").children].map((li) => li.textContent) },
  };
}

function clearEveryCopy() {
  // every copy of the answers on the page, not only the form
  $("share-box").hidden = true;
  $("share-link").value = "";
  $("share-answers").setAttribute("aria-expanded", "false");
  $("print-answers").replaceChildren();
  for (const id of ["findings", "recommendations", "next-list", "notes", "what-if-list"]) $(id).replaceChildren();
  for (const id of ["qfracture-sentence", "qfracture-typical", "qfracture-percent", "qfracture-hip", "qfracture-absent",
    "qfracture-notes", "ost-category", "ost-index", "ost-population", "ost-meaning", "ost-absent", "score-value",
    "score-level", "score-coverage", "bmi-value", "tools-higher", "pinned-text"]) $(id).textContent = "";
  fillFigure($("people-you"), 0);
  fillFigure($("people-typical"), 0);
  delete $("score-level").dataset.level;
  delete $("ost-category").dataset.category;
  for (const row of $("points").querySelectorAll("[data-factor]")) {
    delete row.dataset.answered;
    row.hidden = false;
    row.querySelector("[data-points]").textContent = "";
    row.querySelector(".bar").hidden = false;
    row.querySelector(".bar-fill").style.width = "";
  }
  delete resultEl.dataset.errors;
  resultEl.dataset.json = "";
  restoredNote = "";
  hideBanner();
  try {
    sessionStorage.removeItem(TAB_KEY);
  } catch {
    // storage blocked: nothing was kept
  }
  if (window.location.hash.startsWith(SHARE_PREFIX)) forgetLinkAnswers();
}

function startAgain() {
  undoState = snapshotForm();
  form.reset();
  touched.clear();
  clearFieldErrors();
  clearEveryCopy();
  updateVisibility();
  schedule();
  $("undo-text").textContent = "All answers cleared.";
  $("undo-line").hidden = false;
  $("undo-clear").focus();
}

function restoreSnapshot(saved) {
  [...form.querySelectorAll("input, select")].forEach((el, i) => {
    if (el.type === "radio" || el.type === "checkbox") el.checked = saved.values[i];
    else el.value = saved.values[i];
    if (el.name) touched.add(el.name);
  });
  if (saved.banner) showBanner(saved.banner.text, saved.banner.notes);
  else hideBanner();
}

function undo() {
  if (!undoState) return;
  const saved = undoState;
  undoState = null;
  restoreSnapshot(saved);
  $("undo-line").hidden = true;
  for (const box of form.querySelectorAll(".compound")) box.hidden = true;
  updateVisibility();
  schedule();
  $("clear-data").focus();
}

function forgetUndo() {
  undoState = null;
  $("undo-line").hidden = true;
}

// A shared link opened on a page that already has answers: the link's
// answers replace them, and Undo brings the reader's own back.
function linkArrived() {
  const before = isEmpty(readInputs()) ? null : snapshotForm();
  if (!restoreFromLink()) return;
  if (before) {
    undoState = before;
    $("undo-text").textContent = "The answers you had entered were replaced by the link's.";
    $("undo-line").hidden = false;
  } else {
    forgetUndo();
  }
  schedule();
}

// --- events

function onInput(event) {
  const el = event.target;
  const box = el.closest(".compound");
  if (box) writeCompound(box);
  const name = box ? box.closest("[data-field]").dataset.field : el.name;
  if (el.type === "text" || el.tagName === "TEXTAREA") touched.delete(name); // being edited
  else touched.add(name);
  if (undoState) forgetUndo();
  updateVisibility();
  schedule();
}

function onChange(event) {
  // leaving a field, or picking a choice: its message may now be shown
  const el = event.target;
  const box = el.closest(".compound");
  const name = box ? box.closest("[data-field]").dataset.field : el.name;
  if (!name) return;
  touched.add(name);
  if (box) writeCompound(box);
  updateVisibility();
  schedule();
}

form.addEventListener("input", onInput);
form.addEventListener("change", onChange);
form.addEventListener("submit", (event) => event.preventDefault());
retryButton.addEventListener("click", boot);
$("clear-data").addEventListener("click", startAgain);
$("undo-clear").addEventListener("click", undo);
$("print-summary").addEventListener("click", printSummary);
$("share-answers").addEventListener("click", openShareBox);
$("share-copy").addEventListener("click", copyShareLink);
$("share-native").addEventListener("click", nativeShare);
window.addEventListener("hashchange", linkArrived);
form.addEventListener("focusin", keepEditedFieldClear);
form.addEventListener("click", keepEditedFieldClear); // a tapped field: once the tap is over

if (!restoreFromLink()) restoreForTab();
updateVisibility();
showStarting();

// The client's script: the page loads it already (an async module); this
// gets the same module. If it does not come within the step limit, the
// reader is told, and Try again loads the page again (answers kept).
const clientStall = setTimeout(() => {
  if (!client) fail("the calculator's start-up script did not arrive (nothing for " + stepLimitMs() / 1000 + " s)");
}, stepLimitMs());
client = await import(root.dataset.client);
clearTimeout(clientStall);
if (!client.started()) showWaiting(); // a data saver: nothing downloads until the reader answers
client.listen(clientEvents); // may hand over "ready" (which computes what is typed) or an error
// Still starting: queue what is already typed (a restored link) for when it is ready.
if (resultEl.dataset.status === "loading") schedule();

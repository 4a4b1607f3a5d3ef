// Grows the calculator's frame from {{ site.title }} to the height of its
// content, on any page that pasted the snippet (embed/snippet.html). Written
// by build.py with the site's own address; it lives at a fixed address, so a
// snippet pasted once keeps working.
//
// It trusts nothing it is sent. A message counts only if it comes from this
// site's origin, from a calculator frame on this page (the frame whose window
// sent it), and is exactly {type: "bone-calc:height", height: <a whole number
// of pixels in a sane range>}. The frame sends nothing else: no answers, no
// results. This script sends the frame one question, "how tall are you?", in
// case the frame told its height before this script had loaded.
(() => {
  "use strict";
  const ORIGIN = {{ origin | tojson }};
  // the calculator's address, as the browser writes a frame's src: frames whose src starts with it
  const FRAME = new URL({{ frame | tojson }}).href;
  const TYPE = "bone-calc:height";
  const MIN = {{ min_height }};
  const MAX = {{ max_height }};

  const frames = () => [...document.getElementsByTagName("iframe")].filter((frame) => frame.src.startsWith(FRAME));

  function fit(frame) {
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.borderRadius = "8px";
  }

  function heightIn(data) {
    if (!data || typeof data !== "object" || Object.getPrototypeOf(data) !== Object.prototype) return null;
    const keys = Object.keys(data);
    if (keys.length !== 2 || data.type !== TYPE || !keys.includes("height")) return null;
    const height = data.height;
    return Number.isInteger(height) && height >= MIN && height <= MAX ? height : null;
  }

  window.addEventListener("message", (event) => {
    if (event.origin !== ORIGIN) return;
    const height = heightIn(event.data);
    if (height === null) return;
    for (const frame of frames()) {
      if (frame.contentWindow !== event.source) continue;
      fit(frame);
      frame.style.height = `${height}px`;
    }
  });

  // The frame may have told its height before this script was here: ask it
  // again once it has loaded (contentDocument is null for a page of another
  // origin, so the calculator is already there).
  const ask = (frame) => frame.contentWindow?.postMessage({ type: `${TYPE}?` }, ORIGIN);
  for (const frame of frames()) {
    fit(frame);
    frame.addEventListener("load", () => ask(frame));
    if (frame.contentDocument === null) ask(frame);
  }
})();

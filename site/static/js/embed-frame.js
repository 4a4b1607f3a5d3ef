// Inside the embedded calculator (embed/, in another site's <iframe>): tells
// the page around it how tall the calculator is, so that its copy of
// embed/host.js can grow the frame to fit and nothing scrolls inside it.
//
// The one message is {type: "bone-calc:height", height: whole pixels}: no
// answer and no result ever leaves the frame. It is sent whenever the height
// changes, and again when the page around asks ("bone-calc:height?"), in case
// its script loaded after the frame. The height is the document's own (not the
// frame's viewport, which the host sets from it), so the two cannot chase
// each other.

const TYPE = "bone-calc:height";

if (window.parent !== window) {
  let told = 0;
  const height = () => Math.ceil(document.documentElement.getBoundingClientRect().height);
  const tell = (again) => {
    const now = height();
    if (now === told && !again) return;
    told = now;
    // Any page may embed the calculator, and a height says nothing about the reader.
    window.parent.postMessage({ type: TYPE, height: now }, "*");
  };
  new ResizeObserver(() => tell(false)).observe(document.documentElement);
  window.addEventListener("message", (event) => {
    if (event.source === window.parent && event.data?.type === `${TYPE}?`) tell(true);
  });
}

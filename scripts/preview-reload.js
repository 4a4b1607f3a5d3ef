// Live preview only (make serve): reload this page when the site is rebuilt.
// scripts/preview.py serves this file and adds it to each page as it serves
// it; no build ever contains it, so a published site never does.
//
// A long poll: the server answers /__preview__/state when the build's version
// differs from the one this page was served with (or after a while, to keep
// the connection fresh), and a new version means a new page, or a build
// error page naming the file and line.
const served = new URL(document.currentScript.src).searchParams.get("v");

async function watch() {
  for (;;) {
    try {
      const response = await fetch(`/__preview__/state?seen=${served}`, { cache: "no-store" });
      const state = await response.json();
      if (String(state.version) !== served) {
        window.location.reload();
        return;
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500)); // the preview is restarting
    }
  }
}

watch();

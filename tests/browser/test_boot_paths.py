"""Every way the worker can boot Python gives exactly calc's answers.

The worker (site/static/js/worker.js) boots in one of these ways:
- standard: Pyodide's wasm downloaded gzipped and unzipped in the worker, the
  trimmed, compiled standard library from calc/<hash>/, calc from its lock;
- the same with the plain wasm, when the gzipped one cannot be had;
- the memory snapshot, on a fast link or when it is already on the device;
- on a slow link, a first visit skips the snapshot and boots the standard way.
Each test starts the site's own worker script from a page of the site and
compares its replies with calc.assess_json run here, on the golden cases and
a random sample. Speed is measured in `make bench`, not here: what counts as
a fast link is passed in (snapshotPaysMbit), so that no test depends on how
fast this machine reads a local download; the rule itself is tested as a
function in tests/test_snapshot_decision.py.
"""

import html as html_module
import json
import random
import re

import pytest

import calc
from tests.browser.pagetools import downloaded_in_all
from tests.helpers import golden_cases

pytestmark = pytest.mark.browser

RUN_WORKER = """async ({worker: url, init, inputs}) => {
  const worker = new Worker(url, {type: 'module'});
  const replies = new Map();
  const progress = [];
  let ready;
  const booted = new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const data = event.data;
      if (data.type === 'progress') progress.push(data);
      else if (data.type === 'ready') { ready = data; resolve(); }
      else if (data.type === 'fatal') reject(new Error(data.message));
      else replies.get(data.id)(data);
    };
  });
  worker.postMessage({type: 'init', id: 0, ...init});
  await booted;
  const answers = [];
  for (let id = 1; id <= inputs.length; id++) {  // one at a time, as the page sends them
    answers.push(await new Promise((resolve) => {
      replies.set(id, resolve);
      worker.postMessage({type: 'assess', id, inputs: inputs[id - 1]});
    }));
  }
  worker.terminate();
  return {ready, progress, answers};
}"""


def golden_inputs():
    return [case["input"] for case in golden_cases()]


def random_sample(n, seed=14):
    """Inputs mixed from the golden cases' values, some keys dropped, some values broken."""
    rng = random.Random(seed)
    cases = golden_inputs()
    values = {}
    for case in cases:
        for key, value in case.items():
            values.setdefault(key, []).append(value)
    sample = []
    for _ in range(n):
        inputs = {key: rng.choice(options) for key, options in values.items() if rng.random() < 0.6}
        if inputs and rng.random() < 0.15:
            inputs[rng.choice(sorted(inputs))] = rng.choice(["", "abc", "-5", "1e400", "0,5"])
        sample.append(inputs)
    return sample


def expected(inputs):
    """What the worker must send for `inputs`: calc's own reply, byte for byte."""
    return {"type": "reply", "json": calc.assess_json(json.dumps(inputs))}


def bundle(built_site):
    """The runtime, lock and snapshot the article's calculator boots from."""
    html = (built_site / "inflammation-and-bone-loss" / "index.html").read_text()
    attrs = dict(re.findall(r'data-(runtime|lock|worker|snapshot|snapshot-integrity|snapshot-probe)="([^"]*)"', html))
    return attrs


def boot_bytes(built_site):
    """The file sizes the article gives the worker (data-boot-bytes)."""
    html = (built_site / "inflammation-and-bone-loss" / "index.html").read_text()
    return json.loads(html_module.unescape(re.search(r'data-boot-bytes="([^"]*)"', html).group(1)))


def check_total(progress, expected):
    """The boot announces the total it downloads, and that is what it downloads."""
    totals = {m["total"] for m in progress if m["total"] is not None}
    assert totals == {expected}, (totals, expected)
    assert all(m["loaded"] <= m["total"] for m in progress if m["total"] is not None)
    assert progress[-1]["loaded"] == expected


def boot(page, site_url, built_site, inputs, snapshot=True, snapshot_pays_mbit=None):
    """Boot the site's worker; snapshot_pays_mbit: the link speed from which it restores the snapshot."""
    attrs = bundle(built_site)
    page.goto(site_url + "404.html")  # a page of the site without a calculator of its own
    absolute = lambda path: site_url + path.lstrip("/")  # noqa: E731  (the site is built at the root)
    init = {"runtime": absolute(attrs["runtime"]), "lock": absolute(attrs["lock"]), "snapshot": None,
            "bootBytes": boot_bytes(built_site)}
    if snapshot_pays_mbit is not None:
        init["snapshotPaysMbit"] = snapshot_pays_mbit
    if snapshot:
        init["snapshot"] = {"url": absolute(attrs["snapshot"]), "integrity": attrs["snapshot-integrity"],
                            "probe": absolute(attrs["snapshot-probe"])}
    return page.evaluate(RUN_WORKER, {"worker": absolute(attrs["worker"]), "init": init, "inputs": inputs})


def assert_same_as_calc(inputs, answers):
    assert len(answers) == len(inputs)
    for sent, answer in zip(inputs, answers):
        answer = {k: v for k, v in answer.items() if k != "id"}
        assert answer == expected(sent), sent


@pytest.fixture
def page(watched_page):
    """No service worker: every request goes to the network, where the test can see it."""
    return watched_page(service_workers="block")


def requested(page):
    urls = []
    page.context.on("request", lambda r: urls.append(r.url))
    return urls


def test_standard_boot_unzips_the_wasm_itself_and_needs_only_the_trimmed_stdlib(page, site_url, built_site):
    urls = requested(page)
    inputs = golden_inputs() + random_sample(150)
    run = boot(page, site_url, built_site, inputs, snapshot=False)
    assert run["ready"]["mode"] == "standard"
    assert_same_as_calc(inputs, run["answers"])
    assert any(u.endswith("/pyodide.asm.wasm.gz") for u in urls)
    assert not any(u.endswith("/pyodide.asm.wasm") for u in urls)
    # the gzipped wasm's bytes are counted as they arrive, like every other download
    (runtime_folder,) = built_site.glob("pyodide/*/")
    gz_size = (runtime_folder / "pyodide.asm.wasm.gz").stat().st_size
    wasm_progress = [m for m in run["progress"] if m["step"] in ("runtime", "python")]
    assert wasm_progress and wasm_progress[-1]["loaded"] >= gz_size
    stdlibs = [u for u in urls if u.endswith("python_stdlib.zip")]
    assert len(stdlibs) == 1 and "/calc/" in stdlibs[0]  # the trimmed one, never the runtime's whole one
    check_total(run["progress"], downloaded_in_all(built_site, "standard"))
    assert page.problems == []


def test_without_the_gzipped_wasm_the_plain_one_is_used(page, site_url, built_site):
    urls = requested(page)
    page.context.route("**/*.wasm.gz", lambda route: route.abort())
    inputs = golden_inputs()
    run = boot(page, site_url, built_site, inputs, snapshot=False)
    assert run["ready"]["mode"] == "standard"
    assert_same_as_calc(inputs, run["answers"])
    assert any(u.endswith("/pyodide.asm.wasm") for u in urls)
    check_total(run["progress"], downloaded_in_all(built_site, "standard", "plain"))


def test_on_a_link_that_measures_fast_enough_a_first_visit_restores_the_snapshot(page, site_url, built_site):
    urls = requested(page)
    inputs = golden_inputs() + random_sample(150, seed=15)
    run = boot(page, site_url, built_site, inputs, snapshot_pays_mbit=0)  # any measured link is fast enough
    assert run["ready"]["mode"] == "snapshot", run["ready"]
    assert run["ready"]["fallback"] == ""
    assert isinstance(run["ready"]["linkMbit"], int)  # the link was measured
    assert_same_as_calc(inputs, run["answers"])
    assert any(u.endswith("/snapshot.bin.gz") for u in urls)
    assert not any(u.endswith("python_stdlib.zip") and "/pyodide/" in u for u in urls)
    check_total(run["progress"], downloaded_in_all(built_site, "snapshot"))
    assert page.problems == []


def test_on_a_link_that_measures_too_slow_a_first_visit_boots_without_the_snapshot(page, site_url, built_site):
    urls = requested(page)
    inputs = golden_inputs()[:5]
    run = boot(page, site_url, built_site, inputs, snapshot_pays_mbit=10**9)  # no link is that fast
    assert run["ready"]["mode"] == "standard", run["ready"]
    assert isinstance(run["ready"]["linkMbit"], int)
    assert "Mbit/s link: the snapshot does not pay" in run["ready"]["fallback"]
    assert_same_as_calc(inputs, run["answers"])
    assert not any(u.endswith("/snapshot.bin.gz") for u in urls)

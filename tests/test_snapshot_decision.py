"""The worker's snapshot decision, as a function: no network, no clock, no
browser. The worker's boot.js exports decideSnapshot; Node imports the file (outside a
worker it only defines things) and answers for every case at once."""

import json
import subprocess
from pathlib import Path


BOOT = Path(__file__).resolve().parent.parent / "site" / "static" / "js" / "worker" / "boot.js"

# Imports the worker's boot.js as a module and prints decideSnapshot's answer for each case.
DECIDE = """
const fs = await import("node:fs");
const source = fs.readFileSync(process.argv[1], "utf8");
const { decideSnapshot } = await import("data:text/javascript," + encodeURIComponent(source));
const cases = JSON.parse(fs.readFileSync(0, "utf8"));
console.log(JSON.stringify(cases.map((facts) => decideSnapshot(facts))));
"""

SLOW = "the browser asks to save data or reports a slow connection"

# (facts, whether to restore the snapshot, what the reason must contain), worked out from the rule:
# no snapshot or no way to unzip it: never; on the device: always; the browser asks to save data or
# reports a 3G-or-slower link: not on a first visit; otherwise from thresholdMbit up, or when the link
# could not be measured (null); undefined: not measured yet, so no answer yet.
CASES = [
    ({"available": False, "onDevice": True, "linkMbit": 500, "thresholdMbit": 25}, False, ""),
    ({"available": True, "onDevice": True, "saveData": True, "linkMbit": 1, "thresholdMbit": 25}, True, ""),
    ({"available": True, "saveData": True, "linkMbit": 500, "thresholdMbit": 25}, False, SLOW),
    ({"available": True, "effectiveType": "3g", "linkMbit": 500, "thresholdMbit": 25}, False, SLOW),
    ({"available": True, "effectiveType": "slow-2g", "thresholdMbit": 25}, False, SLOW),
    ({"available": True, "effectiveType": "4g", "linkMbit": 500, "thresholdMbit": 25}, True, ""),
    ({"available": True, "linkMbit": 24.44, "thresholdMbit": 25}, False, "a 24.4 Mbit/s link: the snapshot does not pay"),
    ({"available": True, "linkMbit": 25, "thresholdMbit": 25}, True, ""),
    ({"available": True, "linkMbit": 9, "thresholdMbit": 5}, True, ""),
    ({"available": True, "linkMbit": 300, "thresholdMbit": 1000}, False, "a 300.0 Mbit/s link"),
    ({"available": True, "linkMbit": None, "thresholdMbit": 25}, True, ""),
    ({"available": True, "thresholdMbit": 25}, None, ""),  # not measured yet: measure first
    ({"available": True, "linkMbit": 24}, False, "a 24.0 Mbit/s link"),  # the default threshold is 25
    ({"available": True, "linkMbit": 26}, True, ""),
]


def decide(node, cases):
    done = subprocess.run([node, "--input-type=module", "-e", DECIDE, str(BOOT)],
                          input=json.dumps(cases), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_snapshot_decision_follows_its_rule_for_every_case(node):
    answers = decide(node, [facts for facts, _, _ in CASES])
    for (facts, use, why), answer in zip(CASES, answers):
        assert answer.get("use") == use, (facts, answer)
        assert why in answer["why"] and bool(why) == bool(answer["why"]), (facts, answer)

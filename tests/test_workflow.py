"""The Pages workflow: every test runs before anything is deployed, and the
boot snapshot's cache is keyed on what the snapshot is made from."""

import re

import build
from sitebuild import runtime

WORKFLOW = (build.ROOT / ".github" / "workflows" / "pages.yml").read_text()


def jobs():
    """{job name: its text}, from the workflow's `jobs:` section (two-space names)."""
    section = WORKFLOW.split("\njobs:\n", 1)[1]
    parts = re.split(r"^  ([a-z][\w-]*):\n", section, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_a_failing_test_stops_the_deploy():
    found = jobs()
    assert re.search(r"^\s+run: make test$", found["test"], re.M)
    assert "needs: test" in found["build"] and "needs: build" in found["deploy"]
    assert "actions/deploy-pages" in found["deploy"] and "deploy-pages" not in found["test"] + found["build"]


def test_the_site_is_built_with_the_make_target():
    build_job = jobs()["build"]
    assert 'make site BASE_URL="${{ steps.pages.outputs.base_url }}/"' in build_job
    assert "path: _site" in build_job


def test_the_snapshot_cache_is_keyed_on_what_the_snapshot_is_made_from():
    keys = re.findall(r"key: snapshot-\$\{\{ hashFiles\(([^)]*)\) \}\}", WORKFLOW)
    assert len(keys) == 2 and keys[0] == keys[1], keys  # the tests and the build share one cache
    sources = {s.strip().strip("'") for s in keys[0].split(",")}
    # calc's wheel is made by the setuptools pinned in constraints.txt, from pyproject.toml and calc/
    made_from = {"calc/**", "pyproject.toml", "constraints.txt", "package-lock.json",
                 build.SNAPSHOT_SCRIPT.relative_to(build.ROOT).as_posix(),
                 runtime.TRACE_INPUTS.relative_to(build.ROOT).as_posix(),
                 "sitebuild/runtime.py"}  # the stdlib's trimming, part of the build's own key (snapshot_key)
    assert sources == made_from
    assert not any(s.startswith("tests/") for s in sources)  # a new test case does not change the snapshot
    assert build.SNAPSHOT_CACHE == build.ROOT / ".cache" / "snapshots"
    assert WORKFLOW.index("path: .cache/snapshots") < WORKFLOW.index("make site")


def test_both_jobs_keep_downloaded_packages():
    found = jobs()
    for job in ("test", "build"):
        assert re.search(r"path: \|\n\s+~/\.cache/pip\n\s+~/\.npm\n", found[job]), job


def test_the_build_remakes_the_snapshot_when_the_stdlib_is_trimmed_another_way():
    made_from = ("314.0.7", b"wheel", "[]", b"script")
    key = runtime.snapshot_key(*made_from)
    assert runtime.snapshot_key(*made_from) == key  # the same sources reuse the cached snapshot

    def trimmed_another_way(full_zip, compiled):
        return b""
    assert runtime.snapshot_key(*made_from, trim=trimmed_another_way) != key
    for i in range(4):  # and each of the other sources counts
        changed = list(made_from)
        changed[i] = changed[i] + (b"!" if isinstance(changed[i], bytes) else "!")
        assert runtime.snapshot_key(*changed) != key

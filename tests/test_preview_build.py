"""The live preview's reload code lives only in the preview server, never in a build."""

from scripts import preview


def test_a_published_build_contains_no_reload_code(built_site):
    markers = [preview.ENDPOINT.encode(), preview.RELOAD_JS.name.encode()]
    files = [p for p in built_site.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".json", ".xml")]
    assert any(p.name == "index.html" for p in files) and any(p.name == "sw.js" for p in files)
    for path in files:
        data = path.read_bytes()
        assert not any(marker in data for marker in markers), path


def test_the_preview_waits_for_the_next_build_and_no_longer():
    builds = preview.Builds()
    assert builds.wait_after("0", timeout=0.01) == 0  # nothing new: the poll times out
    builds.publish("content/x.md:3: a problem")
    assert builds.wait_after("0", timeout=5) == 1 and builds.error == "content/x.md:3: a problem"
    builds.publish(None)
    assert builds.wait_after("1", timeout=5) == 2 and builds.error is None

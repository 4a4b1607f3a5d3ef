"""Shared fixtures: the built site, served on a free port, and the browser."""

import os
import shutil

import pytest
from hypothesis import settings

import build
from scripts import find_browser
from scripts.serve import Restartable


# Fixtures whose users need Node.js: the build makes the runtime bundle with it,
# and `node` runs a script in it.
NEEDS_NODE = {"built_site", "node"}


def pytest_collection_modifyitems(items):
    """Every test that uses a fixture of NEEDS_NODE (or one built on it, such as
    `site_url`) is marked `node`, so that `make unit` (-m "not browser and not node")
    leaves it to `make test`, and a clone with Python alone runs the rest."""
    for item in items:
        if NEEDS_NODE & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.node)


@pytest.fixture(scope="session")
def node():
    """The path of Node.js, for a test that runs a script in it (the one way a test
    starts Node, so that the test is marked `node`)."""
    path = shutil.which("node")
    assert path, "Node.js is needed for this test (make test installs it)"
    return path


settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site as `make site` builds it, once for the whole run."""
    out = tmp_path_factory.mktemp("site") / "_site"
    build.build(out)
    return out


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site, served on a free port for the whole run."""
    server = Restartable(built_site)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def serve():
    """Serve a folder for one test: serve(folder, handler=Handler) -> a started
    Restartable (its `url`; `stop()` it to take the site offline, `start()` again
    on the same port). Every server is stopped after the test, pass or fail.

        server = serve(site.out, handler=CountingHandler)
        page.goto(server.url + "...")
    """
    servers = []

    def start(folder, **options):
        server = Restartable(folder, **options)
        servers.append(server)
        server.url = server.start()
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, playwright):
    """Playwright's own Chromium where installed, else Debian's; never a silent skip."""
    options = find_browser.launch_options(own=playwright.chromium.executable_path)
    if options is None:
        pytest.fail("No Chromium to run the browser tests: run 'make test', which installs Debian's chromium.")
    return {**browser_type_launch_args, **options}


@pytest.fixture
def watched_page(browser):
    """Open pages in fresh browser contexts, each page's console problems in
    `page.problems`; every context is closed after the test, pass or fail.

        page = watched_page(viewport={"width": 360, "height": 800}, service_workers="block")
    """
    from tests.browser.pagetools import watch_console

    contexts = []

    def open_page(**context_options):
        context = browser.new_context(**context_options)
        contexts.append(context)
        page = context.new_page()
        page.problems = watch_console(page)
        return page

    try:
        yield open_page
    finally:
        for context in contexts:
            context.close()

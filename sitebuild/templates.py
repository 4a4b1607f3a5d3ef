"""The Jinja2 environment, and rendering that reports mistakes as file:line."""

from pathlib import Path

import jinja2

from . import BuildError
from .layout import STATIC_DIR


def make_env(folder, settings, globals_=None):
    """An environment for the templates in `folder`, with the site's settings,
    URL helpers and `globals_` (names the templates may use) available to all."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    base = settings["base_path"]
    hashed = {}  # filled by set_static() once the build has copied the static files

    def url(path=""):
        """A link from the site's root; url('static/js/x.js') gives the file's
        content-addressed copy, static/<hash>/js/x.js."""
        path = path.lstrip("/")
        if hashed and path.startswith(f"{STATIC_DIR}/"):
            name = path[len(STATIC_DIR) + 1:]
            if name not in hashed:
                raise BuildError(f"{folder}: url('{path}') names a file that is not in site/{STATIC_DIR}/")
            path = hashed[name]
        return base + path

    env.globals.update(
        site=settings,
        url=url,
        static_files=hashed,
        absolute=lambda path="": settings["base_url"] + path.lstrip("/"),
        **(globals_ or {}),
    )
    env.filters["isodate"] = lambda d: d.isoformat()
    env.filters["longdate"] = lambda d: f"{d.day} {d:%B %Y}"
    return env


def set_static(env, names):
    """Make url('static/...') give the hashed copies that
    assets.copy_static() wrote for this build."""
    env.globals["static_files"].clear()
    env.globals["static_files"].update(names)


def _folder(env):
    return Path(env.loader.searchpath[0])


def _template_frame(error, folder):
    """'file:line' of the innermost template frame in a rendering error's traceback."""
    where = "template"
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(str(folder)):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def render_text(env, template, **context):
    try:
        return env.get_template(template).render(**context)
    except jinja2.TemplateNotFound as error:
        raise BuildError(f"{_folder(env) / error.name}: template not found") from None
    except jinja2.TemplateSyntaxError as error:
        raise BuildError(f"{error.filename}:{error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise BuildError(f"{_template_frame(error, _folder(env))}: {error.message}") from None


def write(out_path, text):
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text, encoding="utf-8")


def render(env, template, out_path, **context):
    write(out_path, render_text(env, template, **context))

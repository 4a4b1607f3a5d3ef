"""The Jinja2 environment, and rendering that reports mistakes as file:line."""

from pathlib import Path

import jinja2

from . import BuildError


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
    env.globals.update(
        site=settings,
        url=lambda path="": base + path.lstrip("/"),
        absolute=lambda path="": settings["base_url"] + path.lstrip("/"),
        **(globals_ or {}),
    )
    env.filters["isodate"] = lambda d: d.isoformat()
    env.filters["longdate"] = lambda d: f"{d.day} {d:%B %Y}"
    return env


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

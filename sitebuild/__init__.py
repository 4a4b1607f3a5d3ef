"""The site build, one job per module; build.py is the recipe that calls them.

  frontmatter.py  the front matter block: its keys, and one parser per key
  articles.py     content/*.md into Page objects: front matter, Markdown, includes
  safemarkdown.py Markdown that cannot carry script: only ids and classes, safe URLs
  templates.py    the Jinja2 environment and rendering, errors as file:line
  website.py      pages, index, 404, sitemap, feed, and the service worker with the
                  build's manifest (every file's sha256) into a folder
  uniqueids.py    one use of each id per page, errors naming the article's line
  runtime.py      the bundle the calculator boots from: Pyodide, calc wheel, lock, snapshot
  calcview.py     calc's data as the templates show it (the one module reaching into calc)
  layout.py       where the bundle lives in the output, and which paths never change
  assets.py       site/static/ copied under content-addressed names, static/<hash>/<path>

Each takes its paths and templates as arguments, so that tests can render a
page without copying the Pyodide runtime or making a snapshot.
"""


class BuildError(Exception):
    """A problem in the sources, reported as 'file:line: what is wrong'."""

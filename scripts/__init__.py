"""The project's scripts. Run each as a module from the repository's root, e.g.
`.venv/bin/python -m scripts.serve`: then the root is on the path, and every
script imports the project (build, sitebuild, calc) and its siblings as packages."""

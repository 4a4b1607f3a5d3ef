"""Benchmarks that print figures (`make bench`). Run each as a module from the
repository's root, e.g. `.venv/bin/python -m bench.bench_site`."""

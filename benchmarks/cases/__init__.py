"""One module per app: `CASES = [Case(...), ...]` (see benchmarks/registry.py). Every module here is
discovered; a new app adds its file."""

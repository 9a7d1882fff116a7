"""Benchmarks (not part of the test run): `make bench` / `python -m benchmarks.run`. See README.md here."""

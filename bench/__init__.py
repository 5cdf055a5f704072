"""Benchmarks of issue 3: search latency and quality, HTTP load; results in docs/benchmarks.md."""

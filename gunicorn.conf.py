"""gunicorn settings, read from the working directory by `make run` and the benchmarks."""

# A search URL carries the query: up to 8,000 characters, which percent-encoded Vietnamese
# makes 25 to 72 kB. gunicorn's default (4,094 bytes) would answer long queries with its own
# 400 page; the app cuts them itself, with a notice.
limit_request_line = 0  # no limit on the request line
limit_request_field_size = 16384

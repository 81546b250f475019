"""Benchmarks (not tests): each prints its figures and the ratio to its bound."""

# Signs the benchmark app's sessions: random-looking and 32+ bytes, as the service demands.
SECRET_KEY = "bench-session-signing-key-0c5e8a1f7b2d94"

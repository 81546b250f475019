"""An emulated Brightpearl account over HTTP, for the demo, contract tests and benchmarks."""
from .app import create_app

__all__ = ["create_app"]

"""The flows' work, run by RQ workers: core/ (what every flow shares) and one package per family.

Read a family top-down: handlers.py (what the dispatcher and the poller call), then the flow
modules, then the pure mapping module(s), then the polls. The flows themselves are declared in
models/flow_specs.py; docs/ARCHITECTURE.md says how to add one.
"""

"""Inventory (Brightpearl stock → Woo stock).

handlers (webhook note, poller ticks) → worker (the one stock worker job) → sync (one pass) →
plan and availability (pure) → record (log rows) → catalog, woo, changes (facts, links, pending
changes) → movements and sweep (the polls) → times.
"""

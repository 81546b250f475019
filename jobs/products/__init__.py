"""Products (Brightpearl → Woo simple and variable products).

handlers (webhooks, full resync, poll schedule) → sync (one run: read, match, write) →
mapping (pure) → links (SKU ⇄ product links) → poll (changed products and prices).
"""

"""Shipments (Brightpearl goods-out and drop-ship notes → Woo tracking and completion).

handlers (webhooks, one note's sync) → mapping (pure) → poll (the reconciliation backstop).
"""

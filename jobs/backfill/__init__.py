"""Backfills: history brought across (orders, products, stock), resumable, on the bulk share."""

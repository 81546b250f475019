"""Reconciliation: do WooCommerce and Brightpearl agree? Facts gathered, compared, stored."""

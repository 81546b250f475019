"""Peewee models: sync logs, the webhook inbox, flows, links, users (see models/*.py)."""

"""Alerts: conditions over facts (pure), the words sent (pure), the check that records each
condition's opening and resolution once, and sending by e-mail and chat (the I/O edge)."""

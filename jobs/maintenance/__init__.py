"""Keeping the service tidy while it runs unattended: the retention prune, giving space back,
and the periodic checks of both platforms' webhooks and credentials."""

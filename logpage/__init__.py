"""Staff pages: Sync Logs, Flows and login (arrive with their own issue)."""


def init_app(app):
    """Register the staff pages on app (none yet)."""
    return app

"""Flask CLI commands (flask …): registered on the app by the factory."""

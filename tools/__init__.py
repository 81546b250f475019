"""Development tools (not part of the service): README screenshots."""

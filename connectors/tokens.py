"""Where OAuth tokens live: a small interface the connectors use, so they know no database.

A DB-backed implementation lives in models/ (models.credentials.CredentialStore); tests and
scripts use MemoryTokenStore.
"""
import copy
import threading
from typing import Protocol, runtime_checkable


@runtime_checkable
class TokenStore(Protocol):
    """Load and save one account's tokens (a JSON-able dict)."""

    def load(self) -> dict | None:
        """The stored tokens, or None when there are none yet."""

    def save(self, tokens: dict) -> None:
        """Replace the stored tokens."""


class MemoryTokenStore:
    """A TokenStore in memory (one process); remembers how often it was saved."""

    def __init__(self, tokens=None):
        self._tokens = copy.deepcopy(tokens)
        self._lock = threading.Lock()
        self.saves = 0

    def load(self):
        """A copy of the stored tokens, or None."""
        with self._lock:
            return copy.deepcopy(self._tokens)

    def save(self, tokens):
        """Replace the stored tokens with a copy of tokens."""
        with self._lock:
            self._tokens = copy.deepcopy(tokens)
            self.saves += 1

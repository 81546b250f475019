"""How a flow says a record cannot go on yet, or should not: raised by mappings and jobs alike."""


class WaitingForSettings(Exception):
    """A setting this record needs is missing; the row waits, naming it, until it is saved."""

    def __init__(self, missing):
        super().__init__(missing)
        self.missing = missing


class Skipped(Exception):
    """The record is deliberately not synced (e.g. its status is not imported); says why."""

    def __init__(self, reason, outcome="skipped"):
        super().__init__(reason)
        self.reason, self.outcome = reason, outcome


class Rejected(Exception):
    """The record itself cannot be synced as it is (e.g. an unknown SKU under the 'fail' policy).

    Permanent until the record or the settings change: the row is Failed with this reason.
    """

    def __init__(self, reason, detail=None):
        super().__init__(reason)
        self.reason, self.detail = reason, detail

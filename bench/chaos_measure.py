"""What a chaos scenario counts: Brightpearl's orders, payments and contacts against the Woo
orders placed (read from the emulator's own searches), and the service's rows."""
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

from bench.stack import BP_HEADERS
from connectors.bp_search import iterate

# Words a row Failed by the infrastructure (not by the record) would carry.
INFRASTRUCTURE = ("Redis", "ConnectionError", "OperationalError", "InterfaceError", "LockError",
                  "LockNotOwned", "TimeoutError", "Work-horse", "JobTimeout", "database is")


@dataclass
class Tally:
    """One scenario's figures; the targets are 0 duplicates, 0 missing, 0 infrastructure
    failures and recovery within 30 s of the fault's end."""

    woo_orders: int = 0
    bp_orders: int = 0
    duplicates: int = 0
    missing: int = 0
    payments_twice: int = 0
    contacts_twice: int = 0
    failed_rows: int = 0
    infra_failed: int = 0
    recovery: float | None = None
    notes: list = field(default_factory=list)

    def lines(self):
        """The figures as printed."""
        recovered = (f"{self.recovery:.1f} s" if self.recovery is not None
                     else "not within the time allowed")
        return [f"  Woo orders {self.woo_orders}, Brightpearl orders {self.bp_orders}",
                f"  duplicates {self.duplicates}, missing {self.missing}, payments twice "
                f"{self.payments_twice}, contacts twice {self.contacts_twice}",
                f"  rows Failed {self.failed_rows} (by infrastructure {self.infra_failed})",
                f"  seconds from the end of the fault to all Synced: {recovered}"] + [
                f"  {note}" for note in self.notes]

    @property
    def met(self):
        """Whether every target was met."""
        return (self.duplicates == self.missing == self.payments_twice == self.contacts_twice
                == self.infra_failed == 0 and self.recovery is not None and self.recovery <= 30)


def bp_rows(stack, path, columns, filters=None):
    """Every row of a Brightpearl search on the emulator (waiting out its throttling)."""
    def fetch(path_and_query):
        for _ in range(60):
            answer = requests.get(f"{stack.bp}{path_and_query}", headers=BP_HEADERS, timeout=30)
            if answer.status_code not in (500, 503):
                answer.raise_for_status()
                return answer.json()
            time.sleep(1)
        answer.raise_for_status()

    return [row for page in iterate(fetch, path, filters, columns=columns) for row in page.rows]


def wait_synced(woo_ids, since, timeout):
    """Seconds from since (monotonic) until every order's row is Synced; None if not in time."""
    done, _ = wait_rows(woo_ids, "synced", timeout, pause=0.5)
    return time.monotonic() - since if done else None


def wait_rows(woo_ids, status, timeout, pause=1.0, leaving=False):
    """Wait until every order's row has status (or, leaving, any other); (all did, how many)."""
    from models.db import connection
    from models.logs import SyncLog

    keys = [f"woo-{i}" for i in woo_ids]
    wanted = (SyncLog.status != status) if leaving else (SyncLog.status == status)
    deadline, count = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        with connection():
            count = SyncLog.select().where(SyncLog.record_key.in_(keys) & wanted).count()
        if count == len(keys):
            return True, count
        time.sleep(pause)
    return False, count


def tally(stack, woo_ids, recovery):
    """Count what the platforms and the service's rows hold for the orders placed."""
    result = Tally(woo_orders=len(woo_ids), recovery=recovery)
    wanted = {str(i) for i in woo_ids}
    orders = bp_rows(stack, "/order-service/order-search", ("orderId", "externalRef"),
                     {"orderTypeId": 1})
    refs = Counter(str(o["externalRef"]) for o in orders if str(o["externalRef"]) in wanted)
    result.bp_orders = sum(refs.values())
    result.duplicates = sum(n - 1 for n in refs.values())
    result.missing = len(wanted - set(refs))
    payments = bp_rows(stack, "/accounting-service/customer-payment-search",
                       ("paymentId", "orderId", "paymentType"))
    per_order = Counter(p["orderId"] for p in payments if p["paymentType"] == "RECEIPT")
    result.payments_twice = sum(1 for n in per_order.values() if n > 1)
    contacts = bp_rows(stack, "/contact-service/contact-search", ("contactId", "primaryEmail"))
    emails = Counter(str(c["primaryEmail"]).lower() for c in contacts if c["primaryEmail"])
    result.contacts_twice = sum(1 for n in emails.values() if n > 1)
    _rows(result, woo_ids)
    return result


def _rows(result, woo_ids):
    from models.db import connection
    from models.logs import SyncLog

    with connection():
        failed = list(SyncLog.select().where(SyncLog.status == "failed"))
        pending = Counter(r.pending_reason for r in SyncLog.select().where(
            SyncLog.record_key.in_([f"woo-{i}" for i in woo_ids]) & (SyncLog.status == "pending")))
    result.failed_rows = len(failed)
    infra = [r for r in failed if any(word in f"{r.failure_reason} {r.failure_detail}"
                                      for word in INFRASTRUCTURE)]
    result.infra_failed = len(infra)
    for row in failed[:5]:
        result.notes.append(f"Failed {row.record_key}: {row.failure_reason}")
    for reason, count in pending.most_common(5):
        result.notes.append(f"still Pending ({count}): {reason}")

"""Asynchronous webhook delivery with the QoS retry rules of §11, and a log of what was sent."""
import heapq
import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
from flask import g, has_request_context

from .fmt import now, utc_z
from .idset import compress
from .webhooks import matches, render, variables


class Dispatcher:
    """Collects raised events per request, fans them out to subscriptions and delivers them.

    QoS 0 retries only a 503 answer; QoS 1 retries anything but a 4xx (and network errors),
    with exponential backoff. Retry counts are UNCONFIRMED; max_attempts bounds them.
    """

    def __init__(self, emu):
        self.emu = emu
        # muted: events raised meanwhile are dropped, as if the deliveries were lost (control).
        self.settings = {"max_attempts": 5, "backoff_seconds": 1.0, "timeout_seconds": 5.0,
                         "muted": False}
        self.log, self._lock, self._wake = [], threading.Lock(), threading.Condition()
        self._heap, self._seq, self._thread = [], itertools.count(), None
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="bp-webhook")
        self._session = requests.Session()

    def raise_(self, full_event, ids):
        """Note an event; inside a request it is sent only if the request succeeds."""
        if has_request_context():
            g.setdefault("bp_events", []).append((full_event, list(ids)))
        else:
            self.publish([(full_event, list(ids))])

    def flush(self, succeeded):
        """Publish the events the current request raised (dropped when it failed)."""
        raised = g.pop("bp_events", [])
        if succeeded and raised:
            self.publish(raised)

    def publish(self, raised):
        """Turn events into deliveries: one per id, or one ID set per event with idSetAccepted."""
        if self.settings.get("muted"):
            return
        merged = {}
        for full_event, ids in raised:
            bucket = merged.setdefault(full_event, [])
            bucket.extend(i for i in ids if i not in bucket)
        hooks = list(self.emu.state.webhooks.values())
        raised_on = utc_z(now())
        for full_event, ids in merged.items():
            for hook in hooks:
                if not matches(hook["subscribeTo"], full_event):
                    continue
                batches = [compress(ids)] if hook["idSetAccepted"] else [str(i) for i in ids]
                for id_text in batches:
                    self._schedule(self._delivery(hook, full_event, id_text, raised_on), 0)

    def _delivery(self, hook, full_event, id_text, raised_on):
        values = variables(self.emu.config.account, full_event, id_text, raised_on)
        delivery = {"id": None, "webhookId": hook["id"], "event": full_event, "ids": id_text,
                    "method": hook["httpMethod"], "url": render(hook["uriTemplate"], values),
                    "body": render(hook["bodyTemplate"], values) if hook["bodyTemplate"] else None,
                    "contentType": hook["contentType"], "qualityOfService": hook["qualityOfService"],
                    "attempts": 0, "status": None, "error": None, "outcome": "pending", "history": []}
        with self._lock:
            delivery["id"] = len(self.log) + 1
            self.log.append(delivery)
        return delivery

    def _schedule(self, delivery, delay):
        with self._wake:
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._seq), delivery))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="bp-webhook-scheduler", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self):
        while True:
            with self._wake:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._wake.wait(None if not self._heap else self._heap[0][0] - time.monotonic())
                _, _, delivery = heapq.heappop(self._heap)
            self._pool.submit(self._attempt, delivery)

    def _attempt(self, delivery):
        status, error = None, None
        try:
            headers = {"Content-Type": delivery["contentType"]} if delivery["body"] is not None else {}
            answer = self._session.request(delivery["method"], delivery["url"], headers=headers,
                                           data=(delivery["body"] or "").encode() or None,
                                           timeout=self.settings["timeout_seconds"])
            status = answer.status_code
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        with self._lock:
            delivery["attempts"] += 1
            delivery.update(status=status, error=error)
            delivery["history"].append({"at": utc_z(now()), "status": status, "error": error})
            if status is not None and 200 <= status < 400:
                delivery["outcome"] = "delivered"
                return
            retry = status == 503 if delivery["qualityOfService"] == 0 else not (
                status is not None and 400 <= status < 500)
            if not retry or delivery["attempts"] >= self.settings["max_attempts"]:
                delivery["outcome"] = "failed"
                return
            delay = float(self.settings["backoff_seconds"]) * 2 ** (delivery["attempts"] - 1)
        self._schedule(delivery, delay)

    def snapshot(self):
        """A copy of the delivery log."""
        with self._lock:
            return [dict(d, history=list(d["history"])) for d in self.log]

    def clear(self):
        """Forget the log and drop pending retries."""
        with self._wake:
            self._heap.clear()
        with self._lock:
            self.log = []

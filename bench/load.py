"""A small HTTP load generator: client processes with keep-alive connections, closed or open loop."""
import http.client
import multiprocessing
import time
from urllib.parse import urlsplit


def _client(args):
    url, requests_, rate_per_client, start_at = args
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    latencies, statuses = [], []
    while time.time() < start_at:
        time.sleep(0.001)
    begin = time.perf_counter()
    for index, (body, headers) in enumerate(requests_):
        if rate_per_client:
            # Open loop: send on schedule whatever the previous answer took.
            due = begin + index / rate_per_client
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        sent = time.perf_counter()
        try:
            connection.request("POST", parts.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        except (OSError, http.client.HTTPException):
            statuses.append(0)
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        latencies.append(time.perf_counter() - sent)
    connection.close()
    return latencies, statuses


def drive(url, requests_, clients=16, rate=None):
    """Send (body, headers) pairs to url from `clients` processes; rate (req/s overall) makes it open-loop.

    Returns (elapsed seconds, latencies in seconds, HTTP statuses).
    """
    shards = [requests_[i::clients] for i in range(clients)]
    start_at = time.time() + 0.5
    per_client = (rate / clients) if rate else None
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        began = time.time()
        results = pool.map(_client, [(url, shard, per_client, start_at)
                                     for shard in shards])
    elapsed = time.time() - max(began, start_at)
    latencies = [lat for lats, _ in results for lat in lats]
    statuses = [s for _, sts in results for s in sts]
    return elapsed, latencies, statuses


def percentile(values, fraction):
    """The value below which `fraction` of values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(fraction * len(ordered))) - 1))]

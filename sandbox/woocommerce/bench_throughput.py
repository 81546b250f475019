"""Measure the emulator's throughput: python -m sandbox.woocommerce.bench_throughput [seconds]."""
import multiprocessing
import os
import sys
import threading
import time

import requests

AUTH = ("ck_sandbox", "cs_sandbox")


def _serve(queue, products):
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a log line per request would dominate
    from sandbox.server import serve_in_thread
    from sandbox.woocommerce import create_app

    server = serve_in_thread(create_app())
    requests.post(f"{server.url}/_sandbox/seed", json={"products": products}, timeout=60)
    queue.put(server.url)
    threading.Event().wait()


def _hammer(seconds, threads, call):
    """Run call(session, i) from threads for seconds; returns completed calls per second."""
    done, stop = [0] * threads, time.perf_counter() + seconds

    def worker(n):
        session = requests.Session()
        session.auth = AUTH
        i = 0
        while time.perf_counter() < stop:
            response = call(session, n * 1_000_000 + i)
            assert response.status_code == 200, response.text[:200]
            i += 1
        done[n] = i

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return sum(done) / seconds


def main(seconds=5.0, products=10_000):
    """Print requests/s for GET /products/{id} and for 100-item batch writes at 1, 4 and 8 threads."""
    queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_serve, args=(queue, products), daemon=True)
    child.start()
    url = queue.get(timeout=120)
    ids = [p["id"] for p in requests.get(f"{url}/wp-json/wc/v3/products", params={"per_page": 100},
                                         auth=AUTH).json() if p["type"] == "simple"]
    base = f"{url}/wp-json/wc/v3"

    def get_one(session, i):
        return session.get(f"{base}/products/{ids[i % len(ids)]}")

    def batch(session, i):
        updates = [{"id": ids[(i + k) % len(ids)], "manage_stock": True, "stock_quantity": (i + k) % 50}
                   for k in range(100)]
        return session.post(f"{base}/products/batch", json={"update": updates})

    print(f"server: separate process, werkzeug threaded server; {products} products seeded; "
          f"{os.cpu_count()} CPUs; {seconds:.0f} s per measurement")
    for threads in (1, 4, 8):
        gets = _hammer(seconds, threads, get_one)
        batches = _hammer(seconds, threads, batch)
        print(f"threads={threads}: GET /products/{{id}} {gets:7.0f} req/s | "
              f"POST /products/batch (100 updates) {batches:6.1f} req/s = {batches * 100:7.0f} items/s")
    child.terminate()


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 5.0)

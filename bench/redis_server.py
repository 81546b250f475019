"""A redis-server of the benchmark's own, on a spare port, that can be killed and restarted empty
(never the machine's Redis)."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

SPARE_PORTS = range(6400, 6410)


def spare_port(ports=SPARE_PORTS):
    """The first port of ports nothing listens on."""
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit(f"no spare port for a redis-server in {ports.start}-{ports.stop - 1}")


class RedisServer:
    """redis-server on 127.0.0.1:port with nothing on disk: a restart is an empty Redis."""

    def __init__(self, port=None):
        self.binary = shutil.which("redis-server")
        self.port = port or int(os.environ.get("CHAOS_REDIS_PORT") or spare_port())
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tempfile.mkdtemp(prefix="pearlbridge-redis-")
        self.process = None

    @property
    def available(self):
        """Whether a redis-server binary is installed."""
        return self.binary is not None

    def start(self):
        """Start (or start again, empty) and wait until it answers."""
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir, "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise SystemExit(f"redis-server on port {self.port} did not start")

    def kill(self):
        """SIGKILL: everything in it is lost."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self):
        """Stop it for good."""
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

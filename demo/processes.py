"""A small supervisor: start named processes, prefix their output, stop them all together."""
import os
import signal
import subprocess
import sys
import threading
import time

COLOURS = ("\033[36m", "\033[33m", "\033[35m", "\033[32m", "\033[34m", "\033[31m")
RESET = "\033[0m"


def read_procfile(path="Procfile"):
    """The Procfile as {name: command}."""
    entries = {}
    with open(path, encoding="utf-8") as procfile:
        for line in procfile:
            if line.strip() and not line.lstrip().startswith("#") and ":" in line:
                name, command = line.split(":", 1)
                entries[name.strip()] = command.strip()
    return entries


class Supervisor:
    """Runs processes until one exits or stop() is called; then terminates the rest."""

    def __init__(self, env):
        self.env, self.processes = env, {}
        self._width = 8

    def start(self, name, command):
        """Start command (a shell line) under name, streaming its output with a prefix."""
        colour = COLOURS[len(self.processes) % len(COLOURS)]
        process = subprocess.Popen(["bash", "-c", f"exec {command}"], env=self.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes[name] = process
        prefix = f"{colour}{name:<{self._width}}|{RESET} "
        threading.Thread(target=self._pump, args=(process, prefix), daemon=True).start()
        return process

    @staticmethod
    def _pump(process, prefix):
        for line in iter(process.stdout.readline, b""):
            sys.stdout.write(prefix + line.decode("utf-8", "replace"))
            sys.stdout.flush()

    def wait(self):
        """Block until any process exits (or Ctrl-C); returns its name."""
        try:
            while True:
                for name, process in self.processes.items():
                    if process.poll() is not None:
                        return name
                time.sleep(0.2)
        except KeyboardInterrupt:
            return None

    def stop(self, grace=10):
        """Terminate every process group, then kill what is left after grace seconds."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

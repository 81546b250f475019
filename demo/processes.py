"""A small supervisor: start named processes, prefix their output, restart one that crashes,
stop them all together."""
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
    """Runs processes until stop(); a child that exits is started again after a pause that grows
    while it keeps crashing (as a process manager would), unless it was started once_only."""

    RESTART_PAUSES = (1, 2, 5, 10, 30)  # seconds; a run of 60 s or more starts the count afresh

    def __init__(self, env, out=None, pauses=RESTART_PAUSES, cwd=None):
        self.env, self.processes, self.out = env, {}, out or sys.stdout
        self.pauses, self.cwd = tuple(pauses), cwd
        self._width, self._commands, self._crashes = 8, {}, {}

    def start(self, name, command, once_only=False):
        """Start command (a shell line) under name, streaming its output with a prefix."""
        colour = COLOURS[len(self._commands) % len(COLOURS)]
        self._commands[name] = (command, colour, once_only)
        return self._spawn(name)

    def _spawn(self, name):
        command, colour, _ = self._commands[name]
        process = subprocess.Popen(["bash", "-c", f"exec {command}"], env=self.env, cwd=self.cwd,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        process.started_at = time.monotonic()
        self.processes[name] = process
        prefix = f"{colour}{name:<{self._width}}|{RESET} "
        threading.Thread(target=self._pump, args=(process, prefix), daemon=True).start()
        return process

    def _pump(self, process, prefix):
        for line in iter(process.stdout.readline, b""):
            try:
                self.out.write(prefix + line.decode("utf-8", "replace"))
                self.out.flush()
            except ValueError:  # the output was closed: the supervisor is done
                return

    def wait(self, stop=None):
        """Restart crashed children until Ctrl-C (or stop is set); returns the name of a
        once_only child that exited, else None."""
        due, stop = {}, stop or threading.Event()
        try:
            while not stop.is_set():
                for name, process in list(self.processes.items()):
                    if process.poll() is None or name in due:
                        continue
                    if self._commands[name][2]:
                        return name
                    due[name] = time.monotonic() + self._pause(name, process)
                    self.out.write(f"{name} exited ({process.returncode}); restarting in "
                                   f"{due[name] - time.monotonic():.0f} s\n")
                for name, when in list(due.items()):
                    if time.monotonic() >= when:
                        del due[name]
                        self._spawn(name)
                stop.wait(0.2)
        except KeyboardInterrupt:
            pass
        return None

    def _pause(self, name, process):
        lived = time.monotonic() - process.started_at
        crashes = 0 if lived >= 60 else self._crashes.get(name, 0) + 1
        self._crashes[name] = crashes
        return self.pauses[min(crashes, len(self.pauses) - 1)]

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

"""Every Procfile process refuses, in one line, to start on another store's database."""
import os
import subprocess
import sys

import pytest

PROCESSES = {
    "release": ["flask", "--app", "wsgi", "migrate"],
    "web": ["gunicorn", "-c", "gunicorn.conf.py", "--bind", "127.0.0.1:0", "wsgi:app"],
    "worker": [sys.executable, "-m", "jobs.core.worker", "--burst"],
    "poller": [sys.executable, "-m", "poller"],
}


def _run(command, env):
    bin_dir = os.path.dirname(sys.executable)
    program = command[0] if os.path.isabs(command[0]) else os.path.join(bin_dir, command[0])
    return subprocess.run([program, *command[1:]], env=env, capture_output=True, text=True,
                          timeout=60)


@pytest.fixture
def recorded(settings):
    """The environment of a service whose first release step recorded its store."""
    env = dict(os.environ, **settings)
    first = _run(PROCESSES["release"], env)
    assert first.returncode == 0, first.stderr
    return env


@pytest.mark.parametrize("name", sorted(PROCESSES))
def test_a_process_refuses_another_store(recorded, name):
    moved = dict(recorded, WOO_URL="https://shop.example.com")
    result = _run(PROCESSES[name], moved)
    assert result.returncode != 0
    refusal = [line for line in result.stderr.splitlines() if "refusing to start" in line]
    assert len(refusal) == 1, result.stderr[-2000:]
    assert "127.0.0.1:9" in refusal[0] and "shop.example.com" in refusal[0]
    assert "flask connection switch" in refusal[0]


def test_after_the_switch_the_release_step_starts(recorded):
    moved = dict(recorded, WOO_URL="https://shop.example.com")
    switched = _run(["flask", "--app", "wsgi", "connection", "switch", "--yes"], moved)
    assert switched.returncode == 0, switched.stderr
    assert "connection 2 started" in switched.stdout
    assert _run(PROCESSES["release"], moved).returncode == 0
    assert _run(PROCESSES["release"], recorded).returncode != 0  # staging is the other one now

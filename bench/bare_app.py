"""The bound for bench/intake.py: an endpoint that only answers 200, on the same gunicorn setup."""
from flask import Flask

app = Flask(__name__)


@app.post("/webhooks/woocommerce")
def bare():
    """Answer 200 and do nothing else."""
    return "", 200

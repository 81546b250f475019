"""Sending a notification: e-mail over SMTP, or a chat webhook's JSON POST (the I/O edge).

The chat body is {"text": "..."}, which Slack, Mattermost and Teams incoming webhooks all
accept. Either sender raises on failure; delivery decides when to try again.
"""
import smtplib
import ssl
from email.message import EmailMessage

import requests

TIMEOUT_SECONDS = 10


def channels(settings):
    """The channels configured in the settings: "email" and/or "chat"."""
    found = []
    if settings.get("SMTP_HOST") and settings.get("ALERT_EMAIL_TO"):
        found.append("email")
    if settings.get("ALERT_WEBHOOK_URL"):
        found.append("chat")
    return found


def send_email(settings, subject, body):
    """Send one message to ALERT_EMAIL_TO (comma-separated) through SMTP_HOST."""
    message = EmailMessage()
    message["Subject"], message["From"] = subject, settings["ALERT_EMAIL_FROM"]
    message["To"] = ", ".join(a.strip() for a in settings["ALERT_EMAIL_TO"].split(",") if a.strip())
    message.set_content(body)
    tls = settings.get("SMTP_TLS", "starttls")
    host, port = settings["SMTP_HOST"], int(settings["SMTP_PORT"])
    if tls == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    with smtp:
        if tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.get("SMTP_USERNAME"):
            smtp.login(settings["SMTP_USERNAME"], settings.get("SMTP_PASSWORD", ""))
        smtp.send_message(message)


def send_chat(settings, subject, body):
    """POST {"text": body} to ALERT_WEBHOOK_URL; raises unless it answers 2xx."""
    response = requests.post(settings["ALERT_WEBHOOK_URL"], json={"text": body},
                             timeout=TIMEOUT_SECONDS)
    if not 200 <= response.status_code < 300:
        raise RuntimeError(f"the chat webhook answered HTTP {response.status_code}")


SENDERS = {"email": send_email, "chat": send_chat}

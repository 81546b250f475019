"""The HTML side of the emulated authorize step: the consent page, errors, the redirect back."""
from html import escape
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import Response, redirect

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Brightpearl — authorise app</title></head>
<body><h1>Install app on {account}</h1>
<p>The app <strong>{client}</strong> asks to access the Brightpearl account
<strong>{account}</strong> (emulated).</p>
<form method="post">{hidden}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form></body></html>"""


def authorize_page(account, params):
    """The consent form; it posts the same parameters back with the admin's decision."""
    keep = ("response_type", "client_id", "redirect_uri", "state")
    hidden = "".join(f'<input type="hidden" name="{k}" value="{escape(params.get(k, ""))}">'
                     for k in keep)
    return Response(_PAGE.format(account=escape(account), client=escape(params["client_id"]),
                                 hidden=hidden), mimetype="text/html")


def error_page(message, status=400):
    """An error shown to the admin instead of a redirect."""
    return Response(f"<!doctype html><title>Brightpearl</title><p>{escape(message)}</p>",
                    status=status, mimetype="text/html")


def redirect_to(uri, **params):
    """A 302 to uri with params added to its query string."""
    parts = urlsplit(uri)
    query = "&".join(q for q in (parts.query, urlencode(params)) if q)
    return redirect(urlunsplit((parts.scheme, parts.netloc, parts.path, query, "")), code=302)

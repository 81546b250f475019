"""Secrets never reach the page: redaction of request/response excerpts and payloads.

Every pattern runs in linear time on any text (a customer can type what ends up in a
payload): a credential's name can only start where a run of word characters starts (the
look-behind), so no run is rescanned from each of its characters, and nothing but spaces
and tabs is skipped around separators.
"""
import re

MARK = "[redacted]"
# Field names whose values are credentials whatever the platform calls them.
_SENSITIVE = (r"(?:[\w-]*?(?:token|secret)|authorization|password|passwd|api[_-]?key|"
              r"consumer[_-]?key|app[_-]?ref|signature|set-cookie|cookie)")
_START = r"(?<![\w-])"
_JSON_PAIR = re.compile(r'("' + _SENSITIVE + r'"[ \t]*:[ \t]*)("[^"\\]*(?:\\.[^"\\]*)*"|[^,}\s]+)',
                        re.IGNORECASE)
_HEADER = re.compile(r"^([ \t]*" + _SENSITIVE + r"[ \t]*[:=][ \t]*)(.+)$",
                     re.IGNORECASE | re.MULTILINE)
_QUERY = re.compile(r"([?&]" + _SENSITIVE + r"=)([^&\s\"']+)", re.IGNORECASE)
# "Authorization: Basic dXNlcjpwYXNz" inside a line: the scheme and its credential go whole.
_INLINE = re.compile(_START + r"(" + _SENSITIVE + r")([ \t]*[=:][ \t]*)(?!\[redacted\])"
                     r"((?:(?:Bearer|Basic|Digest|Token)[ \t]+)?[^\s,;&\"'}]+)", re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic)[ \t]+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)


# Settings whose values are credentials, by name (config.SECRETS and then some; matched by
# name so a secret setting added later is covered without touching this module).
_SECRET_SETTING = re.compile(r"SECRET|TOKEN|PASSWORD|_KEY$|APP_REF")


def secret_values(config):
    """The values of the app's secret settings (long enough to be worth looking for)."""
    values = {str(v) for k, v in config.items()
              if isinstance(k, str) and _SECRET_SETTING.search(k) and isinstance(v, str)
              and len(v) >= 4}
    # Longest first, so a secret containing another is replaced whole.
    return sorted(values, key=len, reverse=True)


def redact(text, secrets=()):
    """text with secret setting values and credential-looking fields replaced by a marker."""
    if not text:
        return text
    for value in secrets:
        text = text.replace(value, MARK)
    text = _JSON_PAIR.sub(lambda m: f'{m.group(1)}"{MARK}"', text)
    text = _HEADER.sub(lambda m: m.group(1) + MARK, text)
    text = _QUERY.sub(lambda m: m.group(1) + MARK, text)
    text = _INLINE.sub(lambda m: m.group(1) + m.group(2) + MARK, text)
    return _BEARER.sub(lambda m: f"{m.group(1)} {MARK}", text)


def redact_cut(text, secrets=(), limit=4000, margin=2000):
    """The start of text, redacted before it is cut, so the cut never shows half a secret.

    Only limit + margin characters are redacted: a page of big payloads stays fast, and a
    credential that starts before the cut is still whole in what is redacted.
    """
    if not text:
        return text
    shown = redact(text[:limit + margin], secrets)
    if len(text) <= limit + margin and len(shown) <= limit:
        return shown
    return shown[:limit] + "… [cut]"

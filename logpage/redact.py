"""Secrets never reach the page: redaction of request/response excerpts and payloads."""
import re

MARK = "[redacted]"
# Field names whose values are credentials whatever the platform calls them.
_SENSITIVE = r"(?:authorization|[\w-]*token|[\w-]*secret|password|passwd|api[_-]?key|" \
             r"consumer[_-]?key|app[_-]?ref|signature|cookie|set-cookie)"
_JSON_PAIR = re.compile(r'("' + _SENSITIVE + r'"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\s]+)',
                        re.IGNORECASE)
_HEADER = re.compile(r"^(\s*" + _SENSITIVE + r"\s*[:=]\s*)(.+)$", re.IGNORECASE | re.MULTILINE)
_QUERY = re.compile(r"([?&]" + _SENSITIVE + r"=)([^&\s\"']+)", re.IGNORECASE)
_INLINE = re.compile(r"\b(" + _SENSITIVE + r")(\s*[=:]\s*)(?!\[redacted\])([^\s,;&\"'}]+)",
                     re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)


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

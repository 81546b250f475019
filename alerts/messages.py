"""The words of a notification (pure): a subject and a plain-text body with the page's link."""

SIGNATURE = "— Pearlbridge"


def compose(finding, opening, base_url, channels):
    """[(channel, subject, body)] for one transition, one per configured channel."""
    state = "ALERT" if opening else "RESOLVED"
    subject = f"[Pearlbridge] {state}: {finding.title}"
    link = base_url.rstrip("/") + finding.link
    lines = [subject, ""]
    if opening and finding.detail:
        lines.append(finding.detail)
    elif not opening:
        lines.append("This condition has cleared.")
    lines += ["", f"See {link}", SIGNATURE]
    body = "\n".join(lines)
    return [(channel, subject, body) for channel in channels]

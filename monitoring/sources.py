"""Deliveries signed with our webhook secret that say they come from another site.

A staging store is a copy of production, webhooks and secret included: after going live it
may go on sending its webhooks here. Such deliveries are still accepted (a flow reads the
record from WOO_URL, never from the delivery), but WooCommerce names the sending site in
X-WC-Webhook-Source (its home_url), so the Health page can say "another site is sending
here" and the operator can remove that site's webhooks. Counted in Redis per hour and site.
"""
import time

from models.store_identity import store_of

KEY = "pearlbridge:woo-sources:{hour}"
KEEP_SECONDS = 25 * 3600
MAX_SITE_CHARS = 120


def site_of(url):
    """The host (lower-cased, without "www." and scheme) a URL names; "" when it names none.

    The store's identity without its path: home_url and WOO_URL may differ in path only
    (WordPress in a subfolder), and in "www." (a redirecting host)."""
    host = store_of(str(url or "")).partition("/")[0]
    return host[4:] if host.startswith("www.") else host


def foreign_site(source_header, woo_url):
    """The site a delivery's X-WC-Webhook-Source names when it is not WOO_URL's, else None."""
    site = site_of(source_header)[:MAX_SITE_CHARS]
    return site if site and site != site_of(woo_url) else None


def note_foreign(redis, site, now=None):
    """Count one delivery from site this hour (best effort: a Redis error is swallowed)."""
    key = KEY.format(hour=int((time.time() if now is None else now) // 3600))
    try:
        pipe = redis.pipeline(transaction=False)
        pipe.hincrby(key, site, 1)
        pipe.expire(key, KEEP_SECONDS)
        pipe.execute()
    except Exception:  # noqa: BLE001 - counting must never cost a delivery
        pass


def foreign_sites(redis, hours=24, now=None):
    """{site: deliveries} from other sites over the last `hours` hours."""
    hour = int((time.time() if now is None else now) // 3600)
    counts = {}
    for key in (KEY.format(hour=h) for h in range(hour - hours + 1, hour + 1)):
        for site, count in redis.hgetall(key).items():
            site = site.decode() if isinstance(site, bytes) else site
            counts[site] = counts.get(site, 0) + int(count)
    return counts

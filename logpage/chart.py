"""The 24-hour synced / failed chart: bar geometry for an inline SVG (pure, no I/O).

The template draws the bars; nothing here touches the request or the database, so the
drawing is tested with plain numbers.
"""
from dataclasses import dataclass

WIDTH, HEIGHT, AXIS = 480, 120, 16


@dataclass(frozen=True)
class Bar:
    """One rectangle of the chart and the tooltip that explains it."""

    x: float
    y: float
    width: float
    height: float
    kind: str
    title: str


@dataclass(frozen=True)
class Chart:
    """Everything the SVG needs: size, bars, hour labels and the largest value."""

    width: int
    height: int
    bars: list
    labels: list
    peak: int
    total_synced: int
    total_failed: int


def hourly_chart(buckets, width=WIDTH, height=HEIGHT):
    """Stacked bars per hour (synced below, failed on top) from [(hour, synced, failed)]."""
    plot = height - AXIS
    peak = max((s + f for _, s, f in buckets), default=0)
    slot = width / max(len(buckets), 1)
    bars, labels = [], []
    for index, (hour, synced, failed) in enumerate(buckets):
        x = round(index * slot + 1, 1)
        bar_width = round(max(slot - 2, 1), 1)
        base = plot
        for kind, value in (("synced", synced), ("failed", failed)):
            if not value:
                continue
            size = round(value / peak * (plot - 4), 1) if peak else 0
            size = max(size, 1)
            base -= size
            bars.append(Bar(x, round(base, 1), bar_width, size, kind,
                            f"{hour:%H}:00 UTC: {value} {kind}"))
        if index % 6 == 0:
            labels.append((x, f"{hour:%H}:00"))
    return Chart(width, height, bars, labels, peak,
                 sum(s for _, s, _ in buckets), sum(f for _, _, f in buckets))

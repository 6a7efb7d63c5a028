"""SVG geometry for the console's charts, drawn on the server (no chart library to ship).

Every coordinate goes through :func:`govem.l10n.svg_number` (a dot decimal in every language);
every label through the page's language.
"""

from __future__ import annotations

from typing import Any

from govem.l10n import short_date, svg_number

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 190, 8, 26, 22


def curve(data: dict[str, Any]) -> dict[str, Any]:
    """Two lines (today, the previous workday) over the morning, with hour ticks."""
    today: list[int] = data["today"]
    previous: list[int] | None = data["previous"]
    slots = len(today)
    peak = max([*today, *(previous or []), 1])
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP

    def x(index: int) -> float:
        # Slot i covers [i, i+1) of the morning: the last hour tick (10:00, the end of slot
        # 09:55) sits on the right edge of the plot, not past it.
        return LEFT + plot_w * index / max(slots, 1)

    def y(value: int) -> float:
        return TOP + plot_h * (1 - value / peak)

    def line(values: list[int]) -> dict[str, Any]:
        points = [
            {
                "x": svg_number(x(i)),
                "y": svg_number(y(v)),
                "count": v,
                "time": _hm(data["from_hour"], i * data["step"]),
            }
            for i, v in enumerate(values)
        ]
        return {"points": points, "path": " ".join(f"{p['x']},{p['y']}" for p in points)}

    hours = range(data["from_hour"], data["from_hour"] + slots * data["step"] // 60 + 1)
    last = len(hours) - 1
    ticks = [
        {
            "x": svg_number(x((hour - data["from_hour"]) * 60 // data["step"])),
            "label": f"{hour:02d}:00",
            # The first and last labels stay inside the picture.
            "anchor": "start" if index == 0 else "end" if index == last else "middle",
        }
        for index, hour in enumerate(hours)
    ]
    # Grid lines at half and full height; their labels sit above the line, inside the plot,
    # clear of the hour labels underneath.
    grid = [
        {"y": svg_number(y(value)), "label_y": svg_number(y(value) - 3), "label": value}
        for value in sorted({peak // 2, peak} - {0})
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": svg_number(WIDTH - 8),
        "base": svg_number(y(0)),
        "label_y": svg_number(HEIGHT - 6),
        "today": line(today),
        "previous": line(previous) if previous else None,
        "previous_label": short_date(data["previous_day"]) if data["previous_day"] else "",
        "today_label": short_date(data["day"]),
        "ticks": ticks,
        "grid": grid,
        "total_today": sum(today),
        "total_previous": sum(previous) if previous else 0,
    }


def _hm(from_hour: int, minutes: int) -> str:
    total = from_hour * 60 + minutes
    return f"{total // 60:02d}:{total % 60:02d}"


def rate_bar(value: float) -> dict[str, str]:
    """A horizontal bar 0–100 % (its width in an 100-unit wide SVG)."""
    return {"width": svg_number(max(0.0, min(100.0, value))), "value": svg_number(value)}

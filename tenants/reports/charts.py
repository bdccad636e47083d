"""Chart specifications for the oversight pages, drawn in the browser by the vendored Chart.js
(platform/xuncha/static/xuncha/vendor/chartjs, loaded by xuncha/charts.js; no CDN). A spec is JSON in the
canvas's data-chart attribute; the same figures are always in a table beside it (the text alternative,
and what prints)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.utils.translation import gettext as _

COLOURS = {"red": "#b3261e", "yellow": "#b26a00", "green": "#1e7d32", "blue": "#2a5db0", "grey": "#5b6875"}


def dataset(*, label: str, values: Sequence[float | int | None], colour: str) -> dict:
    return {"label": str(label), "data": list(values), "backgroundColor": colour, "borderColor": colour}


def chart_spec(
    *,
    kind: str,
    labels: Sequence[str],
    datasets: list[dict],
    horizontal: bool = False,
    stacked: bool = False,
    maximum: float | None = None,
) -> str:
    """The JSON a canvas's data-chart attribute carries (kind: "bar" or "line")."""
    return json.dumps(
        {
            "type": kind,
            "labels": [str(label) for label in labels],
            "datasets": datasets,
            "horizontal": horizontal,
            "stacked": stacked,
            "max": maximum,
        },
        ensure_ascii=False,
    )


def oversight_charts(rows) -> dict[str, str]:
    """The city's three charts over its counties: coverage of the term (%), items by light, overdue."""
    names = [row.name for row in rows]
    return {
        "coverage": chart_spec(
            kind="bar",
            labels=names,
            datasets=[
                dataset(
                    label=_("Coverage of the term (%)"),
                    values=[r.term_coverage_percent for r in rows],
                    colour=COLOURS["blue"],
                )
            ],
            horizontal=True,
            maximum=100,
        ),
        "lights": chart_spec(
            kind="bar",
            labels=names,
            datasets=[
                dataset(label=_("Red (overdue)"), values=[r.lights["red"] for r in rows], colour=COLOURS["red"]),
                dataset(
                    label=_("Yellow (due soon)"), values=[r.lights["yellow"] for r in rows], colour=COLOURS["yellow"]
                ),
                dataset(label=_("Green"), values=[r.lights["green"] for r in rows], colour=COLOURS["green"]),
            ],
            horizontal=True,
            stacked=True,
        ),
        "overdue": chart_spec(
            kind="bar",
            labels=names,
            datasets=[dataset(label=_("Overdue"), values=[r.overdue_live for r in rows], colour=COLOURS["red"])],
            horizontal=True,
        ),
    }


def trend_chart(row) -> str:
    """One county's months (labelled as a person reads them: 2026年1月): findings recorded and rectification items
    closed."""
    trend = row.trend_shown
    return chart_spec(
        kind="bar",
        labels=[label for _m, label, _f, _c in trend],
        datasets=[
            dataset(label=_("Findings"), values=[f for _m, _l, f, _c in trend], colour=COLOURS["blue"]),
            dataset(label=_("Items closed"), values=[c for _m, _l, _f, c in trend], colour=COLOURS["green"]),
        ],
    )

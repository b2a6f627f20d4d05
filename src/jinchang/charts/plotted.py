"""The plotted data of a chart, row by row with its source, and alt text made from it.

Every chart draws from one of these frames and nothing else, so the CSV published
beside the chart is exactly what was plotted.
"""

from __future__ import annotations

import pandas as pd

from .. import computed, formatting
from ..data import source, tables


def rows(ids: list[str], labels: dict[str, str] | None = None, **columns: list) -> pd.DataFrame:
    """One row per claim, context or reference id: label, value, unit, value in the base
    unit, the value as the book shows it, and the source columns (claim_id, context_id, quote).
    Extra ``columns`` are added as given, one value per id."""
    labels = labels or {}
    records = []
    for row_id in ids:
        row = source(row_id)
        is_claim = row_id[:4] not in ("ctx-", "ref-")
        records.append({
            "label": labels.get(row_id, row.indicator if is_claim else row.indicator_en),
            "value": row.value,
            "unit": row.unit,
            "base_value": tables().base_value(row.value, row.unit),
            "base_unit": tables().units.loc[row.unit, "base_unit"],
            "shown": formatting.shown(row_id),
            "period": row.period if "period" in row.index else "",
            "reliability": "article" if is_claim else row.reliability,
            "claim_id": row_id if is_claim else None,
            "context_id": None if is_claim else row_id,
            "quote": formatting.quote(row_id),
        })
    frame = pd.DataFrame.from_records(records)
    for name, values in columns.items():
        frame.insert(1, name, values)
    return frame


def derived(label: str, value: float, unit: str, shown: str, from_ids: list[str], how: str) -> dict:
    """A computed row (for example a remainder to 100%), sourced to the rows it comes from."""
    claims = [i for i in from_ids if i[:4] not in ("ctx-", "ref-")]
    context = [i for i in from_ids if i[:4] in ("ctx-", "ref-")]
    return {"label": label, "value": value, "unit": unit, "base_value": value, "base_unit": unit, "shown": shown,
            "period": "", "reliability": "computed", "claim_id": " ".join(claims) or None,
            "context_id": " ".join(context) or None, "quote": f"computed: {how}"}


def with_remainder(row_id: str, label: str, rest_label: str) -> pd.DataFrame:
    """A share and what is left of 100%, as two plotted rows."""
    rest = computed.remainder(row_id)
    return pd.concat([rows([row_id], {row_id: label}), pd.DataFrame([derived(
        rest_label, rest, "%", rest.text, [row_id], "100% minus the share")])], ignore_index=True)


def source_line(frame: pd.DataFrame, extra: str = "") -> str:
    """The chart's source line: the claims and context rows it plots, each context row with its grade."""
    ids = lambda column: list(dict.fromkeys(i for cell in frame[column].dropna() for i in str(cell).split()))  # noqa: E731
    parts = []
    if claims := ids("claim_id"):
        parts.append(f"the article (claims {', '.join(claims)})")
    if context := ids("context_id"):
        grades = {i: source(i).reliability for i in context}
        parts.append("context rows with their reliability: " + ", ".join(f"{i} ({g})" for i, g in grades.items()))
        if "low" in grades.values():
            parts.append("rows marked (low) are of low reliability")
    return "Sources: " + "; ".join(parts + ([extra] if extra else []))


def alt_text(kind: str, frame: pd.DataFrame, label: str = "label", shown: str = "shown") -> str:
    """'Bar chart of …: A, 10%; B, 20%.' from the plotted rows themselves."""
    items = "; ".join(f"{a}, {b}" for a, b in zip(frame[label], frame[shown]))
    return f"{kind}: {items}."

"""The plotted data of a chart, row by row with its source, and alt text made from it.

Every chart draws from one of these frames and nothing else, so the CSV published
beside the chart is exactly what was plotted. Its label and shown columns, and the
explanation of computed rows, are in the chart's language; ids, values and quotes are not.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import computed, factcheck, formatting
from ..style import unbreak
from ..data import source, tables, text
from ..labels import labels as section


def _is_claim(row_id: str) -> bool:
    return row_id[:4] not in ("ctx-", "ref-")


def rows(ids: list[str], labels: dict[str, str] | None = None, lang: str = "en", **columns: list) -> pd.DataFrame:
    """One row per claim, context or reference id: label, value, unit, value in the base
    unit, the value as the book shows it, and the source columns (claim_id, context_id, quote).
    Rows are labelled with their indicator in the language unless ``labels`` names them.
    Extra ``columns`` are added as given, one value per id."""
    labels = labels or {}
    records = []
    for row_id in ids:
        row = source(row_id)
        is_claim = _is_claim(row_id)
        if row_id in labels:
            label = labels[row_id]
        else:
            label = text(row, "indicator" if is_claim else "indicator_en", lang)
        records.append({
            "label": label,
            "value": row.value,
            "unit": row.unit,
            "base_value": tables().base_value(row.value, row.unit),
            "base_unit": tables().units.loc[row.unit, "base_unit"],
            "shown": formatting.shown(row_id, lang),
            "period": formatting.period(row.period, lang) if "period" in row else "",
            # Whether the book inferred the period's year, which its source does not give.
            "period_inferred": bool(row.get("period_inferred")) if "period" in row else None,
            "reliability": "article" if is_claim else row.reliability,
            "claim_id": row_id if is_claim else None,
            "context_id": None if is_claim else row_id,
            "quote": formatting.quote(row_id),
        })
    frame = pd.DataFrame.from_records(records)
    for name, values in columns.items():
        frame.insert(1, name, values)
    return frame


def year(row_id: str) -> int:
    """The year a row refers to: its value for a year row (a founding year), else the first year its
    period names ('2024', 'since 2020', '2023 assessment (2022 data)')."""
    row = source(row_id)
    return int(row.value) if row.unit == "year" else int(re.search(r"\d{4}", row.period)[0])


def period(row_id: str, lang: str = "en", inferred: str | None = None) -> str:
    """A row's period in the words of a chart's title or subtitle: 'first half of 2025' (2025年上半年);
    for a number of the article whose year the book inferred, in the words of ``inferred`` (a text with
    {period}; by default the common '{period} (year inferred)')."""
    row, words = source(row_id), section("common", lang)
    text = factcheck.period(row.period, lang, words["periods"])
    return (inferred or words["inferred"]).format(period=text) if row.get("period_inferred") else text


def derived(label: str, value: float, unit: str, shown: str, from_ids: list[str], how: str,
            lang: str = "en") -> dict:
    """A computed row (for example a remainder to 100%), sourced to the rows it comes from."""
    claims = [i for i in from_ids if _is_claim(i)]
    context = [i for i in from_ids if not _is_claim(i)]
    return {"label": label, "value": value, "unit": unit, "base_value": value, "base_unit": unit, "shown": shown,
            "period": "", "reliability": "computed", "claim_id": " ".join(claims) or None,
            "context_id": " ".join(context) or None, "quote": section("common", lang)("computed", how=how)}


def with_remainder(row_id: str, label: str, rest_label: str, lang: str = "en") -> pd.DataFrame:
    """A share and what is left of 100%, as two plotted rows."""
    rest = computed.remainder(row_id, lang)
    how = section("common", lang)["remainder"]
    return pd.concat([rows([row_id], {row_id: label}, lang), pd.DataFrame([derived(
        rest_label, rest, "%", rest.text, [row_id], how, lang)])], ignore_index=True)


def ids(frame: pd.DataFrame, column: str) -> list[str]:
    """The ids of one source column (claim_id or context_id), in order of first appearance."""
    return list(dict.fromkeys(i for cell in frame[column].dropna() for i in str(cell).split() if i))


def source_line(frame: pd.DataFrame, extra: str = "", lang: str = "en") -> str:
    """The chart's source line: the claims, context rows and datasets it plots, each source with its grade
    and each dataset with its package, version and licence."""
    words = section("common", lang)
    separator = words["list_separator"]
    parts = []
    if claims := ids(frame, "claim_id"):
        parts.append(words("article", ids=separator.join(claims)))
    context = ids(frame, "context_id")
    if datasets := [source(i) for i in context if i.startswith("dat-")]:
        parts.append(words("datasets", rows=separator.join(
            words("dataset_row", id=r.id, publisher=text(r, "publisher", lang), package=r.package, version=r.version,
                  licence=r.licence, grade=words["grades"][r.reliability]) for r in datasets)))
    if context := [i for i in context if not i.startswith("dat-")]:
        grades = {i: source(i).reliability for i in context}
        parts.append(words("context", rows=separator.join(
            words("context_row", id=i, grade=words["grades"][g]) for i, g in grades.items())))
        if "low" in grades.values():
            parts.append(words["low_note"])
    return words("sources", parts=words["parts_separator"].join(parts + ([extra] if extra else [])))


def alt_text(kind: str, frame: pd.DataFrame, label: str = "label", shown: str = "shown", lang: str = "en",
             when: str | None = None) -> str:
    """'Bar chart of …: A, 10%; B, 20%.' from the plotted rows themselves; with ``when``, a column of
    dates or years, 'Line chart of …: A (2020), 10%; A (2021), 20%.'"""
    words = section("common", lang)
    names = (frame[label] if when is None
             else [words("alt_when", label=a, when=b) for a, b in zip(frame[label], frame[when])])
    items = words["alt_separator"].join(words("alt_item", label=unbreak(str(a)), value=unbreak(str(b)))
                                        for a, b in zip(names, frame[shown]))
    return words("alt", kind=kind, items=items)

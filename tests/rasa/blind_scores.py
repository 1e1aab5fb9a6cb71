"""Scores of the trained model on a blind message set (tests/rasa/blind/*/messages.yml).

Pure Python, no Rasa: `score` takes the gold items and the model's parse
results and returns the figures issue 11 sets floors for. Only counts leave
this module, never message texts: the blind sets are for measuring, not for
tuning message by message (docs/nlu.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

STATUS_OR_REPORT = frozenset({"check_status", "report_complaint"})
EMERGENCY = "emergency"


@dataclass
class Scores:
    messages: int = 0
    intent_macro_f1: float = 0.0
    per_intent_f1: dict[str, float] = field(default_factory=dict)
    status_vs_report: float = 0.0
    status_as_report: int = 0
    report_as_status: int = 0
    category_top1: float = 0.0
    category_top3: float = 0.0
    category_auto_share: float = 0.0  # filed without asking (confident `category` entity)
    category_auto_precision: float = 0.0
    emergency_recall: float = 0.0
    emergency_missed: int = 0
    emergencies: int = 0
    false_alarms_ordinary: float = 0.0
    false_alarms_near_miss: float = 0.0
    tickets: float = 0.0
    ticket_count: int = 0
    per_register_accuracy: dict[str, float] = field(default_factory=dict)
    per_category_top1: dict[str, float] = field(default_factory=dict)
    confusions: list[tuple[str, str, int]] = field(default_factory=list)


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(pairs: list[tuple[str, str]]) -> tuple[float, dict[str, float]]:
    labels = sorted({gold for gold, _ in pairs})
    per_label = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        per_label[label] = f1(tp, fp, fn)
    return (sum(per_label.values()) / len(per_label) if per_label else 0.0), per_label


def share(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def intent_of(result: dict[str, Any]) -> str:
    return str((result.get("intent") or {}).get("name") or "")


def category_choices(result: dict[str, Any]) -> tuple[str | None, list[str]]:
    """(the confident `category` entity or None, the ranking's codes best first)."""
    entity = next(
        (
            str(e.get("value"))
            for e in result.get("entities") or []
            if e.get("entity") == "category"
        ),
        None,
    )
    ranking = [str(c.get("name")) for c in result.get("category_ranking") or []]
    return entity, ranking


def tickets_of(result: dict[str, Any]) -> set[str]:
    return {
        str(e.get("value")) for e in result.get("entities") or [] if e.get("entity") == "ticket_id"
    }


def is_near_miss(item: dict[str, Any]) -> bool:
    return "near-miss" in str(item.get("note") or "").lower()


def score(items: list[dict[str, Any]], results: list[dict[str, Any]]) -> Scores:
    scores = Scores(messages=len(items))
    pairs = [(str(i["intent"]), intent_of(r)) for i, r in zip(items, results, strict=True)]
    scores.intent_macro_f1, scores.per_intent_f1 = macro_f1(pairs)
    scores.confusions = sorted(
        ((g, p, n) for (g, p), n in Counter(p for p in pairs if p[0] != p[1]).items()),
        key=lambda c: -c[2],
    )

    status = [(g, p) for g, p in pairs if g in STATUS_OR_REPORT]
    scores.status_vs_report = share(sum(g == p for g, p in status), len(status))
    scores.status_as_report = sum(
        g == "check_status" and p == "report_complaint" for g, p in status
    )
    scores.report_as_status = sum(
        g == "report_complaint" and p == "check_status" for g, p in status
    )

    top1 = top3 = auto = auto_right = 0
    per_category: dict[str, list[bool]] = defaultdict(list)
    graded = 0
    for item, result in zip(items, results, strict=True):
        gold = item.get("category")
        if item["intent"] != "report_complaint" or not gold:
            continue
        graded += 1
        entity, ranking = category_choices(result)
        first = entity or (ranking[0] if ranking else None)
        offered = [entity] if entity else ranking[:3]
        top1 += first == gold
        top3 += gold in offered
        per_category[str(gold)].append(first == gold)
        if entity:
            auto += 1
            auto_right += entity == gold
    scores.category_top1 = share(top1, graded)
    scores.category_top3 = share(top3, graded)
    scores.category_auto_share = share(auto, graded)
    scores.category_auto_precision = share(auto_right, auto)
    scores.per_category_top1 = {c: share(sum(v), len(v)) for c, v in sorted(per_category.items())}

    gold_emergency = [p for g, p in pairs if g == EMERGENCY]
    scores.emergencies = len(gold_emergency)
    scores.emergency_missed = sum(p != EMERGENCY for p in gold_emergency)
    scores.emergency_recall = share(
        len(gold_emergency) - scores.emergency_missed, scores.emergencies
    )
    ordinary = [
        intent_of(r) == EMERGENCY
        for i, r in zip(items, results, strict=True)
        if i["intent"] == "report_complaint"
    ]
    near = [
        intent_of(r) == EMERGENCY
        for i, r in zip(items, results, strict=True)
        if i["intent"] == "report_complaint" and is_near_miss(i)
    ]
    scores.false_alarms_ordinary = sum(ordinary) / len(ordinary) if ordinary else 0.0
    scores.false_alarms_near_miss = sum(near) / len(near) if near else 0.0

    with_ticket = [(i, r) for i, r in zip(items, results, strict=True) if i.get("ticket")]
    scores.ticket_count = len(with_ticket)
    scores.tickets = share(
        sum(i["ticket"] in tickets_of(r) for i, r in with_ticket), len(with_ticket)
    )

    by_register: dict[str, list[bool]] = defaultdict(list)
    for item, (gold, pred) in zip(items, pairs, strict=True):
        by_register[str(item.get("register") or "-")].append(gold == pred)
    scores.per_register_accuracy = {
        k: share(sum(v), len(v)) for k, v in sorted(by_register.items())
    }
    return scores


# Floors of issue 11: (attribute, floor, higher is better).
FLOORS: list[tuple[str, float, bool]] = [
    ("intent_macro_f1", 0.95, True),
    ("status_vs_report", 0.95, True),
    ("category_top1", 0.92, True),
    ("category_top3", 0.98, True),
    ("emergency_recall", 1.0, True),
    ("false_alarms_ordinary", 0.03, False),
    ("tickets", 1.0, True),
]


def below_floors(scores: Scores, floors: list[tuple[str, float, bool]] = FLOORS) -> list[str]:
    failed = []
    for name, floor, higher in floors:
        value = getattr(scores, name)
        if (value < floor) if higher else (value > floor):
            failed.append(f"{name} {value:.4f} ({'>=' if higher else '<='} {floor})")
    return failed

"""One search over the organisation's records, built from each app's own selectors.

Every group starts from the selector its list page uses, so clearance, the user's rounds (team roles),
a time-boxed grant (cross-county members) and the role checks of that page all apply unchanged: a search
can never show what the user could not open. Informant identities are not searched at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from tenants.findings.selectors import clue_list, finding_list
from tenants.inround import selectors
from tenants.kernel.access import is_office, is_reader
from tenants.kernel.roles import TEAM_ROLES, can_oversee
from tenants.rectification.selectors import item_list
from tenants.rounds.selectors import round_list_for
from tenants.targets.selectors import target_list

QUERY_MIN, QUERY_MAX = 2, 100
PER_GROUP = 20
SNIPPET = 60  # characters either side of the match


@dataclass
class Hit:
    title: str
    snippet: str
    url: str
    record: object = None  # the model instance, for the read audit (None for unclassified records)


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)


def search_query_clean(raw: str | None) -> str:
    query = " ".join((raw or "").split())
    if len(query) < QUERY_MIN:
        raise ValidationError({"q": gettext_lazy("Type at least %(count)d characters.") % {"count": QUERY_MIN}})
    if len(query) > QUERY_MAX:
        raise ValidationError({"q": gettext_lazy("Type at most %(count)d characters.") % {"count": QUERY_MAX}})
    return query


def snippet_around(text: str, query: str) -> str:
    """The part of `text` around the first match, so a long record shows why it matched."""
    text = " ".join((text or "").split())
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: SNIPPET * 2] + ("…" if len(text) > SNIPPET * 2 else "")
    start, end = max(0, at - SNIPPET), min(len(text), at + len(query) + SNIPPET)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _first_matching(record, query: str, *fields: str) -> str:
    for name in fields:
        value = getattr(record, name, "") or ""
        if query.lower() in value.lower():
            return snippet_around(value, query)
    return snippet_around(getattr(record, fields[-1], "") or "", query)


def _rounds(*, actor, access, query):
    rounds = round_list_for(actor=actor, access=access).filter(name__icontains=query)[:PER_GROUP]
    return [Hit(r.name, r.get_state_display(), reverse("rounds-detail", args=[r.pk]), r) for r in rounds]


def _targets(*, actor, access, query):
    if not can_oversee(access):
        return []
    return [
        Hit(t.name, t.category or t.get_level_display(), reverse("targets-edit", args=[t.pk]))
        for t in target_list(query=query)[:PER_GROUP]
    ]


def _findings(*, actor, access, query):
    if not (is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES)):
        return []
    findings = finding_list(actor=actor, access=access).filter(
        Q(title__icontains=query) | Q(description__icontains=query)
    )
    return [
        Hit(
            f.title, _first_matching(f, query, "title", "description"), f"{reverse('findings:index')}#finding-{f.pk}", f
        )
        for f in findings[:PER_GROUP]
    ]


def _clues(*, actor, access, query):
    if not (is_office(access) or is_reader(access) or access.has_role(*TEAM_ROLES)):
        return []
    clues = (
        clue_list(actor=actor, access=access)
        .filter(Q(summary__icontains=query) | Q(persons__name__icontains=query))
        .distinct()
    )
    return [
        Hit(c.target_label, _first_matching(c, query, "summary"), f"{reverse('findings:index')}#clue-{c.pk}", c)
        for c in clues[:PER_GROUP]
    ]


def _records(*, actor, access, query):
    if not (is_office(access) or access.has_role(*TEAM_ROLES)):
        return []
    hits = []
    for kind, records in (
        ("interview", selectors.interview_list(actor=actor, access=access).filter(summary__icontains=query)),
        ("petition", selectors.petition_list(actor=actor, access=access).filter(summary__icontains=query)),
    ):
        hits += [
            Hit(
                f"{r._meta.verbose_name} · {r.target}",
                snippet_around(r.summary, query),
                reverse("inround:record", args=[kind, r.pk]),
                r,
            )
            for r in records[:PER_GROUP]
        ]
    papers = selectors.working_paper_list(actor=actor, access=access).filter(
        Q(title__icontains=query) | Q(content__icontains=query)
    )
    hits += [
        Hit(p.title, _first_matching(p, query, "title", "content"), reverse("inround:index"), p)
        for p in papers[:PER_GROUP]
    ]
    return hits[:PER_GROUP]


def _rectification(*, actor, access, query):
    items = item_list(actor=actor, access=access).filter(
        Q(problem__icontains=query)
        | Q(task__icontains=query)
        | Q(responsible_unit__icontains=query)
        | Q(responsible_person__icontains=query)
    )
    return [
        Hit(
            f"{i.feedback.target} · {i.responsible_unit}",
            _first_matching(i, query, "problem", "task"),
            reverse("rectification:feedback", args=[i.feedback_id]),
            i.feedback,
        )
        for i in items[:PER_GROUP]
    ]


GROUPS = (
    ("rounds", gettext_lazy("Rounds"), _rounds),
    ("targets", gettext_lazy("Inspected units"), _targets),
    ("findings", gettext_lazy("Findings"), _findings),
    ("clues", gettext_lazy("Clues"), _clues),
    ("records", gettext_lazy("Interviews, petitions and working papers"), _records),
    ("rectification", gettext_lazy("Rectification items"), _rectification),
)


def search_everything(*, actor, access, query: str) -> list[Group]:
    """The groups with at least one hit, in a fixed order; `query` must come from search_query_clean."""
    groups = []
    for key, label, find in GROUPS:
        hits = find(actor=actor, access=access, query=query)
        if hits:
            groups.append(Group(key=key, label=str(label), hits=hits))
    return groups

"""Rounds (轮次), their lifecycle log, teams (巡察组), team members and team targets.

The lifecycle rules (which transition is legal, who may make it, what must hold) live in
`tenants.rounds.lifecycle`; per-kind behaviour lives in `tenants.rounds.kind_hooks`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shared.accounts.models import Classification
from shared.accounts.references import user_reference
from shared.constraints import FieldCheck


class RoundKind(models.TextChoices):
    """Kinds of round. New kinds (提级, 交叉, 联动) add a value here and register
    a behaviour with kind_hooks.py."""

    REGULAR = "regular", _("Regular (常规巡察)")
    SPECIAL = "special", _("Special (专项巡察)")
    AD_HOC = "ad_hoc", _("Ad hoc (机动巡察)")
    LOOK_BACK = "look_back", _("Look-back (回头看)")
    # Behaviour of these three: tenants/crossorg/round_behaviours.py (values match sync.policy's round kinds).
    ELEVATED = "elevated", _("Elevated (提级巡察)")
    CROSS = "cross", _("Cross-county (交叉巡察)")
    LINKED = "linked", _("Linked / unified campaign (联动巡察)")


class RoundState(models.TextChoices):
    PLANNED = "planned", _("Planned (计划)")
    TEAM_FORMED = "team_formed", _("Teams formed (组建巡察组)")
    ANNOUNCED = "announced", _("Announced (进驻动员)")
    ON_SITE = "on_site", _("On site (进驻巡察)")
    REPORTING = "reporting", _("Reporting (撰写报告)")
    HEARING = "hearing", _("Leading-group hearing (领导小组听取汇报)")
    FEEDBACK = "feedback", _("Feedback (反馈)")
    RECTIFICATION = "rectification", _("Rectification (整改)")
    CLOSED = "closed", _("Closed (办结)")
    ARCHIVED = "archived", _("Archived (归档)")


class Round(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=RoundKind.choices, default=RoundKind.REGULAR)
    state = models.CharField(_("state"), max_length=32, choices=RoundState.choices, default=RoundState.PLANNED)
    topic = models.CharField(_("topic (special rounds)"), max_length=200, blank=True)
    annual_plan = models.ForeignKey(
        "planning.AnnualPlan",
        verbose_name=_("annual plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    look_back_of = models.ForeignKey(
        "self",
        verbose_name=_("looks back at round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="look_backs",
    )
    onsite_start = models.DateField(_("on-site from"), null=True, blank=True)
    onsite_end = models.DateField(_("on-site until"), null=True, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("classification"), choices=Classification.choices, default=Classification.INTERNAL
    )
    created_by = user_reference(verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    state_changed_at = models.DateTimeField(_("state changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            FieldCheck(
                condition=Q(onsite_start__isnull=True)
                | Q(onsite_end__isnull=True)
                | Q(onsite_end__gte=F("onsite_start")),
                name="rounds_onsite_window_order",
                message=_("The on-site period cannot end before it starts."),
                field="onsite_end",
            ),
            FieldCheck(
                condition=Q(classification__gte=0, classification__lte=3),
                name="rounds_classification_range",
                message=_("Unknown classification level."),
                field="classification",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoundTransition(models.Model):
    """Append-only log of the round's lifecycle (who moved it, when, from, to, why)."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=32, choices=RoundState.choices)
    to_state = models.CharField(_("to"), max_length=32, choices=RoundState.choices)
    by = user_reference(verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("round transition")
        verbose_name_plural = _("round transitions")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.round}: {self.from_state} → {self.to_state}"


class RoundExpert(models.Model):
    """An expert from the pool authorised to work on this round (人才库人员按轮次授权)."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="authorised_experts"
    )
    expert = models.ForeignKey(
        "experts.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="round_authorisations"
    )
    authorised_by = user_reference(verbose_name=_("authorised by"))
    authorised_at = models.DateTimeField(_("authorised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("round authorisation")
        verbose_name_plural = _("round authorisations")
        constraints = [models.UniqueConstraint(fields=["round", "expert"], name="rounds_expert_authorised_once")]


class Team(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")
        ordering = ["round", "name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="rounds_team_unique_name"),
            # Target of the composite FKs (team, round) from TeamMember and TeamTarget (migration 0002).
            models.UniqueConstraint(fields=["id", "round"], name="rounds_team_id_round_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def _members_with(self, role):
        return [m for m in self.members.all() if m.role == role]

    @property
    def leader(self):
        """The leader's TeamMember (组长) or None."""
        leaders = self._members_with(MemberRole.LEADER)
        return leaders[0] if leaders else None

    @property
    def deputies(self):
        return self._members_with(MemberRole.DEPUTY)


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Leader (组长)")
    DEPUTY = "deputy", _("Deputy leader (副组长)")
    MEMBER = "member", _("Member (组员)")


class TeamMember(models.Model):
    """A person on a team. `round` repeats team.round so the database can refuse one person on two teams."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="members")
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(
        "experts.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="team_memberships"
    )
    role = models.CharField(_("role in team"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    added_by = user_reference(verbose_name=_("added by"))
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "expert"], name="rounds_member_one_team_per_round"),
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="leader"),
                name="rounds_one_leader_per_team",
                violation_error_message=_("A team has one leader."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} ({self.get_role_display()})"


class TeamTarget(models.Model):
    """A target assigned to a team (一托二/一托三). `round` repeats team.round for the uniqueness rule."""

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="team_targets")
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="team_targets")
    target = models.ForeignKey(
        "targets.Target", verbose_name=_("target"), on_delete=models.PROTECT, related_name="team_assignments"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("team target")
        verbose_name_plural = _("team targets")
        ordering = ["team", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "target"], name="rounds_target_on_one_team_per_round")]

    def __str__(self) -> str:
        return f"{self.team} → {self.target}"

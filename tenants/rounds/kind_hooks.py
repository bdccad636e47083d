"""The round kinds' hooks: `KindBehaviour` (every hook a kind may override, with its default), the registry
(`register`, `behaviour_for`) and the core kinds' behaviours. A new kind (提级, 交叉, 联动) adds a RoundKind value
and registers a KindBehaviour subclass (tenants/crossorg/round_behaviours.py does for its three) instead of
adding `if kind == ...` elsewhere."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tenants.office.workdays import working_days_between
from tenants.rounds.models import RoundKind, RoundState


class KindBehaviour:
    """Defaults shared by every kind; subclasses override what differs."""

    kind: str = ""
    max_targets_per_team = 3  # 一托二 / 一托三
    enforce_min_onsite_days = False

    def transition_problems(self, *, round, to_state: str, office_settings) -> list[str]:
        """Extra reasons this kind refuses moving `round` to `to_state` (empty list = fine)."""
        problems: list[str] = []
        if (
            to_state == RoundState.ANNOUNCED
            and self.enforce_min_onsite_days
            and round.onsite_start
            and round.onsite_end
        ):
            days, _provisional = working_days_between(start=round.onsite_start, end=round.onsite_end)
            minimum = office_settings.min_onsite_working_days
            if days < minimum:
                problems.append(
                    _("A regular round stays on site at least %(minimum)s working days; this window has %(days)s.")
                    % {"minimum": minimum, "days": days}
                )
        return problems

    def round_problems(self, *, round) -> list[str]:
        """Field rules of this kind, checked when a round is created or edited."""
        return []

    def member_problems(self, *, round, expert) -> list[str]:
        """Reasons this kind refuses putting `expert` on a team of `round` (personal conflicts with targets
        are checked by the avoidance rules for every kind)."""
        return []

    def target_problems(self, *, round, target) -> list[str]:
        """Reasons this kind refuses assigning `target` to a team of `round`."""
        return []

    def after_transition(self, *, round, from_state: str, to_state: str, actor) -> None:
        """Side effects of this kind inside the transition's transaction (e.g. notify a county)."""

    def after_change(self, *, round, actor) -> None:
        """Side effects of this kind inside the transaction of any other change of `round`: its fields
        (window, kind), teams, members or targets (e.g. re-derive what a change takes away)."""


class RegularBehaviour(KindBehaviour):
    kind = RoundKind.REGULAR
    enforce_min_onsite_days = True


class SpecialBehaviour(KindBehaviour):
    kind = RoundKind.SPECIAL

    def round_problems(self, *, round) -> list[str]:
        return [] if round.topic.strip() else [_("A special round needs its topic.")]


class AdHocBehaviour(KindBehaviour):
    kind = RoundKind.AD_HOC


class LookBackBehaviour(KindBehaviour):
    kind = RoundKind.LOOK_BACK

    def round_problems(self, *, round) -> list[str]:
        return [] if round.look_back_of_id else [_("A look-back round names the earlier round it looks back at.")]


_registry: dict[str, KindBehaviour] = {}


def register(behaviour: KindBehaviour) -> KindBehaviour:
    _registry[behaviour.kind] = behaviour
    return behaviour


def behaviour_for(kind: str) -> KindBehaviour:
    return _registry.get(kind) or KindBehaviour()


for _behaviour in (RegularBehaviour(), SpecialBehaviour(), AdHocBehaviour(), LookBackBehaviour()):
    register(_behaviour)

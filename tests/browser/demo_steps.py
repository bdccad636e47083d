"""The in-round steps a walk does not click through, run on the seeded demo's database in a child process
(`DemoSite.run`): `python -m tests.browser.demo_steps STEP 'JSON arguments'` prints its JSON result last.

Each step uses the demo's own users and the services the pages call (the same as tests/tenants/crossorg
builds its states with); none writes rows past the services' rules.
"""

from __future__ import annotations

import json
import os
import sys


def linked_round_to_feedback(*, code: str, round_name: str, units: list[str]) -> dict:
    """The county's linked round of a campaign, run to feedback by the county's demo office, leading group
    and team leader (team, its units, transitions, a finding, feedback with two rectification items: one
    overdue, one verified and closed)."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tenants.utils import schema_context

    from shared.accounts.models import User
    from shared.orgs.models import Organization
    from tenants.rounds.models import Round
    from tests.tenants.crossorg.conftest import linked_round_progress
    from xuncha.demo import DEMO_ORGANIZATIONS

    slug = next(row[4] for row in DEMO_ORGANIZATIONS if row[1] == code)
    county = Organization.objects.get(code=code)
    with schema_context(county.schema_name):
        round = Round.objects.get(name=round_name)
    today = timezone.localdate()
    round = linked_round_progress(
        county=county,
        round=round,
        units=units,
        office=User.objects.get(username=f"{slug}.admin"),
        leading=User.objects.get(username=f"{slug}.leader"),
        leader=User.objects.get(username=f"{slug}.teamlead"),
        overdue_on=today - timedelta(days=2),
        due_later=today + timedelta(days=40),
    )
    return {"round": round.pk, "state": round.state}


STEPS = {"linked_round_to_feedback": linked_round_to_feedback}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuncha.settings")
    import django

    django.setup()
    step, arguments = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(STEPS[step](**arguments), ensure_ascii=False))


if __name__ == "__main__":
    main()

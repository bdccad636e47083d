"""Demo data (`xuncha demo`, `make demo`): a province, one city, three counties, one person per role, and
in the city and 浚县 rounds at every stage, cross-county and elevated rounds, a supervised item and filings.

One package, at the site layer (it uses every app's services, and no app imports it): the demo command
and the tests import it, no AppConfig.ready() does. The steps are registered here, in the order they run;
each creates what is missing and leaves what exists (xuncha/demo/seeding.py runs them).

To add demo rows for an app: write a step function(context) in a module here (through the app's
services, inside `schema_context(...)`, get-or-create), and add it to STEPS.
"""

from __future__ import annotations

from xuncha.demo import core, crossorg, filings, people, supervised, workload
from xuncha.demo.people import DEMO_ORGANIZATIONS, DEMO_ROLES, ROLES_BY_KIND
from xuncha.demo.seeding import (
    DEFAULT_PASSWORD,
    DemoContext,
    DemoLogin,
    DemoSeedError,
    SeedStep,
    _steps,
    demo_seed,
    logins_table,
    outbox_carry,
    seed_step,
    seed_steps,
)

# name, order, step. XUNCHA_DEMO_CORE_ONLY=1 runs the steps ordered below 100 only (organisations, people).
# The "bus" steps carry, in process, what the steps before them queued among the city and its counties (the
# relay and consumer `xuncha demo` starts do the same later), so the steps after them find the replicas the
# pages pick from: the city staffs its rounds from the counties' registries, the counties answer the campaign
# they received, and the city's campaign page shows their answers on the first start.
STEPS = (
    ("organisations", 10, people.seed_organizations),
    ("people", 20, people.seed_people),
    ("core inspection data", 200, core.seed_core),
    ("county registries", 250, crossorg.seed_county_registries),
    ("bus: the counties' registries reach the city", 260, outbox_carry),
    ("crossorg rounds", 300, crossorg.seed_crossorg_rounds),
    ("crossorg: a unified campaign to the three counties", 305, crossorg.seed_crossorg_campaign),
    ("bus: the campaign reaches the counties", 306, outbox_carry),
    ("crossorg: the counties' answers to the campaign", 307, crossorg.seed_crossorg_campaign_answers),
    ("reports: city filings to the province", 300, filings.seed_filings),
    ("rectification: an item the city asks a county to supervise", 310, supervised.seed_supervised_item),
    ("workbench: something waiting for every working role", 320, workload.seed_workload),
    ("bus: what the steps queued reaches the city and the counties", 900, outbox_carry),
)
for _name, _order, _run in STEPS:
    seed_step(_name, order=_order)(_run)

__all__ = [
    "DEFAULT_PASSWORD",
    "DEMO_ORGANIZATIONS",
    "DEMO_ROLES",
    "ROLES_BY_KIND",
    "STEPS",
    "DemoContext",
    "DemoLogin",
    "DemoSeedError",
    "SeedStep",
    "_steps",
    "demo_seed",
    "logins_table",
    "outbox_carry",
    "seed_step",
    "seed_steps",
]

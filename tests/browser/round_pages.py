"""A round taken through its stages by clicking, as the people who do each step do it on the pages: shared by
the round walk, the cross-county walks and the unified campaign's linked rounds.

Each function takes a Playwright page (signed in as whoever does that step), starts on the page it names and
leaves the browser on the page the server answers with. Labels are the Chinese ones the pages show.
"""

from __future__ import annotations


def submit(page, form) -> None:
    """Click the form's first button and wait for the page the server answers with."""
    with page.expect_navigation():
        form.locator("button").first.click()


def round_id(page) -> int:
    """On a round's page: its id, from the address."""
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def move(page, *labels: str, note: str = "") -> None:
    """On the round page: the transition button, once per label (the state each reaches), with `note` in the
    note field where the step has one (the leading group's hearing decision)."""
    for label in labels:
        form = page.get_by_test_id("transition-form")
        if note and form.locator("textarea[name=note]").count():
            form.locator("textarea[name=note]").fill(note)
        submit(page, form)
        assert page.get_by_test_id("round-state").inner_text() == label, page.locator("main").inner_text()


def team_form(page, name: str) -> None:
    """On the round page: form a team called `name`."""
    page.fill("form[action$='/teams/'] input[name=name]", name)
    submit(page, page.locator("form[action$='/teams/']"))


def authorise_and_add(page, expert: str, role: str, *, unit: str = "", county: str = "") -> None:
    """On the round page: authorise a pool person for the round, then put them on its team in `role`. The choices
    name the person's unit and, for a county's person the city adopted, the county: 陈组长（浚县 · 县纪委监委）."""
    details = " · ".join(part for part in (county, unit) if part)
    label = f"{expert}（{details}）" if details else expert
    page.select_option("form[action$='/authorise/'] select[name=expert]", label=label)
    submit(page, page.locator("form[action$='/authorise/']"))
    page.select_option("form[action$='/members/'] select[name=expert]", label=label)
    page.select_option("form[action$='/members/'] select[name=role]", role)
    submit(page, page.locator("form[action$='/members/']"))
    assert expert in page.get_by_test_id("team").inner_text(), page.locator("main").inner_text()


def target_assign(page, target: str) -> None:
    """On the round page: assign the unit `target` to the team."""
    page.select_option("form[action$='/targets/'] select[name=target]", label=target)
    submit(page, page.locator("form[action$='/targets/']"))
    assert target in page.get_by_test_id("team").inner_text(), page.locator("main").inner_text()


def target_create(page, org_url: str, *, name: str, level: str, leaders: str) -> None:
    """The office's new-unit page of the organisation at `org_url` (ending in /)."""
    page.goto(f"{org_url}targets/new/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=level]", level)
    page.fill("textarea[name=leaders]", leaders)
    submit(page, page.locator("main form"))
    assert name in page.get_by_test_id("target-list").inner_text(), page.locator("main").inner_text()


def pool_member_create(page, org_url: str, *, name: str, specialty: str, username: str) -> None:
    """The office's new pool-member page: `name`, linked to the sign-in `username` (so that they see the round
    once on its team)."""
    page.goto(f"{org_url}experts/new/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=specialty]", specialty)
    user = page.locator("select[name=user] option", has_text=f"({username})").get_attribute("value")
    page.select_option("select[name=user]", user)
    submit(page, page.locator("main form"))
    assert page.get_by_test_id("expert-user").count() == 1, page.locator("main").inner_text()


def findings_open(page, round_name: str) -> None:
    """From the round page, its findings (the page narrowed to this round)."""
    with page.expect_navigation():
        page.get_by_test_id("round-later-steps").get_by_role("link", name="问题与问题线索").click()
    assert round_name in page.get_by_test_id("findings-round").inner_text()


def finding_record(page, *, target: str, category: str, title: str, description: str, evidence: str) -> None:
    """On the findings page: record a finding on `target`."""
    finding = page.get_by_test_id("finding-form")
    finding.locator("select[name=target]").select_option(label=target)
    finding.locator("select[name=category]").select_option(label=category)
    finding.locator("input[name=title]").fill(title)
    finding.locator("textarea[name=description]").fill(description)
    finding.locator("textarea[name=evidence]").fill(evidence)
    submit(page, finding)
    assert title in page.get_by_test_id("findings").inner_text(), page.locator("main").inner_text()


def findings_back_to_round(page, round_name: str) -> None:
    """From the round's findings page, back to the round."""
    with page.expect_navigation():
        page.get_by_test_id("findings-round").get_by_role("link", name=round_name).click()


def feedback_open(page) -> None:
    """From the round page, its feedback and rectification section."""
    with page.expect_navigation():
        page.get_by_test_id("round-later-steps").get_by_role("link", name="反馈·整改").click()


def feedback_give(page, *, target: str, leadership: str, principal: str, delivered_on: str) -> None:
    """In the round's feedback section: the feedback to `target`'s leadership and principal; the browser is then
    on that feedback's page."""
    form = page.get_by_test_id("feedback-form")
    form.locator("select[name=target]").select_option(label=target)
    form.locator("textarea[name=leadership_content]").fill(leadership)
    form.locator("input[name=leadership_delivered_on]").fill(delivered_on)
    form.locator("textarea[name=principal_content]").fill(principal)
    form.locator("input[name=principal_delivered_on]").fill(delivered_on)
    submit(page, form)


def item_add(page, *, problem: str, task: str, unit: str, person: str, due_date: str = "") -> None:
    """On a feedback's page: one rectification item (without `due_date`, the report deadline applies)."""
    items = page.locator("form[action$='/items/']")
    items.locator("textarea[name=problem]").fill(problem)
    items.locator("textarea[name=task]").fill(task)
    items.locator("input[name=responsible_unit]").fill(unit)
    items.locator("input[name=responsible_person]").fill(person)
    if due_date:
        items.locator("input[name=due_date]").fill(due_date)
    submit(page, items)
    assert problem in page.get_by_test_id("items").inner_text(), page.locator("main").inner_text()


def _item_row(page, problem: str):
    return page.get_by_test_id("items").locator("tr", has_text=problem)


def evidence_submit(page, *, problem: str, evidence: str) -> None:
    """On a feedback's page: the evidence of the item `problem` (the office, or the unit's liaison)."""
    form = _item_row(page, problem).locator("form[action$='/evidence/']")
    form.locator("input[name=evidence]").fill(evidence)
    submit(page, form)


def item_verify(page, *, problem: str) -> None:
    """On a feedback's page: verify and close (销号) the item `problem` (someone other than who gave its evidence)."""
    submit(page, _item_row(page, problem).locator("form[action$='/accept/']"))
    assert "已销号" in _item_row(page, problem).inner_text(), page.locator("main").inner_text()

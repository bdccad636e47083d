"""In Chromium: the office adds a rectification item on the feedback page; the unit's liaison attaches its
evidence there: an executable renamed .pdf is refused with the Chinese reason and nothing is kept, a PDF goes
through and is listed; the office opens the feedback, downloads the file (the same bytes: the feedback is 内部,
so no watermark) and the liaison of another unit is refused it. Rows are committed, uniquely named, removed."""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import pytest
from django_tenants.utils import schema_context
from pypdf import PdfWriter

from tests.browser.committed import (
    chromium,
    off_the_event_loop,
    people_create,
    reload_until,
    signed_in,
    sync_high_water,
    sync_processes,
    sync_rows_remove,
    unique_suffix,
)
from tests.browser.test_login import ARTIFACTS
from tests.browser.test_phone_and_print import COUNTY, world  # noqa: F401  (the fixture)


@pytest.fixture
def other_liaison(world, django_db_blocker):  # noqa: F811
    """A liaison of 浚县 with no unit of the round: may not open its files."""
    from shared.accounts.models import User

    suffix = unique_suffix()
    with django_db_blocker.unblock():
        person = people_create({"outsider": ("410621", "unit_liaison", 1, f"别的联络员{suffix}")}, suffix)["outsider"]
    world["other_liaison"] = person.username
    yield person.username
    with django_db_blocker.unblock():
        User.objects.filter(pk=person.pk).delete()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.browser
def test_the_liaison_attaches_evidence_and_the_office_downloads_it(site, world, other_liaison, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    users, feedback = world["users"], f"{site}{COUNTY}rectification/feedback/{world['feedback']}/"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
        office = signed_in(browser, site, users["admin"])
        office.goto(feedback)
        form = office.get_by_test_id("item-form")
        form.locator("textarea[name=problem]").fill("议事规则不健全")
        form.locator("textarea[name=task]").fill("修订党委会议事规则")
        form.locator("input[name=responsible_unit]").fill("党政办")
        form.locator("input[name=responsible_person]").fill("王主任")
        form.locator("input[name=due_date]").fill("2026-12-31")  # the receipt is not signed yet: a date of its own
        form.locator("button[type=submit]").click()
        office.wait_for_load_state()
        assert "议事规则不健全" in office.get_by_test_id("items").inner_text(), office.locator(
            ".messages"
        ).all_inner_texts()

        liaison = signed_in(browser, site, users["liaison"])
        liaison.goto(feedback)
        evidence = liaison.get_by_test_id("evidence-form").first
        evidence.locator("input[name=evidence]").fill("修订后的议事规则")
        evidence.locator("input[type=file]").set_input_files(
            [{"name": "议事规则.pdf", "mimeType": "application/pdf", "buffer": ELF}]
        )
        evidence.locator("button").click()
        liaison.wait_for_load_state()
        assert "“议事规则.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。" in liaison.content()
        assert liaison.get_by_test_id("attachments").count() == 0 and "待核验" not in liaison.content()
        liaison.screenshot(path=str(ARTIFACTS / "attachment-refused.png"), full_page=True)

        evidence = liaison.get_by_test_id("evidence-form").first
        evidence.locator("input[name=evidence]").fill("修订后的议事规则")
        evidence.locator("input[type=file]").set_input_files(
            [{"name": "议事规则.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
        )
        evidence.locator("button").click()
        liaison.wait_for_load_state()
        assert "议事规则.pdf" in liaison.get_by_test_id("attachments").inner_text()
        liaison.screenshot(path=str(ARTIFACTS / "attachment-listed.png"), full_page=True)

        office.goto(feedback)
        with office.expect_download() as download:
            office.get_by_test_id("attachments").get_by_role("link", name="议事规则.pdf").click()
        saved = tmp_path / "downloaded.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes() == _pdf()
        office.screenshot(path=str(ARTIFACTS / "attachment-office.png"), full_page=True)

        href = office.get_by_test_id("attachments").get_by_role("link", name="议事规则.pdf").get_attribute("href")
        assert liaison.request.get(f"{site}{href}").status == 200  # the unit's own liaison: yes
        other = signed_in(browser, site, world["other_liaison"])  # a liaison of no unit of this round
        response = other.request.get(f"{site}{href}")
        assert response.status == 403 and "议事规则" not in response.text()


# --- the Done-when walk: evidence on a 秘密 item carried to the city through the real relay and consumer ----------

CITY_WEB, COUNTY_WEB = "/org/410600/", "/org/410621/"
STAMP = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"


def _secret_item_build(users, suffix) -> dict:
    """In the city: a round on a unit 浚县 manages, walked to 反馈 by the services, a 秘密 feedback and one item,
    which goes down to 浚县's 督办 ledger."""
    from shared.accounts.models import Classification
    from shared.accounts.selectors import organization_access
    from shared.orgs.models import Organization
    from tenants.experts.services import expert_create
    from tenants.rectification.services import feedback_create, rectification_items_add
    from tenants.rounds.models import MemberRole
    from tenants.targets.services import target_create
    from tests.tenants.walk import round_walk
    from tests.tenants.workflow import staffed_round

    city = Organization.objects.get(code="410600")
    admin, leading = users["city_office"], users["city_leading"]
    office = {"office": admin, "office_access": organization_access(person=admin, organization_id=city.pk)}
    with schema_context(city.schema_name):
        target = target_create(name=f"浚县交通运输局{suffix}", level="county", managing_org_code="410621")
        round, _team = staffed_round(
            name=f"证据随行巡察{suffix}",
            team_name="督办组",
            target=target,
            people={MemberRole.LEADER: expert_create(name=f"督办组长{suffix}")},
            **office,
        )
        round = round_walk(
            round,
            "feedback",
            **office,
            leading=leading,
            leading_access=organization_access(person=leading, organization_id=city.pk),
        )
        feedback = feedback_create(
            actor=admin,
            access=office["office_access"],
            round=round,
            target=target,
            leadership_content="班子问题",
            principal_content="负责人问题",
            classification=Classification.SECRET,
        )
        [item] = rectification_items_add(
            actor=admin,
            access=office["office_access"],
            feedback=feedback,
            items=[
                {
                    "problem": f"公务用车管理不规范{suffix}",
                    "task": "建立用车台账",
                    "responsible_unit": "办公室",
                    "responsible_person": "李某",
                    "due_date": datetime.date.today() + datetime.timedelta(days=30),
                }
            ],
        )
    names = dict(Organization.objects.filter(code__in=["410600", "410621"]).values_list("code", "name"))
    return {"feedback": feedback.pk, "item": item.pk, "problem": item.problem, "names": names}


@pytest.fixture
def carried_world(django_db_setup, django_db_blocker):
    suffix = unique_suffix()
    with django_db_blocker.unblock():
        from tenants.attachments.models import ReceivedFile

        marks = sync_high_water()
        with schema_context("org_410600"):
            received_mark = ReceivedFile.objects.order_by("-id").values_list("id", flat=True).first() or 0
        users = people_create(
            {
                "city_office": ("410600", "office_admin", 2, f"市巡察办{suffix}"),
                "city_leading": ("410600", "leading_group", 2, f"市领导小组{suffix}"),
                "county_office": ("410621", "office_admin", 2, f"县巡察办{suffix}"),
            },
            suffix,
        )
        built = _secret_item_build(users, suffix)
    yield {"users": {key: user for key, user in users.items()}, "suffix": suffix, **built}
    with django_db_blocker.unblock():
        from shared.accounts.models import User
        from tenants.attachments.models import ReceivedChunk, ReceivedFile
        from tenants.experts.models import Expert
        from tenants.rectification.models import Feedback
        from tenants.rounds.models import Round
        from tenants.targets.models import Target

        with schema_context("org_410600"):
            rounds = Round.objects.filter(name__endswith=suffix)
            Feedback.objects.filter(round__in=rounds).delete()
            rounds.delete()
            Expert.objects.filter(name__endswith=suffix).delete()
            Target.objects.filter(name__endswith=suffix).delete()
            ReceivedFile.objects.filter(id__gt=received_mark).delete()
            ReceivedChunk.objects.filter(source="410621").delete()
        sync_rows_remove(marks)  # the county's copy of the item (and with it its files), the bus rows
        User.objects.filter(username__endswith=f"-{suffix}").delete()


def _watermark_of(path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.mark.browser
def test_evidence_is_refused_uploaded_watermarked_and_carried_to_the_city(
    site, carried_world, tmp_path, django_db_blocker
):
    from playwright.sync_api import sync_playwright

    users = carried_world["users"]
    ledger, problem = f"{site}{COUNTY_WEB}rectification/supervised/", carried_world["problem"]
    city_item = f"{site}{CITY_WEB}rectification/feedback/{carried_world['feedback']}/"
    ARTIFACTS.mkdir(exist_ok=True)
    processes = sync_processes(tmp_path, ["410600", "410621"])
    try:
        with sync_playwright() as playwright, chromium(playwright, tmp_path) as browser:
            county = signed_in(browser, site, users["county_office"].username)
            county.goto(ledger)  # the item comes down through the relay and the county's consumer
            reload_until(county, lambda p: problem in p.content(), what="the item at the county", processes=processes)
            row = county.locator("tr", has_text=problem)
            row.locator("textarea[name=progress_note]").fill("已建立用车台账，附台账扫描件")
            row.locator("input[type=file]").set_input_files(
                [{"name": "用车台账.pdf", "mimeType": "application/pdf", "buffer": ELF}]
            )
            row.locator("button", has_text="报送进展").click()
            county.wait_for_load_state()
            refusal = county.locator("tr", has_text=problem).get_by_test_id("report-refusal")  # in the row's form
            assert refusal.inner_text() == "“用车台账.pdf”不是 PDF、图片或 Word、Excel、演示文稿：其内容为可执行程序。"
            typed = county.locator("tr", has_text=problem).locator("textarea[name=progress_note]")
            assert typed.input_value() == "已建立用车台账，附台账扫描件"  # kept for the next try
            assert "已建立用车台账" not in county.locator("tr", has_text=problem).locator("td").nth(5).inner_text()
            assert county.locator("tr", has_text=problem).get_by_test_id("attachments").count() == 0
            for width in (1366, 390):
                county.set_viewport_size({"width": width, "height": 900})
                county.screenshot(path=str(ARTIFACTS / f"evidence-refused-{width}.png"), full_page=True)
            county.set_viewport_size({"width": 1366, "height": 900})

            row = county.locator("tr", has_text=problem)
            row.locator("select[name=status]").select_option("in_progress")
            row.locator("textarea[name=progress_note]").fill("已建立用车台账，附台账扫描件")
            row.locator("input[type=file]").set_input_files(
                [{"name": "用车台账.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
            )
            row.locator("button", has_text="报送进展").click()
            county.wait_for_load_state()
            listed = county.locator("tr", has_text=problem).get_by_test_id("attachments")
            assert "用车台账.pdf" in listed.inner_text()
            with county.expect_download() as download:
                listed.get_by_role("link", name="用车台账.pdf").click()
            at_county = tmp_path / "county.pdf"
            download.value.save_as(at_county)
            mark = _watermark_of(at_county)  # 秘密: the reader, the office and the time across the page
            assert users["county_office"].display_name in mark and carried_world["names"]["410621"] in mark, mark
            assert re.search(STAMP, mark), mark
            for width in (1366, 390):
                county.set_viewport_size({"width": width, "height": 900})
                county.screenshot(path=str(ARTIFACTS / f"evidence-listed-{width}.png"), full_page=True)

            city = signed_in(browser, site, users["city_office"].username)
            city.goto(city_item)  # the progress and its file go up through the county's relay and the city's consumer
            reload_until(
                city,
                lambda p: p.get_by_test_id("received-attachments").count() == 1,
                what="the file at the city",
                processes=processes,
            )
            received = city.get_by_test_id("received-attachments")
            assert "推进中" in city.get_by_test_id("county-progress").inner_text()
            assert "用车台账.pdf" in received.inner_text() and "秘密" in received.inner_text()
            with city.expect_download() as download:
                received.get_by_role("link", name="用车台账.pdf").click()
            at_city = tmp_path / "city.pdf"
            download.value.save_as(at_city)
            mark = _watermark_of(at_city)  # the same document, marked for the city's reader
            assert users["city_office"].display_name in mark and carried_world["names"]["410600"] in mark, mark
            assert users["county_office"].display_name not in mark
            for width in (1366, 390):
                city.set_viewport_size({"width": width, "height": 900})
                city.screenshot(path=str(ARTIFACTS / f"evidence-at-city-{width}.png"), full_page=True)
    finally:
        processes.stop_all()

    from tenants.attachments.models import Attachment, ReceivedFile

    def digests():
        with schema_context("org_410621"):
            sent = Attachment.objects.filter(record_type="rectification.superviseditem", name="用车台账.pdf")
            sent_digest = [a.sha256 for a in sent]
        with schema_context("org_410600"):
            got = [f.sha256 for f in ReceivedFile.objects.filter(source="410621", name="用车台账.pdf")]
        return sent_digest, got

    with django_db_blocker.unblock():
        sent_digest, got = off_the_event_loop(digests)
    assert sent_digest == got == [hashlib.sha256(_pdf()).hexdigest()]  # the city holds the very file sent

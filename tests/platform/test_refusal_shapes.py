"""A refusal takes the shape of what was asked for (issue 10): a non-member's API call gets a JSON 403 with
a Chinese `detail`, like every other API refusal; the same person's page gets the HTML refused page. Signed
out, an API call is refused in JSON too and a page sends them to sign in."""

from __future__ import annotations


def test_a_non_member_gets_json_from_the_api_and_the_refused_page_from_a_page(client, orgs, make_member):
    client.force_login(make_member(orgs["county_a"], "office_staff", username="a-staff"))
    own = client.get("/org/410621/api/me/")  # the control: a member's API answer
    assert own.status_code == 200 and own.json()["organization"]["code"] == "410621"

    api = client.get("/org/410622/api/targets/")
    assert api.status_code == 403 and api["Content-Type"].startswith("application/json")
    assert api.json() == {"detail": "您不是本单位的成员。"}
    assert "淇县" not in api.content.decode()  # the refusal does not name the organisation
    posted = client.post("/org/410622/api/targets/", {"name": "x"}, content_type="application/json")
    assert posted.status_code == 403 and posted.json() == {"detail": "您不是本单位的成员。"}

    page = client.get("/org/410622/targets/")
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")
    assert "<html" in page.content.decode() and "淇县" not in page.content.decode()


def test_signed_out_the_api_answers_json_and_a_page_asks_to_sign_in(client, orgs):
    api = client.get("/org/410621/api/targets/")
    assert api.status_code == 403 and api["Content-Type"].startswith("application/json")
    assert api.json() == {"detail": "身份认证信息未提供。"}
    page = client.get("/org/410621/targets/")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]

"""A signed-in person changes their own password from the header link; bad input is refused in Chinese."""


def test_password_change_from_the_header(client, orgs, make_member):
    member = make_member(orgs["county_a"], "office_admin", username="pw-changer")
    assert client.get("/accounts/password/").status_code == 302  # signed out: to the sign-in page
    client.force_login(member)
    home = client.get(orgs["county_a"].route).content.decode()
    assert 'href="/accounts/password/">修改密码</a>' in home
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "not-my-password", "new_password1": "Qixian-River-2033", "new_password2": "Qixian-River-2033"},
    )
    assert wrong.status_code == 200 and "修改密码" in wrong.content.decode()
    assert "你的旧密码不正确" in wrong.content.decode()
    member.refresh_from_db()
    assert member.check_password("correct-horse-battery")
    short = client.post(
        "/accounts/password/",
        {"old_password": "correct-horse-battery", "new_password1": "Qx-2033", "new_password2": "Qx-2033"},
    ).content.decode()
    assert "密码太短，至少需要 10 个字符。" in short and "too short" not in short
    member.refresh_from_db()
    assert member.check_password("correct-horse-battery")
    done = client.post(
        "/accounts/password/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "Qixian-River-2033",
            "new_password2": "Qixian-River-2033",
        },
        follow=True,
    )
    assert done.status_code == 200 and "密码已修改" in done.content.decode()
    member.refresh_from_db()
    assert member.check_password("Qixian-River-2033")
    assert client.get(orgs["county_a"].route).status_code == 200  # still signed in

"""Admins manage staff accounts in the newsroom: add people, change roles, switch access off."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from broadsheet.accounts import sign_in
from extensions import db
from models import User


@pytest.fixture
def admin(login):
    return login("admin", name="Ada Admin")


def test_admin_adds_a_writer_who_can_then_sign_in(client, admin):
    response = client.post(
        "/newsroom/users",
        data={
            "email": "New.Writer@Example.org",
            "name": "Nia",
            "role": "writer",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "new.writer@example.org"))
    assert user.role == "writer" and user.name == "Nia"
    assert sign_in("new.writer@example.org", "a long enough password").user == user
    html = client.get("/newsroom/users").get_data(as_text=True)
    assert "new.writer@example.org" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "x", "role": "writer", "password": "a long enough password"}, "email address"),
        ({"email": "a@example.org", "role": "writer", "password": "short"}, "at least 12"),
        ({"email": "a@example.org", "role": "writer", "password": "elevenchars"}, "at least 12"),
        ({"email": "a@example.org", "role": "writer", "password": "1qaz2wsx3edc"}, "most common"),
        ({"email": "a@example.org", "role": "writer", "password": "QwertyAsdfgh"}, "most common"),
        ({"email": "a@example.org", "role": "owner", "password": "long password!!"}, "Not a valid"),
    ],
)
def test_bad_new_account_is_422_and_never_echoes_the_password(client, admin, data, message):
    response = client.post("/newsroom/users", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert data["password"] not in html
    assert db.session.scalar(select(User).where(User.email == data["email"])) is None


def test_a_long_passphrase_needs_no_digits_capitals_or_symbols(client, admin):
    data = {"email": "plain@example.org", "role": "writer", "password": "twelve chars"}
    assert client.post("/newsroom/users", data=data).status_code == 303


def test_duplicate_email_is_refused(client, admin, make_user):
    make_user("writer", email="taken@example.org")
    response = client.post(
        "/newsroom/users",
        data={"email": "TAKEN@example.org", "role": "writer", "password": "long enough pw!"},
    )
    assert response.status_code == 422
    assert "There is already an account for this address." in response.get_data(as_text=True)


def test_admin_changes_a_role_and_switches_access_off(client, admin, make_user):
    writer = make_user("writer")
    response = client.post(
        f"/newsroom/users/{writer.id}", data={f"user-{writer.id}-role": "editor"}
    )
    assert response.status_code == 303
    db.session.refresh(writer)
    assert writer.role == "editor" and writer.active is False


def test_admin_cannot_lock_themselves_out(client, admin):
    response = client.post(
        f"/newsroom/users/{admin.id}",
        data={f"user-{admin.id}-role": "editor", f"user-{admin.id}-active": "y"},
    )
    assert response.status_code == 409
    assert "You cannot take away your own admin access" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role == "admin" and admin.active

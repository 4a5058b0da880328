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


def test_admin_invites_a_writer_who_has_no_password_until_they_choose_one(client, admin):
    response = client.post(
        "/newsroom/users", data={"email": "New.Writer@Example.org", "name": "Nia", "role": "writer"}
    )
    assert response.status_code == 303
    user = db.session.scalar(select(User).where(User.email == "new.writer@example.org"))
    assert user.role == "writer" and user.name == "Nia"
    assert sign_in("new.writer@example.org", "").user is None
    html = client.get("/newsroom/users").get_data(as_text=True)
    assert "new.writer@example.org" in html and "Invited, no password yet" in html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "x", "role": "writer"}, "email address"),
        ({"email": "", "role": "writer"}, "Please give an email address."),
        ({"email": "a@example.org", "role": "owner"}, "Not a valid"),
    ],
)
def test_bad_invitation_is_422_with_the_reason(client, admin, data, message):
    response = client.post("/newsroom/users", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == data["email"])) is None


def test_duplicate_email_is_refused(client, admin, make_user):
    make_user("writer", email="taken@example.org")
    response = client.post(
        "/newsroom/users",
        data={"email": "TAKEN@example.org", "role": "writer"},
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

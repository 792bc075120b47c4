"""Names: compared the same way on SQLite and PostgreSQL, and clean whichever door they use.

SQLite's ``lower()`` folds only ASCII, so a second "ÉMAUS" beside "Émaus" was a new row
there and an identical "Émaus" a 500. A line break pasted into a person's name made every
mail about the meeting fail. Input is now cleaned at every door (page, API, CSV import),
names are compared by a key computed in Python, and mail headers are built so that even a
dirty name stored before the fix cannot break a message.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from email.utils import parseaddr
from typing import Any

import pytest
from sqlalchemy import select

from meetcoord.accounts.models import User
from meetcoord.checkin.models import Attendance
from meetcoord.core.cleaning import clean_line, clean_text, name_key
from meetcoord.core.mail import header_text, mailbox
from meetcoord.core.outbox import OutboxMessage
from meetcoord.directory.models import Forum, Organization, Person, Venue
from meetcoord.extensions import db
from meetcoord.meetings.links import personal_token as token
from tests import factories
from tests.conftest import AuthActions
from tests.documents_support import ClosedRakor, ensure_ca
from tests.helpers import count, field_error, text
from tests.kiosk_support import Rakor, phone, post_from

API = "/api/v1"
DIRTY = ("Maria\nKaka", "Maria\r\nKaka", "Maria\x00 Kaka", "Maria\u2028Kaka", " Maria \t Kaka ")
MODELS = {"organizations": Organization, "forums": Forum, "venues": Venue}


@pytest.fixture
def editor(api_token: Any) -> dict[str, str]:
    return api_token("secretariat")[1]


def body_for(collection: str, name: str) -> dict[str, Any]:
    extra = {
        "organizations": {"kind": "ngo", "level": "regency"},
        "forums": {},
        "venues": {"timezone": "Asia/Makassar"},
    }[collection]
    return {"name": name, **extra}


def import_csv(client: Any, editor: dict[str, str], raw: bytes) -> Any:
    return client.post(
        f"{API}/people/import",
        data={"file": (io.BytesIO(raw), "peserta.csv")},
        headers=editor,
        content_type="multipart/form-data",
    )


# --- the comparison -----------------------------------------------------------------------


def test_name_key_folds_case_width_and_spacing_beyond_ascii() -> None:
    same = ["Émaus", "ÉMAUS", "émaus", " Émaus ", "E\u0301maus", "Ｅ\u0301maus", "Émaus\u200b"]
    assert {name_key(name) for name in same} == {"émaus"}
    assert name_key("Straße Sehat") == name_key("STRASSE  SEHAT")
    assert name_key("Émaus") != name_key("Emaus")  # an accent is not a case


@pytest.mark.parametrize("collection", sorted(MODELS))
def test_a_duplicate_with_a_non_ascii_capital_is_409_naming_the_existing_row(
    client: Any, editor: dict[str, str], collection: str
) -> None:
    url = f"{API}/{collection}"
    first = client.post(url, json=body_for(collection, "Émaus Sumba"), headers=editor)
    assert first.status_code == 201, first.get_data(as_text=True)
    existing = first.get_json()["id"]
    for again in ("Émaus Sumba", "ÉMAUS SUMBA", "émaus  sumba", "E\u0301maus Sumba"):
        response = client.post(url, json=body_for(collection, again), headers=editor)
        assert response.status_code == 409, (again, response.get_data(as_text=True))
        problem = response.get_json()
        assert problem["existing_id"] == existing
        assert "Émaus Sumba" in problem["errors"]["name"][0]
    assert count(MODELS[collection]) == 1

    other = client.post(url, json=body_for(collection, "Emaus Sumba"), headers=editor)
    assert other.status_code == 201  # without the accent it is another name
    renamed = client.patch(
        f"{url}/{other.get_json()['id']}", json={"name": "ÉMAUS Sumba"}, headers=editor
    )
    assert renamed.status_code == 409
    assert renamed.get_json()["existing_id"] == existing
    # Renaming a row to another spelling of its own name is no conflict.
    own = client.patch(f"{url}/{existing}", json={"name": "ÉMAUS SUMBA"}, headers=editor)
    assert own.status_code == 200, own.get_data(as_text=True)


def test_the_page_refuses_the_duplicate_with_409_beside_the_name(auth: Any) -> None:
    auth.login("secretariat")
    venue = factories.venue(name="Aula Émaus")
    data = {"name": "AULA ÉMAUS", "timezone": "Asia/Makassar"}
    response = auth.post("/directory/venues/new", data)
    assert response.status_code == 409
    assert "Aula Émaus" in field_error(text(response), "name")
    assert f"id {venue.id}" in text(response)
    assert count(Venue) == 1


def test_csv_import_finds_organizations_and_names_existing_people_the_same_way(
    client: Any, editor: dict[str, str]
) -> None:
    org = factories.organization(name="Yayasan Émaus", short_name="Émaus")
    taken = factories.person(email="ada@example.go.id")
    raw = "nama,organisasi,email,kategori\nSiti,YAYASAN ÉMAUS,,ngo\nBudi,émaus,,ngo\n"
    response = import_csv(client, editor, raw.encode())
    assert response.status_code == 200, response.get_data(as_text=True)
    people = db.session.scalars(select(Person).where(Person.name.in_(["Siti", "Budi"]))).all()
    assert {person.organization_id for person in people} == {org.id}

    raw = "nama,email,kategori\nSiti Dua,ADA@example.go.id,ngo\n"
    response = import_csv(client, editor, raw.encode())
    assert response.status_code == 422
    assert f"id {taken.id}" in response.get_json()["errors"]["row 2.email"][0]


# --- control characters -------------------------------------------------------------------


def test_the_cleaners() -> None:
    for dirty in DIRTY:
        assert clean_line(dirty) == "Maria Kaka"
    assert clean_line("Ma\u200bria\u202e Kaka\x7f\x85") == "Maria Kaka"
    assert clean_line("Cafe\u0301") == "Café"  # NFC
    assert clean_text("Baris satu\r\nBaris\x00 dua  \u2028\u2029Tiga\t.") == (
        "Baris satu\nBaris dua\n\nTiga ."
    )


@pytest.mark.parametrize("dirty", DIRTY)
def test_a_name_through_the_api_is_stored_clean(
    client: Any, editor: dict[str, str], dirty: str
) -> None:
    position = dirty.replace("Maria", "Kepala").replace("Kaka", "Bidang")
    body = {"name": dirty, "position": position, "category": "ngo"}
    person = client.post(f"{API}/people", json=body, headers=editor)
    assert person.status_code == 201, person.get_data(as_text=True)
    assert person.get_json()["name"] == "Maria Kaka"
    assert person.get_json()["position"] == "Kepala Bidang"
    org = client.post(f"{API}/organizations", json=body_for("organizations", dirty), headers=editor)
    assert org.get_json()["name"] == "Maria Kaka"
    forum = client.post(
        f"{API}/forums",
        json={"name": f"Forum {dirty}", "description": f"Baris satu\n{dirty}\x00"},
        headers=editor,
    )
    assert forum.get_json()["name"] == "Forum Maria Kaka"
    assert "\x00" not in forum.get_json()["description"]
    assert forum.get_json()["description"].startswith("Baris satu\n")


def test_a_link_with_a_control_character_is_refused(client: Any, editor: dict) -> None:
    venue = factories.venue()
    body = {"title": "Rakor", "kind": "coordination", "host_venue_id": venue.id}
    body |= {"start_at": "2030-03-15T09:00", "end_at": "2030-03-15T12:00"}
    for url in ("https://zoom.example.com/j/1\x00", "https://zoom.example.com/j/1\nX: y"):
        response = client.post(f"{API}/meetings", json={**body, "online_url": url}, headers=editor)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert "online_url" in response.get_json()["errors"]


def test_nothing_but_control_characters_is_an_empty_name(client: Any, editor: dict) -> None:
    response = client.post(
        f"{API}/people", json={"name": "\x00\u2028\r\n", "category": "ngo"}, headers=editor
    )
    assert response.status_code == 422
    assert "name" in response.get_json()["errors"]
    assert count(Person) == 0


@pytest.mark.parametrize("dirty", DIRTY)
def test_a_name_through_the_page_is_stored_clean(auth: Any, dirty: str) -> None:
    auth.login("secretariat")
    data = {"name": dirty, "position": dirty, "category": "government"}
    assert auth.post("/directory/people/new", data).status_code == 302
    person = db.session.scalar(select(Person).order_by(Person.id.desc()))
    assert (person.name, person.position) == ("Maria Kaka", "Maria Kaka")


def test_an_account_name_through_the_admin_page_is_stored_clean(auth: Any) -> None:
    auth.login("admin")
    form = {
        "email": "siti@bappeda.example.go.id",
        "name": "Siti\r\nAminah\x00",
        "role": "secretariat",
        "password": "kata-sandi-panjang-sekali",
    }
    assert auth.post("/admin/users/new", form).status_code == 302
    account = db.session.scalar(select(User).where(User.email == form["email"]))
    assert account.name == "Siti Aminah"
    edit = auth.post(f"/admin/users/{account.id}", {"name": "Siti\u2028A.", "role": "viewer"})
    assert edit.status_code == 302
    db.session.refresh(account)
    assert account.name == "Siti A."


def test_stand_in_names_are_stored_clean(app: Any) -> None:
    """Named at the kiosk (self check-in) or on the personal page: both are one line."""
    rakor = Rakor()
    participant = phone(app)
    path = rakor.scan_path()
    assert participant.get(path).status_code == 200  # the scan pass: a cookie of this phone
    who = rakor.invitee(2)
    page = text(participant.get(path, query_string={"who": who.id}))
    extra = {"stand_in": "1", "stand_in_name": "Umbu\nRehi", "stand_in_position": "Sek\u2028Dinas"}
    done = post_from(participant, path, page, action="confirm", last_four="7892", **extra)
    assert done.status_code == 200
    attendance = db.session.scalar(select(Attendance))
    assert (attendance.stand_in_name, attendance.stand_in_position) == ("Umbu Rehi", "Sek Dinas")

    other = rakor.invitee(1)
    letter = (io.BytesIO(b"%PDF-1.4 surat tugas"), "surat.pdf")
    data = {"letter": letter, "stand_in_name": "Markus\r\nYikwa", "stand_in_position": "Ka\x07bid"}
    data["csrf_token"] = AuthActions.token_from(text(participant.get(f"/i/{token(other)}")))
    named = participant.post(
        f"/i/{token(other)}/stand-in", data=data, content_type="multipart/form-data"
    )
    assert named.status_code in (200, 302), text(named)[:300]
    db.session.refresh(other)
    assert (other.stand_in_name, other.stand_in_position) == ("Markus Yikwa", "Kabid")


def test_a_name_through_the_csv_import_is_stored_clean(client: Any, editor: dict) -> None:
    rows = ['"Maria\nKaka",ngo', '"Yohanes\r\nBili",ngo', "Ani\u2028Lende,ngo"]
    raw = ("nama,kategori\n" + "\n".join(rows) + "\n").encode()
    response = import_csv(client, editor, raw)
    assert response.status_code == 200, response.get_data(as_text=True)
    names = set(db.session.scalars(select(Person.name)))
    assert names == {"Maria Kaka", "Yohanes Bili", "Ani Lende"}
    # A NUL byte is no text file at all: the import is refused whole, nothing stored.
    nul = b"nama,kategori\nMaria\x00Kaka,ngo\n"
    response = import_csv(client, editor, nul)
    assert response.status_code == 422
    assert count(Person) == 3


# --- mail headers -------------------------------------------------------------------------


def test_headers_are_one_line_whatever_the_name() -> None:
    assert header_text("Rapat\r\nBcc: x@example.org") == "Rapat Bcc: x@example.org"
    address = mailbox("Maria\nKaka\x00", "maria@example.go.id")
    assert "\n" not in address
    assert "\r" not in address
    assert str(make_header(decode_header(address))) == "Maria Kaka <maria@example.go.id>"


def test_circulation_with_a_dirty_name_stored_before_the_fix(
    app: Any, client: Any, editor: dict[str, str]
) -> None:
    """The row is written directly, as an old database holds it: mail must still go out."""
    ensure_ca(app)
    rakor = ClosedRakor(app)
    person = rakor.participant.person
    person.name = "Maria\nKaka\r\nBcc: mata-mata@example.org\x07"
    rakor.meeting.title = "Rakor\u2028Pangan\nSBD"
    db.session.commit()
    created = client.post(
        f"{API}/meetings/{rakor.meeting.id}/documents", json={"kind": "minutes"}, headers=editor
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    deadline = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    url = f"{API}/documents/{created.get_json()['id']}/circulate"
    response = client.post(url, json={"deadline": deadline}, headers=editor)
    assert response.status_code == 200, response.get_data(as_text=True)

    mails = db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient == person.email, OutboxMessage.kind == "circulation"
        )
    ).all()
    assert len(mails) == 1
    message = message_from_bytes(mails[0].message)
    assert message.get_all("Bcc") is None
    to = str(make_header(decode_header(message["To"])))
    assert parseaddr(to) == ("Maria Kaka Bcc: mata-mata@example.org", person.email)
    subject = str(make_header(decode_header(message["Subject"])))
    assert "\n" not in subject
    assert "Rakor Pangan SBD" in subject

from meetcoord.directory.models import Venue
from meetcoord.directory.services import ListQuery, list_records, save_venue
from tests import factories


def test_service_commit_is_rolled_back_after_test(db_session):
    actor = factories.user("secretariat")
    save_venue(actor, {"name": "Aula Rapat Bappeda SBD", "timezone": "Asia/Makassar"})
    assert list_records(Venue, ListQuery(q="SBD"), None).total == 1


def test_previous_test_left_nothing(db_session):
    assert list_records(Venue, ListQuery(q="SBD"), None).total == 0

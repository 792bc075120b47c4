"""The meetings API fixtures, shared by the API test modules."""

from tests.meetings.test_api_meetings import editor, meeting, venues, viewer  # noqa: F401

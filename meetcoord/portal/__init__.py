"""The participant portal: every page and API call a personal link ``/i/<token>`` opens.

It sits above the features it composes — the invitation (meetings), the check-in
credential and desk entry (checkin), the live view (live) and the documents — and none of
them imports it (DESIGN §3). One resolver, one rate limit, one set of private headers and
the link cookie's policy live in ``links``; ``pages`` lists every HTML route, ``api`` the
JSON ones. ``create_app`` registers both blueprints.
"""

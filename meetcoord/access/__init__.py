"""Who is acting and what they may do (DESIGN §3): institutions and their staff.

This slice holds the institutions (penyelenggara) that own meetings, series, forums and
documents, the staff memberships in them, and each institution's letterhead. The actor
and the permission table join it with the access layer of issue 12.
"""

"""The audit trail in words (issue 16, point 6): "membuat tempat", not "create venues".

The codes stay in the database for filters and exports; the page names them in the
reader's language, and every code the source records has a name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from meetcoord.accounts.audit_labels import ACTION_LABELS, ENTITY_LABELS, action_label
from meetcoord.directory import services
from meetcoord.extensions import db
from meetcoord.registration.models import RegistrationStatus
from tests.helpers import reads

SOURCE = Path(__file__).resolve().parents[2] / "meetcoord"
_ACTION_CELL = re.compile(
    r'data-label="(?:Tindakan|Actions)"><span class="badge">([^<]*)</span>([^<]*)<'
)


def recorded_actions() -> set[str]:
    """Every action code the source passes to ``audit.record``, the computed ones spelled out."""
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = ast.unparse(node.func)
            if name not in ("audit.record", "_audit"):  # questions' own door to audit.record
                continue
            code = node.args[1]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.add(code.value)
            for part in ast.walk(code):  # 'finalize' if ... else 'update'
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    found.add(part.value)
    # Computed: f"registration.{status.value}", f"question.{action}", resend.ACTION.
    found |= {f"registration.{status.value}" for status in RegistrationStatus}
    found |= {"question.approve", "question.hide", "question.merge", "resend_link"}
    return {code for code in found if re.fullmatch(r"[a-z_.]+", code) and code[-1:] != "."}


def test_every_recorded_action_has_a_name() -> None:
    missing = recorded_actions() - set(ACTION_LABELS)
    assert not missing, f"name these audit actions in accounts/audit_labels.py: {sorted(missing)}"
    assert action_label("no_such_code") == "no_such_code"  # a safety net, never the rule


def test_every_table_name_is_a_table() -> None:
    assert set(ENTITY_LABELS) <= set(db.metadata.tables)


def test_the_audit_page_reads_in_words_in_both_languages(client: Any, auth: Any) -> None:
    user = auth.login("admin")
    services.save_venue(
        user, {"name": "Aula Bappeda Sumba Barat Daya", "timezone": "Asia/Makassar"}
    )
    html = client.get("/admin/audit?entity_type=venues").get_data(as_text=True)
    cells = {(a.strip(), b.strip()) for a, b in _ACTION_CELL.findall(html)}
    assert ("membuat", "tempat") in cells
    assert '<option value="venues" selected>tempat</option>' in html
    english = reads(client, "en").get("/admin/audit?entity_type=venues").get_data(as_text=True)
    assert ("created", "venue") in {
        (a.strip(), b.strip()) for a, b in _ACTION_CELL.findall(english)
    }

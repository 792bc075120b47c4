"""Villages and proposals made directly, for the planning tests (the import, the matrix
and the villages' pages are tested through their own services)."""

from __future__ import annotations

from typing import Any

from meetcoord.access.models import Institution
from meetcoord.core.cleaning import name_key
from meetcoord.directory.models import Organization, OrgKind, OrgLevel
from meetcoord.extensions import db
from meetcoord.planning.models import FundSource, Proposal, ProposalField, ProposerKind
from tests import factories


def village(name: str, region: str = "Kabupaten Sumba Barat Daya", **fields: Any) -> Organization:
    """A village (desa) as the directory holds it: an organization of level village."""
    fields.setdefault("kind", OrgKind.COMMUNITY)
    return factories.organization(name=name, level=OrgLevel.VILLAGE, region=region, **fields)


def proposal(institution: Institution, title: str, **fields: Any) -> Proposal:
    """A proposal with the fields an e-Musrenbang export always has, overridable."""
    fields.setdefault("proposer_kind", ProposerKind.VILLAGE)
    fields.setdefault("proposer_name", "Pemerintah Desa")
    fields.setdefault("field", ProposalField.ECONOMY)
    fields.setdefault("fund_source", FundSource.APBD_REGENCY)
    fields.setdefault("plan_year", 2025)
    made = Proposal(institution_id=institution.id, title=title, title_key=name_key(title), **fields)
    db.session.add(made)
    db.session.flush()
    return made

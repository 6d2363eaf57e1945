"""Fixtures of the render tests: the sample's documents, composed as a build composes them."""

from __future__ import annotations

import pytest

from supervision_bulletin import calendar
from supervision_bulletin.build import check, compose_documents, context_for
from supervision_bulletin.compose import Issue
from supervision_bulletin.document import OfficialDocument
from supervision_bulletin.record import CampaignRecord
from supervision_bulletin.resources import SAMPLE_CAMPAIGN
from tests.judged import judged

# Each kind of document the sample campaign produces, by a period that makes it;
# a new kind of document needs one line here.
SAMPLE_KINDS = {
    "monthly_report": "2023-08",
    "quarterly_bulletin": "2023-Q3",
    "half_year_summary": "2023-H1",
    "year_end_account": "2023",
    "notice": "2023-Q3",
}


@pytest.fixture(scope="module")
def sample_documents(tmp_path_factory) -> dict[str, OfficialDocument]:
    """One document of each kind, composed as the build composes them (nothing recorded yet)."""
    inputs = check(SAMPLE_CAMPAIGN)
    record = CampaignRecord(tmp_path_factory.mktemp("record") / "registry.sqlite")
    documents: dict[str, OfficialDocument] = {}
    for label in sorted(set(SAMPLE_KINDS.values())):
        result = judged(inputs, label)
        serials = iter(range(1, 100))

        def issue(kind, unit, title, date=result.as_of):
            return Issue(f"老城督查〔2023〕{next(serials)}号", date)  # noqa: B023 - used by this label's documents only

        context = context_for(inputs, record, result, calendar.default_as_of(inputs.campaign))
        for document in compose_documents(inputs, result, issue, context):
            documents.setdefault(document.kind, document)
    return documents

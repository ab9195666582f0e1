"""Breach and request files: refused input (future, awareness before the event, missing decisions), the risk
screening, the CNIL notice text, the CSV/ODS exports (formula-safe, hostile text inert) and the schemas."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from cyberaudit.model import Organisation
from cyberaudit.records.export import BREACH_HEADERS, export
from cyberaudit.records.model import Breach, Request
from cyberaudit.records.notice import notice_text
from cyberaudit.records.screening import screen

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
CTX = {"now": NOW, "tz": PARIS}
HOSTILE = "=cmd|'/c calc'!A1 \x1b[31mrouge\x1b]8;;http://127.0.0.1/\x07 <script>x</script>"


def make(**extra) -> Breach:
    base = {"id": "V-2026-003", "title": "Courriel au mauvais destinataire", "occurred_at": "2026-05-10T09:00:00+02:00",
            "aware_at": "2026-05-10T11:00:00+02:00"}
    return Breach.model_validate({**base, **extra}, context=CTX)


def test_awareness_before_the_event_is_refused():
    with pytest.raises(ValidationError, match="précède la violation"):
        make(occurred_at="2026-05-10T12:00:00+02:00")


@pytest.mark.parametrize("times", [{"occurred_at": "2026-06-02T09:00:00+02:00", "aware_at": "2026-06-02T10:00:00+02:00"},
                                   {"aware_at": "2026-06-01T14:06:00+02:00"}])  # 6 minutes ahead of NOW
def test_times_in_the_future_are_refused(times):
    with pytest.raises(ValidationError, match="dans le futur"):
        make(**times)
    assert make(aware_at="2026-06-01T14:04:00+02:00")  # within the 5-minute tolerance between machines


def test_a_notification_before_awareness_or_without_its_time_is_refused():
    with pytest.raises(ValidationError, match="précède la prise de connaissance"):
        make(cnil={"notified": True, "notified_at": "2026-05-10T10:00:00+02:00"})
    with pytest.raises(ValidationError, match="préciser quand"):
        make(cnil={"notified": True})


def test_a_time_without_offset_is_refused_in_a_file():
    with pytest.raises(ValidationError, match="décalage"):
        make(aware_at="2026-05-10T11:00:00")


def test_request_dates_future_refusal_and_reopened_shapes():
    base = {"id": "D-2026-001", "right": "erasure", "received_on": "2026-05-02", "reference": "GED 2026-77"}
    with pytest.raises(ValidationError, match="dans le futur"):
        Request.model_validate({**base, "received_on": "2026-06-02"}, context=CTX)
    assert Request.model_validate({**base, "received_on": "2026-06-01"}, context=CTX)  # today in Paris is fine
    with pytest.raises(ValidationError, match="précède la réception"):
        Request.model_validate({**base, "answered_on": "2026-05-01", "outcome": "granted"}, context=CTX)
    with pytest.raises(ValidationError, match="motivé"):
        Request.model_validate({**base, "answered_on": "2026-05-20", "outcome": "refused"}, context=CTX)
    with pytest.raises(ValidationError, match="extra"):
        Request.model_validate({**base, "identity_document": "scan.pdf"}, context=CTX)  # nothing beyond the fields


def test_screening_points_to_notification_and_information_with_reasons():
    s = screen(make(nature=["confidentiality"], data_categories=["health"], subject_categories=["minors"],
                    people_count=40))
    assert s.cnil == "likely_required" and s.people == "likely_required"
    text = " ".join(r[0] for r in s.for_high)
    assert "Données concernant la santé" in text and "Mineurs, élèves" in text  # the CNIL model's labels
    encrypted = screen(make(nature=["confidentiality"], encrypted=True, data_categories=["identity"]))
    assert encrypted.cnil == "maybe_not" and encrypted.people == "likely_not"
    unknown = screen(make())
    assert unknown.cnil == "to_assess" and ("nature (C/I/D)", "nature (C/I/A)") in unknown.gaps


def test_screening_flags_a_dpo_assessment_that_goes_against_the_indicators():
    s = screen(make(nature=["confidentiality"], data_categories=["offences"], risk="none"))
    assert s.divergence is not None and "motiver" in s.divergence[0]
    assert screen(make(nature=["confidentiality"], data_categories=["offences"], risk="high")).divergence is None


def org(**extra) -> Organisation:
    return Organisation(name="Commune de Test", siren="213501232", kind="commune",
                        dpo={"name": "Marie Dupont", "email": "dpo@commune.invalid"}, **extra)


def test_notice_text_is_prefilled_marks_gaps_and_keeps_hostile_text_inert():
    b = make(nature=["confidentiality"], description=HOSTILE, people_count=12, data_categories=["identity"])
    text = notice_text(b, org(), PARIS, NOW)
    assert "V-2026-003" in text and "Marie Dupont" in text and "2026-05-13 11:00 (+02:00)" in text  # 72 h
    assert "Nombre approximatif de personnes : 12" in text
    assert "Conséquences probables" in text and "[à compléter]" in text
    assert "Motifs du retard" in text  # past the deadline with no notification: the form asks why
    assert "\x1b" not in text and "\x07" not in text


def test_csv_export_is_french_formula_safe_and_free_of_control_characters():
    b = make(nature=["confidentiality", "availability"], title=HOSTILE, handler="+33 1 23")
    data = export("breach", [b], "csv", now=NOW, tz=PARIS)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == list(BREACH_HEADERS) and rows[0][0] == "Référence"
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Résumé"].startswith("'=") and "\x1b" not in row["Résumé"]
    assert row["Suivi par"] == "'+33 1 23"
    assert row["Nature"] == "Confidentialité (divulgation, accès non autorisé), Disponibilité (perte, destruction, indisponibilité)"
    assert row["Prise de connaissance"] == "2026-05-10T11:00+02:00" and row["État 72 h"] == "en retard"


def test_ods_export_holds_text_cells_only():
    b = make(title=HOSTILE)
    with zipfile.ZipFile(io.BytesIO(export("breach", [b], "ods", now=NOW, tz=PARIS))) as z:
        content = z.read("content.xml").decode()
    assert 'table:name="Violations"' in content and "table:formula" not in content
    assert "<script>" not in content and "&lt;script&gt;" in content and "\x1b" not in content


def test_schemas_of_the_new_file_kinds():
    from cyberaudit.disk.schemas import schema_for

    breach, request = schema_for("breach"), schema_for("request")
    assert breach["title"] == "cyberaudit/breach/v1" and "aware_at" in breach["required"]
    assert request["title"] == "cyberaudit/request/v1" and "reference" in request["required"]
    assert "identity_document" not in request["properties"] and request["additionalProperties"] is False

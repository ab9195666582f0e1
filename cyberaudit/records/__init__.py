"""The DPO's other registers: personal-data breaches (GDPR art. 33(5)) and data-subject requests (art. 12, 15-22).

Plain YAML files in the workspace, one per item: `breaches/V-2026-001.yaml`, `requests/D-2026-001.yaml`.
The legal clocks (72 h CNIL, NIS2 bill's 24 h / 72 h / one month, one month + two for requests) are
computed from them, never stored.
"""

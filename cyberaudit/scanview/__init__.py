"""What a person reads of a scan: which host, address and port each finding concerns (`locate`), the
summary per target and the sorted, filtered details (`triage`), and the rows and cases of the CSV and
JUnit exports (`tabular`). Pure functions of a `ScanResult`; the renderers in `cli/` only lay them out.
"""

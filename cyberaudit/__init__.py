"""cyberaudit: cybersecurity and GDPR auditor for French local authorities."""

__version__ = "0.1.0"

"""Pure parsers and evaluators for mail-security records (SPF, DMARC, DKIM, MTA-STS, TLS-RPT)."""

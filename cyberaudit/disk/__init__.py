"""Disk: atomic, deterministic file I/O, the workspace folder and the JSON Schemas of its files."""

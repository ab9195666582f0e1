"""Territory workflow: one git repository holding every member's workspace.

    create.py      `cyberaudit init --territory`: territoire.yaml, member workspaces, CI recipes
    manifest.py    territoire.yaml model and member folders (membres/<SIREN>/)
    shard.py       `--shard I/N`: a deterministic split of the members
    scan.py        `cyberaudit scan --territory`: every member, concurrently, one progress display
    diff.py        `cyberaudit diff`: two assessments (files or git revisions) compared
    indicators.py  barometer indicators (data in cyberaudit/data/indicators.yaml) judged per member
    aggregate.py   `cyberaudit aggregate`: the territory barometer
"""

"""Territory workflow: one git repository holding every member's workspace.

    manifest.py     territoire.yaml model and member folders (membres/<SIREN>/)
    create.py       `cyberaudit init --territory`: territoire.yaml, member workspaces, CI recipes
    shard.py        `--shard I/N`: a deterministic split of the members
    scan.py         `cyberaudit scan --territory`: every member, concurrently, one progress display
    scan_render.py  its summary (table, Markdown, JSON)
    gitio.py        the few git reads (argument lists, checked revisions)
    diff.py         `cyberaudit diff`: two assessments (files or git revisions) compared; diff_render.py
    indicators.py   barometer indicators (data in cyberaudit/data/indicators.yaml) judged per member
    members.py      reading every member robustly ("not counted" with a reason)
    history.py      month-by-month trend from git history
    aggregate.py    `cyberaudit aggregate`: the barometer as plain data
    render.py       JSON, CSV, Markdown, terminal; html.py + charts.py: self-contained HTML
    commands.py     the library side of the aggregate and diff commands
    synthetic.py    a synthetic territory for tests, benchmarks and demos
"""

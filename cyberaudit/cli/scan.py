"""`cyberaudit scan`: parse options, call the scan pipeline, print or save."""

from __future__ import annotations

from pathlib import Path

import typer

from ..i18n import t


def register(app: typer.Typer) -> None:
    @app.command(
        "scan",
        help=t("Analyser les domaines et hôtes : DNS, messagerie, TLS, web, ports, MFA",
               "Scan domains and hosts: DNS, mail, TLS, web, ports, MFA"),
    )
    def scan_cmd(
        targets: list[str] = typer.Argument(None, help=t("Domaines, adresses IP ou blocs CIDR (≤ /24)",
                                                         "Domains, IP addresses or CIDR blocks (≤ /24)")),
        workspace: Path = typer.Option(None, "--workspace", "-w",
                                       help=t("Espace de travail (inventaire et enregistrement)",
                                              "Workspace (inventory and saving)")),
        checks: str = typer.Option(None, "--checks",
                                   help=t("Familles : dns,mail,tls,web,ports,mfa,privacy ou all",
                                          "Families: dns,mail,tls,web,ports,mfa,privacy or all")),
        nameserver: str = typer.Option(None, "--nameserver",
                                       help=t("Serveur DNS à interroger IP[:PORT]", "DNS server to query IP[:PORT]")),
        ca_bundle: Path = typer.Option(None, "--ca-bundle",
                                       help=t("Autorités de certification supplémentaires (PEM)",
                                              "Extra trusted CAs (PEM)")),
        timeout: float = typer.Option(5.0, "--timeout", min=0.1, max=120,
                                      help=t("Délai par opération réseau (s)", "Per network operation timeout (s)")),
        concurrency: int = typer.Option(64, "--concurrency", min=1, max=1000,
                                        help=t("Cibles analysées en parallèle", "Targets scanned in parallel")),
        authorized: str = typer.Option(None, "--authorized",
                                       help=t("Autorisation pour ports/mfa : \"NOM, AAAA-MM-JJ\"",
                                              "Authorisation for ports/mfa: \"NAME, YYYY-MM-DD\"")),
        ports: str = typer.Option("curated", "--ports", help=t("curated ou top100", "curated or top100")),
        syn: bool = typer.Option(False, "--syn", help=t("Scan SYN (root requis)", "SYN scan (needs root)")),
        territory: Path = typer.Option(None, "--territory",
                                       help=t("Dépôt de territoire : analyser tous les membres",
                                              "Territory repository: scan every member")),
        shard: str = typer.Option(None, "--shard", help=t("Part I/N des membres (CI en parallèle)",
                                                          "Share I/N of the members (parallel CI jobs)")),
        member_budget: float = typer.Option(600.0, "--member-budget", min=1, max=86400,
                                            help=t("Avec --territory : durée maximale par membre (s)",
                                                   "With --territory: time budget per member (s)")),
        trust_anchor: Path = typer.Option(None, "--trust-anchor",
                                          help=t("Ancre de confiance DNSSEC (lignes DS ou DNSKEY) au lieu de la racine",
                                                 "DNSSEC trust anchor (DS or DNSKEY lines) instead of the root")),
        fmt: str = typer.Option(None, "--format", "-f", help="table | json | markdown | csv | junit"),
        show_all: bool = typer.Option(False, "--all", help=t("Montrer aussi les contrôles conformes",
                                                             "Also show the checks that passed")),
        only: str = typer.Option(None, "--only", help=t("Seulement ces contrôles : identifiants, préfixes ou "
                                                        "familles, séparés par des virgules (ex. tls,mail.spf)",
                                                        "Only these checks: IDs, prefixes or families, "
                                                        "comma-separated (e.g. tls,mail.spf)")),
        output: Path = typer.Option(None, "--output", "-o", help=t("Fichier de sortie", "Output file")),
        fail_on: str = typer.Option(None, "--fail-on",
                                    help=t("Code 1 si un échec atteint cette sévérité",
                                           "Exit 1 when a failure reaches this severity")),
        rejudge: bool = typer.Option(False, "--rejudge",
                                     help=t("Rejuger hors ligne les observations enregistrées (scans/observations"
                                            ".jsonl) avec les contrôles d'aujourd'hui et réécrire scans/latest.json",
                                            "Judge the saved observations (scans/observations.jsonl) again offline "
                                            "with today's checks and rewrite scans/latest.json")),
    ) -> None:
        if rejudge:
            from .scan_rejudge import run_rejudge_command

            run_rejudge_command(workspace=workspace, targets=[*(targets or []), *([territory] if territory else [])],
                                fmt=fmt, output=output, fail_on=fail_on, only=only, show_all=show_all)
            return
        if territory is not None:
            from .territory_scan import run_territory_scan_command

            run_territory_scan_command(
                territory=territory, shard=shard, checks=checks, nameserver=nameserver, ca_bundle=ca_bundle,
                timeout=timeout, concurrency=concurrency, fmt=fmt, output=output, fail_on=fail_on,
                member_budget=member_budget, trust_anchor=trust_anchor, ports=ports, syn=syn,
                only=only, show_all=show_all,
            )
            return
        from .scan_run import run_scan_command

        run_scan_command(
            targets=targets or [], workspace=workspace, checks=checks, nameserver=nameserver,
            ca_bundle=ca_bundle, timeout=timeout, concurrency=concurrency, authorized=authorized,
            ports=ports, syn=syn, fmt=fmt, output=output, fail_on=fail_on, trust_anchor=trust_anchor,
            only=only, show_all=show_all,
        )

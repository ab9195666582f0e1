"""Entry point: `cyberaudit` and `python -m cyberaudit`.

Maps errors to the documented exit codes; no traceback reaches a user unless --debug.
"""

from __future__ import annotations

import os
import sys


def _pre_parse(argv: list[str]) -> tuple[str | None, bool]:
    lang = None
    debug = False
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        elif arg == "--debug":
            debug = True
    return lang, debug


def _click_classes(name: str) -> tuple[type[BaseException], ...]:
    """Exception classes of click and of Typer's vendored copy of click (Typer >= 0.26)."""
    import importlib

    found = []
    for module in ("typer._click.exceptions", "click.exceptions"):
        try:
            cls = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if cls is not None:
            found.append(cls)
    return tuple(found)


_USAGE_FR = [
    (r"^No such option: (.*?)(\s*\(Possible options: (.*)\)|\s*Did you mean (.*)\?)?$",
     "option inconnue : \\1"),
    (r"^No such command '(.*)'\.$", "commande inconnue « \\1 »"),
    (r"^Missing argument '(.*)'\.$", "argument manquant « \\1 »"),
    (r"^Missing option '(.*)'\.$", "option manquante « \\1 »"),
    (r"^Option '(.*)' requires an argument\.$", "l'option « \\1 » attend une valeur"),
    (r"^Got unexpected extra arguments? \((.*)\)$", "argument(s) en trop : \\1"),
    (r"^Invalid value for '(.*?)': (.*)$", "valeur invalide pour « \\1 » : \\2"),
]


def _show_usage_error(exc) -> None:
    """Click's usage errors, in the user's language, with the hint to -h."""
    import re

    from .i18n import get_lang, t

    message = exc.format_message()
    if get_lang() == "fr":
        for pattern, repl in _USAGE_FR:
            if re.match(pattern, message, flags=re.S):
                message = re.sub(pattern, repl, message, flags=re.S)
                break
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        print(ctx.get_usage(), file=sys.stderr)
        print(t(f"Essayez « {ctx.command_path} -h » pour l'aide.", f"Try '{ctx.command_path} -h' for help."),
              file=sys.stderr)
    print(f"{t('Erreur', 'Error')} : {message}", file=sys.stderr)


# French typography: a space before the colon that click adds ("Options :", "Commandes :").
_SECTIONS = {"Options": "Options ", "Commands": "Commandes ", "Arguments": "Arguments "}
_GETTEXT_FR = {
    "default: {default}": "défaut : {default}", "required": "obligatoire", "(dynamic)": "(dynamique)",
    "env var: {var}": "variable d'environnement : {var}", "Usage:": "Utilisation :",
    "Show this message and exit.": "Afficher cette aide et quitter.",
}


def _localise_gettext() -> None:
    """The words click and Typer take from gettext in help pages ("[default: …]"), in French.

    Only the modules Typer has already loaded are patched: importing the stand-alone click that a
    Typer with its own copy never uses would cost start-up time for nothing."""
    from .i18n import get_lang

    def translate(message: str) -> str:
        return _GETTEXT_FR.get(message, message) if get_lang() == "fr" else message

    for name in ("typer.core", "typer._click.core", "typer._click.formatting", "click.core", "click.formatting"):
        module = sys.modules.get(name)
        if module is not None and callable(getattr(module, "_", None)):
            module._ = translate


def _localise_formatter(command) -> None:
    """French headings in help pages ("Utilisation", "Commandes"), through click's formatter class."""
    from .i18n import get_lang

    context_class = getattr(command, "context_class", None)
    base = getattr(context_class, "formatter_class", None)
    if base is None or getattr(base, "_cyberaudit", False):
        return

    class LocalisedFormatter(base):
        _cyberaudit = True

        def write_usage(self, prog, args="", prefix=None):
            if prefix is None and get_lang() == "fr":
                prefix = "Utilisation : "
            return super().write_usage(prog, args, prefix)

        def section(self, name):
            return super().section(_SECTIONS.get(name, name) if get_lang() == "fr" else name)

    context_class.formatter_class = LocalisedFormatter


def _localise_help(command) -> None:
    """Translate the text of the -h/--help option of every command."""
    from .i18n import t

    _localise_formatter(command)

    text = t("Afficher cette aide et quitter.", "Show this message and exit.")
    original = command.get_help_option

    def patched(ctx):
        option = original(ctx)
        if option is not None:
            option.help = text
        return option

    command.get_help_option = patched
    for sub in (getattr(command, "commands", None) or {}).values():
        _localise_help(sub)


def _on_stop_signal(signum, frame) -> None:
    from .errors import Stopped

    raise Stopped(signum)


def _install_stop_signals() -> dict:
    """SIGTERM and SIGHUP unwind like Ctrl-C: locks released, temp files removed, workers ended."""
    import signal
    import threading

    previous: dict = {}
    if threading.current_thread() is not threading.main_thread():
        return previous
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) in (signal.SIG_DFL, None):
            previous[signum] = signal.signal(signum, _on_stop_signal)
    return previous


def _restore_signals(previous: dict) -> None:
    import signal

    for signum, handler in previous.items():
        signal.signal(signum, handler)


def main(argv: list[str] | None = None) -> int:
    # cyberaudit uses no pydantic plugin; looking for them reads the metadata of every installed
    # package at the first model built (tens of ms of each start-up). A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli import stdout

    stdout.install()
    previous = _install_stop_signals()
    try:
        code = _main(argv)
    finally:
        _restore_signals(previous)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()
    except OSError as exc:
        return _write_failed(exc)
    return code


def _reader_gone() -> int:
    """The reader closed the pipe (`| head`): stop quietly, without a second failure at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    return 0


def _write_failed(exc: OSError) -> int:
    from .cli.ui import print_error
    from .errors import ExitCode, write_error

    try:
        print_error(str(write_error(exc)))
    except OSError:
        pass
    return int(ExitCode.WRITE)


def _main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang, debug = _pre_parse(argv)
    from .i18n import set_lang, t

    set_lang(lang or os.environ.get("CYBERAUDIT_LANG"))
    if debug:
        os.environ["CYBERAUDIT_DEBUG"] = "1"

    from .cli import build_app, command_named
    from .errors import WRITE_ERRNOS, CyberauditError, ExitCode, Stopped

    app = build_app(only=command_named(argv))
    command = __import__("typer").main.get_command(app)
    _localise_help(command)
    _localise_gettext()
    try:
        rv = command.main(args=argv, prog_name="cyberaudit", standalone_mode=False)
        return int(rv) if isinstance(rv, int) else 0
    except CyberauditError as exc:
        if debug:
            raise
        from .cli.ui import print_error

        print_error(str(exc))
        return int(exc.exit_code)
    except _click_classes("Abort"):
        print(t("Interrompu.", "Aborted."), file=sys.stderr)
        return 130
    except _click_classes("Exit") as exc:
        return int(exc.exit_code)
    except _click_classes("ClickException") as exc:
        _show_usage_error(exc)
        return int(ExitCode.INPUT)
    except KeyboardInterrupt:
        print(t("Interrompu.", "Interrupted."), file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except Stopped as exc:
        print(t(f"Arrêté (signal {exc.signum}).", f"Stopped (signal {exc.signum})."), file=sys.stderr)
        return 128 + exc.signum
    except BrokenPipeError:
        return _reader_gone()
    except SystemExit as exc:  # click turns a closed pipe into exit 1: not a threshold, the reader left
        if isinstance(exc.__context__, BrokenPipeError):
            return _reader_gone()
        raise
    except OSError as exc:
        if debug or exc.errno not in WRITE_ERRNOS:
            return _internal(exc, debug)
        return _write_failed(exc)
    except Exception as exc:  # a bug: say so plainly, traceback only with --debug
        return _internal(exc, debug)


def _internal(exc: Exception, debug: bool) -> int:
    from .errors import ExitCode
    from .i18n import t

    if debug:
        raise exc
    print(
        t(
            f"erreur interne de cyberaudit : {type(exc).__name__}: {exc}\n"
            "Relancez avec --debug pour le détail et signalez-la.",
            f"cyberaudit internal error: {type(exc).__name__}: {exc}\n"
            "Run again with --debug for details and report it.",
        ),
        file=sys.stderr,
    )
    return int(ExitCode.INTERNAL)


def run() -> int:
    """The `cyberaudit` command (and `python -m cyberaudit`): `main`, then a quick interpreter exit.

    Once the command is done, its objects are frozen out of the garbage collector's reach (gc.freeze):
    the interpreter's exit still flushes the streams, runs the atexit handlers (temporary files, workers)
    and releases the modules, but skips the final collections over every object of the run (about 5% of
    a single-host TLS scan's instructions). Library and test callers use `main`, which leaves the garbage
    collector alone."""
    code = main()
    import gc

    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(run())

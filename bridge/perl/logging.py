"""Python's logging, routed into Perl as AI::MXNet logged: a record becomes a call of AI::MXNet::Logging (the
shim's), which prints the message alone on STDERR through Perl's `warn`, so that `$SIG{__WARN__}` redirects it
and `$AI::MXNet::Logging::silent = 1` quiets it. Module's fit, the Speedometer and the checkpoints log at INFO,
the level AI::MXNet printed, so the root logger is set there once a Perl program loads the shim."""
import logging
import sys
import threading

from . import callbacks


class PerlHandler(logging.Handler):
    """Hands each record's message to a Perl sub (level name, message); on any thread but Perl's, where no Perl
    code may run, the message goes to STDERR directly."""

    def __init__(self, perl_log):
        super().__init__()
        self._perl_log = perl_log

    def emit(self, record):
        message = self.format(record)
        if threading.get_ident() != callbacks.perl_thread:
            sys.stderr.write(message + "\n")
            return
        self._perl_log(record.levelname.lower(), message)  # a die there (from $SIG{__WARN__}) goes on up


def route(perl_log, level="INFO"):
    """Send Python's logging to perl_log from now on, at `level` and above (the shim's AI::MXNet::Logging)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, PerlHandler)]:
        root.removeHandler(handler)
    root.addHandler(PerlHandler(perl_log))
    root.setLevel(level)
    return 1

"""Python's output, routed into Perl. Logging as AI::MXNet logged: a record becomes a call of AI::MXNet::Logging
(the shim's), which prints the message alone on STDERR through Perl's `warn`, so that `$SIG{__WARN__}` redirects
it and `$AI::MXNet::Logging::silent = 1` quiets it; Module's fit, the Speedometer and the checkpoints log at INFO,
the level AI::MXNet printed, so the root logger is set there once a Perl program loads the shim. And what Python
code prints (mxnet's print_summary, its infer_shape errors) goes through Perl's print, in order with the Perl
program's own output (Python's sys.stdout has a buffer of its own)."""
import io
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


class PerlStdout(io.TextIOBase):
    """sys.stdout writing through a Perl sub (Perl's print) on Perl's thread, through Python's own elsewhere."""

    def __init__(self, perl_print, python_stdout):
        super().__init__()
        self._perl_print, self._python = perl_print, python_stdout

    def write(self, text):
        if threading.get_ident() != callbacks.perl_thread:
            return self._python.write(text)
        self._perl_print(text)
        return len(text)

    def flush(self):
        self._python.flush()

    def fileno(self):
        return self._python.fileno()

    def isatty(self):
        return self._python.isatty()

    @property
    def encoding(self):
        return self._python.encoding


def route(perl_log, perl_print=None, level="INFO"):
    """Send Python's logging to perl_log from now on, at `level` and above (the shim's AI::MXNet::Logging), and
    what Python prints to perl_print."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, PerlHandler)]:
        root.removeHandler(handler)
    root.addHandler(PerlHandler(perl_log))
    root.setLevel(level)
    if perl_print is not None:
        python_stdout = sys.stdout._python if isinstance(sys.stdout, PerlStdout) else sys.stdout
        python_stdout.flush()
        sys.stdout = PerlStdout(perl_print, python_stdout)
    return 1

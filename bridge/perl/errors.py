"""Turn any exception into what a user should read first: the error's own message, on one line."""
from mxnet.base import MXNetError


_MX_TRACEBACK = "Traceback (most recent call last):\n  File \"../"  # the start of libmxnet's error texts


def first_line(exc):
    """The message a user needs first. MXNetError's text starts with a C++ traceback; its last
    'MXNetError: ...' line holds mxnet's own message, which is what we show."""
    text = str(exc)
    if isinstance(exc, MXNetError) or text.startswith(_MX_TRACEBACK):
        # (libmxnet's IndexError, ValueError, ... arrive as Python's, their text in the same layout)
        lines = [l for l in text.splitlines() if l.strip()]
        prefix = type(exc).__name__ + ": "
        for line in reversed(lines):
            for start in ("MXNetError: ", prefix):
                if line.startswith(start):
                    return line[len(start):]
        return lines[-1] if lines else type(exc).__name__
    if isinstance(exc, KeyError) and len(exc.args) == 1:
        text = str(exc.args[0])  # str(KeyError) adds quotes
    text = text.strip()
    return text.splitlines()[0] if text else type(exc).__name__


# What a Perl callback returns when it died (AI::MXNet::Bridge::_guard_callback): [DIED, its text]. Dying
# through Inline::Python instead leaked the die's text twice and a Perl scope each time.
DIED = "\0AI::MXNet: a Perl callback died\0"


class PerlDied(Exception):
    """A Perl callback died (bridge/perl/args.py perl_callable raises it): its die value stays in Perl, which
    rethrows it when the bridge call returns; args[0] is its text."""


def is_perl_die(exc):
    """Whether exc is a Perl die inside a callback: PerlDied, or Inline::Python's perl.Exception (a class
    known only by its name: the embedded `perl` module answers every attribute with a Perl sub)."""
    return type(exc) is PerlDied or type(exc).__module__ == "perl" and type(exc).__name__ == "Exception"


def describe(exc):
    """[type name, first-line message, full text with Python traceback] for the Perl side."""
    return [type(exc).__name__, first_line(exc), traceback_text(exc)]


def traceback_text(exc):
    """Python's traceback of exc, its frames without their source lines, and its message: the traceback
    module reads each frame's source and compiles it (Python 3.11's error carets), which made every caught
    error from Perl cost about a millisecond."""
    lines = ["Traceback (most recent call last):\n"]
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        lines.append('  File "%s", line %d, in %s\n' % (code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    kind = type(exc)
    name = kind.__qualname__ if kind.__module__ == "builtins" else "%s.%s" % (kind.__module__, kind.__qualname__)
    return "".join(lines) + "%s: %s\n" % (name, exc)

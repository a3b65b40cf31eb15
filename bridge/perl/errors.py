"""Turn any exception into what a user should read first: the error's own message, on one line."""
import re
import traceback

from mxnet.base import MXNetError


_MX_TRACEBACK = "Traceback (most recent call last):\n  File \"../"  # the start of libmxnet's error texts


def first_line(exc):
    """The message a user needs first, on one line, never empty nor a "Traceback" line. MXNetError's text
    starts with a C++ traceback; its last 'MXNetError: ...' line holds mxnet's own message (with the list of
    possible arguments that mxnet puts on the lines after it); an assertion without a message is its source
    line."""
    text = str(exc)
    if isinstance(exc, MXNetError) or text.startswith(_MX_TRACEBACK):
        # (libmxnet's IndexError, ValueError, ... arrive as Python's, their text in the same layout)
        lines = [l for l in text.splitlines() if l.strip()]
        for i in reversed(range(len(lines))):
            if lines[i].startswith("MXNetError: "):
                return _with_listed_arguments(lines[i][len("MXNetError: "):], lines[i + 1:])
        lines = [l.strip() for l in lines if not _TRACE_LINE.match(l)]
        prefix = type(exc).__name__ + ": "  # (IndexError: index 5 is out of bounds ...)
        return (lines[-1][len(prefix):] if lines[-1].startswith(prefix) else lines[-1]) if lines else type(exc).__name__
    if isinstance(exc, KeyError) and len(exc.args) == 1:
        text = str(exc.args[0])  # str(KeyError) adds quotes
    if isinstance(exc, StopIteration) and not text:
        return "StopIteration: a data iterator is at its end (its reset starts it again)"
    lines = [l.strip() for l in text.strip().splitlines() if l.strip() and not _TRACE_LINE.match(l)]
    if len(lines) > 1 and lines[0].endswith(":"):
        # "simple_bind error. Arguments:", then "data: (10, 3)" lines, then mxnet's "MXNetError: ..." line:
        # mxnet's message first, what it was given after it
        engine = [l[len("MXNetError: "):] for l in lines[1:] if l.startswith("MXNetError: ")]
        given = ", ".join(l for l in lines[1:] if not l.startswith("MXNetError: "))
        return "%s (%s %s)" % (engine[-1], lines[0], given) if engine else "%s %s" % (lines[0], given)
    if lines:
        return lines[0]
    source = _failing_source_line(exc)
    return f"{type(exc).__name__}: {source}" if source else type(exc).__name__


# lines of a traceback, Python's or mxnet's C++ one ("[bt] (0) ...")
_TRACE_LINE = re.compile(r"^\s*(Traceback \(most recent call last\)|File \"|\[bt\])")
# mxnet's documentation of an operator's parameters, listed after "Possible Arguments:": "name : type, ..."
_ARGUMENT_LINE = re.compile(r"^(\w+) : ")


def _with_listed_arguments(message, following):
    # "Cannot find argument 'mood', Possible Arguments:" then one line per argument and ", in operator ...":
    # the names of the arguments and the operator, on the message's line
    if not message.rstrip().endswith(":"):
        return message
    names = [m.group(1) for m in map(_ARGUMENT_LINE.match, following) if m]
    tail = [l.strip() for l in following if l.strip().startswith(", in operator")]
    return "%s %s%s" % (message.rstrip(), ", ".join(names), tail[0] if tail else "")


def _failing_source_line(exc):
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    return frames[-1].line.strip() if frames and frames[-1].line else ""


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

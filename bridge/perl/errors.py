"""Turn any exception into what a user should read first: the error's own message, on one line."""
import traceback

from mxnet.base import MXNetError


def first_line(exc):
    """The message a user needs first. MXNetError's text starts with a C++ traceback; its last
    'MXNetError: ...' line holds mxnet's own message, which is what we show."""
    text = str(exc)
    if isinstance(exc, MXNetError):
        lines = [l for l in text.splitlines() if l.strip()]
        for line in reversed(lines):
            if line.startswith("MXNetError: "):
                return line[len("MXNetError: "):]
        return lines[-1] if lines else type(exc).__name__
    if isinstance(exc, KeyError) and len(exc.args) == 1:
        text = str(exc.args[0])  # str(KeyError) adds quotes
    text = text.strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_perl_die(exc):
    """Whether exc is a Perl die inside a callback: Inline::Python raises it as perl.Exception, a class known
    only by its name (the embedded `perl` module answers every attribute with a Perl sub)."""
    return type(exc).__module__ == "perl" and type(exc).__name__ == "Exception"


def describe(exc):
    """[type name, first-line message, full text with Python traceback] for the Perl side."""
    full = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return [type(exc).__name__, first_line(exc), full]

"""mxnet's own functions that read a user's file, wrapped when the bridge is imported (mxnet's installed
files are left as they are), so that whoever calls them (a Perl user, a Python user of the mirror, Gluon's
load_parameters, Module.load, SymbolBlock.imports) gets the file checked before libmxnet or pickle sees it:

- NDArray files (nd.load, nd.load_frombuffer; Gluon's and Module's parameter files are such files):
  read within bounds and walked first (bridge/arrays/files.py);
- Symbol JSON (sym.load, sym.load_json): node references checked (bridge/api/symbol.py);
- optimizer states (Trainer.load_states, Module's and KVStore's load_optimizer_states): unpickled with an
  Unpickler that builds only what such states hold (bridge/api/states.py); a refusal names the file;
- file names given to libmxnet (nd.save): no NUL, which would end libmxnet's C string early; and what is
  saved is whole (libmxnet wrote a sparse array's shape before its pending writes were done).

Each wrap replaces every reference mxnet's modules hold to the original function (gluon.block imported
load_json by name), so no path around it is left.
"""
import functools
import os
import stat
import sys

import mxnet as mx

from ..arrays import files
from . import states, symbol


def _nd_load(original):
    @functools.wraps(original)
    def load(fname):
        return files.checked_load(fname)
    return load


def _nd_load_frombuffer(original):
    @functools.wraps(original)
    def load_frombuffer(buf):
        return files.checked_load_frombuffer(buf)
    return load_frombuffer


def _nd_save(original):
    @functools.wraps(original)
    def save(fname, data):
        fname = files.check_path(fname)
        for array in data.values() if isinstance(data, dict) else data if isinstance(data, (list, tuple)) else [data]:
            array.wait_to_read()  # (see _written_whole)
        return original(fname, data)
    return save


def _written_whole(original):
    """NDArray.__getstate__ (pickle's, and Storable's freeze), after the array's pending writes: libmxnet writes
    a sparse array's storage shape before it waits for them, so a csr array saved while it was being made was
    written with no values but all its indices (a file no reader can use)."""
    @functools.wraps(original)
    def getstate(self):
        self.wait_to_read()
        return original(self)
    return getstate


def _sym_load_json(original):
    @functools.wraps(original)
    def load_json(json_str):
        return symbol.checked_load_json(json_str, original)
    return load_json


def _sym_load(original):
    @functools.wraps(original)
    def load(fname):
        text = files.read_file(fname, 1, _json_start, limit=_JSON_LIMIT)
        try:
            return mx.sym.load_json(text.decode("utf-8"))  # (the wrapped one: checked)
        except (symbol.CorruptSymbol, UnicodeDecodeError) as exc:
            raise symbol.CorruptSymbol("%s: %s" % (fname, exc)) from None
    return load


_JSON_LIMIT = 1 << 28


def _json_start(head):
    if head[:1] not in (b"{", b" ", b"\t", b"\r", b"\n"):
        raise symbol.CorruptSymbol("not a Symbol JSON file (it does not start with '{')")


def _updater_set_states(original):
    @functools.wraps(original)
    def set_states(self, data):
        return states.set_states(self, data)
    return set_states


def _states_file(original):
    """A method reading an optimizer states file (its first argument): a regular file only (mxnet reads it
    whole), and a refusal of its contents names it."""
    @functools.wraps(original)
    def load(self, fname, *args, **kwargs):
        fname = files.check_path(fname)
        if not stat.S_ISREG(os.stat(fname).st_mode):
            raise states.UnsafeStates("%s: not a regular file (an optimizer states file is one)" % fname)
        try:
            return original(self, fname, *args, **kwargs)
        except states.UnsafeStates as exc:
            raise states.UnsafeStates("%s: %s" % (fname, exc)) from None
    return load


# (owner, attribute, wrapper): the owner's function and every other reference to it in mxnet's modules
WRAPS = (
    (mx.ndarray.utils, "load", _nd_load),
    (mx.ndarray.utils, "load_frombuffer", _nd_load_frombuffer),
    (mx.ndarray.utils, "save", _nd_save),
    (mx.nd.NDArray, "__getstate__", _written_whole),
    (mx.symbol.symbol, "load_json", _sym_load_json),
    (mx.symbol.symbol, "load", _sym_load),
    (mx.optimizer.optimizer.Updater, "set_states", _updater_set_states),
    (mx.gluon.Trainer, "load_states", _states_file),
    (mx.kvstore.KVStore, "load_optimizer_states", _states_file),
    (mx.module.Module, "load_optimizer_states", _states_file),
)


def install():
    """Wrap each function of WRAPS (once: a second call finds them wrapped)."""
    for owner, name, wrapper in WRAPS:
        original = vars(owner)[name]
        if getattr(original, "bridge_checked", False):
            continue
        wrapped = wrapper(original)
        wrapped.bridge_checked = True
        setattr(owner, name, wrapped)
        for module_name, module in list(sys.modules.items()):
            if module_name.startswith("mxnet") and vars(module).get(name) is original:
                setattr(module, name, wrapped)

"""AI::MXNet's mx->kv: mxnet's key-value stores, local and distributed (the parameter server), for both languages.

    my $kv = mx->kv->create('dist_sync');      # inside a job that bridge-launch started
    $kv->init(3, nd->ones([2, 3])); $kv->push(3, $grad); $kv->pull(3, out => $w); $kv->barrier;

A store is mxnet's own KVStore (a subclass that adds the checks below); the scheduler and servers are mxnet's own
server loop. What the bridge adds:
- a misspelt type is an error (mxnet makes a local store of any name it does not know: 'dsit_sync' would train
  alone without a word); a distributed type outside a job says which DMLC_* variables are missing (mxnet fails
  once with a C++ check and hangs on the next try);
- a worker whose scheduler never answers gives up after AI_MXNET_BRIDGE_KV_TIMEOUT seconds (300) with one line,
  instead of waiting forever;
- a pushed or pulled array whose shape is not the key's is an error (mxnet takes it silently and pulls wrong data);
- at exit every distributed store still alive is closed before mxnet's engine shuts down: its last barrier with
  the other workers, and rank 0 stopping the servers. A Perl process (whose Python is never finalized) aborted
  there, "terminate called without an active exception", when the store was left to global destruction.
The distributed types are registered with mxnet's kvstore registry, so a Trainer's or Module's `kvstore =>
'dist_sync'` makes its store here too.

Keys: AI::MXNet passed every key to libmxnet as a string (its KVStore.pm calls the C API's `...Ex` functions,
whose keys are strings), so a Perl program may mix keys such as 3 and 'a' in one store. Python mxnet passes
integer keys as integers, and libmxnet refuses a store with both kinds ("Mixed key types are not allowed"). A
store made by `create` (mx->kv->create) takes keys AI::MXNet's way: each key is the string Perl would make of it
(3, '3' and 6/2 are the key "3"); updaters and optimizers then see those strings as their keys, as they did under
AI::MXNet. Stores that mxnet's own code makes (a Trainer's or Module's from a type name) keep Python mxnet's
integer keys, which their optimizers' per-index settings (lr_mult, wd_mult) are looked up by.
"""
import atexit
import contextlib
import ctypes
import difflib
import os
import threading
import weakref

import mxnet as mx
from mxnet.base import KVStoreHandle, _LIB, c_str, check_call
from mxnet.profiler import set_kvstore_handle

DIST_TYPES = ("dist_sync", "dist_async", "dist_device_sync", "dist", "dist_sync_device", "dist_async_device",
              "dist_device_async")
# The single-machine types mxnet names in its documentation and tests (any other name makes a local store).
LOCAL_TYPES = ("local", "device", "nccl", "local_update_cpu", "local_allreduce_cpu", "local_allreduce_device")
# What a distributed store needs from its launcher (ps-lite reads them; DMLC_NODE_HOST is optional).
DMLC_VARIABLES = ("DMLC_ROLE", "DMLC_PS_ROOT_URI", "DMLC_PS_ROOT_PORT", "DMLC_NUM_SERVER", "DMLC_NUM_WORKER")
TIMEOUT_VARIABLE = "AI_MXNET_BRIDGE_KV_TIMEOUT"
DEFAULT_TIMEOUT = 300.0

_live = weakref.WeakSet()  # the distributed stores of this process, closed at exit (shutdown)
_made = []                 # the type of the one distributed store a process can make (ps-lite starts once)


class KVStore(mx.kv.KVStore):
    """mxnet's KVStore, with each key's shape remembered at init and checked at push and pull, and whose
    updater's errors reach the caller of push."""

    perl_class = "AI::MXNet::KVStore"
    perl_keys = False  # keys AI::MXNet's way, as strings (a store of `create`; see the module docstring)

    def __init__(self, handle):
        super().__init__(handle)
        self._shapes = {}

    def _key(self, key):
        return _keys(key) if self.perl_keys else key

    def init(self, key, value):
        key = self._key(key)
        pairs = _pairs("init", key, value)
        super().init(key, value)
        self._shapes.update((k, v.shape) for k, v in pairs)

    def broadcast(self, key, value, out, priority=0):
        key = self._key(key)
        shapes = {k: v.shape for k, v in _pairs("broadcast", key, value)}
        self._check("broadcast", key, out, shapes)
        super().broadcast(key, value, out, priority)  # (an init, then a pull)
        self._shapes.update(shapes)

    def push(self, key, value, priority=0):
        key = self._key(key)
        self._check("push", key, value)
        super().push(key, value, priority)
        self._raise_updater_error()

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        key = self._key(key)
        self._check("pull", key, out)
        super().pull(key, out, priority, ignore_sparse)

    def pushpull(self, key, value, out=None, priority=0):
        key = self._key(key)
        self._check("pushpull", key, value)
        self._check("pushpull", key, out)
        super().pushpull(key, value, out, priority)
        self._raise_updater_error()

    _updater_error = None

    def _set_updater(self, updater):
        """The updater libmxnet calls in push (a Perl sub, an optimizer's). libmxnet calls it through ctypes,
        which would print an error raised there and go on: the error is kept and push raises it (a Perl die
        comes back as it was)."""
        def guarded(key, received, stored):
            try:  # (libmxnet hands a string key over as bytes)
                updater(key.decode() if isinstance(key, bytes) else key, received, stored)
            except BaseException as exc:  # (the first one: later ones follow from it)
                if self._updater_error is None:
                    self._updater_error = exc
        super()._set_updater(guarded)
        self._updater = updater  # (what save_optimizer_states reads)

    def _raise_updater_error(self):
        error, self._updater_error = self._updater_error, None
        if error is not None:
            raise error

    def row_sparse_pull(self, key, out=None, priority=0, row_ids=None):
        return super().row_sparse_pull(self._key(key), out, priority, row_ids)

    def barrier(self):
        """Wait until every worker of the job has reached its barrier (AI::MXNet's _barrier, Python's too)."""
        self._barrier()

    def _check(self, what, key, values, shapes=None):
        if values is None:
            return
        for k, v in _pairs(what, key, values):
            shape = (shapes or self._shapes).get(k)
            if shape is None:
                raise KeyError(f"kvstore {what}: key {k!r} was never initialized (init it first)")
            if v.shape != shape:
                raise ValueError(f"kvstore {what}: key {k!r} holds shape {tuple(shape)}, "
                                 f"the array given has shape {tuple(v.shape)}")


def perl_key(key):
    """A key as the string Perl makes of it: 3 and 3.0 are "3" (Perl prints an integral number without a
    fraction), other values their str()."""
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    return key if isinstance(key, str) else str(key)


def _keys(key):
    # one key or a list of them, each as perl_key makes it
    return [perl_key(k) for k in key] if isinstance(key, (list, tuple)) else perl_key(key)


def _pairs(what, key, value):
    """[(key, NDArray), ...] as mxnet pairs them: a key with one array or a list (one per device), or a list of
    keys with a list of those."""
    if isinstance(key, (list, tuple)):
        if not isinstance(value, (list, tuple)) or len(value) != len(key):
            count = len(value) if isinstance(value, (list, tuple)) else 1
            raise ValueError(f"kvstore {what}: {len(key)} keys need {len(key)} values, got {count}")
        return [pair for k, v in zip(key, value) for pair in _pairs(what, k, v)]
    if not isinstance(key, (int, str)) or isinstance(key, bool):
        raise TypeError(f"kvstore {what}: a key is an integer or a string, not {type(key).__name__}")
    arrays = list(value) if isinstance(value, (list, tuple)) else [value]
    for array in arrays:
        if not isinstance(array, mx.nd.NDArray):
            raise TypeError(f"kvstore {what}: key {key!r} needs an NDArray, not {type(array).__name__}")
    return [(key, array) for array in arrays]


def create(name="local"):
    """mx->kv->create(NAME): a store of that type ('local' by default), taking keys AI::MXNet's way. A name close to a known type but not
    one ('dsit_sync') is an error; any other name is mxnet's (a local store of that name, as AI::MXNet made)."""
    if not isinstance(name, str):
        raise TypeError(f"kvstore type must be a string such as 'local' or 'dist_sync', not {type(name).__name__}")
    kind = name.lower()
    known = DIST_TYPES + LOCAL_TYPES + tuple(mx.kv.KVStoreBase.kv_registry)
    if kind not in known:
        close = difflib.get_close_matches(kind, known, n=1, cutoff=0.8)
        if close or "dist" in kind:
            hint = f"did you mean {close[0]}?" if close else "one of " + ", ".join(DIST_TYPES[:3])
            raise ValueError(f"unknown kvstore type '{name}' ({hint})")
    store = mx.kv.create(kind) if kind in mx.kv.KVStoreBase.kv_registry else _native(kind)
    # (the distributed types are registered below; mxnet's own registered stores, e.g. horovod's, stay as they are)
    if type(store) is KVStore:
        store.perl_keys = True
    return store


def _native(kind):
    # mxnet's own construction (kvstore/base.py create), as this module's KVStore
    handle = KVStoreHandle()
    check_call(_LIB.MXKVStoreCreate(c_str(kind), ctypes.byref(handle)))
    kv = KVStore(handle)
    set_kvstore_handle(kv.handle)
    return kv


def _create_dist(kind):
    """A distributed store, made inside a job: the DMLC_* variables checked first, the wait for the scheduler
    (which answers once every member of the job has started) bounded by the timeout."""
    if _made:
        raise RuntimeError(f"kvstore {kind}: this process has made its distributed kvstore already, and mxnet would "
                           f"wait forever for a second one: give that one (kvstore => $kv)")
    missing = [v for v in DMLC_VARIABLES if not os.environ.get(v)]
    if missing:
        raise RuntimeError(f"kvstore {kind}: a distributed kvstore is made inside a job that bridge-launch starts "
                           f"(it sets the DMLC_* variables); not set here: {', '.join(missing)}")
    seconds = timeout()
    scheduler = "%s:%s" % (os.environ["DMLC_PS_ROOT_URI"], os.environ["DMLC_PS_ROOT_PORT"])
    with watchdog(seconds, f"kvstore {kind}: the scheduler at {scheduler} did not answer within {seconds:g} s "
                           f"(set {TIMEOUT_VARIABLE} to wait longer); giving up"):
        kv = _native(kind)
    _made.append(kind)
    _live.add(kv)
    return kv


def _register(kind):
    # mxnet's registry takes a class and calls it with no arguments: this one's __new__ makes the store
    cls = type(kind, (mx.kv.KVStoreBase,), {"__new__": lambda cls: _create_dist(kind), "__module__": __name__,
                                            "__doc__": f"mx.kv.create('{kind}') made by the bridge"})
    mx.kv.KVStoreBase.kv_registry[kind] = cls


for _kind in DIST_TYPES:
    _register(_kind)


def timeout():
    """Seconds a worker waits for the rest of its job (AI_MXNET_BRIDGE_KV_TIMEOUT, default 300)."""
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    try:
        seconds = float(text) if text else DEFAULT_TIMEOUT
    except ValueError:
        raise ValueError(f"{TIMEOUT_VARIABLE} must be a number of seconds, not '{text}'") from None
    if seconds <= 0:
        raise ValueError(f"{TIMEOUT_VARIABLE} must be a positive number of seconds, not '{text}'")
    return seconds


@contextlib.contextmanager
def watchdog(seconds, message):
    """Run the block; if it has not ended after `seconds`, print `message` and end the process with status 1. The
    block waits inside libmxnet (which has let go of the GIL), where nothing else could stop it."""
    done = threading.Event()

    def watch():
        if not done.wait(seconds):
            os.write(2, (message + "\n").encode())
            os._exit(1)
    threading.Thread(target=watch, name="kvstore watchdog", daemon=True).start()
    try:
        yield
    finally:
        done.set()


@atexit.register  # after mxnet's own hook, so it runs before it (mxnet's shuts the engine down)
def shutdown():
    """Close the distributed stores still alive: wait for their last operations, then free each one (its last
    barrier with the other workers, which may still be working, for as long as they take; rank 0 stops the
    servers)."""
    stores = [kv for kv in _live if kv.handle]
    if stores:
        mx.nd.waitall()
    for kv in stores:
        check_call(_LIB.MXKVStoreFree(kv.handle))
        kv.handle = None  # mxnet's __del__, later, frees NULL: nothing


FUNCTIONS = {"create": create}

"""mx->kv: key-value stores as AI::MXNet used them on this same libmxnet.

AI::MXNet passed every key to libmxnet as a string (its KVStore.pm calls the C API's `...Ex` functions, whose
keys are strings), so a Perl program may mix keys such as 3 and 'a' in one store. Python mxnet passes integer
keys as integers, and libmxnet refuses a store with both kinds ("Mixed key types are not allowed"). A store
made by `create` here takes keys AI::MXNet's way: each key is the string Perl would make of it (3, '3' and 6/2
are the key "3"). Updaters and optimizers then see those strings as their keys, as they did under AI::MXNet.
Stores that Python code makes itself (a Gluon Trainer's) keep Python mxnet's integer keys.
"""
import mxnet as mx


def perl_key(key):
    """A key as the string Perl makes of it: 3 and 3.0 are "3" (Perl prints an integral number without a
    fraction), other values their str()."""
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    return key if isinstance(key, str) else str(key)


def _keys(key):
    # one key or a list of them, each as perl_key makes it
    return [perl_key(k) for k in key] if isinstance(key, (list, tuple)) else perl_key(key)


class KVStore(mx.kv.KVStore):
    """mxnet's KVStore with string keys (see the module docstring), whose updater's errors reach the caller of
    push; otherwise mxnet's own."""

    def init(self, key, value):
        return super().init(_keys(key), value)

    def push(self, key, value, priority=0):
        super().push(_keys(key), value, priority)
        self._raise_updater_error()

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        return super().pull(_keys(key), out, priority, ignore_sparse)

    def pushpull(self, key, value, out=None, priority=0):
        super().pushpull(_keys(key), value, out, priority)
        self._raise_updater_error()

    def row_sparse_pull(self, key, out=None, priority=0, row_ids=None):
        return super().row_sparse_pull(_keys(key), out, priority, row_ids)

    def broadcast(self, key, value, out, priority=0):
        return super().broadcast(_keys(key), value, out, priority)

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


def create(name="local"):
    """mx->kv->create($name): a new store of type name ('local' by default), taking keys AI::MXNet's way."""
    store = mx.kv.create(name)
    if type(store) is mx.kv.KVStore:  # (a plug-in store, e.g. horovod's, is left as it is)
        store.__class__ = KVStore
    return store


FUNCTIONS = {"create": create}

"""How mxnet loads under the bridge (`import bridge` before mxnet): without making the operator functions that
nobody has called yet.

`import mxnet` makes a Python function for every operator libmxnet registers (mxnet.base's _init_op_module and
_init_np_op_module: about 2,500 functions for mx.nd, mx.sym, their contrib, linalg, random, sparse and image
submodules and the numpy namespaces), each compiled from generated source: about 0.5 s, most of the import.
Here, while mxnet's import runs, each is a placeholder (`_Pending`) that records what mxnet's registration
does to it (its __module__, its __doc__). When the import ends, the placeholders are settled: in a module
with an __all__, each becomes a name the module makes on first access (PEP 562 __getattr__ and __dir__), by
mxnet's own make_op_func with the same attributes set; where mxnet's own code calls one as a global (or a
star import of a module without __all__ would copy it) it stays where it is and puts the function there on
first use. So every mxnet module keeps its names, dir() and __all__, and each name gives mxnet's own function
(one object for all its names: mx.nd.relu is mx.nd.op.relu); tests/test_startup.py compares every value of
every mxnet module with a plain import's.

mxnet imports `requests` (with urllib3, ~0.1 s) for its download helpers only: it is imported as a module
that runs on first use (`_LazyModule`: its first missing attribute, or the import of one of its submodules).
Nothing changes when mxnet was imported before the bridge, nor in a process that imports mxnet without it.
"""
import functools
import importlib.abc
import importlib.machinery
import re
import sys
import threading
import types

_lock = threading.RLock()  # one realization of a placeholder, whichever thread asks first
_state = {"np_docs": False}  # True while _init_np_op_module runs: it reads and edits the functions' __doc__
_originals = {}  # id(wrapper) -> (wrapper, mxnet.base's own function), put back when the import ends


class _LazyDoc:
    """A placeholder's docstring as _init_np_op_module reads it: re.sub calls on it are kept and replayed on
    the real docstring when the function is made."""

    def __init__(self, subs=()):
        self.subs = tuple(subs)


class _ReDuringNpRegistration:
    """`re` as mxnet.base sees it while it registers numpy operators: re.sub on a _LazyDoc is kept for later."""

    def __init__(self, real):
        self._real = real

    def sub(self, pattern, repl, string, *args, **kwargs):
        if type(string) is _LazyDoc and not args and not kwargs:
            return _LazyDoc(string.subs + ((pattern, repl),))
        return self._real.sub(pattern, repl, string, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._real, name)


class _Pending:
    # An operator function not made yet: make_op_func(handle, op_name, func_name), mxnet's own, plus the
    # attributes mxnet's registration set on it. Calling it, or reading any other attribute, makes it.
    # (No docstring: __doc__ is the function's, below.)

    __slots__ = ("__name__", "_make", "_handle", "_op_name", "_assigned", "_real", "_places")

    def __init__(self, make, handle, op_name, func_name):
        for slot, value in (("__name__", func_name), ("_make", make), ("_handle", handle), ("_op_name", op_name),
                            ("_assigned", []), ("_real", None), ("_places", [])):
            object.__setattr__(self, slot, value)

    def realize(self):
        with _lock:
            if self._real is None:
                function = self._make(self._handle, self._op_name, self.__name__)
                for name, value in self._assigned:
                    if type(value) is _LazyDoc:
                        doc = function.__doc__
                        for pattern, repl in value.subs:
                            doc = re.sub(pattern, repl, doc)
                        value = doc
                    setattr(function, name, value)
                object.__setattr__(self, "_real", function)
                for namespace, key in self._places:  # where it stayed (_settle_module): the function now
                    if namespace.get(key) is self:
                        namespace[key] = function
            return self._real

    def __setattr__(self, name, value):
        if self._real is not None:
            setattr(self._real, name, value)
        else:
            self._assigned.append((name, value))

    def __getattr__(self, name):
        return getattr(self.realize(), name)

    def __call__(self, *args, **kwargs):
        return self.realize()(*args, **kwargs)

    # (attributes every class has, which __getattr__ would not see)
    @property
    def __doc__(self):
        if self._real is None and _state["np_docs"]:
            return _LazyDoc()
        return self.realize().__doc__

    @property
    def __module__(self):
        return self.realize().__module__

    @property
    def __wrapped__(self):  # inspect.signature(placeholder) is the function's
        return self.realize()

    def __get__(self, obj, objtype=None):  # as a class attribute, a method as the function would be
        return self.realize().__get__(obj, objtype)


def _patch_registration(base):
    """mxnet.base's two registration functions, giving placeholders while mxnet's import runs (_settle puts
    mxnet's own back wherever they were imported)."""
    register, register_np = base._init_op_module, base._init_np_op_module

    def pending(make):
        return lambda handle, op_name, func_name: _Pending(make, handle, op_name, func_name)

    @functools.wraps(register)
    def init_op_module(root_namespace, module_name, make_op_func):
        return register(root_namespace, module_name, pending(make_op_func))

    @functools.wraps(register_np)
    def init_np_op_module(root_module_name, np_module_name, mx_module_name, make_op_func):
        real_re, base.re, _state["np_docs"] = base.re, _ReDuringNpRegistration(base.re), True
        try:
            return register_np(root_module_name, np_module_name, mx_module_name, pending(make_op_func))
        finally:
            base.re, _state["np_docs"] = real_re, False

    _originals.update({id(init_op_module): (init_op_module, register),
                       id(init_np_op_module): (init_np_op_module, register_np)})
    base._init_op_module, base._init_np_op_module = init_op_module, init_np_op_module


def _globals_used(module):
    """The global names that the functions and classes defined in module refer to (their code's co_names)."""
    names, namespace = set(), module.__dict__

    def code_of(value):
        if type(value) is not _Pending and getattr(value, "__globals__", None) is namespace:
            return value.__code__
        return None
    codes = []
    for value in list(namespace.values()):
        if isinstance(value, type) and value.__module__ == module.__name__:
            codes.extend(filter(None, map(code_of, vars(value).values())))
        elif code_of(value) is not None:
            codes.append(value.__code__)
    while codes:
        code = codes.pop()
        names.update(code.co_names)
        codes.extend(c for c in code.co_consts if hasattr(c, "co_names"))
    return names


def _lazy_module(module, table):
    """module made to give table's placeholders on first access (PEP 562 __getattr__ and __dir__)."""
    namespace = module.__dict__
    own = namespace.get("__getattr__")

    def __getattr__(name):
        placeholder = table.get(name)
        if placeholder is None:
            if own is not None:
                return own(name)
            raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")
        function = placeholder.realize()
        namespace[name] = function
        table.pop(name, None)
        return function

    def __dir__():
        return sorted((set(namespace) - {"__getattr__", "__dir__"}) | set(table))

    namespace["__getattr__"], namespace["__dir__"] = __getattr__, __dir__


def _settle_module(module):
    """module's placeholders: each becomes a lazy name of the module, or, where mxnet's own code calls it as a
    global (or, in a module without __all__, a star import would copy it), stays in place until its first use
    puts the function there. (One that mxnet's code passed on elsewhere, to a dispatch table or a default
    argument, makes the function when called there, and forwards to it.)"""
    namespace = module.__dict__
    for key, value in list(namespace.items()):
        wrapper, original = _originals.get(id(value), (None, None))
        if value is wrapper:
            namespace[key] = original
    found = [key for key, value in namespace.items() if type(value) is _Pending]
    if not found:
        return
    stays = _globals_used(module) if hasattr(module, "__all__") else set(namespace)
    table = {}
    for key in found:
        placeholder = namespace[key]
        if placeholder._real is not None:  # made during the import already
            namespace[key] = placeholder._real
        elif key in stays:
            placeholder._places.append((namespace, key))
        else:
            table[key] = namespace.pop(key)
    if table:
        _lazy_module(module, table)


def _settle():
    """At the end of mxnet's import: every mxnet module's placeholders settled (_settle_module)."""
    for name, module in list(sys.modules.items()):
        if module is not None and (name == "mxnet" or name.startswith("mxnet.")):
            _settle_module(module)


class _LazyModule(types.ModuleType):
    """A module whose code has not run yet; the first attribute it lacks runs it (and it is an ordinary module
    from then on). Its __path__ is held back, so that importing a submodule asks for it and runs it first."""

    def __getattr__(self, name):
        spec = self.__spec__
        with _lock:
            if type(self) is _LazyModule:
                self.__class__ = types.ModuleType
                if spec.submodule_search_locations is not None:
                    self.__path__ = spec.submodule_search_locations
                spec.loader.exec_module(self)
        return getattr(self, name)


class _LazyLoader(importlib.abc.Loader):
    """The loader of a _LazyModule: exec_module only makes it lazy; the real loader runs it later."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__spec__.loader = self.loader
        module.__loader__ = self.loader
        module.__dict__.pop("__path__", None)
        module.__class__ = _LazyModule


# Modules that mxnet imports and uses only in functions nobody calls at start (while mxnet imports: _Finder)
_LAZY = ("requests",)


class _Finder(importlib.abc.MetaPathFinder):
    """Follows two loaders: mxnet.base's (its registration is patched once it has run) and the mxnet package's
    (when its import ends, everything is settled and this finder goes); makes _LAZY's modules lazy."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in ("mxnet", "mxnet.base") + _LAZY:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not hasattr(spec.loader, "exec_module"):
            return spec
        if fullname in _LAZY:
            spec.loader = _LazyLoader(spec.loader)
            return spec
        exec_module = spec.loader.exec_module

        def exec_base(module):
            exec_module(module)
            _patch_registration(module)

        def exec_mxnet(module):
            try:
                exec_module(module)
            finally:
                sys.meta_path[:] = [f for f in sys.meta_path if f is not self]
                _settle()
        spec.loader.exec_module = exec_base if fullname == "mxnet.base" else exec_mxnet
        return spec


def install():
    """Before `import mxnet`: have it load as described above (nothing to do once mxnet is imported)."""
    if "mxnet" not in sys.modules and not any(type(f) is _Finder for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())

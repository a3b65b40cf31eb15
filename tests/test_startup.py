"""mxnet loaded through the bridge (bridge/arrays/startup.py: operator functions made on first use) has the same names
as mxnet loaded plainly: in every mxnet module, dir(), __all__ and each value (a function's name, module,
qualified name, docstring, signature, and which names share one function object) are the same, in a Python
process and in a Perl one; every operator the bridge's namespaces reached before (nd.NAME, mx.sym.NAME, ...)
they reach after; and operators are made only when used."""
import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

# What each process reports: for every module named, dir() with a fingerprint of each value, and __all__; and
# which operator names the bridge's namespaces resolve (when the bridge is loaded).
DUMP = r'''
import hashlib, importlib, inspect, json, sys, types

def _fingerprint(value, first, where):
    if type(value).__name__ == "_Pending" or isinstance(value, types.FunctionType):
        try:
            signature = str(inspect.signature(value))
        except (TypeError, ValueError):
            signature = None
        real = getattr(value, "_real", None) or value  # a stand-in left in place is its function
        return ["function", value.__name__, value.__module__, value.__qualname__,
                hashlib.sha1((value.__doc__ or "").encode()).hexdigest(), signature,
                first.setdefault(id(real), where)]
    if isinstance(value, types.ModuleType):
        return ["module", value.__name__]
    if isinstance(value, type):
        return ["class", value.__module__, value.__qualname__]
    return ["value", type(value).__name__]

NAMESPACES = {"nd": "mxnet.ndarray", "nd.contrib": "mxnet.ndarray.contrib", "nd.linalg": "mxnet.ndarray.linalg",
              "nd.random": "mxnet.ndarray.random", "nd.image": "mxnet.ndarray.image",
              "nd.sparse": "mxnet.ndarray.sparse", "mx.sym": "mxnet.symbol",
              "mx.sym.contrib": "mxnet.symbol.contrib", "mx.sym.linalg": "mxnet.symbol.linalg",
              "mx.sym.random": "mxnet.symbol.random", "mx.sym.image": "mxnet.symbol.image",
              "mx.sym.sparse": "mxnet.symbol.sparse"}

def dump(names):
    modules, first, resolved = {}, {}, []
    for name in names:
        module = importlib.import_module(name)
        modules[name] = {"all": list(module.__all__) if hasattr(module, "__all__") else None,
                         "dir": {attr: _fingerprint(getattr(module, attr), first, [name, attr])
                                 for attr in dir(module)}}
    if "bridge" in sys.modules:
        from bridge.perl import entry
        for path, module_name in NAMESPACES.items():
            module = sys.modules[module_name]
            for attr in dir(module):
                if not attr.startswith("__") and callable(getattr(module, attr)):
                    try:
                        resolved.append([path, attr, entry._resolve(path + "." + attr).__name__])
                    except Exception:
                        pass
    return json.dumps({"modules": modules, "resolved": resolved})
'''


def python_dump(prelude, names):
    code = prelude + "\n" + DUMP + "\nprint(dump(json.loads(sys.argv[1])))"
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(names)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def plain():
    """mxnet imported plainly (its own eager registration), the bridge loaded after it."""
    names = json.loads(subprocess.run(
        [sys.executable, "-c", "import mxnet, sys, json; "
         "print(json.dumps(sorted(m for m in sys.modules if m == 'mxnet' or m.startswith('mxnet.'))))"],
        capture_output=True, text=True, check=True, timeout=300).stdout)
    assert len(names) > 200
    return names, python_dump("import mxnet, bridge", names)


def assert_same(plain, other):
    names, want = plain
    assert len(want["resolved"]) > 1000
    assert sorted(other["resolved"]) == sorted(want["resolved"])
    differences = []
    for name in names:
        a, b = want["modules"][name], other["modules"][name]
        if a["all"] != b["all"]:
            differences.append((name, "__all__"))
        if set(a["dir"]) != set(b["dir"]):
            differences.append((name, "dir", sorted(set(a["dir"]) ^ set(b["dir"]))[:5]))
        differences += [(name, attr, a["dir"][attr], b["dir"].get(attr)) for attr in a["dir"]
                        if b["dir"].get(attr) != a["dir"][attr]]
    assert differences == []


def test_every_name_of_mxnet_is_there_in_python(plain):
    assert_same(plain, python_dump("import bridge", plain[0]))


def test_every_name_of_mxnet_is_there_in_perl(plain):
    names = plain[0]
    code = ("AI::MXNet::Bridge::py_eval($ARGV[0]); "
            "print AI::MXNet::Bridge::py_eval(q{dump(json.loads(r'''} . $ARGV[1] . q{'''))}, 0), qq{\\n}")
    proc = subprocess.run(["perl", "-Iperl_shim/lib", "-MAI::MXNet", "-e", code, DUMP, json.dumps(names)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert_same(plain, json.loads(proc.stdout))


def run_python(code):
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_operators_are_made_when_first_used():
    out = run_python(r'''
import gc, inspect
import bridge, mxnet
from bridge.arrays.startup import _Pending
def made():
    return sum(1 for o in gc.get_objects() if type(o) is _Pending and o._real is not None)
pending = [o for o in gc.get_objects() if type(o) is _Pending]
print(len(pending), made())
before = made()
f = mxnet.nd.broadcast_hypot                      # first use: made, once, for every name it has
print(made() - before, f is mxnet.nd.op.broadcast_hypot, "broadcast_hypot" in mxnet.nd.__dict__)
print(inspect.isfunction(f), f.__module__, f(mxnet.nd.array([3]), mxnet.nd.array([4])).asscalar())
print(mxnet.sym.relu.__name__, mxnet.nd.contrib.box_nms.__module__, mxnet.np.sum.__module__)
print(mxnet.nd.np.add.__doc__.count("ndarray") > 0, "NDArray" in mxnet.nd.np.add.__doc__)
''').split("\n")
    total, made_at_start = map(int, lines_of(out)[0].split())
    assert total > 2000 and made_at_start < 50           # thousands waiting, a few made by mxnet's own import
    assert lines_of(out)[1:] == ["1 True True", "True ndarray 5.0", "relu mxnet.ndarray.contrib mxnet.numpy",
                                  "True False"]


def lines_of(out):
    return [line for line in out if line]


def test_mxnet_imported_first_is_left_alone():
    out = run_python(r'''
import mxnet, sys
import bridge
print(type(vars(mxnet.ndarray).get("relu")).__name__, "__getattr__" in vars(mxnet.ndarray),
      any(type(f).__name__ == "_Finder" for f in sys.meta_path))
''')
    assert out.split() == ["function", "False", "False"]


def test_a_perl_script_calls_any_operator_by_name():
    proc = subprocess.run(["perl", "-Iperl_shim/lib", "-MAI::MXNet=mx", "-e", r'''
print nd->broadcast_hypot(nd->array([3]), nd->array([4]))->asscalar, "\n";
print nd->contrib->isfinite(nd->array([1]))->asscalar, "\n";
print nd->linalg->potrf(nd->array([[4]]))->asscalar, "\n";
print mx->sym->relu(mx->sym->var('x'))->name =~ /relu/ ? "symbol\n" : "no\n";
'''], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["5", "1", "2", "symbol"]


def test_requests_runs_on_first_use():
    out = run_python(r'''
import sys
import bridge
import mxnet.gluon.utils
print(type(sys.modules["requests"]).__name__, "urllib3" in sys.modules)
import requests.adapters                         # a submodule first: the package runs before it
print(type(sys.modules["requests"]).__name__, requests.adapters.HTTPAdapter.__name__, callable(requests.get),
      mxnet.gluon.utils.requests is requests)
''')
    assert out.split() == ["_LazyModule", "False", "module", "HTTPAdapter", "True", "True"]


def test_perl_loads_the_standard_librarys_distutils():
    proc = subprocess.run(["perl", "-Iperl_shim/lib", "-MAI::MXNet", "-e", r'''
print AI::MXNet::Bridge::py_eval(q{__import__("sys").modules["distutils"].__file__.split("/")[-2]}, 0), "\n";
print AI::MXNet::Bridge::py_eval(q{sum(type(f).__module__ == "_distutils_hack" for f in __import__("sys").meta_path)}, 0), "\n";
print AI::MXNet::Bridge::py_eval(q{str(__import__("mxnet").numpy_op_fallback.StrictVersion("1.2") < "1.10")}, 0), "\n";
'''], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    hooks = run_python('import sys; print(sum(type(f).__module__ == "_distutils_hack" for f in sys.meta_path))')
    # mxnet got distutils from the standard library; setuptools' import hook (if any) is back for anything else
    assert proc.stdout.split() == ["distutils", hooks.strip(), "True"]

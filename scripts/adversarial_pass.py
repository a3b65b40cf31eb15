#!/usr/bin/env python3
"""An adversarial pass over the bridge: each hostile input of CASES is tried in its own process, from Perl
through the shim and, where Python mxnet has the same call, from plain Python mxnet (no bridge), and each
run is classed: ok, error (died or raised with a message), crash (a signal, an abort, a corrupted heap),
hang (outlived the timeout), or ran (a command the input smuggled in ran).

    .venv/bin/python scripts/adversarial_pass.py              # every case, two at a time
    .venv/bin/python scripts/adversarial_pass.py -k csr -v    # the cases whose name holds 'csr', with output
    .venv/bin/python scripts/adversarial_pass.py --shim ../other-checkout -x /dev/zero   # another version

A crash, hang or ran from Perl where plain mxnet did not crash is "bridge-only"; where plain mxnet crashed too
it is "inherited". Prints a line per case and a summary; exit status 1 when any bridge-only one is found.
"""
import argparse
import concurrent.futures
import gzip
import json
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
PERL_HEAD = ("use strict; use warnings; use AI::MXNet qw(mx); use AI::MXNet::Gluon qw(gluon); "
             "use AI::MXNet::Gluon::NN qw(nn); my $T = $ENV{ADV_DIR};\n")
PY_HEAD = "import os, sys, numpy as np, mxnet as mx\nfrom mxnet import nd, gluon\nT = os.environ['ADV_DIR']\n"
CRASH_MARKS = ("Segmentation fault", "terminate called", "free(): ", "malloc(): ", "double free", "corrupted",
               "Aborted", "Floating point exception", "core dumped")

SEQ = "nd->ones([4, 2, 3])"
CONV = "nd->ones([1, 2, 5, 5]), nd->ones([4, 2, 3, 3]), nd->ones([4]), kernel => [3, 3], num_filter => 4"
DECONV = "nd->ones([1, 2, 5, 5]), nd->ones([2, 4, 3, 3]), nd->ones([4]), kernel => [3, 3], num_filter => 4"
PCONV = "nd.ones((1, 2, 5, 5)), nd.ones((4, 2, 3, 3)), nd.ones((4,)), kernel=(3, 3), num_filter=4"
PDECONV = "nd.ones((1, 2, 5, 5)), nd.ones((2, 4, 3, 3)), nd.ones((4,)), kernel=(3, 3), num_filter=4"
HYBRID_PERL = """package H {{ use AI::MXNet::Gluon::Mouse; extends 'AI::MXNet::Gluon::HybridBlock';
  sub hybrid_forward {{ my ($self, $F, $x) = @_; {body} }} }}
package main; my $b = H->new; $b->initialize; $b->hybridize; print $b->(nd->ones([3, 3]))->aspdl, "\\n";"""
HYBRID_PY = """class H(gluon.HybridBlock):
    def hybrid_forward(self, F, x): return {body}
b = H(); b.initialize(); b.hybridize(); print(b(nd.ones((3, 3))).asnumpy())"""
FUNCTION = """package F {{ use parent -norequire, 'AI::MXNet::AutoGrad::Function';
  sub forward {{ $_[1] * 2 }} sub backward {{ {body} }} }}
package main; my $x = nd->ones([2]); $x->attach_grad; my $y;
mx->autograd->record(sub {{ $y = F->new->($x) }}); {after}"""
BLOCK = """package B {{ use AI::MXNet::Gluon::Mouse; extends 'AI::MXNet::Gluon::Block'; sub forward {{ {body} }} }}
package main; {after}"""

# (name, Perl code, plain Python mxnet code or None). Perl code runs after PERL_HEAD, Python after PY_HEAD;
# files the cases read are made first, in $T / T (make_files).
CASES = [
    # -- operators that kill libmxnet ------------------------------------------------------------------------
    ("Convolution num_group 0", f"nd->Convolution({CONV}, num_group => 0)->wait_to_read",
     f"nd.Convolution({PCONV}, num_group=0).wait_to_read()"),
    ("Deconvolution num_group 0", f"nd->Deconvolution({DECONV}, num_group => 0)->wait_to_read",
     f"nd.Deconvolution({PDECONV}, num_group=0).wait_to_read()"),
    ("Conv2D groups 0", "my $c = nn->Conv2D(channels => 4, kernel_size => 3, groups => 0, in_channels => 2); "
     "$c->initialize; $c->(nd->ones([1, 2, 5, 5]))->wait_to_read",
     "c = gluon.nn.Conv2D(channels=4, kernel_size=3, groups=0, in_channels=2); c.initialize(); "
     "c(nd.ones((1, 2, 5, 5))).wait_to_read()"),
    ("scatter_nd index 1e9", "nd->scatter_nd(nd->ones([2]), nd->array([[0, 1e9], [0, 1]]), shape => [4, 3])->wait_to_read",
     "nd.scatter_nd(nd.ones((2,)), nd.array([[0, 1e9], [0, 1]]), shape=(4, 3)).wait_to_read()"),
    ("contrib index_copy index 1e9", "nd->contrib->index_copy(nd->ones([4, 3]), nd->array([1e9, 0], dtype => 'int32'), "
     "nd->ones([2, 3]))->wait_to_read",
     "nd.contrib.index_copy(nd.ones((4, 3)), nd.array([1e9, 0], dtype='int32'), nd.ones((2, 3))).wait_to_read()"),
    ("SequenceLast length 1e9", f"nd->SequenceLast({SEQ}, nd->array([1e9, 1]), use_sequence_length => 1)->wait_to_read",
     "nd.SequenceLast(nd.ones((4, 2, 3)), nd.array([1e9, 1]), use_sequence_length=True).wait_to_read()"),
    ("SequenceLast length -1e9", f"nd->SequenceLast({SEQ}, nd->array([-1e9, 1]), use_sequence_length => 1)->wait_to_read",
     "nd.SequenceLast(nd.ones((4, 2, 3)), nd.array([-1e9, 1]), use_sequence_length=True).wait_to_read()"),
    ("SequenceMask length -1e9", f"nd->SequenceMask({SEQ}, nd->array([-1e9, 1]), use_sequence_length => 1)->wait_to_read",
     "nd.SequenceMask(nd.ones((4, 2, 3)), nd.array([-1e9, 1]), use_sequence_length=True).wait_to_read()"),
    ("SequenceMask length 2**31", f"nd->SequenceMask({SEQ}, nd->array([2**31, 1]), use_sequence_length => 1)->wait_to_read",
     "nd.SequenceMask(nd.ones((4, 2, 3)), nd.array([2**31, 1]), use_sequence_length=True).wait_to_read()"),
    ("SequenceReverse length 1e9", f"nd->SequenceReverse({SEQ}, nd->array([1e9, 1]), use_sequence_length => 1)->wait_to_read",
     "nd.SequenceReverse(nd.ones((4, 2, 3)), nd.array([1e9, 1]), use_sequence_length=True).wait_to_read()"),
    ("ctc_loss label 1e9", "nd->ctc_loss(nd->ones([5, 2, 4]), nd->array([[1, 1e9], [1, 2]]))->wait_to_read",
     "nd.ctc_loss(nd.ones((5, 2, 4)), nd.array([[1, 1e9], [1, 2]])).wait_to_read()"),
    ("ctc_loss data length -1", "nd->ctc_loss(nd->ones([5, 2, 4]), nd->array([[1, 2], [1, 2]]), nd->array([-1, 5]), "
     "use_data_lengths => 1)->wait_to_read",
     "nd.ctc_loss(nd.ones((5, 2, 4)), nd.array([[1, 2], [1, 2]]), nd.array([-1, 5]), use_data_lengths=True).wait_to_read()"),
    ("_div_scalar of int32 by 0", "nd->_div_scalar(nd->array([1, 2], dtype => 'int32'), scalar => 0)->wait_to_read",
     "nd._internal._div_scalar(nd.array([1, 2], dtype='int32'), scalar=0).wait_to_read()"),
    ("_div of int32 by zeros", "nd->_div(nd->array([1, 2], dtype => 'int32'), nd->zeros([2], dtype => 'int32'))->wait_to_read",
     "nd.elemwise_div(nd.array([1, 2], dtype='int32'), nd.zeros((2,), dtype='int32')).wait_to_read()"),
    ("__truediv__(0) of int32", "nd->array([1, 2], dtype => 'int32')->__truediv__(0)->wait_to_read",
     "nd.array([1, 2], dtype='int32').__truediv__(0).wait_to_read()"),
    ("int32 minimum / -1", "nd->broadcast_div(nd->array([-2147483648], dtype => 'int32'), nd->array([-1], dtype => 'int32'))->wait_to_read",
     "nd.broadcast_div(nd.array([-2147483648], dtype='int32'), nd.array([-1], dtype='int32')).wait_to_read()"),
    ("nd->Reshape shape [0]", "nd->Reshape(nd->ones([3, 3]), shape => [0])->wait_to_read",
     "nd.Reshape(nd.ones((3, 3)), shape=(0,)).wait_to_read()"),
    ("$x->Reshape shape [0]", "nd->ones([3, 3])->Reshape(shape => [0])->wait_to_read", None),
    ("transpose axes [0, 0]", "nd->transpose(nd->ones([2, 3]), axes => [0, 0])->wait_to_read",
     "nd.transpose(nd.ones((2, 3)), axes=(0, 0)).wait_to_read()"),
    ("hybridized $F->reshape shape [0]", HYBRID_PERL.format(body="$F->reshape($x, shape => [0])"),
     HYBRID_PY.format(body="F.reshape(x, shape=(0,))")),
    ("hybridized $F->transpose axes [0, 0]", HYBRID_PERL.format(body="$F->transpose($x, axes => [0, 0])"),
     HYBRID_PY.format(body="F.transpose(x, axes=(0, 0))")),
    ("GroupNorm num_groups 0", "nd->GroupNorm(nd->ones([2, 4, 3]), nd->ones([2]), nd->ones([2]), num_groups => 0)->wait_to_read",
     "nd.GroupNorm(nd.ones((2, 4, 3)), nd.ones((2,)), nd.ones((2,)), num_groups=0).wait_to_read()"),
    ("depth_to_space block_size -2**31", "nd->depth_to_space(nd->ones([1, 4, 2, 2]), block_size => -2**31)->wait_to_read",
     "nd.depth_to_space(nd.ones((1, 4, 2, 2)), block_size=-2**31).wait_to_read()"),
    ("Correlation stride2 0", "nd->Correlation(nd->ones([1, 2, 5, 5]), nd->ones([1, 2, 5, 5]), kernel_size => 1, "
     "max_displacement => 1, stride2 => 0)->wait_to_read",
     "nd.Correlation(nd.ones((1, 2, 5, 5)), nd.ones((1, 2, 5, 5)), kernel_size=1, max_displacement=1, stride2=0).wait_to_read()"),
    ("Correlation pad_size -1", "nd->Correlation(nd->ones([1, 2, 5, 5]), nd->ones([1, 2, 5, 5]), kernel_size => 1, "
     "max_displacement => 1, pad_size => -1)->wait_to_read",
     "nd.Correlation(nd.ones((1, 2, 5, 5)), nd.ones((1, 2, 5, 5)), kernel_size=1, max_displacement=1, pad_size=-1).wait_to_read()"),
    ("contrib arange_like repeat 0", "nd->contrib->arange_like(nd->ones([4]), repeat => 0)->wait_to_read",
     "nd.contrib.arange_like(nd.ones((4,)), repeat=0).wait_to_read()"),
    ("unravel_index shape [0, 0]", "nd->unravel_index(nd->array([1, 2]), shape => [0, 0])->wait_to_read",
     "nd.unravel_index(nd.array([1, 2]), shape=(0, 0)).wait_to_read()"),
    ("broadcast_axis size 1e9", "nd->broadcast_axis(nd->ones([1, 3]), axis => 0, size => 1e9)->wait_to_read",
     "nd.broadcast_axis(nd.ones((1, 3)), axis=0, size=10**9).wait_to_read()"),
    ("split num_outputs 1e9", "nd->split(nd->ones([4, 6]), num_outputs => 1e9, axis => 1)",
     "nd.split(nd.ones((4, 6)), num_outputs=10**9, axis=1)"),
    ("scatter_nd shape [0, 0]", "nd->scatter_nd(nd->ones([2]), nd->array([[0, 1], [0, 1]]), shape => [0, 0])->wait_to_read",
     "nd.scatter_nd(nd.ones((2,)), nd.array([[0, 1], [0, 1]]), shape=(0, 0)).wait_to_read()"),
    # -- files ------------------------------------------------------------------------------------------------
    ("csr file, column index 2**40", "nd->load(\"$T/csr_big.nd\")->[0]->sum->wait_to_read",
     "nd.load(T + '/csr_big.nd')[0].sum().wait_to_read()"),
    ("csr file, column index -5e6", "nd->load(\"$T/csr_neg.nd\")->[0]->sum->wait_to_read",
     "nd.load(T + '/csr_neg.nd')[0].sum().wait_to_read()"),
    ("csr file, indptr out of order", "nd->load(\"$T/csr_indptr.nd\")->[0]->sum->wait_to_read",
     "nd.load(T + '/csr_indptr.nd')[0].sum().wait_to_read()"),
    ("row_sparse file, row out of range", "nd->load(\"$T/rsp_rows.nd\")->[0]->sum->wait_to_read",
     "nd.load(T + '/rsp_rows.nd')[0].sum().wait_to_read()"),
    ("load_parameters of a csr-corrupt file", "my $d = nn->Dense(4, in_units => 3); $d->initialize; "
     "$d->load_parameters(\"$T/params_sparse.params\"); $d->weight->data->sum->wait_to_read",
     "d = gluon.nn.Dense(4, in_units=3); d.initialize(); d.load_parameters(T + '/params_sparse.params'); "
     "d.weight.data().sum().wait_to_read()"),
    ("Symbol JSON head past its outputs", "mx->sym->load(\"$T/heads.json\")->infer_shape(x => [2, 4])",
     "mx.sym.load(T + '/heads.json').infer_shape(x=(2, 4))"),
    ("Symbol JSON input past its outputs", "mx->sym->load(\"$T/inputs.json\")->infer_shape(x => [2, 4])",
     "mx.sym.load(T + '/inputs.json').infer_shape(x=(2, 4))"),
    ("Storable thaw of that Symbol", "open my $h, '<', \"$T/inputs.json\"; my $j = do { local $/; <$h> }; "
     "AI::MXNet::Symbol->STORABLE_attach(0, $j)->infer_shape(x => [2, 4])", None),
    ("SymbolBlock imports of that Symbol", "AI::MXNet::Gluon::SymbolBlock->imports(\"$T/inputs.json\", ['x'])"
     "->(nd->ones([2, 4]))->wait_to_read",
     "gluon.SymbolBlock.imports(T + '/inputs.json', ['x'])(nd.ones((2, 4))).wait_to_read()"),
    ("states file that runs a command", "my $d = nn->Dense(2, in_units => 2); $d->initialize; "
     "gluon->Trainer($d->collect_params, 'sgd', {learning_rate => 0.1})->load_states(\"$T/evil.states\")",
     "d = gluon.nn.Dense(2, in_units=2); d.initialize(); "
     "gluon.Trainer(d.collect_params(), 'sgd', {'learning_rate': 0.1}).load_states(T + '/evil.states')"),
    ("nd->load('/dev/zero')", "nd->load('/dev/zero')", "nd.load('/dev/zero')"),
    ("MNIST gzip bomb", "my $m = gluon->data->vision->MNIST(root => \"$T/bomb\", train => 0); print $m->len, \"\\n\"",
     None),
    ("nd->save to a name with NUL", "nd->save(\"$T/a\\0b\", [nd->ones([2])]); die 'wrote' if -e \"$T/a\"",
     "nd.save(T + '/a\\0b', [nd.ones((2,))]); assert not os.path.exists(T + '/a'), 'wrote'"),
    # -- hostile Perl data and control flow (the bridge only) -------------------------------------------------
    ("nd->array of an array holding itself", "my $a = [1]; push @$a, $a; nd->array($a)", None),
    ("keyword hash holding itself", "my $h = {}; $h->{h} = $h; nd->sum(nd->ones([2]), {axis => $h})", None),
    ("nd->save of a hash holding itself", "my $h = {}; $h->{h} = $h; nd->save(\"$T/c.nd\", {a => $h})", None),
    ("200,000-deep array refs", "my $d = 1; $d = [$d] for 1 .. 200_000; nd->array($d)", None),
    ("a Perl thread, then aspdl", "use threads; my $x = nd->ones([2]); threads->create(sub { 1 })->join; "
     "print $x->aspdl, \"\\n\"", None),
    ("record(sub { last }) in a loop, then exit", "for (1 .. 3) { eval { mx->autograd->record(sub { last }) } } "
     "die 'recording' if mx->autograd->is_recording", None),
    ("next in a Block's forward", BLOCK.format(body="next", after="for (1 .. 3) { eval { B->new->(nd->ones([2])) } } "
                                                                   "print nd->ones([2])->sum->asscalar, \"\\n\""), None),
    ("last in a Function's backward", FUNCTION.format(body="last", after="eval { $y->backward }; print $x->grad->aspdl"),
     None),
    ("goto out of a callback", "eval { mx->autograd->record(sub { goto AWAY }) }; AWAY: print 1", None),
    ("dotted method name reaching os.system", f"my $m = '_module.utils.os.system'; eval {{ gluon->$m(\"touch $ENV{{ADV_DIR}}/ran\") }}", None),
    ("an inner backward read inside a backward",
     FUNCTION.format(body="my $z = nd->ones([2]); $z->attach_grad; my $w; "
                          "mx->autograd->record(sub { $w = G->new->($z * $z)->sum }); $w->backward; "
                          "$z->grad->aspdl; $_[1] * 2",
                     after="$y->backward; print $x->grad->aspdl;") +
     " package G { use parent -norequire, 'AI::MXNet::AutoGrad::Function'; sub forward { $_[1] * 3 } sub backward { $_[1] * 3 } }",
     None),
    ("fork inside a backward", FUNCTION.format(body="my $p = fork; exit 0 if defined $p && !$p; waitpid($p, 0) if $p; $_[1] * 2",
                                               after="eval { $y->backward }; print \"done\\n\""), None),
    ("set_current('garbage')", "eval { AI::MXNet::Context->set_current('garbage') }; print nd->ones([2])->sum->asscalar", None),
    ("die with work in flight", "my $n = nn->HybridSequential; $n->add(nn->Dense(64), nn->Dense(8)); $n->initialize; "
     "$n->hybridize; our @k = map { $n->(nd->random->uniform(shape => [128, 256])) } 1 .. 20; die \"stop\\n\"",
     "n = gluon.nn.HybridSequential(); n.add(gluon.nn.Dense(64), gluon.nn.Dense(8)); n.initialize(); n.hybridize(); "
     "k = [n(nd.random.uniform(shape=(128, 256))) for _ in range(20)]; raise SystemExit('stop')"),
]


def make_files(directory):
    """The hostile files the cases read, made with plain mxnet."""
    import mxnet as mx
    import numpy as np
    csr = mx.nd.sparse.csr_matrix((np.array([1., 2, 3], "float32"), np.array([0, 2, 1]), np.array([0, 2, 2, 3])),
                                  shape=(3, 4))
    mx.nd.save(os.path.join(directory, "csr.nd"), [csr])
    good = open(os.path.join(directory, "csr.nd"), "rb").read()

    def csr_file(name, indptr, indices):
        data = bytearray(good)
        end = len(data) - 8
        data[end - 56:end] = struct.pack("<7q", *indptr, *indices)
        open(os.path.join(directory, name), "wb").write(bytes(data))
    csr_file("csr_big.nd", (0, 2, 2, 3), (0, 2 ** 40, 1))
    csr_file("csr_neg.nd", (0, 2, 2, 3), (0, -5000000, 1))
    csr_file("csr_indptr.nd", (0, -5000000, 2, 3), (0, 2, 1))
    rsp = mx.nd.sparse.row_sparse_array((np.ones((2, 2), "float32"), np.array([1, 3])), shape=(4, 2))
    mx.nd.save(os.path.join(directory, "rsp.nd"), [rsp])
    data = bytearray(open(os.path.join(directory, "rsp.nd"), "rb").read())
    data[-24:-8] = struct.pack("<2q", 1, 2 ** 40)
    open(os.path.join(directory, "rsp_rows.nd"), "wb").write(bytes(data))
    weight = mx.nd.sparse.csr_matrix((np.array([1., 2, 3], "float32"), np.array([0, 2, 1]), np.array([0, 2, 2, 3, 3])),
                                     shape=(4, 3))
    mx.nd.save(os.path.join(directory, "params_sparse.params"), {"weight": weight, "bias": mx.nd.ones((4,))})
    data = open(os.path.join(directory, "params_sparse.params"), "rb").read()
    data = data.replace(struct.pack("<5q", 0, 2, 2, 3, 3) + struct.pack("<3q", 0, 2, 1),
                        struct.pack("<5q", 0, 2, 2, 3, 3) + struct.pack("<3q", 0, 2 ** 40, 1))
    open(os.path.join(directory, "params_sparse.params"), "wb").write(data)
    graph = json.loads(mx.sym.FullyConnected(mx.sym.var("x"), num_hidden=3, name="fc").tojson())
    heads = dict(graph, heads=[[3, 5, 0]])
    open(os.path.join(directory, "heads.json"), "w").write(json.dumps(heads))
    graph["nodes"][3]["inputs"] = [[0, 0, 0], [1, 3, 0], [2, 0, 0]]
    open(os.path.join(directory, "inputs.json"), "w").write(json.dumps(graph))

    class RunsACommand:
        def __reduce__(self):
            return os.system, ('touch "$ADV_DIR/ran"',)  # (the run's own directory: see run)
    open(os.path.join(directory, "evil.states"), "wb").write(pickle.dumps(({0: RunsACommand()}, None)))
    os.makedirs(os.path.join(directory, "bomb"), exist_ok=True)
    with gzip.open(os.path.join(directory, "bomb", "t10k-labels-idx1-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">II", 2049, 2) + bytes(2))
    with gzip.open(os.path.join(directory, "bomb", "t10k-images-idx3-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, 2, 28, 28))
        for _ in range(64):
            f.write(bytes(1 << 20))  # 2 images promised, 64 MB given


def run(argv, directory, timeout):
    """(class, status, output) of one run in a fresh copy of the case files."""
    env = dict(os.environ, ADV_DIR=directory, OMP_NUM_THREADS="1")
    try:
        proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                              errors="replace")
    except subprocess.TimeoutExpired as exc:
        return "hang", None, (exc.stderr or "")[-2000:] if isinstance(exc.stderr, str) else ""
    output = proc.stdout + proc.stderr
    if os.path.exists(os.path.join(directory, "ran")):
        return "ran", proc.returncode, output
    if proc.returncode < 0 or proc.returncode in (134, 136, 139) or any(m in output for m in CRASH_MARKS):
        return "crash", proc.returncode, output
    return ("ok" if proc.returncode == 0 else "error"), proc.returncode, output


def try_case(case, files, timeout, shim):
    name, perl, python = case
    results = {}
    for language, argv in (("perl", ["perl", "-I" + os.path.join(shim, "perl_shim", "lib"), "-e", PERL_HEAD + perl]),
                           ("python", [PYTHON, "-c", PY_HEAD + python] if python else None)):
        if argv is None:
            continue
        with tempfile.TemporaryDirectory() as directory:
            for entry in os.listdir(files):
                os.symlink(os.path.join(files, entry), os.path.join(directory, entry))
            results[language] = run(argv, directory, timeout)
    return case, results


BAD = ("crash", "hang", "ran")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only the cases whose name holds this text")
    parser.add_argument("-x", action="append", default=[], help="not the cases whose name holds this text")
    parser.add_argument("-v", action="store_true", help="show each run's last output lines")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--shim", default=ROOT, help="the checkout whose perl_shim runs the Perl cases (to compare "
                                                     "with another version of the bridge)")
    opts = parser.parse_args()
    cases = [c for c in CASES if opts.k in c[0] and not any(x in c[0] for x in opts.x)]
    with tempfile.TemporaryDirectory() as files:
        make_files(files)
        with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
            outcomes = list(pool.map(lambda c: try_case(c, files, opts.timeout, opts.shim), cases))
    bridge_only, inherited, inherited_left = [], [], []
    for (name, _, python), results in outcomes:
        perl_class = results["perl"][0]
        python_class = results["python"][0] if "python" in results else "-"
        if python_class in BAD:
            inherited.append(name)
            if perl_class in BAD:
                inherited_left.append(name)
        elif perl_class in BAD:
            bridge_only.append(name)
        print("%-44s perl: %-6s python mxnet: %s" % (name, perl_class, python_class))
        if opts.v:
            for language, (kind, status, output) in results.items():
                print(textwrap.indent("\n".join(output.strip().splitlines()[-3:]), "    %s| " % language))
    print("%d cases: %d bridge-only crashes, hangs or code runs%s; %d inherited from Python mxnet, %d of them "
          "left in the bridge%s" % (
              len(outcomes), len(bridge_only), " (%s)" % ", ".join(bridge_only) if bridge_only else "",
              len(inherited), len(inherited_left), " (%s)" % ", ".join(inherited_left) if inherited_left else ""))
    return 1 if bridge_only else 0


if __name__ == "__main__":
    sys.exit(main())

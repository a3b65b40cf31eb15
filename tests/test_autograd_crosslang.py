"""Autograd across the two languages: the same gradients computed by Perl (through the shim) and by the Python
mirror, compared with each other and with the analytic gradients; and Functions written in Perl under load
(many passes, several Functions, nested record, a backward inside a backward, parallel branches), where a
Perl callback run on one of mxnet's threads would crash the process and an engine wait on the Perl thread
would hang it: each script runs in a child process with a timeout and must exit cleanly."""
import pathlib
import subprocess

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent

PERL_FUNCTIONS = r"""
use strict; use warnings;
use AI::MXNet qw(mx);
use AI::MXNet::AutoGrad qw(autograd);

package Sigmoid;
use parent -norequire, 'AI::MXNet::AutoGrad::Function';
sub forward { my ($self, $x) = @_; my $y = 1 / (1 + nd->exp(-$x)); $self->save_for_backward($y); $y }
sub backward { my ($self, $dy) = @_; my ($y) = $self->saved_tensors; $dy * $y * (1 - $y) }

package Square;
use parent -norequire, 'AI::MXNet::AutoGrad::Function';
sub forward { my ($self, $x) = @_; $self->save_for_backward($x); $x * $x }
sub backward {
    my ($self, $dy) = @_;
    my ($x) = $self->saved_tensors;
    $dy->aspdl;    # a read that waits for the engine, inside a callback
    return 2 * $x * $dy;
}

package MulAdd;
use parent -norequire, 'AI::MXNet::AutoGrad::Function';
sub forward { my ($self, $a, $b) = @_; $self->save_for_backward($a, $b); ($a * $b, $a + $b) }
sub backward { my ($self, $dp, $ds) = @_; my ($a, $b) = $self->saved_tensors; ($dp * $b + $ds, $dp * $a + $ds) }

# x^2/2, whose backward finds its derivative with a nested record and autograd->grad through Square:
# the Perl thread serves Square's backward while it waits inside HalfSquare's.
package HalfSquare;
use parent -norequire, 'AI::MXNet::AutoGrad::Function';
sub forward { my ($self, $x) = @_; $self->save_for_backward($x); $x * $x / 2 }
sub backward {
    my ($self, $dy) = @_;
    my ($x) = $self->saved_tensors;
    my $t = $x->copy;
    $t->attach_grad;
    my $h;
    mx->autograd->record(sub { $h = Square->new->($t) * 0.5 });
    return $dy * mx->autograd->grad($h, $t);
}

package main;
"""

# z = sum(g + s*c) with a = sigmoid(x), b = a^2, (p, s) = (b*x, b+x), g = p^2/2, c = x held constant (pause),
# plus sum_k sigmoid(k*x) over parallel branches.
STRESS = PERL_FUNCTIONS + r"""
my $passes = shift;
for my $i (1 .. $passes) {
    my @x = map { sprintf('%.3f', 2 * sin($i + $_)) } 0 .. 3;
    my $x = nd->array(\@x, dtype => 'float64');
    $x->attach_grad;
    my $z;
    autograd->record(sub {
        my $a = Sigmoid->new->($x);
        my $c;
        autograd->pause(sub { $c = $x * 1 });
        my $b;
        autograd->record(sub { $b = Square->new->($a) });
        my ($p, $s) = MulAdd->new->($b, $x);
        my $g = HalfSquare->new->($p);
        my $branches = Sigmoid->new->($x * 1);
        $branches = $branches + Sigmoid->new->($x * $_) for 2 .. 4;
        $z = ($g + $s * $c + $branches)->sum;
    });
    my $grad;
    if    ($i % 3 == 0) { $grad = autograd->grad($z, $x) }
    elsif ($i % 3 == 1) { $z->backward; $grad = $x->grad }
    else                { autograd->backward([$z]); $grad = $x->grad }
    print join(' ', @x, map { sprintf '%.12g', $_ } $grad->aspdl->list), "\n";
}
print 'served ', AI::MXNet::Bridge::python('requests_served'), "\n";
"""


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def stress_gradient(x):
    a = sigmoid(x)
    da = a * (1 - a)
    b, db = a * a, 2 * a * da
    p, s, c = b * x, b + x, x
    branches = sum(k * sigmoid(k * x) * (1 - sigmoid(k * x)) for k in (1, 2, 3, 4))
    return p * (db * x + b) + c * (db + 1) + branches


def run_perl(code, *args, timeout=300):
    return subprocess.run(["perl", "-Iperl_shim/lib", "-e", code, "--", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_perl_functions_under_load():
    passes = 120
    proc = run_perl(STRESS, passes)  # a crash fails here, a hang times out
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == passes + 1
    for line in lines[:-1]:
        numbers = np.array(line.split(), dtype=np.float64)
        x, grad = numbers[:4], numbers[4:]
        np.testing.assert_allclose(grad, stress_gradient(x), rtol=1e-9, atol=1e-12)
    # every Perl backward was asked for by one of mxnet's threads and run on the Perl thread:
    # 4 + 4 branches + the nested Square = 9 per pass
    assert lines[-1] == "served %d" % (9 * passes)


def test_same_gradients_in_perl_and_python():
    xs = [-1.5, 0.0, 0.25, 2.0]
    perl = run_perl(PERL_FUNCTIONS + r"""
my $x = nd->array([@ARGV], dtype => 'float64');
$x->attach_grad;
my $z;
autograd->record(sub {
    my ($p, $s) = MulAdd->new->(Square->new->(Sigmoid->new->($x)), $x);
    $z = $p * $s;
});
$z->backward;
print join(' ', $x->grad->aspdl->list), "\n";
my $y;
autograd->record(sub { $y = nd->sin($x) });
my $dx = autograd->grad($y, $x, create_graph => 1);
$dx->backward;
print join(' ', $dx->aspdl->list), "\n", join(' ', $x->grad->aspdl->list), "\n";
my ($grads, $loss) = autograd->grad_and_loss(sub { $_[0] * $_[0] * $_[1] })->($x, $x + 1);
print join(' ', map { $_->aspdl->list } @$grads, $loss), "\n";
""", *xs)
    assert perl.returncode == 0 and perl.stderr == "", perl.stderr
    perl_rows = [np.array(line.split(), dtype=np.float64) for line in perl.stdout.splitlines()]

    from bridge import autograd, nd
    from test_autograd import Sigmoid  # the Python mirror's sigmoid Function

    class Square(autograd.Function):
        def forward(self, x):
            self.save_for_backward(x)
            return x * x

        def backward(self, dy):
            x, = self.saved_tensors
            return 2 * x * dy

    class MulAdd(autograd.Function):
        def forward(self, a, b):
            self.save_for_backward(a, b)
            return a * b, a + b

        def backward(self, dp, ds):
            a, b = self.saved_tensors
            return dp * b + ds, dp * a + ds

    x = nd.array(xs, dtype="float64")
    x.attach_grad()
    with autograd.record():
        p, s = MulAdd()(Square()(Sigmoid()(x)), x)
        z = p * s
    z.backward()
    rows = [x.grad.asnumpy()]
    with autograd.record():
        y = nd.sin(x)
    dx = autograd.grad(y, x, create_graph=True)
    dx.backward()
    rows += [dx.asnumpy(), x.grad.asnumpy()]
    grads, loss = autograd.grad_and_loss(lambda a, b: a * a * b)(x, x + 1)
    rows.append(np.concatenate([g.asnumpy() for g in grads] + [loss.asnumpy()]))

    v = np.array(xs)
    a = sigmoid(v)
    b, db = a ** 2, 2 * a * a * (1 - a)
    p, s = b * v, b + v
    analytic = [(db * v + b) * s + p * (db + 1),      # d(p s)/dx
                np.cos(v), -np.sin(v),                # grad of sin, then its gradient
                np.concatenate([2 * v * (v + 1), v * v, v * v * (v + 1)])]
    for perl_row, python_row, want in zip(perl_rows, rows, analytic):
        np.testing.assert_allclose(perl_row, python_row, rtol=1e-12)
        np.testing.assert_allclose(perl_row, want, rtol=1e-12, atol=1e-15)


BOOM = PERL_FUNCTIONS + r"""
package Boom;
use parent -norequire, 'AI::MXNet::AutoGrad::Function';
sub forward { $_[1] * 2 }
sub backward { my $how = $_[0]{how}; exit 3 if $how eq 'exit'; die "boom\n" }
package main;
my $how = shift;
my $x = nd->array([1, 2]);
$x->attach_grad;
my ($y, $kept);
autograd->record(sub { $kept = Sigmoid->new->($x); $y = Boom->new(how => $how)->(Square->new->($x)) });
if ($how eq 'caught') {
    eval { $y->backward };
    print "caught: $@";
    autograd->record(sub { $y = Square->new->($x) });
    $y->backward;
    print join(' ', $x->grad->aspdl->list), "\n";
} else {
    $y->backward;
}
print "end\n";
"""


def test_a_die_in_a_perl_backward_then_a_clean_exit():
    proc = run_perl(BOOM, "caught", timeout=120)
    assert (proc.returncode, proc.stderr) == (0, "")  # no "terminate called ...", no crash at exit
    assert proc.stdout == "caught: boom\n2 4\nend\n"


def test_an_uncaught_die_in_a_perl_backward_ends_the_script_as_a_die():
    proc = run_perl(BOOM, "uncaught", timeout=120)
    assert proc.returncode > 0 and proc.stdout == ""  # an exit status, not a signal
    assert proc.stderr == "boom\n"


def test_exit_inside_a_perl_backward():
    proc = run_perl(BOOM, "exit", timeout=120)  # mxnet's threads still wait for the callback: no hang
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "", "")

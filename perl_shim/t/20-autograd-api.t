#!/usr/bin/env perl
# AI::MXNet::AutoGrad beyond record/backward: grad (higher order), grad_and_loss, compute_gradient,
# mark_variables with grad_reqs, head gradients, retain_graph, _fresh_grad, attach_grad options, detach,
# get_symbol. Expected values are the analytic gradients.
use strict;
use warnings;
use Test::More;
use Scalar::Util qw(refaddr blessed);
use AI::MXNet qw(mx);
use AI::MXNet::AutoGrad qw(autograd);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

my @X = (0.5, -1, 2);

# --- grad: one variable gives one NDArray, a list gives a list; create_graph allows a second derivative
{
    my $x = nd->array([@X]);
    $x->attach_grad;
    my $y;
    autograd->record(sub { $y = nd->sin($x) });
    my $dx = autograd->grad($y, $x, create_graph => 1);
    isa_ok($dx, 'AI::MXNet::NDArray', 'grad of one variable');
    near(vals($dx), [map { cos } @X], 'd sin(x)/dx = cos(x)');
    $dx->backward;
    near(vals($x->grad), [map { -sin } @X], 'create_graph: d cos(x)/dx = -sin(x) through the gradient');

    my ($p, $q) = (nd->array([1, 2]), nd->array([3, 4]));
    $_->attach_grad for $p, $q;
    my $z;
    autograd->record(sub { $z = $p * $q + nd->exp($p) });
    my $grads = autograd->grad($z, [$p, $q], head_grads => nd->array([1, 10]));
    is(ref $grads, 'ARRAY', 'grad of a list of variables gives an array ref');
    near(vals($grads->[0]), [3 + exp(1), 10 * (4 + exp(2))], 'd(pq + e^p)/dp = q + e^p, times the head gradient');
    near(vals($grads->[1]), [1, 20], 'd(pq + e^p)/dq = p, times the head gradient');
    is_deeply(vals($p->grad), [0, 0], 'grad leaves the variables\' own gradients alone');

    # the graph was freed (retain_graph defaults to create_graph, here 0): a second grad dies
    my $ok = eval { autograd->grad($z, [$p]); 1 };
    ok(!$ok && blessed($@) && $@->isa('AI::MXNet::Error'), 'grad twice without retain_graph dies');
    like("$@", qr/retain_graph=True/, '... with MXNet\'s message');

    autograd->record(sub { $z = $p * $p });
    my $g1 = autograd->grad($z, $p, retain_graph => 1);
    my $g2 = autograd->grad($z, $p);
    is_deeply([vals($g1), vals($g2)], [[2, 4], [2, 4]], 'retain_graph => 1 allows a second grad');
}

# --- backward: heads as a list, head gradients with undef (ones), retain_graph, train_mode
{
    my $x = nd->array([1, 2, 3]);
    $x->attach_grad;
    my ($a, $b);
    autograd->record(sub { $a = $x * 2; $b = $x * $x });
    autograd->backward([$a, $b], head_grads => [undef, nd->array([1, 0, -1])]);
    is_deeply(vals($x->grad), [2 + 2, 2, 2 - 6], 'backward of two heads: 2*1 + 2x*head');

    my $y;
    autograd->record(sub { $y = $x * $x });
    $y->backward(retain_graph => 1);
    $y->backward(out_grad => nd->array([1, 1, 1]));
    is_deeply(vals($x->grad), [2, 4, 6], 'backward twice with retain_graph the first time');
    my $ok = eval { $y->backward; 1 };
    ok(!$ok, 'a third backward, after one without retain_graph, dies');
    like("$@", qr/retain_graph=True to backward/, '... with MXNet\'s message');
    like("$@", qr/at \Q${\__FILE__}\E line \d+/, '... naming this file');
}

# --- mark_variables with grad_reqs; compute_gradient; _fresh_grad
{
    my ($a, $b, $c) = map { nd->array([$_, $_ + 1]) } 1, 3, 5;
    my ($ga, $gb, $gc) = map { nd->array([7, 7]) } 1 .. 3;
    autograd->mark_variables([$a, $b, $c], [$ga, $gb, $gc], grad_reqs => ['add', 'write', 'null']);
    for (1 .. 2) {
        my $out;
        autograd->record(sub { $out = $a * $b * $c });
        autograd->compute_gradient([$out]);
    }
    is_deeply(vals($ga), [7 + 2 * 15, 7 + 2 * 24], "grad_req 'add' accumulates b*c onto the old value");
    is_deeply(vals($gb), [5, 12], "grad_req 'write' overwrites with a*c");
    is_deeply(vals($gc), [7, 7], "grad_req 'null' leaves the gradient array alone");

    my $x = nd->ones([2, 2]);
    my $dx = nd->zeros_like($x);
    autograd->mark_variables([$x], [$dx]);
    ok(!$x->_fresh_grad, '_fresh_grad is false after mark_variables');
    autograd->record(sub { ($x + 1)->backward });
    ok($x->_fresh_grad, '_fresh_grad is true after a backward');
    $x->_fresh_grad(0);
    ok(!$x->_fresh_grad, '_fresh_grad(0) sets it');
}

# --- attach_grad(grad_req => 'add', stype => ...), detach
{
    my $x = nd->array([1, 2]);
    $x->attach_grad(grad_req => 'add');
    for (1 .. 3) { my $y; autograd->record(sub { $y = $x * $x }); $y->backward }
    is_deeply(vals($x->grad), [6, 12], "attach_grad(grad_req => 'add'): three backward passes add up");

    my $s = nd->zeros([2, 2], stype => 'csr');
    $s->attach_grad(stype => 'row_sparse');
    is($s->grad->stype, 'row_sparse', 'attach_grad(stype => ...) sets the gradient\'s storage');
    is($s->detach->stype, 'csr', 'detach keeps the array\'s storage');

    my $v = nd->array([2, 3]);
    $v->attach_grad;
    my $w;
    autograd->record(sub { $w = $v->detach * $v });
    $w->backward;
    is_deeply(vals($v->grad), [2, 3], 'a detached copy is a constant: d(c*v)/dv = c');
}

# --- grad_and_loss: the gradients of the chosen arguments and the output
{
    my ($a, $b) = (nd->array([1, 2]), nd->array([3, 5]));
    my $f = sub { my ($p, $q, $mode) = @_; $mode ? $p + $q : $p * $q * $p };
    my ($grads, $out) = autograd->grad_and_loss($f)->($a, $b);
    is(scalar @$grads, 2, 'grad_and_loss without argnum: a gradient for every argument');
    is_deeply(vals($out), [3, 20], '... and the output');
    is_deeply([map { vals($_) } @$grads], [[6, 20], [1, 4]], 'd(p q p)/dp = 2pq, d/dq = p^2');
    ($grads, $out) = autograd->grad_and_loss($f, 1)->($a, $b, 0);
    is_deeply([map { vals($_) } @$grads], [[1, 4]], 'argnum => 1: only the second argument');
    ($grads) = autograd->grad_and_loss($f, [0, 1])->($a, $b, 1);
    is_deeply([map { vals($_) } @$grads], [[1, 1], [1, 1]], 'argnum => [0, 1] with the sum branch');

    my $err = bless {}, 'My::Error';
    my $ok = eval { autograd->grad_and_loss(sub { die $err })->($a); 1 };
    ok(!$ok && refaddr($@) == refaddr($err), 'a die inside the function reaches the caller unchanged');
    ok(!autograd->is_recording, '... and recording is off again');
    $ok = eval { autograd->grad_and_loss($f, 2)->($a, $b, 7); 1 };
    like($@, qr/type of autograd input should NDArray/, 'a gradient for a number dies as AI::MXNet did');
}

# --- train_mode / predict_mode change what Dropout does
{
    my $x = nd->ones([200]);
    my ($train, $predict);
    autograd->train_mode(sub { $train = nd->Dropout($x, p => 0.5) });
    autograd->predict_mode(sub { $predict = nd->Dropout($x, p => 0.5) });
    my %seen = map { $_ => 1 } @{ vals($train) };
    is_deeply([sort keys %seen], [0, 2], 'train_mode: Dropout zeroes and scales');
    is_deeply(vals($predict), [(1) x 200], 'predict_mode: Dropout passes through');
}

# --- get_symbol
{
    my ($x, $z) = (nd->ones([1]), nd->ones([1]));
    $_->attach_grad for $x, $z;
    my $y;
    autograd->record(sub { $y = $x * $x + 2 * $x - 1 });
    my $sym = autograd->get_symbol($y);
    isa_ok($sym, 'AI::MXNet::Symbol');
    is(scalar @{ $sym->list_arguments }, 1, 'get_symbol of x*x + 2x - 1 has one argument');
    autograd->record(sub { $y = $x * $x + 2 * $z - 1 });
    $sym = autograd->get_symbol($y);
    is(scalar @{ $sym->list_arguments }, 2, 'with z it has two');
    is(scalar @{ $sym->list_outputs }, 1, 'and one output');
    like($sym->tojson, qr/"nodes"/, 'tojson gives the graph as JSON');
    my $name = $sym->name;
    is("$sym", "<AI::MXNet::Symbol $name>", 'a Symbol prints as AI::MXNet printed it');
    isa_ok($sym->get_internals, 'AI::MXNet::Symbol', 'get_internals');
    my $ok = eval { $sym->bind; 1 };
    ok(!$ok, 'a Symbol method that is not here dies');
}

ok(!autograd->is_recording && !autograd->is_training, 'not recording or training at the end');
done_testing();

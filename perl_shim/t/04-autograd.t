#!/usr/bin/env perl
# Autograd: the tutorial's gradient, the recording state, dies inside scopes, nesting, control flow.
use strict;
use warnings;
use Test::More;
use Scalar::Util qw(refaddr blessed);
use PDL;
use PDL::LinearAlgebra ();
use AI::MXNet qw(mx);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use AI::MXNet::AutoGrad qw(autograd);


# --- the tutorial: y = 2 x^2, dy/dx = 4x
{
    my $x = nd->array([[1, 2], [3, 4]]);
    $x->attach_grad;
    is_deeply(vals($x->grad), [0, 0, 0, 0], 'attach_grad gives a zero gradient');
    my $y;
    mx->autograd->record(sub { $y = 2 * $x * $x });
    is_deeply(vals($y), [2, 8, 18, 32], 'y = 2*x*x');
    $y->backward;
    is_deeply(vals($x->grad), [4, 8, 12, 16], 'grad of 2*x*x is 4x = [[4,8],[12,16]]');
    is_deeply($x->grad->shape, [2, 2], 'the gradient has the shape of x');
    is("" . $x->grad->aspdl, "\n[\n [ 4  8]\n [12 16]\n]\n", 'the gradient prints as in the tutorial');

    # again, with head gradients: dL/dx = 4x * head
    mx->autograd->record(sub { $y = 2 * $x * $x });
    $y->backward(nd->array([[1, 0], [0, 1]]));
    is_deeply(vals($x->grad), [4, 0, 0, 16], 'backward with a head gradient');

    # through the module function, and a reduction: d(sum x^3)/dx = 3x^2
    my $z;
    autograd->record(sub { $z = ($x ** 3)->sum });
    autograd->backward($z);
    is_deeply(vals($x->grad), [3, 12, 27, 48], 'autograd->backward of sum(x**3) gives 3x^2');

    # a chain with built-ins: d(exp(x) * sin(x))/dx = exp(x)(sin x + cos x)
    my $v = nd->array([0, 0.5]);
    $v->attach_grad;
    my $w;
    autograd->record(sub { $w = exp($v) * sin($v) });
    $w->backward;
    near(vals($v->grad), [1, exp(0.5) * (sin(0.5) + cos(0.5))], 'd(exp(x) sin(x))/dx');

    # division with the number on the left: d(1/x)/dx = -1/x^2
    my $u = nd->array([1, 2, 4]);
    $u->attach_grad;
    my $q;
    autograd->record(sub { $q = 1 / $u });
    $q->backward;
    near(vals($u->grad), [-1, -0.25, -0.0625], 'd(1/x)/dx = -1/x^2');
}

# --- the recording state
ok(!autograd->is_recording, 'not recording at the start');
ok(!autograd->is_training, 'not training at the start');
{
    my ($rec, $train);
    autograd->record(sub { $rec = autograd->is_recording; $train = autograd->is_training });
    ok($rec, 'is_recording is true inside record');
    ok($train, 'is_training is true inside record (train_mode defaults to 1)');
    ok(!autograd->is_recording, 'is_recording is false after record');
    ok(!autograd->is_training, 'is_training is false after record');
    autograd->record(sub { $rec = autograd->is_recording; $train = autograd->is_training }, train_mode => 0);
    ok($rec, 'record(train_mode => 0): recording');
    ok(!$train, 'record(train_mode => 0): not training');
    my $r = autograd->record(sub { 42 });
    is($r, 42, 'record returns what its sub returns');
    my $nd = autograd->record(sub { nd->array([1, 2]) * 2 });
    isa_ok($nd, 'AI::MXNet::NDArray', 'record returning an NDArray');
    is_deeply(vals($nd), [2, 4], '... with its values');
    autograd->train_mode(sub { $train = autograd->is_training; $rec = autograd->is_recording });
    ok($train && !$rec, 'train_mode: training, not recording');
    autograd->record(sub { autograd->predict_mode(sub { $train = autograd->is_training; $rec = autograd->is_recording }) });
    ok(!$train && $rec, 'predict_mode inside record: recording, not training');
}

# set_is_recording / set_is_training return the previous state
{
    ok(!autograd->set_is_recording(1), 'set_is_recording(1) returns the previous state (off)');
    ok(autograd->is_recording, 'and recording is now on');
    ok(autograd->set_is_recording(0), 'set_is_recording(0) returns the previous state (on)');
    ok(!autograd->is_recording, 'and recording is now off');
    ok(!autograd->set_is_training(1), 'set_is_training(1) returns the previous state (off)');
    ok(autograd->set_is_training(0), 'set_is_training(0) returns the previous state (on)');
    ok(!autograd->is_training, 'and training is now off');
}

# --- a die inside record reaches the caller unchanged, and the state is restored
{
    package My::Error;
    sub new { bless { code => $_[1] }, $_[0] }
    sub code { $_[0]{code} }
}
{
    my $err = My::Error->new(17);
    my $ok = eval { autograd->record(sub { die $err }); 1 };
    ok(!$ok, 'a die with an object inside record dies out of record');
    is(ref($@), 'My::Error', 'the exception keeps its class');
    is(refaddr($@), refaddr($err), 'the exception is the very same object');
    my $caught = $@;
    is(eval { $caught->code }, 17, 'its methods still work');
    ok(!autograd->is_recording, 'recording is off after the die');
    ok(!autograd->is_training, 'training is off after the die');

    $ok = eval { autograd->record(sub { die "boom\n" }); 1 };
    ok(!$ok, 'a die with a string inside record dies out of record');
    is($@, "boom\n", 'the string is unchanged');
    ok(!autograd->is_recording, 'recording is off after the string die');

    my $line = __LINE__ + 1;
    eval { autograd->record(sub { die "no newline" }) };
    is($@, "no newline at ${\__FILE__} line $line.\n", 'a die without a newline names the die\'s own line');

    my $hash = { a => [1, 2] };
    eval { autograd->record(sub { die $hash }) };
    is(refaddr($@), refaddr($hash), 'a plain hashref dies through unchanged');
    is_deeply($@, { a => [1, 2] }, '... with its content');
    my $list = [3, 4];
    eval { autograd->record(sub { die $list }) };
    is(refaddr($@), refaddr($list), 'a plain arrayref dies through unchanged');

    # a die from an NDArray operation inside record (a Python error) is catchable too
    $ok = eval { autograd->record(sub { nd->dot(nd->ones([2, 3]), nd->ones([2, 3])) }); 1 };
    ok(!$ok, 'an MXNet error inside record dies out of record');
    ok(blessed($@) && $@->isa('AI::MXNet::Error'), '... as an AI::MXNet::Error') or diag("got: $@");
    ok(!autograd->is_recording, 'recording is off after the MXNet error');

    # a die in a pause inside record: caught inside record, recording is back on
    my ($inner, $after);
    autograd->record(sub {
        eval { autograd->pause(sub { $inner = autograd->is_recording; die "in pause\n" }) };
        $after = autograd->is_recording;
    });
    ok(!$inner, 'recording is off inside pause');
    ok($after, 'recording is back on after a die in pause, still inside record');
    ok(!autograd->is_recording, 'recording is off at the end');

    # the die also unwinds a Perl loop around record
    my $n = 0;
    for my $i (1 .. 5) { eval { autograd->record(sub { die "x\n" if $i % 2 }); $n++ } }
    is($n, 2, 'record inside a loop with dies: the other iterations run');
    ok(!autograd->is_recording, 'and recording is off');
}

# --- nested record and pause
{
    my @seen;
    autograd->record(sub {
        push @seen, autograd->is_recording;
        autograd->pause(sub {
            push @seen, autograd->is_recording;
            push @seen, autograd->is_training;
            autograd->record(sub { push @seen, autograd->is_recording });
            push @seen, autograd->is_recording;
        });
        push @seen, autograd->is_recording;
        push @seen, autograd->is_training;
    });
    push @seen, autograd->is_recording;
    is_deeply([map { $_ ? 1 : 0 } @seen], [1, 0, 0, 1, 0, 1, 1, 0],
              'record > pause > record: the state at each level, restored on the way out');

    # paused operations are not recorded: y = x * stop(x) gives dy/dx = stop(x) = x
    my $x = nd->array([1, 2, 3]);
    $x->attach_grad;
    my $y;
    autograd->record(sub {
        my $c;
        autograd->pause(sub { $c = $x * 1 });
        $y = $x * $c;
    });
    $y->backward;
    is_deeply(vals($x->grad), [1, 2, 3], 'an operation in pause is a constant for the gradient');
}

# --- control flow (the tutorial's example with a given start): a = [0.3, 0.4], |a| = 0.5
{
    my $a = nd->array([0.3, 0.4]);
    $a->attach_grad;
    my $norm = sub { PDL::sclr(PDL::LinearAlgebra::mnorm($_[0]->aspdl)) };
    ok(abs($norm->($a) - 0.5) < 1e-6, 'mnorm of [0.3, 0.4] is 0.5');

    # by hand: b = a * 2^k with the smallest k >= 1 such that 0.5 * 2^k >= 1000
    my $k = 1;
    $k++ while 0.5 * 2**$k < 1000;
    my $factor = 2**$k;
    is($k, 11, 'the loop doubles to k = 11');
    is($factor, 2048, 'factor 2^11 = 2048');

    my ($b, $c, $doublings);
    autograd->record(sub {
        $b = $a * 2;
        $doublings = 1;
        while ($norm->($b) < 1000) {
            $b = $b * 2;
            $doublings++;
        }
        if ($b->sum->asscalar >= 0) { $c = nd->array($b->slice('0')) }
        else                        { $c = nd->array($b->slice('1')) }
    });
    is($doublings, $k, 'the loop ran k times');
    is_deeply($c->shape, [1], 'c = b->slice(0) has shape [1]');
    near(vals($c), [0.3 * $factor], 'c = 0.3 * 2048');
    $c->backward;
    near(vals($a->grad), [$factor, 0], 'grad of a is [2048, 0]', 1e-6);
    near(vals($c / $a), [$factor, 0.3 * $factor / 0.4], 'c / a broadcasts: [2048, 1536]');
}

ok(!autograd->is_recording, 'not recording at the end');
done_testing();

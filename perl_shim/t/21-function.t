#!/usr/bin/env perl
# AI::MXNet::AutoGrad::Function: differentiable functions written in Perl. Values against the analytic
# gradients; dies in forward and backward reach the caller unchanged; wrong results die with a message.
use strict;
use warnings;
use Test::More;
use Scalar::Util qw(refaddr blessed);
use AI::MXNet qw(mx);
use AI::MXNet::AutoGrad qw(autograd);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

{
    package Sigmoid;
    use parent -norequire, 'AI::MXNet::AutoGrad::Function';
    sub forward {
        my ($self, $x) = @_;
        my $y = 1 / (1 + nd->exp(-$x));
        $self->save_for_backward($y);
        return $y;
    }
    sub backward {
        my ($self, $dy) = @_;
        my ($y) = $self->saved_tensors;
        return $dy * $y * (1 - $y);
    }

    # two inputs, two outputs: (a*b, a+b)
    package MulAdd;
    use parent -norequire, 'AI::MXNet::AutoGrad::Function';
    sub forward {
        my ($self, $a, $b) = @_;
        $self->save_for_backward($a, $b);
        return ($a * $b, $a + $b);
    }
    sub backward {
        my ($self, $dp, $ds) = @_;
        my ($a, $b) = @{ $self->saved_tensors };
        return ($dp * $b + $ds, $dp * $a + $ds);
    }

    # forward and backward as the test asks: $self->{forward}, $self->{backward} subs
    package Scripted;
    use parent -norequire, 'AI::MXNet::AutoGrad::Function';
    sub forward  { my $self = shift; $self->{forward}->(@_) }
    sub backward { my $self = shift; $self->{backward}->(@_) }
}

sub sigmoid { 1 / (1 + exp(-$_[0])) }
my @X = (-2, 0, 0.5, 3);

# --- a one-input function: values and gradient
{
    my $x = nd->array([@X]);
    $x->attach_grad;
    my $y;
    autograd->record(sub { $y = Sigmoid->new->($x) });
    near(vals($y), [map { sigmoid($_) } @X], 'forward computes the sigmoid');
    $y->backward;
    near(vals($x->grad), [map { sigmoid($_) * (1 - sigmoid($_)) } @X], 'backward: s(1-s)');

    # inside a larger graph, through autograd->backward with a head gradient: d(3 s(x^2))/dx
    my $z;
    autograd->record(sub { $z = 3 * Sigmoid->new->call($x * $x) });
    autograd->backward($z, head_grads => nd->array([1, 2, 3, 4]));
    my @want = map { my $s = sigmoid($X[$_] ** 2); ($_ + 1) * 3 * $s * (1 - $s) * 2 * $X[$_] } 0 .. $#X;
    near(vals($x->grad), \@want, 'the chain rule runs through the Perl function');

    # through autograd->grad
    autograd->record(sub { $z = Sigmoid->new->($x) });
    my $g = autograd->grad($z, $x);
    near(vals($g), [map { sigmoid($_) * (1 - sigmoid($_)) } @X], 'autograd->grad through a Perl function');
}

# --- two inputs, two outputs; saved_tensors in scalar context
{
    my ($a, $b) = (nd->array([1, 2]), nd->array([3, -4]));
    $_->attach_grad for $a, $b;
    my ($p, $s);
    autograd->record(sub { ($p, $s) = MulAdd->new->($a, $b) });
    is_deeply([vals($p), vals($s)], [[3, -8], [4, -2]], 'forward returns a list of outputs');
    autograd->backward([$p, $s], head_grads => [nd->array([1, 1]), nd->array([10, 10])]);
    is_deeply(vals($a->grad), [3 + 10, -4 + 10], 'd/da (p + 10 s) = b + 10');
    is_deeply(vals($b->grad), [1 + 10, 2 + 10], 'd/db (p + 10 s) = a + 10');

    my $outputs = MulAdd->new->($a, $b);
    is(ref $outputs, 'ARRAY', 'several outputs in scalar context: an array ref');
}

# --- without recording: just the forward, no graph
{
    my $x = nd->array([0]);
    $x->attach_grad;
    my $y = Sigmoid->new->($x);
    is_deeply(vals($y), [0.5], 'outside record the function only computes');
    ok(!eval { $y->backward; 1 }, 'and its output has no graph to differentiate');
}

# --- the scopes inside forward and backward
{
    my (@forward, @backward);
    my $f = Scripted->new(
        forward  => sub { @forward = (autograd->is_recording, autograd->is_training); $_[0] * 2 },
        backward => sub { @backward = (autograd->is_recording, autograd->is_training); $_[0] * 2 });
    my $x = nd->array([1]);
    $x->attach_grad;
    my $y;
    autograd->record(sub { $y = $f->($x) });
    $y->backward(train_mode => 0);
    is_deeply([map { $_ ? 1 : 0 } @forward], [0, 1], 'forward runs with recording off, training on');
    is_deeply([map { $_ ? 1 : 0 } @backward], [0, 0], 'backward runs with recording off, training as backward asks');
    ok(autograd->record(sub { autograd->is_recording }), 'recording is back on inside record after a function');
}

# --- one call per instance
{
    my $f = Sigmoid->new;
    $f->(nd->array([1]));
    ok(!eval { $f->(nd->array([1])); 1 }, 'a Function instance called twice dies');
    like($@, qr/only be called once/, '... saying so');
}

# --- dies reach the caller unchanged, and the next pass works
{
    package My::Error;
    sub new { bless { code => $_[1] }, $_[0] }
}
{
    my $x = nd->array([1, 2]);
    $x->attach_grad;
    my $err = My::Error->new(42);
    my $y;
    my $ok = eval { autograd->record(sub { $y = Scripted->new(forward => sub { die $err })->($x) }); 1 };
    ok(!$ok && refaddr($@) == refaddr($err), 'a die object in forward reaches the caller unchanged');
    ok(!autograd->is_recording, '... and recording is off again');

    my $boom = Scripted->new(forward => sub { $_[0] * 1 }, backward => sub { die $err });
    autograd->record(sub { $y = $boom->($x) });
    $ok = eval { $y->backward; 1 };
    ok(!$ok, 'a die in backward dies out of ->backward');
    is(refaddr($@), refaddr($err), '... as the very same object');
    is($@->{code}, 42, '... with its content');

    autograd->record(sub { $y = Scripted->new(forward => sub { $_[0] * 1 }, backward => sub { die "plain\n" })->($x) });
    eval { autograd->backward($y) };
    is($@, "plain\n", 'a string die in backward reaches autograd->backward\'s caller unchanged');

    autograd->record(sub { $y = Sigmoid->new->($x) });
    $y->backward;
    near(vals($x->grad), [map { sigmoid($_) * (1 - sigmoid($_)) } 1, 2], 'the next backward works');

    # one failing function among several: the pass dies once, with that die
    my ($c, $d);
    autograd->record(sub {
        $c = Sigmoid->new->($x);
        $d = Scripted->new(forward => sub { $_[0] + 0 }, backward => sub { die "second\n" })->($c);
    });
    eval { $d->backward };
    is($@, "second\n", 'a die in one of two functions of a pass');
}

# --- wrong results die with a message
{
    my $x = nd->array([1, 2]);
    $x->attach_grad;
    my $y;
    my $ok = eval { autograd->record(sub { $y = Scripted->new(forward => sub { 42 })->($x) }); 1 };
    like($@, qr/forward must return NDArrays/, 'forward returning a number dies');
    ok(!eval { Sigmoid->new->(5); 1 }, 'a number as an input dies');
    like($@, qr/inputs must be NDArrays, not int/, '... saying so');
    for my $case ([sub { () }, qr/backward must return NDArrays, not undef/, 'nothing'],
                  [sub { ($_[0], $_[0]) }, qr/expected 1, got 2/, 'two gradients for one input'],
                  [sub { 'x' }, qr/backward must return NDArrays/, 'a string']) {
        my ($backward, $re, $what) = @$case;
        autograd->record(sub { $y = Scripted->new(forward => sub { $_[0] * 1 }, backward => $backward)->($x) });
        eval { $y->backward };
        like("$@", $re, "backward returning $what dies");
        ok(blessed($@) && $@->isa('AI::MXNet::Error'), '... as an AI::MXNet::Error');
    }
}

# --- gradients accumulate with grad_req 'add'; functions inside functions
{
    my $x = nd->array([0.5]);
    $x->attach_grad(grad_req => 'add');
    for (1 .. 3) { my $y; autograd->record(sub { $y = Sigmoid->new->($x) }); $y->backward }
    near(vals($x->grad), [3 * sigmoid(0.5) * (1 - sigmoid(0.5))], "grad_req 'add': three passes add up");

    my $outer = Scripted->new(
        forward  => sub { Sigmoid->new->($_[0]) * 2 },      # recording is off: the inner one only computes
        backward => sub { $_[0] * 7 });
    my $v = nd->array([1]);
    $v->attach_grad;
    my $y;
    autograd->record(sub { $y = $outer->($v) });
    near(vals($y), [2 * sigmoid(1)], 'a function called inside forward computes');
    $y->backward;
    is_deeply(vals($v->grad), [7], 'and the outer backward alone defines the gradient');
}

# --- a backward pass inside a Perl backward (the Perl thread serves both)
{
    my ($t, $g);
    my $outer = Scripted->new(
        forward  => sub { $_[0] * 1 },
        backward => sub {
            my ($dy) = @_;
            $t = nd->array([3]);
            $t->attach_grad;
            my $h;
            autograd->record(sub { $h = Sigmoid->new->($t) });
            $g = autograd->grad($h, $t);    # waits for its result: ready here
            ok(abs($g->asscalar - sigmoid(3) * (1 - sigmoid(3))) < 1e-6, 'grad inside a Perl backward');
            autograd->record(sub { $h = Sigmoid->new->($t) * 4 });
            $h->backward;                   # runs once this backward has returned
            return $dy * 2;
        });
    my $x = nd->array([1, 2]);
    $x->attach_grad;
    my $y;
    autograd->record(sub { $y = $outer->($x) });
    $y->backward;
    is_deeply(vals($x->grad), [2, 2], 'the outer gradient');
    near(vals($t->grad), [4 * sigmoid(3) * (1 - sigmoid(3))], 'the inner backward\'s gradient, after the pass');
}

ok(!autograd->is_recording, 'not recording at the end');
done_testing();

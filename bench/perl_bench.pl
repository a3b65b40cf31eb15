#!/usr/bin/env perl
# The Perl side of bench/run.py: the same cases as python_bench.py, written as an AI::MXNet user writes
# them, each timed REPEATS times. Prints one JSON object: case -> list of seconds per iteration. Started by
# bridge-launch (DMLC_ROLE set), it is a worker of the dist_step case instead, and only rank 0 prints.
use strict;
use warnings;
use Time::HiRes qw(time);
use JSON::PP;
use PDL::Lite;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

my $REPEATS = $ARGV[0] // 7;

sub timed {
    my ($code, $iterations) = @_;
    my @runs;
    for (1 .. $REPEATS) {
        my $start = time;
        $code->($iterations);
        push @runs, (time - $start) / $iterations;
    }
    return \@runs;
}

sub loop {
    my ($n) = @_;
    my $x = nd->ones([2, 2]);
    $x = $x * 1.0001 + 0.5 for 1 .. $n;
    $x->wait_to_read;
}

sub loop_record {
    my ($n) = @_;
    my $x = nd->ones([2, 2]);
    $x->attach_grad;
    my $y;
    mx->autograd->record(sub {
        $y = $x;
        $y = $y * 1.0001 + 0.5 for 1 .. $n;
    });
    $y->backward;
    $x->grad->wait_to_read;
}

sub kwargs_ops {
    my ($n) = @_;
    my $x = nd->ones([4, 8]);
    my $w = nd->ones([3, 8]);
    my $b = nd->zeros([3]);
    my ($s, $f);
    for (1 .. $n) {
        $s = nd->sum($x, axis => 1);
        $f = nd->FullyConnected($x, $w, $b, num_hidden => 3);
    }
    $s->wait_to_read;
    $f->wait_to_read;
}

my $BIG = nd->random->uniform(shape => [1000, 1000]);
my $BIG_PDL = $BIG->aspdl;

sub to_host { $BIG->aspdl for 1 .. $_[0] }
sub from_host { nd->array($BIG_PDL)->wait_to_read for 1 .. $_[0] }

# A Gluon MLP (784-256-10) trained with SGD on one batch of 64, per step: forward, loss, backward, step. As a
# worker of a distributed job (bench/run.py's dist_step: 2 workers, 1 server), on a dist_sync kvstore, each
# worker on its half of the batch, the optimizer on the server.
my $KV = $ENV{DMLC_ROLE} ? mx->kv->create('dist_sync') : undef;
my $ROWS = $KV ? 64 / $KV->num_workers : 64;
mx->random->seed(1) if $KV;
my $MLP = nn->Sequential;
$MLP->add(nn->Dense(256, activation => 'relu'), nn->Dense(10));
$MLP->initialize(init => mx->init->Xavier);
my $TRAINER = gluon->Trainer($MLP->collect_params, 'sgd', {learning_rate => 0.01}, $KV ? (kvstore => $KV) : ());
my $LOSS = gluon->loss->SoftmaxCrossEntropyLoss;
my ($DATA, $LABEL) = (nd->random->uniform(shape => [$ROWS, 784]), nd->array([map { $_ % 10 } 0 .. $ROWS - 1]));

sub mlp_train {
    my ($n) = @_;
    my $loss;
    for (1 .. $n) {
        mx->autograd->record(sub { $loss = $LOSS->($MLP->($DATA), $LABEL) });
        $loss->backward;
        $TRAINER->step(64);
    }
    $loss->wait_to_read;
}

if ($KV) {
    mlp_train(5);    # the first steps initialize the store's keys
    my $runs = timed(sub { $KV->barrier; mlp_train(@_) }, 200);    # the workers start each try together
    print JSON::PP->new->encode({dist_step => $runs}), "\n" if $KV->rank == 0;
    exit;
}

my %results = (
    loop        => timed(\&loop, 5000),
    loop_record => timed(\&loop_record, 5000),
    kwargs_ops  => timed(\&kwargs_ops, 2000),
    to_host     => timed(\&to_host, 50),
    from_host   => timed(\&from_host, 50),
    mlp_train   => timed(\&mlp_train, 100),
);
print JSON::PP->new->canonical->encode(\%results), "\n";

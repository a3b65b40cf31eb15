# A worker of tests/test_distributed.py: trains through a Trainer whose kvstore is the string 'dist_sync' until it
# is stopped; after its first step it prints its rank, pid and process group. ARGV[0] only marks the job's
# processes (the test finds them by it).
use strict;
use warnings;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

my $net = nn->Dense(2, in_units => 3);
$net->initialize;
my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.01}, kvstore => 'dist_sync');
my $x = mx->nd->ones([4, 3]);
$| = 1;
for (my $step = 1; ; $step++) {
    my $loss;
    mx->autograd->record(sub { $loss = $net->($x)->sum });
    $loss->backward;
    $trainer->step(8);
    printf "rank %d pid %d pgid %d trained\n", $trainer->kvstore->rank, $$, getpgrp if $step == 1;
}

#!/usr/bin/env perl
# An optimizer written in Perl, as AI::MXNet users wrote them: a class that extends AI::MXNet::Optimizer, with
# create_state and update, registered by name, then used by name in a Gluon Trainer. The twist on SGD: each
# step's gradient is clipped to a norm of at most max_norm, and the learning rate decays as lr / sqrt(t), t the
# parameter's update count. 50 steps of a small regression; the Python twin (perl_optimizer.py) writes the
# same optimizer in Python and prints the same numbers.
#
#     perl -Iperl_shim/lib examples/perl_optimizer.pl
use strict;
use warnings;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

package ClippedSGD {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Optimizer';
    has 'max_norm' => (is => 'ro', default => 1);

    method create_state($index, $weight) { undef }

    method update($index, $weight, $grad, $state) {
        $self->_update_count($index);
        my $lr = $self->_get_lr($index) / sqrt($self->_index_update_count->{$index});
        my $g = $grad * $self->rescale_grad;
        my $norm = $g->norm->asscalar;
        $g *= $self->max_norm / $norm if $norm > $self->max_norm;
        $weight -= $lr * ($g + $self->_get_wd($index) * $weight);
    }

    __PACKAGE__->register;    # mx->optimizer->create('clippedsgd'), gluon->Trainer(..., 'clippedsgd', ...)
}

package main;

mx->random->seed(7);
my $x = nd->random->uniform(shape => [32, 4]);
my $y = nd->random->uniform(shape => [32, 3]);
my $net = nn->Sequential;
$net->add(nn->Dense(8, activation => 'tanh'), nn->Dense(3));
$net->initialize(init => mx->init->Xavier);
my $trainer = gluon->Trainer($net->collect_params, 'clippedsgd', {learning_rate => 0.5, wd => 0.001});
my $l2 = gluon->loss->L2Loss;
for my $step (1 .. 50) {
    my $loss;
    mx->autograd->record(sub { $loss = $l2->($net->($x), $y) });
    $loss->backward;
    $trainer->step(32);
    printf "step %d: loss %.6f\n", $step, $loss->mean->asscalar if $step % 10 == 0;
}
print "last layer's weights:", $net->[1]->weight->data->aspdl;

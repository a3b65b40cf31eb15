#!/usr/bin/env perl
# The MXNet crash course, chapter "Create a neural network", as AI::MXNet code: a single Dense layer, the
# LeNet-style Sequential of the chapter with its output and parameter shapes, and a Block written in Perl
# (MixMLP) that mixes a Sequential with a Dense layer and prints an intermediate result in its forward.
use strict;
use warnings;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

# A Block written in Perl: its children are made in BUILD (an unknown method of a Block makes an attribute,
# and a Block set into one is registered as a child), forward says what it computes.
package MixMLP;
use AI::MXNet::Gluon::Mouse;
use AI::MXNet::Function::Parameters;
extends 'AI::MXNet::Gluon::Block';

sub BUILD {
    my $self = shift;
    $self->name_scope(sub {
        $self->blk(nn->Sequential);
        $self->blk->name_scope(sub {
            $self->blk->add(nn->Dense(3, activation => 'relu'));
            $self->blk->add(nn->Dense(4, activation => 'relu'));
        });
        $self->dense(nn->Dense(5));
    });
}

method forward($x) {
    my $y = nd->relu($self->blk->($x));
    print "hidden:\n", $y->aspdl;
    return $self->dense->($y);
}

package main;

mx->random->seed(1);

# A layer: a Dense layer with 2 outputs. Its input size is found on the first call (deferred initialization).
my $layer = nn->Dense(2);
print $layer, "\n";
$layer->initialize;
my $x = nd->random->uniform(-1, 1, [3, 4]);
print $layer->($x)->aspdl;
print $layer->weight->data->aspdl;

# A network: LeNet, two convolutions each followed by max pooling, then three dense layers.
my $net = nn->Sequential;
$net->name_scope(sub {
    $net->add(nn->Conv2D(channels => 6, kernel_size => 5, activation => 'relu'),
              nn->MaxPool2D(pool_size => 2, strides => 2),
              nn->Conv2D(channels => 16, kernel_size => 3, activation => 'relu'),
              nn->MaxPool2D(pool_size => 2, strides => 2),
              nn->Flatten,
              nn->Dense(120, activation => 'relu'),
              nn->Dense(84, activation => 'relu'),
              nn->Dense(10));
});
print $net, "\n";
$net->initialize;
$x = nd->random->uniform(shape => [4, 1, 28, 28]);
my $y = $net->($x);
print "output shape: @{ $y->shape }\n";
print "first layer weight: @{ $net->[0]->weight->data->shape }\n";
print "sixth layer bias: @{ ${$net}[5]->bias->data->shape }\n";
print "layers: ", scalar(@$net), "\n";

# A Block written in Perl, used like any other.
my $mix = MixMLP->new;
print $mix, "\n";
$mix->initialize;
$x = nd->random->uniform(shape => [2, 2]);
print "output:\n", $mix->($x)->aspdl;
print "second hidden layer weight:\n", $mix->blk->[1]->weight->data->aspdl;

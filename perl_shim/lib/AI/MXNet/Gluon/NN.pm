package AI::MXNet::Gluon::NN;

# `use AI::MXNet::Gluon::NN qw(nn);`: nn is this class name, the namespace of Python's mxnet.gluon.nn
# (nn->Dense(2), nn->Conv2D(channels => 6, kernel_size => 5), nn->Sequential, ...).

use strict;
use warnings;
use AI::MXNet::Gluon ();

*import = \&AI::MXNet::Gluon::import;

1;

=head1 NAME

AI::MXNet::Gluon::NN - nn->Dense, nn->Conv2D, nn->Sequential and every other layer of Python Gluon

=head1 SYNOPSIS

    use AI::MXNet::Gluon::NN qw(nn);
    my $net = nn->Sequential;
    $net->add(nn->Conv2D(channels => 6, kernel_size => 5, activation => 'relu'), nn->Flatten, nn->Dense(10));

=head1 DESCRIPTION

C<use AI::MXNet::Gluon::NN qw(nn)> exports C<nn>, this class's name. Its methods are the layers of Python's
C<mxnet.gluon.nn> 1.9.1, called AI::MXNet's way (positionals, then C<< key => value >> pairs); the layers are
handles (L<AI::MXNet::Bridge::Object>) of the classes AI::MXNet named (AI::MXNet::Gluon::NN::Dense, ...).

=cut

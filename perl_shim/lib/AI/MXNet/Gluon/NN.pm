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

=cut

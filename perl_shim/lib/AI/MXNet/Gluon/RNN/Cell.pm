package AI::MXNet::Gluon::RNN::Cell;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::RNN::Cell` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::RNN::Cell - gluon->rnn's cells (RNNCell, LSTMCell, GRUCell, SequentialRNNCell, ...)

=cut

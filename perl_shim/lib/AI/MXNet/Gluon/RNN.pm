package AI::MXNet::Gluon::RNN;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::RNN` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::RNN - gluon->rnn: Gluon's recurrent cells and layers

=cut

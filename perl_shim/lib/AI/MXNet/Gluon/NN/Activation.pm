package AI::MXNet::Gluon::NN::Activation;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::NN::Activation` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::NN::Activation - nn->Activation, LeakyReLU, PReLU, ELU, SELU, Swish

=cut

package AI::MXNet::Gluon::Data;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::Data` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::Data - gluon->data: datasets, samplers and data loaders

=cut

package AI::MXNet::LinAlg::Symbol;

# AI::MXNet's module of this name, for `use AI::MXNet::LinAlg::Symbol` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::LinAlg::Symbol - sym->linalg: mxnet's linear algebra operators on Symbols

=cut

package AI::MXNet::Initializer;

# AI::MXNet's module of this name, for `use AI::MXNet::Initializer` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Initializer - mx->init: the initializers; extend AI::MXNet::Initializer in Perl (_init_weight, register)

=cut

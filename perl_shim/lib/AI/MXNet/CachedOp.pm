package AI::MXNet::CachedOp;

# AI::MXNet's module of this name, for `use AI::MXNet::CachedOp` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::CachedOp - a hybridized graph's cached operator (AI::MXNet::CachedOp objects)

=cut

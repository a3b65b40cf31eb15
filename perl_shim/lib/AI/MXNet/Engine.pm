package AI::MXNet::Engine;

# AI::MXNet's module of this name, for `use AI::MXNet::Engine` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Engine - mx->engine: bulk execution settings

=cut

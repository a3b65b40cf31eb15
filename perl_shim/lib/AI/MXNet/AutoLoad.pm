package AI::MXNet::AutoLoad;

# AI::MXNet's module of this name, for `use AI::MXNet::AutoLoad` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::AutoLoad - AI::MXNet's autoloading of its namespaces (here the bridge's namespace table does it)

=cut

package AI::MXNet::Symbol::NameManager;

# AI::MXNet's module of this name, for `use AI::MXNet::Symbol::NameManager` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Symbol::NameManager - the names given to new Symbols

=cut

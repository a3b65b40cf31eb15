package AI::MXNet::Symbol::AttrScope;

# AI::MXNet's module of this name, for `use AI::MXNet::Symbol::AttrScope` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Symbol::AttrScope - mx->AttrScope: attributes given to the Symbols made in a scope

=cut

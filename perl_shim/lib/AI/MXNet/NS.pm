package AI::MXNet::NS;

# AI::MXNet's module of this name, for `use AI::MXNet::NS` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::NS - AI::MXNet's namespace helper (here the bridge's namespace table)

=cut

package AI::MXNet::Optimizer;

# AI::MXNet's module of this name, for `use AI::MXNet::Optimizer` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Optimizer - mx->optimizer: the optimizers and updaters; extend AI::MXNet::Optimizer in Perl (create_state, update, register)

=cut

package AI::MXNet::LRScheduler;

# AI::MXNet's module of this name, for `use AI::MXNet::LRScheduler` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::LRScheduler - mx->lr_scheduler: FactorScheduler, MultiFactorScheduler, ...; extend AI::MXNet::LRScheduler in Perl (call)

=cut

package AI::MXNet::LRScheduler;

# AI::MXNet's module of this name, for `use AI::MXNet::LRScheduler` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::LRScheduler - mx->lr_scheduler: FactorScheduler, MultiFactorScheduler, ...; extend AI::MXNet::LRScheduler in Perl (call)

=head1 SYNOPSIS

    use AI::MXNet::LRScheduler;    # before, or instead of, use AI::MXNet qw(mx)

=head1 DESCRIPTION

AI::MXNet had a module of this name; loading it here loads the bridge (L<AI::MXNet>), which provides the
package: mx->lr_scheduler: FactorScheduler, MultiFactorScheduler, ...; extend AI::MXNet::LRScheduler in Perl (call). docs/COMPATIBILITY.md gives the status of each name.

=cut

package AI::MXNet::Profiler;

# AI::MXNet's module of this name, for `use AI::MXNet::Profiler` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Profiler - mxnet's profiler settings

=head1 SYNOPSIS

    use AI::MXNet::Profiler;    # before, or instead of, use AI::MXNet qw(mx)

=head1 DESCRIPTION

AI::MXNet had a module of this name; loading it here loads the bridge (L<AI::MXNet>), which provides the
package: mxnet's profiler settings. docs/COMPATIBILITY.md gives the status of each name.

=cut

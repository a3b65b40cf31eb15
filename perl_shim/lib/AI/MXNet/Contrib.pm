package AI::MXNet::Contrib;

# AI::MXNet's module of this name, for `use AI::MXNet::Contrib` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Contrib - mx->contrib: the contrib operators (nd->contrib, sym->contrib)

=head1 SYNOPSIS

    use AI::MXNet::Contrib;    # before, or instead of, use AI::MXNet qw(mx)

=head1 DESCRIPTION

AI::MXNet had a module of this name; loading it here loads the bridge (L<AI::MXNet>), which provides the
package: mx->contrib: the contrib operators (nd->contrib, sym->contrib). docs/COMPATIBILITY.md gives the status of each name.

=cut

package AI::MXNet::Initializer;

# AI::MXNet's module of this name, for `use AI::MXNet::Initializer` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Initializer - mx->init: the initializers; extend AI::MXNet::Initializer in Perl (_init_weight, register)

=head1 SYNOPSIS

    use AI::MXNet::Initializer;    # before, or instead of, use AI::MXNet qw(mx)

=head1 DESCRIPTION

AI::MXNet had a module of this name; loading it here loads the bridge (L<AI::MXNet>), which provides the
package: mx->init: the initializers; extend AI::MXNet::Initializer in Perl (_init_weight, register). docs/COMPATIBILITY.md gives the status of each name.

=cut

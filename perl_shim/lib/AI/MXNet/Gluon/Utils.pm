package AI::MXNet::Gluon::Utils;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::Utils` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::Utils - gluon->utils: split_and_load, clip_global_norm, check_sha1, download (which downloads nothing)

=head1 SYNOPSIS

    use AI::MXNet::Gluon::Utils;    # before, or instead of, use AI::MXNet qw(mx)

=head1 DESCRIPTION

AI::MXNet had a module of this name; loading it here loads the bridge (L<AI::MXNet>), which provides the
package: gluon->utils: split_and_load, clip_global_norm, check_sha1, download (which downloads nothing). docs/COMPATIBILITY.md gives the status of each name.

=cut

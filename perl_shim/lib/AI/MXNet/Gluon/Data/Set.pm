package AI::MXNet::Gluon::Data::Set;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::Data::Set` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::Data::Set - gluon->data's datasets; extend AI::MXNet::Gluon::Data::Set in Perl (at, len)

=head1 SYNOPSIS

    use AI::MXNet::Gluon::Data::Set;    # before, or instead of, use AI::MXNet qw(mx)

=head1 DESCRIPTION

AI::MXNet had a module of this name; loading it here loads the bridge (L<AI::MXNet>), which provides the
package: gluon->data's datasets; extend AI::MXNet::Gluon::Data::Set in Perl (at, len). docs/COMPATIBILITY.md gives the status of each name.

=cut

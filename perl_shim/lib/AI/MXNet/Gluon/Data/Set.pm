package AI::MXNet::Gluon::Data::Set;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::Data::Set` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::Data::Set - gluon->data's datasets; extend AI::MXNet::Gluon::Data::Set in Perl (at, len)

=cut

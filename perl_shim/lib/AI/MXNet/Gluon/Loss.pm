package AI::MXNet::Gluon::Loss;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::Loss` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::Loss - gluon->loss: Gluon's losses; extend AI::MXNet::Gluon::Loss in Perl (hybrid_forward)

=cut

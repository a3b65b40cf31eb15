package AI::MXNet::Gluon::Parameter;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::Parameter` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::Parameter - Gluon's Parameter, Constant and ParameterDict

=cut

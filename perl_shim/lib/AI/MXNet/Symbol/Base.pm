package AI::MXNet::Symbol::Base;

# AI::MXNet's module of this name, for `use AI::MXNet::Symbol::Base` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Symbol::Base - the generated Symbol operators (here forwarded to mxnet's registry)

=cut

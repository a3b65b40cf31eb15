package AI::MXNet::Contrib::NDArray;

# AI::MXNet's module of this name, for `use AI::MXNet::Contrib::NDArray` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Contrib::NDArray - nd->contrib: mxnet's contrib operators on NDArrays

=cut

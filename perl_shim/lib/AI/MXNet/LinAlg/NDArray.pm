package AI::MXNet::LinAlg::NDArray;

# AI::MXNet's module of this name, for `use AI::MXNet::LinAlg::NDArray` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::LinAlg::NDArray - nd->linalg: mxnet's linear algebra operators on NDArrays

=cut

package AI::MXNet::NDArray::Slice;

# AI::MXNet's module of this name, for `use AI::MXNet::NDArray::Slice` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::NDArray::Slice - NDArray slices (here views made by the bridge's slicing rules)

=cut

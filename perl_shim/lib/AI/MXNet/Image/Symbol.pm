package AI::MXNet::Image::Symbol;

# AI::MXNet's module of this name, for `use AI::MXNet::Image::Symbol` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Image::Symbol - sym->image: mxnet's image operators on Symbols

=cut

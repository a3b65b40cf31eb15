package AI::MXNet::KVStore;

# AI::MXNet's module of this name, for `use AI::MXNet::KVStore` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::KVStore - mx->kv: key-value stores

=cut

package AI::MXNet::RunTime;

# AI::MXNet's module of this name, for `use AI::MXNet::RunTime` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::RunTime - mx->runtime->Features: what this libmxnet was built with

=cut

package AI::MXNet::Metric;

# AI::MXNet's module of this name, for `use AI::MXNet::Metric` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Metric - mx->metric: the evaluation metrics; extend AI::MXNet::EvalMetric in Perl (update, get, reset, register)

=cut

package AI::MXNet::Gluon::NN::ConvLayers;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::NN::ConvLayers` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::NN::ConvLayers - nn->Conv1D..3D, Conv2DTranspose, MaxPool2D, AvgPool2D, GlobalAvgPool2D, ...

=head1 SYNOPSIS

    use AI::MXNet::Gluon::NN::ConvLayers;    # before, or instead of, use AI::MXNet qw(mx)

=head1 DESCRIPTION

AI::MXNet had a module of this name; loading it here loads the bridge (L<AI::MXNet>), which provides the
package: nn->Conv1D..3D, Conv2DTranspose, MaxPool2D, AvgPool2D, GlobalAvgPool2D, .... docs/COMPATIBILITY.md gives the status of each name.

=cut

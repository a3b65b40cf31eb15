package AI::MXNet::Gluon::Data::Vision;

# AI::MXNet's module of this name, for `use AI::MXNet::Gluon::Data::Vision` before (or instead of) `use AI::MXNet`: loading
# the bridge provides the package (AI::MXNet::Bridge::Namespaces, ::Object, ::Twin).

use strict;
use warnings;
use AI::MXNet ();

1;

=head1 NAME

AI::MXNet::Gluon::Data::Vision - gluon->data->vision: MNIST, FashionMNIST, CIFAR10 and the transforms

=cut

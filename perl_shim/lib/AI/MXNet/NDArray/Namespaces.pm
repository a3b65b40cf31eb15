package AI::MXNet::NDArray::Namespaces;

# nd->linalg, nd->contrib, nd->image and nd->sparse: each an AI::MXNet class name whose every function
# forwards to the bridge namespace of the same meaning (and so to every operator mxnet registers there).

use strict;
use warnings;
use AI::MXNet::Bridge;

our %NAMESPACES = (
    'AI::MXNet::LinAlg::NDArray'  => 'nd.linalg',
    'AI::MXNet::Contrib::NDArray' => 'nd.contrib',
    'AI::MXNet::Image::NDArray'   => 'nd.image',
    'AI::MXNet::NDArray::Sparse'  => 'nd.sparse',
);

for my $package (sort keys %NAMESPACES) {
    AI::MXNet::Bridge::install_namespace($package, $NAMESPACES{$package});
    (my $file = "$package.pm") =~ s{::}{/}g;
    $INC{$file} //= __FILE__;    # `use AI::MXNet::LinAlg::NDArray;` finds it loaded
}

1;

=head1 NAME

AI::MXNet::NDArray::Namespaces - nd->linalg, nd->contrib, nd->image, nd->sparse

=head1 SYNOPSIS

    my $c = nd->linalg->gemm2($a, $b, transpose_b => 1, alpha => 2.0);
    my $t = nd->image->to_tensor(nd->zeros([28, 28, 3]));
    my $s = nd->sparse->zeros('csr', [2, 3]);

=head1 DESCRIPTION

The classes AI::MXNet::LinAlg::NDArray, AI::MXNet::Contrib::NDArray, AI::MXNet::Image::NDArray and
AI::MXNet::NDArray::Sparse, as AI::MXNet named them. Every function of mxnet's C<nd.linalg>, C<nd.contrib>,
C<nd.image> and C<nd.sparse> is there, called AI::MXNet's way (positionals, then C<< key => value >> pairs or
a trailing hash ref); an unknown name dies "unknown operator NAME in mx.nd.linalg".

=cut

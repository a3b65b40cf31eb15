package AI::MXNet::Bridge::Namespaces;

# AI::MXNet's namespaces, read from the one table of them: the bridge's namespace tree (bridge/__init__.py,
# each namespace with its AI::MXNet class name). Here each becomes what Perl needs: the accessors of its
# children (mx->gluon, gluon->nn, nd->linalg, mx->init and mx->initializer), and, for a namespace of
# operators without a module of its own (nd->linalg, nd->contrib, nd->image, nd->sparse), its forwarding subs.
# Namespaces of objects (gluon, mx->init, ...) are set up by AI::MXNet::Bridge::Object from %PATH.

use strict;
use warnings;
use AI::MXNet::Bridge;

our %PATH;     # AI::MXNet class name => the bridge path its functions resolve under ('mx.gluon.nn')
our %CALLS;    # AI::MXNet class name => 'operators', 'objects' or 'module' (bridge/arrays/namespace.py)

# Namespaces whose Perl module must be loaded before they are used (the rest need none of their own).
our %MODULE = ('AI::MXNet::Gluon' => 'AI/MXNet/Gluon.pm', 'AI::MXNet::Gluon::NN' => 'AI/MXNet/Gluon/NN.pm',
              'AI::MXNet::Symbol' => 'AI/MXNet/Symbol.pm', 'AI::MXNet::RecordIO' => 'AI/MXNet/RecordIO.pm',
              'AI::MXNet::Visualization' => 'AI/MXNet/Visualization.pm');

for my $row (@{ AI::MXNet::Bridge::python('namespace_table') }) {
    my ($package, $path, $calls, $children) = @$row;
    $PATH{$package} = $path;
    $CALLS{$package} = $calls;
    no strict 'refs';
    for my $name (keys %$children) {
        my $child = $children->{$name};
        next if defined &{"${package}::$name"};
        my $file = $MODULE{$child};
        *{"${package}::$name"} = $file ? sub { require $file; $child } : sub { $child };
    }
    next unless $calls eq 'operators';
    AI::MXNet::Bridge::install_namespace($package, $path);
    (my $file = "$package.pm") =~ s{::}{/}g;
    $INC{$file} //= __FILE__;    # `use AI::MXNet::LinAlg::NDArray;` finds it loaded
}

1;

=head1 NAME

AI::MXNet::Bridge::Namespaces - AI::MXNet's namespaces (mx->gluon, nd->linalg, mx->init, ...) from the bridge's table

=head1 SYNOPSIS

    my $c = nd->linalg->gemm2($a, $b, transpose_b => 1, alpha => 2.0);
    my $t = nd->image->to_tensor(nd->zeros([28, 28, 3]));
    my $s = nd->sparse->zeros('csr', [2, 3]);
    my $init = mx->initializer->Xavier;    # mx->init, as AI::MXNet also named it

=head1 DESCRIPTION

The bridge's namespace tree (C<bridge/__init__.py>) names every namespace's AI::MXNet class; this module
reads it once at load. Each namespace's children become class methods returning the child's class name
(C<< mx->gluon >> is C<AI::MXNet::Gluon>, C<< nd->linalg >> is C<AI::MXNet::LinAlg::NDArray>). The namespaces of
operators (AI::MXNet::LinAlg::NDArray, AI::MXNet::Contrib::NDArray, AI::MXNet::Image::NDArray,
AI::MXNet::NDArray::Sparse) forward every function of mxnet's C<nd.linalg>, C<nd.contrib>, C<nd.image> and
C<nd.sparse>, called AI::MXNet's way (positionals, then C<< key => value >> pairs or a trailing hash ref); an
unknown name dies "unknown operator NAME in mx.nd.linalg". To add a namespace, add it to the tree in Python.

=cut

package AI::MXNet;

# `use AI::MXNet qw(mx);` exports `mx` (the class name, so mx->nd is AI::MXNet::NDArray) and, as
# AI::MXNet before 1.5 did, makes `mx` and `nd` usable as bare class names in every package.

use strict;
use warnings;
use AI::MXNet::Bridge;
use AI::MXNet::Base;    # its helpers as AI::MXNet::zip etc. (as AI::MXNet had them), PDL as AI::MXNet left it
use AI::MXNet::Context;
use AI::MXNet::NDArray;
use AI::MXNet::AutoGrad;
use AI::MXNet::Random;
use AI::MXNet::Logging;
use AI::MXNet::Bridge::Namespaces;
use AI::MXNet::Bridge::Object;
use AI::MXNet::Bridge::Twin;
use AI::MXNet::Logging;

# Every AI::MXNet class of Python's is usable by name (AI::MXNet::FactorScheduler->new(...),
# AI::MXNet::DataParallelExecutorGroup->new(...)) and extensible.
AI::MXNet::Bridge::Object::declare_classes();

our $VERSION = '1.5';

# AI::MXNet loaded Hash::Ordered (its Gluon parameters used it), and scripts written for it call
# Hash::Ordered->new without loading it themselves (its t/test_module.t does): loaded here when installed.
# The bridge recognises such objects by their methods, whether or not it is.
eval { require Hash::Ordered; 1 };

sub import {
    my ($class, @names) = @_;
    my $target = caller;
    no strict 'refs';
    for my $name (map { s/[^\w:]//gr } @names) {
        *{"${target}::$name"} = sub { __PACKAGE__ };
        *{"${name}::"} = \%{"AI::MXNet::"};
    }
    *{"nd::"} = \%{"AI::MXNet::NDArray::"};
    return;
}

sub cpu       { AI::MXNet::Context->cpu($_[1] // 0) }
sub gpu       { AI::MXNet::Context->gpu($_[1] // 0) }
sub cpu_pinned { AI::MXNet::Context->cpu_pinned($_[1] // 0) }
sub AttrScope { shift; AI::MXNet::Bridge::call('mx.AttrScope', @_) }

# mx->Context(...) (cpu(0) when called bare) is a method of AI::MXNet's parent: a sub named AI::MXNet::Context
# would make Perl read `AI::MXNet::Context->cpu()` as a call of that sub (a Function::Parameters default fails).
{
    package AI::MXNet::Bridge::Context;
    sub Context { shift; AI::MXNet::Context->new(@_) }
}
our @ISA = ('AI::MXNet::Bridge::Context');

# AI::MXNet's attribute scope: `local $mx::AttrScope = mx->AttrScope(group => 4)` (mx:: is AI::MXNet::). The
# variable is tied: each assignment, and each restore as a `local` ends, sets the scope in which Python's
# symbol functions make symbols (bridge/api/symbol.py set_attr_scope).
{
    package AI::MXNet::Symbol::AttrScope::Current;
    sub TIESCALAR { my $scope; return bless \$scope }
    sub FETCH     { ${ $_[0] } }
    sub STORE     { ${ $_[0] } = $_[1]; AI::MXNet::Bridge::python('set_attr_scope', $_[1]); $_[1] }
}
tie our $AttrScope, 'AI::MXNet::Symbol::AttrScope::Current';

# mx->nd, mx->autograd, mx->gluon, mx->init, mx->sym, ... (every namespace AI::MXNet had, with its aliases)
# come from the bridge's table of namespaces: AI::MXNet::Bridge::Namespaces.

1;

=head1 NAME

AI::MXNet - AI::MXNet's Perl interface, running on Python mxnet 1.9.1 through the bridge

=head1 SYNOPSIS

    use AI::MXNet qw(mx);
    my $x = nd->array([[1, 2], [3, 4]]);
    $x->attach_grad;
    my $y;
    mx->autograd->record(sub { $y = 2 * $x * $x });
    $y->backward;
    print $x->grad->aspdl;

=head1 DESCRIPTION

Scripts written for AI::MXNet run unchanged, on the Python mxnet 1.9.1 of a venv: from a checkout,
C<perl -Iperl_shim/lib script.pl> (the checkout's C<.venv>, made by C<make setup>); installed, C<perl script.pl>
(the venv recorded at install, see L<AI::MXNet::Bridge::Config>). C<AI_MXNET_BRIDGE_VENV> names another.
C<perl -MAI::MXNet::Bridge -e 'print AI::MXNet::Bridge::config_line'> reports what is in use.
C<use AI::MXNet qw(mx)> exports C<mx> (this class's name) and makes C<mx> and C<nd> class names in every package.

=head1 CLASS METHODS

=over

=item nd, ndarray, autograd, random, rnd

The class names AI::MXNet::NDArray, AI::MXNet::AutoGrad, AI::MXNet::Random. These and the namespaces below
come from the bridge's one table of namespaces (L<AI::MXNet::Bridge::Namespaces>).

=item context, Context(@args)

C<context> is the class name AI::MXNet::Context; C<Context('gpu', 1)> makes a context (C<cpu(0)> by default).

=item cpu($id), gpu($id), cpu_pinned($id)

A context (id 0 by default).

=item gluon, init, initializer, metric, optimizer, opt, lr_scheduler, sym, symbol, io, image, img, mod, module, kv, kvstore, engine, runtime

The namespaces AI::MXNet::Gluon, AI::MXNet::Initializer, AI::MXNet::Metric, AI::MXNet::Optimizer,
AI::MXNet::LRScheduler, AI::MXNet::Symbol, AI::MXNet::IO, AI::MXNet::Image, AI::MXNet::Module,
AI::MXNet::KVStore, AI::MXNet::Engine, AI::MXNet::RunTime: their methods call Python's functions and classes
of the same names (L<AI::MXNet::Bridge::Object>).

=item AttrScope(%attributes)

An attribute scope for symbols: C<< local $mx::AttrScope = mx->AttrScope(group => 4) >>.

=back

=cut

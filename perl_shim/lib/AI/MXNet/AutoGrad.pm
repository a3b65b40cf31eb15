package AI::MXNet::AutoGrad;

# AI::MXNet::AutoGrad: every name forwards to bridge/api/autograd.py, which restores the recording and
# training state when a scope ends, also when its sub dies (the die reaches the caller unchanged), and runs
# every backward pass so that Functions written in Perl can take part (AI::MXNet::AutoGrad::Function).

use strict;
use warnings;
use AI::MXNet::Bridge;
use AI::MXNet::Symbol;
use AI::MXNet::AutoGrad::Function;

sub import {
    my ($class, @names) = @_;
    my $target = caller;
    no strict 'refs';
    *{"${target}::$_"} = sub { __PACKAGE__ } for map { s/[^\w:]//gr } @names;
    return;
}

AI::MXNet::Bridge::install_namespace(__PACKAGE__, 'autograd',
    {callbacks => [qw(record pause train_mode predict_mode)]},
    qw(is_recording is_training set_is_recording set_is_training backward grad mark_variables
       compute_gradient));

# The Python function returns the pair (gradients, output); AI::MXNet's returns it as a list.
sub grad_and_loss {
    my $function = AI::MXNet::Bridge::call_with_callbacks('autograd.grad_and_loss', @_[1 .. $#_]);
    return sub { @{ $function->(@_) } };
}

sub get_symbol { AI::MXNet::Symbol->_from_python(AI::MXNet::Bridge::call('autograd.get_symbol', @_[1 .. $#_])) }

sub Function { 'AI::MXNet::AutoGrad::Function' }

1;

=head1 NAME

AI::MXNet::AutoGrad - record operations and compute gradients

=head1 SYNOPSIS

    use AI::MXNet qw(mx);
    $x->attach_grad;
    mx->autograd->record(sub { $y = 2 * $x * $x });
    $y->backward;                                   # or mx->autograd->backward($y)
    my $dx = mx->autograd->grad($y, $x, create_graph => 1);

=head1 DESCRIPTION

Python mxnet's C<mx.autograd>, called AI::MXNet's way: a scope is a sub (C<< record(sub { ... }) >>), and
C<use AI::MXNet::AutoGrad qw(autograd)> exports C<autograd>, this class's name.

=head1 METHODS

=over

=item record($sub, train_mode => 1), pause($sub, train_mode => 0), train_mode($sub), predict_mode($sub)

Run C<$sub> in the scope; return what it returns. The previous state comes back when C<$sub> returns or dies.

=item is_recording, is_training, set_is_recording($bool), set_is_training($bool)

Read or set the state; the setters return the previous state.

=item backward($heads, head_grads => ..., retain_graph => 0, train_mode => 1)

Gradients of C<$heads> (an NDArray or an array ref of them) into the gradients of the marked variables.
C<head_grads>: one per head, C<undef> for ones. Without C<retain_graph> the graph is freed: a second
backward through it dies with MXNet's message.

=item grad($heads, $variables, head_grads => ..., retain_graph => ..., create_graph => 0, train_mode => 1)

The gradients as new arrays: one NDArray for one variable, an array ref for an array ref. With
C<create_graph> the gradient computation is recorded, so the result can be differentiated again.

=item mark_variables(\@variables, \@gradients, grad_reqs => 'write'), compute_gradient(\@outputs)

C<grad_reqs> is 'write', 'add', 'null', or an array ref of them. C<compute_gradient> is C<backward>.

=item grad_and_loss($func, $argnum)

A code ref: called with arguments, it runs C<$func> on them while recording and returns
C<(\@gradients, $output)>, the gradients of the arguments numbered C<$argnum> (a number or an array ref;
all when undef).

=item get_symbol($x)

The recorded computation behind C<$x> as an AI::MXNet::Symbol (C<list_arguments>, C<list_outputs>,
C<tojson>, ...).

=item Function

The class name AI::MXNet::AutoGrad::Function: subclass it for a differentiable function written in Perl.

=back

=cut

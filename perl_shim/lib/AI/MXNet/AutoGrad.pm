package AI::MXNet::AutoGrad;

# AI::MXNet::AutoGrad: every name forwards to bridge/autograd.py, which restores the recording and
# training state when a scope ends, also when its sub dies (the die reaches the caller unchanged).

use strict;
use warnings;
use AI::MXNet::Bridge;

sub import {
    my ($class, @names) = @_;
    my $target = caller;
    no strict 'refs';
    *{"${target}::$_"} = sub { __PACKAGE__ } for map { s/[^\w:]//gr } @names;
    return;
}

AI::MXNet::Bridge::install_namespace(__PACKAGE__, 'autograd',
    {callbacks => [qw(record pause train_mode predict_mode)]},
    qw(is_recording is_training set_is_recording set_is_training backward mark_variables));

1;

=head1 NAME

AI::MXNet::AutoGrad - record operations and compute gradients

=head1 SYNOPSIS

    use AI::MXNet qw(mx);
    $x->attach_grad;
    mx->autograd->record(sub { $y = 2 * $x * $x });
    $y->backward;

=head1 METHODS

=over

=item record($sub, train_mode => 1), pause($sub, train_mode => 0), train_mode($sub), predict_mode($sub)

Run C<$sub> in the scope; return what it returns. The previous state comes back when C<$sub> returns or dies.

=item is_recording, is_training, set_is_recording($bool), set_is_training($bool)

Read or set the state; the setters return the previous state.

=item backward($heads, head_grads => ..., retain_graph => 0, train_mode => 1), mark_variables($vars, $grads, grad_reqs => 'write')

=back

=cut

package AI::MXNet::AutoGrad::Function;

# A differentiable function written in Perl: a subclass's forward and backward run inside mxnet's graph
# (bridge/handles/function.py records it as Python's mx.autograd.Function is recorded). mxnet asks for the backward
# on a thread of its own; the bridge runs it on the Perl thread (bridge/perl/callbacks.py).

use strict;
use warnings;
use Carp qw(croak);
use AI::MXNet::Bridge;

use overload '&{}' => sub { my $self = shift; sub { $self->call(@_) } }, fallback => 1;

sub new {
    my ($class, %args) = @_;
    return bless {%args}, $class;
}

sub call {
    my ($self, @inputs) = @_;
    croak 'Each Function instance can only be called once. Please create another instance.' if $self->{_used}++;
    my $outputs = AI::MXNet::Bridge::call_with_callbacks('handles.function.apply',
        sub { $self->forward(@_) }, sub { $self->backward(@_) }, \@inputs);
    return ref $outputs eq 'ARRAY' && wantarray ? @$outputs : $outputs;
}

sub save_for_backward {
    my ($self, @arrays) = @_;
    $self->{saved_tensors} = \@arrays;
    return;
}

sub saved_tensors {
    my ($self) = @_;
    my $saved = $self->{saved_tensors} // [];
    return wantarray ? @$saved : $saved;
}

sub forward  { croak ref($_[0]) . ' must define forward' }
sub backward { croak ref($_[0]) . ' must define backward' }

1;

=head1 NAME

AI::MXNet::AutoGrad::Function - a differentiable function written in Perl (Python's mx.autograd.Function)

=head1 SYNOPSIS

    package Cube;                     # x**3, with the derivative given by hand
    use parent 'AI::MXNet::AutoGrad::Function';
    sub forward {
        my ($self, $x) = @_;
        $self->save_for_backward($x);
        return $x ** 3;
    }
    sub backward {
        my ($self, $dy) = @_;
        my ($x) = $self->saved_tensors;
        return 3 * $x * $x * $dy;
    }

    package main;
    $x->attach_grad;
    my $y;
    mx->autograd->record(sub { $y = Cube->new->($x) });
    $y->backward;                     # Cube::backward computes $x->grad

See also examples/autograd_function.pl.

=head1 DESCRIPTION

C<forward> gets the input NDArrays and returns an NDArray or a list of them; it runs with recording off.
C<backward> gets one gradient per output and returns one gradient per input; it runs with recording off,
on the Perl thread, while the call that started the backward pass (C<< $y->backward >>,
C<< autograd->backward >>, C<< autograd->grad >>) waits: mxnet asks for it from a thread of its own, and the
bridge hands the request to the Perl thread. A die in C<forward> or C<backward> reaches the caller of the
function or of C<backward> unchanged.

=head1 METHODS

=head2 new(%fields), call(@inputs), C<< $function->(@inputs) >>

Apply the function. An instance can be called once (its saved tensors belong to that call). Returns the
output, or the list of outputs (an array ref in scalar context).

=head2 forward(@inputs), backward(@output_gradients)

What a subclass writes (see L</DESCRIPTION>); the base class's die, saying so.

=head2 save_for_backward(@arrays), saved_tensors

Keep arrays for C<backward>; C<saved_tensors> returns them (an array ref in scalar context).

=cut

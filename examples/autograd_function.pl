#!/usr/bin/env perl
# A differentiable function written in Perl (AI::MXNet never had them; Python mxnet's autograd.Function
# does): softplus, log(1 + e^x), with its backward given by hand (the sigmoid), and the gradient mxnet's
# chain rule finds for the same formula. mxnet asks for the backward from a thread of its own; the bridge
# runs it on Perl's thread.
use strict;
use warnings;
use AI::MXNet qw(mx);

package Softplus;
use parent -norequire, 'AI::MXNet::AutoGrad::Function';

sub forward {
    my ($self, $x) = @_;
    $self->save_for_backward($x);
    return nd->log(1 + nd->exp($x));
}

sub backward {
    my ($self, $dy) = @_;
    my ($x) = $self->saved_tensors;
    return $dy / (1 + nd->exp(-$x));
}

package main;

my $x = nd->array([[-2, -1, 0], [1, 2, 3]]);
$x->attach_grad;

my $y;
mx->autograd->record(sub { $y = Softplus->new->($x) });
$y->backward;
print $y->aspdl, $x->grad->aspdl;

my $z;
mx->autograd->record(sub { $z = nd->log(1 + nd->exp($x)) });
$z->backward;
print $x->grad->aspdl;

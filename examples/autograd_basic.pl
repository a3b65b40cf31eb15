#!/usr/bin/env perl
# The autograd tutorial's "basic usage", restored to a complete script: differentiate f(x) = 2x^2.
use strict;
use warnings;
use AI::MXNet qw(mx);

my $xx = nd->array([[1, 2], [3, 4]]);

print $xx->aspdl;

$xx->attach_grad;

my $yy;

mx->autograd->record(sub {
$yy = 2 * $xx * $xx ;
});

$yy->backward;

print $xx->grad->aspdl;

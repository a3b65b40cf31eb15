#!/usr/bin/env perl
# The autograd tutorial's "using control flows", restored to a complete script (seeded: seed 0 gives the document's numbers).
use strict;
use warnings;
use AI::MXNet qw(mx);

mx->random->seed(0);

sub ff {
my $aa = $_[0];
my $bb = $aa * 2;

while ( pdlmnorm($bb) < 1000) {
  $bb = $bb *2;
}

my $cc;
if ( $bb->sum >= 0 ) {
  $cc = $bb->slice('0');
} else {
  $cc = $bb->slice('1');
}
return nd->array($cc);
}

sub pdlmnorm {
require PDL::LinearAlgebra;
my $invec = $_[0] ;
my $mnorm = PDL::LinearAlgebra::mnorm( $invec->aspdl);
$mnorm = PDL::sclr($mnorm);
return $mnorm;
}

my $aa = nd->random->uniform(shape=>2);

$aa->attach_grad;

my $cc;

mx->autograd->record( sub{
$cc = ff($aa);
});

$cc->backward;

print $aa->grad->aspdl, "\n";

my $alt = $cc/$aa;

print $alt->aspdl, "\n";

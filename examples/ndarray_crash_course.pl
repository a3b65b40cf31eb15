#!/usr/bin/env perl
# The MXNet crash course, chapter "Manipulate data with NDArray", as AI::MXNet code: create arrays, look at
# them, compute with them, slice and assign, and go to PDL and back.
use strict;
use warnings;
use AI::MXNet qw(mx);

mx->random->seed(1);

# Creating arrays: from nested lists, filled with ones, random, filled with a value.
my $xx = nd->array([[1, 2, 3], [5, 6, 7]]);
print $xx->aspdl;
my $zz = nd->ones([2, 3]);
print $zz->aspdl;
my $yy = nd->random->uniform(-1, 1, [2, 3]);
print $yy->aspdl;
$zz = nd->full([2, 3], 2.0);
print $zz->aspdl;

# Shape, size and type.
print "@{ $zz->shape } ", $zz->size, " ", $zz->dtype, "\n";

# Operations: elementwise product, exponential, matrix product with a transpose.
print(($zz * $yy)->aspdl);
print $yy->exp->aspdl;
print nd->dot($zz, $yy->T)->aspdl;

# Indexing: one element, a range of columns (end included), assignment through a slice.
print $yy->slice(1, 2)->aspdl;
print $yy->slice('X', [1, 2])->aspdl;
$yy->slice('X', [1, 2]) .= 2;
print $yy->aspdl;
$yy->slice(1, [0, 1]) .= 4;
$yy->slice(1, 2) .= 7;
print $yy->aspdl;
$yy->slice(0,) .= 14;
print $yy->aspdl;

# Converting to PDL and back: edit a slice of the PDL, then make an NDArray of it again.
my $pdl = $yy->aspdl;
print $pdl->slice('1:2,:');
$pdl->slice('1:2,:') .= 3;
my $back = nd->array($pdl);
print "@{ $back->shape } ", $back->dtype, "\n";
print $back->aspdl;
print $yy->aspdl;

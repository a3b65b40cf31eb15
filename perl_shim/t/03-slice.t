#!/usr/bin/env perl
# AI::MXNet's slicing rules: slice(i) keeps the axis, [b, e] is end-inclusive, 'X' is a whole axis,
# one slice per dimension is a crop, at(i) drops the axis, and .= writes through views and crops.
use strict;
use warnings;
use Test::More;
use AI::MXNet qw(mx);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;


# 3 rows of 4: value = 10*row + col
sub grid { nd->array([[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]) }

my $x = grid();

# --- a single index keeps the axis
is_deeply($x->slice(0)->shape, [1, 4], 'slice(0) has shape [1,4]');
is_deeply(vals($x->slice(0)), [0, 1, 2, 3], 'slice(0) is row 0');
is_deeply($x->slice('0')->shape, [1, 4], "slice('0') has shape [1,4]");
is_deeply(vals($x->slice('2')), [20, 21, 22, 23], "slice('2') is row 2");
is_deeply(vals($x->slice(1)), [10, 11, 12, 13], 'slice(1) is row 1');
is_deeply(nd->array([5, 6, 7])->slice(1)->shape, [1], 'slice(1) of a 1-D array has shape [1]');
is(nd->array([5, 6, 7])->slice(1)->asscalar, 6, 'slice(1) of a 1-D array is element 1');

# --- [begin, end] with the end inclusive
is_deeply($x->slice([1, 2])->shape, [2, 4], 'slice([1,2]) has 2 rows');
is_deeply(vals($x->slice([1, 2])), [10, 11, 12, 13, 20, 21, 22, 23], 'slice([1,2]) is rows 1..2');
is_deeply(vals($x->slice([0, 0])), [0, 1, 2, 3], 'slice([0,0]) is row 0');
is_deeply($x->slice([0, 2])->shape, [3, 4], 'slice([0,2]) is all 3 rows');
is_deeply(vals($x->slice([2])), [20, 21, 22, 23], 'slice([2]) is row 2 only');

# --- 'X' is the whole axis
is_deeply($x->slice('X')->shape, [3, 4], "slice('X') is the whole array");
is_deeply(vals($x->slice('X')), vals($x), "slice('X') has every value");

# --- negative indices count from the end
is_deeply(vals($x->slice(-1)), [20, 21, 22, 23], 'slice(-1) is the last row');
is_deeply(vals($x->slice('-3')), [0, 1, 2, 3], "slice('-3') is row 0");
is_deeply(vals($x->slice([-2, -1])), [10, 11, 12, 13, 20, 21, 22, 23], 'slice([-2,-1]) is the last two rows');
is_deeply(vals($x->slice([0, -2])), [0, 1, 2, 3, 10, 11, 12, 13], 'slice([0,-2]) is rows 0..1');

# --- a full crop: one slice per dimension
{
    my $c = $x->slice([0, 1], [1, 2]);
    is_deeply($c->shape, [2, 2], 'slice([0,1],[1,2]) has shape [2,2]');
    is_deeply(vals($c), [1, 2, 11, 12], 'slice([0,1],[1,2]) is rows 0..1, columns 1..2');
    is_deeply(vals($x->slice('X', 3)), [3, 13, 23], "slice('X', 3) is column 3");
    is_deeply($x->slice('X', 3)->shape, [3, 1], "slice('X', 3) has shape [3,1]");
    is_deeply(vals($x->slice(2, [-2, -1])), [22, 23], 'slice(2, [-2,-1]) is the end of row 2');
    is_deeply(vals($x->slice(-1, -1)), [23], 'slice(-1, -1) is the last element');
    my $cube = nd->array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    is_deeply(vals($cube->slice(1, 'X', [1])), [6, 8], "3-D crop slice(1, 'X', [1])");
    is_deeply($cube->slice(1, 'X', [1])->shape, [1, 2, 1], '3-D crop shape');
}

# --- at(i) drops the axis
is_deeply($x->at(1)->shape, [4], 'at(1) has shape [4]');
is_deeply(vals($x->at(1)), [10, 11, 12, 13], 'at(1) is row 1');
is_deeply(vals($x->at(-1)), [20, 21, 22, 23], 'at(-1) is the last row');
is($x->at(2)->at(3)->asscalar, 23, 'at(2)->at(3) is element [2][3]');
is($x->at(1, 2)->asscalar, 12, 'at(1, 2) is element [1][2]');
is_deeply(nd->zeros([2, 3, 4])->at(0)->shape, [3, 4], 'at(0) of a 2x3x4 has shape [3,4]');

# --- assignment through a view writes into the array.
# AI::MXNet made slice, at (and the other view methods) lvalue subs, so `$x->slice(1) .= 5` is
# legal Perl; each statement is run in an eval so that a failure shows up as a test, not a crash.
sub assigns {
    my ($code, $name) = @_;
    my $ok = eval { $code->(); 1 };
    ok($ok, "$name runs") or diag("died: $@");
}
{
    my $y = grid();
    assigns(sub { $y->slice(1) .= 5 }, '$x->slice(1) .= 5');
    is_deeply(vals($y), [0, 1, 2, 3, 5, 5, 5, 5, 20, 21, 22, 23], '$x->slice(1) .= 5 writes row 1');
}
{
    my $y = grid();
    assigns(sub { $y->slice([0, 1]) .= 0 }, '$x->slice([0,1]) .= 0');
    is_deeply(vals($y), [0, 0, 0, 0, 0, 0, 0, 0, 20, 21, 22, 23], '$x->slice([0,1]) .= 0 writes rows 0..1');
}
{
    my $y = grid();
    assigns(sub { $y->slice(-1) .= [[1, 2, 3, 4]] }, 'slice(-1) .= a nested array ref of shape [1,4]');
    is_deeply(vals($y), [0, 1, 2, 3, 10, 11, 12, 13, 1, 2, 3, 4], 'slice(-1) .= an array ref writes the last row');
}
{
    my $y = grid();
    assigns(sub { $y->at(0) .= nd->array([9, 8, 7, 6]) }, 'at(0) .= an NDArray');
    is_deeply(vals($y), [9, 8, 7, 6, 10, 11, 12, 13, 20, 21, 22, 23], 'at(0) .= an NDArray writes row 0');
}
# `.=` is Perl's string operator, so its operand arrives as a string ('5', '2.7'): it is taken as the number
# Perl reads in it (2.7 into an int32 array is 2, as mxnet casts a number); what is not a number still dies
{
    my $y = nd->zeros([2, 2], dtype => 'int32');
    $y .= '2.7';
    is_deeply(vals($y), [2, 2, 2, 2], "an int32 array .= '2.7' holds 2");
    my $f = nd->zeros([2]);
    $f .= '1e3';
    is_deeply(vals($f), [1000, 1000], ".= '1e3' is 1000");
    ok(!eval { $f .= 'abc'; 1 }, ".= 'abc' dies");
    like($@, qr/does not support assignment with non-array-like object abc/, '... with mxnet\'s message');
}
# the same through a variable holding the view
{
    my $y = grid();
    my $row = $y->slice(1);
    $row .= 5;
    is_deeply(vals($y), [0, 1, 2, 3, 5, 5, 5, 5, 20, 21, 22, 23], 'a slice(1) view .= 5 writes row 1');
    my $rows = $y->slice([0, 1]);
    $rows .= 0;
    is_deeply(vals($y), [0, 0, 0, 0, 0, 0, 0, 0, 20, 21, 22, 23], 'a slice([0,1]) view .= 0 writes rows 0..1');
    my $last = $y->at(-1);
    $last .= [1, 2, 3, 4];
    is_deeply(vals($y), [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4], 'an at(-1) view .= an array ref writes the last row');
    $y .= 3;
    is_deeply(vals($row), [3, 3, 3, 3], 'a row view sees later writes to its parent');
}

# --- a crop's .= writes through into the parent
{
    my $y = grid();
    my $c = $y->slice([0, 1], [1, 2]);
    $c .= 0;
    is_deeply(vals($y), [0, 0, 0, 3, 10, 0, 0, 13, 20, 21, 22, 23], 'crop .= 0 writes into the parent');
    is_deeply(vals($c), [0, 0, 0, 0], 'the crop itself reads back the new values');
    my $col = $y->slice('X', 0);
    $col .= [[-1], [-2], [-3]];
    is_deeply(vals($y), [-1, 0, 0, 3, -2, 0, 0, 13, -3, 21, 22, 23], "a slice('X', 0) crop .= a column");
    my $end = $y->slice(2, [2, 3]);
    $end .= nd->array([[7, 8]]);
    is_deeply(vals($y), [-1, 0, 0, 3, -2, 0, 0, 13, -3, 21, 7, 8], 'a slice(2, [2,3]) crop .= an NDArray');
    my $el = $y->at(0, 3);
    $el .= 99;
    is_deeply(vals($y), [-1, 0, 0, 99, -2, 0, 0, 13, -3, 21, 7, 8], 'an at(0, 3) crop .= 99 writes the element');
}
{
    my $y = grid();
    assigns(sub { $y->slice([0, 1], [1, 2]) .= 0 }, 'slice([0,1],[1,2]) .= 0 in one statement');
    is_deeply(vals($y), [0, 0, 0, 3, 10, 0, 0, 13, 20, 21, 22, 23], 'crop .= 0 in one statement writes into the parent');
}

# --- bad slices die with a clear message, and the process keeps working
sub dies_like {
    my ($code, $re, $name) = @_;
    my $ok = eval { $code->(); 1 };
    my $err = "$@";
    ok(!$ok, "$name dies");
    like($err, $re, "$name: message") or diag($err);
    unlike($err, qr/Traceback/, "$name: no Python traceback in the message");
}
dies_like(sub { $x->slice(3) }, qr/Dimension 0 mismatch slice begin : 3 >= Dim Size: 3/, 'slice(3) of 3 rows');
dies_like(sub { $x->slice(-4) }, qr/Dimension 0 mismatch slice begin : -4/, 'slice(-4) of 3 rows');
dies_like(sub { $x->slice([0, 5]) }, qr/Dimension 0 mismatch slice end : 5 >= Dim Size: 3/, 'slice([0,5])');
dies_like(sub { $x->slice(0, 4) }, qr/Dimension 1 mismatch slice begin : 4 >= Dim Size: 4/, 'slice(0, 4)');
dies_like(sub { $x->slice([2, 1]) }, qr/begin 2 > end 1/, 'slice([2,1]) (begin > end)');
dies_like(sub { $x->slice([-1, 0]) }, qr/begin 2 > end 0/, 'slice([-1,0]) (the last row, counted from the end, is after row 0)');
dies_like(sub { $x->slice(0, 0, 0) }, qr/Dimensions size 2 < slices size 3/, 'three slices on a 2-D array');
dies_like(sub { nd->zeros([2, 2, 2])->slice(0, 0) }, qr/Dimensions size 3 != slices size 2/, 'two slices on a 3-D array');
dies_like(sub { $x->slice('abc') }, qr/abc/, "slice('abc')");
dies_like(sub { $x->at(3) }, qr/Dimension 0 mismatch Idx: 3 >= Dim Size: 3/, 'at(3) of 3 rows');
dies_like(sub { $x->slice() }, qr/No slices supplied/, 'slice() with nothing');
{
    my $y = grid();
    my $row = $y->slice(0);
    my $ok = eval { $row .= [1, 2, 3]; 1 };
    ok(!$ok, '.= with the wrong shape into a row dies');
    like("$@", qr/Shape inconsist/, '... saying the shapes differ');
    is_deeply(vals($y), vals(grid()), '... and leaves the array alone');
}

# the process still works after all those errors
is_deeply(vals($x), [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], 'the array is unchanged by the failed slices');
is_deeply(vals($x->slice([1, 2], [0, 1]) * 2), [20, 22, 40, 42], 'slicing and arithmetic still work');

# errors carry the caller's line (this file)
{
    my $line = __LINE__ + 1;
    eval { $x->slice(7) };
    like("$@", qr/ at \Q${\__FILE__}\E line $line\./, 'a slice error names this file and line');
}

done_testing();

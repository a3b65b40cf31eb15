#!/usr/bin/env perl
# Perl operators on NDArrays: arithmetic and comparisons with numbers on either side, in-place forms,
# .= assignment, stringification, bool, and the math built-ins.
use strict;
use warnings;
use Test::More;
use PDL;
use Scalar::Util qw(refaddr);
use AI::MXNet qw(mx);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;



my $x = nd->array([[1, 2], [3, 4]]);
my $y = nd->array([[5, 6], [7, 8]]);

# --- arithmetic, number on the right
is_deeply(vals($x + 1),  [2, 3, 4, 5],   'x + 1');
is_deeply(vals($x - 1),  [0, 1, 2, 3],   'x - 1');
is_deeply(vals($x * 3),  [3, 6, 9, 12],  'x * 3');
is_deeply(vals($x / 2),  [0.5, 1, 1.5, 2], 'x / 2');
is_deeply(vals($x ** 2), [1, 4, 9, 16],  'x ** 2');
is_deeply(vals($x % 3),  [1, 2, 0, 1],   'x % 3');

# --- arithmetic, number on the left (the operand order must be kept)
is_deeply(vals(1 + $x),  [2, 3, 4, 5],     '1 + x');
is_deeply(vals(1 - $x),  [0, -1, -2, -3],  '1 - x');
is_deeply(vals(10 - $x), [9, 8, 7, 6],     '10 - x');
is_deeply(vals(3 * $x),  [3, 6, 9, 12],    '3 * x');
near(vals(2 / $x),  [2, 1, 2 / 3, 0.5],    '2 / x');
is_deeply(vals(12 / $x), [12, 6, 4, 3],    '12 / x');
is_deeply(vals(2 ** $x), [2, 4, 8, 16],    '2 ** x');
is_deeply(vals(7 % $x),  [0, 1, 1, 3],     '7 % x');
is_deeply(vals(-7 % nd->array([3])), [2],  '-7 % 3 is 2 (sign of the divisor, as in Perl and Python)');

# --- two NDArrays
is_deeply(vals($x + $y),  [6, 8, 10, 12],     'x + y');
is_deeply(vals($y - $x),  [4, 4, 4, 4],       'y - x');
is_deeply(vals($x - $y),  [-4, -4, -4, -4],   'x - y');
is_deeply(vals($x * $y),  [5, 12, 21, 32],    'x * y (elementwise)');
near(vals($y / $x),       [5, 3, 7 / 3, 2],   'y / x');
is_deeply(vals($x ** nd->array([[2, 0], [1, 3]])), [1, 1, 3, 64], 'x ** z');
is_deeply(vals($y % $x),  [0, 0, 1, 0],       'y % x');
is_deeply(vals($x % $y),  [1, 2, 3, 4],       'x % y');

# the operands are unchanged by the binary operators
is_deeply(vals($x), [1, 2, 3, 4], 'x unchanged by the binary operators');

# --- comparisons: 0/1 arrays
my $c = nd->array([1, 2, 3]);
is_deeply(vals($c == 2), [0, 1, 0], 'c == 2');
is_deeply(vals($c != 2), [1, 0, 1], 'c != 2');
is_deeply(vals($c <  2), [1, 0, 0], 'c < 2');
is_deeply(vals($c <= 2), [1, 1, 0], 'c <= 2');
is_deeply(vals($c >  2), [0, 0, 1], 'c > 2');
is_deeply(vals($c >= 2), [0, 1, 1], 'c >= 2');
# number on the left: 2 < c means elementwise 2 < c
is_deeply(vals(2 == $c), [0, 1, 0], '2 == c');
is_deeply(vals(2 != $c), [1, 0, 1], '2 != c');
is_deeply(vals(2 <  $c), [0, 0, 1], '2 < c');
is_deeply(vals(2 <= $c), [0, 1, 1], '2 <= c');
is_deeply(vals(2 >  $c), [1, 0, 0], '2 > c');
is_deeply(vals(2 >= $c), [1, 1, 0], '2 >= c');
# two arrays
my $d = nd->array([3, 2, 1]);
is_deeply(vals($c <  $d), [1, 0, 0], 'c < d');
is_deeply(vals($c >= $d), [0, 1, 1], 'c >= d');
is_deeply(vals($c == $d), [0, 1, 0], 'c == d');
isa_ok($c < 2, 'AI::MXNet::NDArray', 'a comparison result');

# --- unary minus
is_deeply(vals(-$x), [-1, -2, -3, -4], 'unary minus');
is_deeply(vals(- -$x), [1, 2, 3, 4], 'double unary minus');
is_deeply(vals($x), [1, 2, 3, 4], 'unary minus leaves x alone');

# --- in-place operators change the array itself
{
    my $a = nd->array([1, 2, 3, 4]);
    my $alias = $a;
    my $addr = refaddr($a);
    $a += 1;
    is_deeply(vals($a), [2, 3, 4, 5], '+= 1');
    is_deeply(vals($alias), [2, 3, 4, 5], '+= is seen through another variable holding the same array');
    is(refaddr($a), $addr, '+= keeps the same object');
    $a -= 2;
    is_deeply(vals($alias), [0, 1, 2, 3], '-= 2 seen through the other variable');
    $a *= 4;
    is_deeply(vals($alias), [0, 4, 8, 12], '*= 4 seen through the other variable');
    $a /= 2;
    is_deeply(vals($alias), [0, 2, 4, 6], '/= 2 seen through the other variable');
    $a %= 4;
    is_deeply(vals($alias), [0, 2, 0, 2], '%= 4 seen through the other variable');
    $a += nd->array([1, 1, 1, 1]);
    is_deeply(vals($alias), [1, 3, 1, 3], '+= NDArray seen through the other variable');
    $a *= $a;
    is_deeply(vals($alias), [1, 9, 1, 9], '*= itself');
    is(refaddr($a), $addr, 'still the same object after the in-place operators');
}

# an in-place operator on a slice writes into the parent, as AI::MXNet's did
{
    my $p = nd->array([[1, 2], [3, 4]]);
    my $row = $p->slice(1);
    $row += 10;
    is_deeply(vals($p), [1, 2, 13, 14], '+= on slice(1) writes into the parent');
}

# --- .= assignment
{
    my $a = nd->array([[1, 2], [3, 4]]);
    my $alias = $a;
    $a .= 7;
    is_deeply(vals($alias), [7, 7, 7, 7], '.= number');
    $a .= nd->array([[9, 8], [7, 6]]);
    is_deeply(vals($alias), [9, 8, 7, 6], '.= NDArray');
    $a .= [[0.5, 1.5], [2.5, 3.5]];
    is_deeply(vals($alias), [0.5, 1.5, 2.5, 3.5], '.= nested array refs');
    $a .= pdl([[10, 20], [30, 40]]);
    is_deeply(vals($alias), [10, 20, 30, 40], '.= a PDL (dims reversed: PDL row = NDArray row)');
    $a .= long([[1, -2], [-3, 4]]);
    is_deeply(vals($alias), [1, -2, -3, 4], '.= a long PDL');
    is($a->dtype, 'float32', '.= keeps the dtype');
    is_deeply($a->shape, [2, 2], '.= keeps the shape');
    my $ok = eval { $a .= nd->array([1, 2, 3]); 1 };
    ok(!$ok, '.= with a wrong shape dies');
    is_deeply(vals($alias), [1, -2, -3, 4], 'a failed .= leaves the array alone');
}

# --- stringification
is("$x", '<AI::MXNet::NDArray 2x2 @cpu(0)>', 'an NDArray prints as <AI::MXNet::NDArray 2x2 @cpu(0)>');
is('' . nd->zeros([2, 3, 4]), '<AI::MXNet::NDArray 2x3x4 @cpu(0)>', 'a 3-D NDArray prints its shape');
is('' . nd->array([5]), '<AI::MXNet::NDArray 1 @cpu(0)>', 'a 1-element NDArray prints its shape');

# --- bool
ok(!nd->array([0]), 'nd->array([0]) is false');
ok(nd->array([3]), 'nd->array([3]) is true');
ok(nd->array([-0.5]), 'nd->array([-0.5]) is true');
ok(!nd->array([[0]]), 'nd->array([[0]]) is false');
is((nd->array([0]) ? 'yes' : 'no'), 'no', 'a zero array in a ternary');
{
    my $ok = eval { my $b = nd->array([1, 2]) ? 1 : 0; 1 };
    ok(!$ok, 'bool of a 2-element array dies');
    like("$@", qr/ambiguous/, 'the message says the truth value is ambiguous');
    my $n = 0;
    $n++ while $n < 3 && nd->array([1]);
    is($n, 3, 'a one-element array works as a loop condition');
}

# --- math built-ins
my $m = nd->array([1, 4, 9]);
is_deeply(vals(sqrt($m)), [1, 2, 3], 'sqrt');
is_deeply(vals(abs(nd->array([-1.5, 0, 2]))), [1.5, 0, 2], 'abs');
near(vals(exp(nd->array([0, 1, 2]))), [1, exp(1), exp(2)], 'exp');
near(vals(log(nd->array([1, exp(1), 10]))), [0, 1, log(10)], 'log');
my $pi = 4 * atan2(1, 1);
near(vals(sin(nd->array([0, $pi / 2, $pi / 6]))), [0, 1, 0.5], 'sin', 1e-6);
near(vals(cos(nd->array([0, $pi, $pi / 3]))), [1, -1, 0.5], 'cos', 1e-6);
isa_ok(sqrt($m), 'AI::MXNet::NDArray', 'sqrt result');

# a chain mixing it all: ((x + 1) * 2 - x) / 2 = (x + 2) / 2
is_deeply(vals((($x + 1) * 2 - $x) / 2), [1.5, 2, 2.5, 3], 'a chained expression');

# numbers that Perl holds as strings (read from a file, split from a line) work as the numbers, as AI::MXNet's
# Num arguments took them; a string that is no number still dies
my ($two, $half) = split / /, '2 0.5';
is_deeply(vals($x * $two), [2, 4, 6, 8], "x * '2'");
is_deeply(vals($half - $x), [-0.5, -1.5, -2.5, -3.5], "'0.5' - x");
is_deeply(vals($x ** "2"), [1, 4, 9, 16], "x ** '2'");
is_deeply(vals($x >= " 3 "), [0, 0, 1, 1], "x >= ' 3 '");
my $acc = $x->copy;
$acc += '1e1';
is_deeply(vals($acc), [11, 12, 13, 14], "x += '1e1'");
ok(!eval { $x + 'abc'; 1 }, "x + 'abc' dies");

done_testing();

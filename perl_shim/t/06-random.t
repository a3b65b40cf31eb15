#!/usr/bin/env perl
# Random numbers: seeding, ranges, shapes, and the same stream as plain Python mxnet.
use strict;
use warnings;
use Test::More;
use FindBin;
use AI::MXNet qw(mx);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;


# --- uniform after seed(0): two values in [0, 1)
mx->random->seed(0);
my $u = nd->random->uniform(shape => 2);
isa_ok($u, 'AI::MXNet::NDArray', 'nd->random->uniform result');
is_deeply($u->shape, [2], 'uniform(shape => 2) has shape [2]');
is($u->dtype, 'float32', 'uniform gives float32');
my @first = @{ vals($u) };
is(scalar(grep { $_ >= 0 && $_ < 1 } @first), 2, 'both values are in [0, 1)') or diag("@first");
isnt($first[0], $first[1], 'the two values differ');

# --- the same seed gives the same numbers
mx->random->seed(0);
is_deeply(vals(nd->random->uniform(shape => 2)), \@first, 'seed(0) again gives the same two numbers');
mx->random->seed(0);
is_deeply(vals(mx->random->uniform(shape => 2)), \@first, 'mx->random->uniform after seed(0): the same numbers');
my @next = @{ vals(nd->random->uniform(shape => 2)) };
ok($next[0] != $first[0] || $next[1] != $first[1], 'the next draw differs from the first');
mx->random->seed(1);
my @other = @{ vals(nd->random->uniform(shape => 2)) };
ok($other[0] != $first[0] || $other[1] != $first[1], 'seed(1) gives other numbers than seed(0)');
mx->random->seed(1);
is_deeply(vals(nd->random->uniform(shape => 2)), \@other, 'seed(1) again repeats them');

# --- positional low, high, shape
{
    mx->random->seed(42);
    my $r = nd->random->uniform(-1, 1, [2, 3]);
    is_deeply($r->shape, [2, 3], 'uniform(-1, 1, [2,3]) has shape [2,3]');
    my @v = @{ vals($r) };
    is(scalar(@v), 6, 'six values');
    is(scalar(grep { $_ >= -1 && $_ < 1 } @v), 6, 'all values in [-1, 1)') or diag("@v");
    mx->random->seed(42);
    is_deeply(vals(nd->random->uniform(low => -1, high => 1, shape => [2, 3])), \@v,
              'the keyword form draws the same numbers');

    my $big = nd->random->uniform(10, 20, [1000]);
    my @b = @{ vals($big) };
    is(scalar(grep { $_ >= 10 && $_ < 20 } @b), 1000, '1000 draws from uniform(10, 20) are all in [10, 20)');
    my $mean = 0;
    $mean += $_ / @b for @b;
    # the mean of 1000 U(10,20) draws has standard deviation 10/sqrt(12)/sqrt(1000) ~ 0.091
    ok(abs($mean - 15) < 0.5, 'their mean is near 15') or diag("mean $mean");

    my $n = nd->random->normal(0, 1, [2000]);
    my @nv = @{ vals($n) };
    my $nm = 0;
    $nm += $_ / @nv for @nv;
    my $var = 0;
    $var += ($_ - $nm)**2 / @nv for @nv;
    ok(abs($nm) < 0.2, 'normal(0, 1): mean near 0') or diag("mean $nm");
    ok(abs($var - 1) < 0.2, 'normal(0, 1): variance near 1') or diag("variance $var");
}

# --- the same stream as plain Python mxnet
{
    my $python = venv_python();
    SKIP: {
        skip "no $python", 4 unless -x $python;
        my $code = 'import mxnet as mx; mx.random.seed(0); print(mx.nd.random.uniform(shape=2).asnumpy().tolist())';
        my $out = `"$python" -c '$code' 2>/dev/null`;
        is($?, 0, 'plain Python mxnet runs') or diag($out);
        my @py = $out =~ /(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;
        is(scalar(@py), 2, 'Python printed two numbers') or diag($out);
        mx->random->seed(0);
        my @perl = @{ vals(nd->random->uniform(shape => 2)) };
        ok(@py == 2 && abs($perl[0] - $py[0]) < 1e-6, 'first number after seed(0) matches Python mxnet')
            or diag("perl @perl, python @py");
        ok(@py == 2 && abs($perl[1] - $py[1]) < 1e-6, 'second number after seed(0) matches Python mxnet')
            or diag("perl @perl, python @py");
    }
}

done_testing();

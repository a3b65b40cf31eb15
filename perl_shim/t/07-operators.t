#!/usr/bin/env perl
# Registered operators called AI::MXNet's ways: as methods with key => value pairs, as class methods with
# variable-length inputs, with a trailing hashref.
use strict;
use warnings;
use Test::More;
use AI::MXNet qw(mx);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $y = nd->array([[1, 2], [3, 4]]);
is_deeply(vals($y->sum(axis => 1)), [3, 7], '$y->sum(axis => 1) sums the rows');
is_deeply(vals($y->sum({axis => 0})), [4, 6], '$y->sum({axis => 0}) sums the columns');
is_deeply(vals($y->max(axis => 0)), [3, 4], '$y->max(axis => 0)');
is_deeply(vals($y->argmax(axis => 1)), [1, 1], '$y->argmax(axis => 1)');
is_deeply(vals($y->norm(ord => 1)), [10], '$y->norm(ord => 1) is the sum of absolute values');
is_deeply(vals($y->transpose(axes => [1, 0])), [1, 3, 2, 4], '$y->transpose(axes => [1, 0])');
is_deeply(vals($y->clip(a_min => 2, a_max => 3)), [2, 2, 3, 3], '$y->clip(a_min => 2, a_max => 3)');
is_deeply(vals(nd->concat($y, $y, dim => 1)), [1, 2, 1, 2, 3, 4, 3, 4], 'nd->concat($y, $y, dim => 1)');
is_deeply(vals(nd->concat($y, $y, {dim => 0})), [1, 2, 3, 4, 1, 2, 3, 4], 'nd->concat with a hashref');
is_deeply(vals($y->maximum(2.5)), [2.5, 2.5, 3, 4], '$y->maximum(2.5): an operator as a method');

done_testing;

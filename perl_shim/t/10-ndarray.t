#!/usr/bin/env perl
# AI::MXNet::NDArray's class methods and methods, with AI::MXNet's signatures: creation with array-ref
# shapes, ctx and dtype; reshape's special values; moveaxis, T, copyto, astype, @{}, atan2, asmpdl; dtypes
# and PDL types both ways. Expected values come from the math.
use strict;
use warnings;
use Test::More;
use PDL;
use PDL::Matrix;
use AI::MXNet qw(mx);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $m = nd->array([[1, 2, 3], [4, 5, 6]]);

# --- creation
is_deeply(vals(nd->arange(stop => 5)), [0 .. 4], 'arange(stop => 5) starts at 0');
is_deeply(vals(nd->arange(start => 2, stop => 11, step => 3)), [2, 5, 8], 'arange(start, stop, step)');
is_deeply(vals(nd->arange(stop => 3, repeat => 2)), [0, 0, 1, 1, 2, 2], 'arange(repeat => 2)');
is(nd->arange(stop => 3, dtype => 'int64')->dtype, 'int64', 'arange(dtype => int64)');
for my $case ([zeros => 0], [ones => 1]) {
    my ($name, $value) = @$case;
    my $x = nd->$name([2, 3], ctx => mx->cpu(1), dtype => 'float64');
    is_deeply($x->shape, [2, 3], "$name([2, 3]) has shape [2, 3]");
    is($x->dtype, 'float64', "$name(dtype => 'float64')");
    is($x->context . '', 'cpu(1)', "$name(ctx => mx->cpu(1))");
    is_deeply(vals($x), [($value) x 6], "$name is all $value");
}
is_deeply(vals(nd->full([2, 2], 2.5)), [2.5, 2.5, 2.5, 2.5], 'full([2, 2], 2.5)');
is(nd->full([2], 7, dtype => 'int32')->dtype, 'int32', 'full(dtype => int32)');
is_deeply(nd->empty([4, 1])->shape, [4, 1], 'empty([4, 1])');
is_deeply(vals(nd->concatenate([$m, $m], axis => 1)), [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6], 'concatenate(axis => 1)');
is_deeply(nd->stack($m, $m, axis => 1)->shape, [2, 2, 3], 'stack(axis => 1)');
is_deeply(vals(nd->zeros_like($m)), [(0) x 6], 'zeros_like');
is_deeply(vals(nd->ones_like($m)), [(1) x 6], 'ones_like');
{
    my $out = nd->zeros([2, 2]);
    nd->ones([2, 2], out => $out);
    is_deeply(vals($out), [1, 1, 1, 1], 'ones(out => $out) fills $out');
    nd->full([2, 2], 3, out => $out);
    is_deeply(vals($out), [3, 3, 3, 3], 'full(out => $out) fills $out');
    nd->relu(nd->array([[-1, 2], [3, -4]]), out => $out);
    is_deeply(vals($out), [0, 2, 3, 0], 'an operator with out => $out');
}

# --- reshape, with mxnet's special values (0 copy, -1 infer, -2 rest, -3 merge, -4 split)
{
    my $t = nd->arange(stop => 30)->reshape([2, 3, 5]);
    my %cases = ('-1' => [30], '2,-1' => [2, 15], '0,-1' => [2, 15], '-1,6' => [5, 6], '-2' => [2, 3, 5],
                 '-3,-1' => [6, 5], '-1,0' => [10, 3]);
    for my $spec (sort keys %cases) {
        is_deeply($t->reshape([map { $_ + 0 } split /,/, $spec])->shape, $cases{$spec}, "reshape([$spec])");
    }
    is_deeply($t->reshape([-1, 15])->reshape([0, -4, 3, -1])->shape, [2, 3, 5], 'reshape([0, -4, 3, -1])');
    is_deeply($t->reshape([-1, 0], reverse => 1)->shape, [6, 5], 'reshape([-1, 0], reverse => 1)');
    is_deeply(vals($t->reshape([6, 5])), [0 .. 29], 'reshape keeps the order of the data');
    my $view = $m->copy;
    $view->reshape([3, 2])->slice(0) .= 0;
    is_deeply(vals($view), [0, 0, 3, 4, 5, 6], 'reshape is a view: assignment through it reaches the array');
}

# --- moveaxis, broadcast_to, T
{
    my $x = nd->array([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]);
    is_deeply($x->moveaxis(0, 2)->aspdl->unpdl, [[[1, 7], [2, 8], [3, 9]], [[4, 10], [5, 11], [6, 12]]],
              'moveaxis(0, 2)');
    is_deeply($x->moveaxis(2, 0)->shape, [3, 2, 2], 'moveaxis(2, 0)');
    is_deeply($x->moveaxis(-1, 0)->shape, [3, 2, 2], 'moveaxis(-1, 0)');
    is_deeply(vals(nd->array([1, 2])->broadcast_to([2, 2])), [1, 2, 1, 2], 'broadcast_to([2, 2])');
    is_deeply(vals($m->T), [1, 4, 2, 5, 3, 6], 'T of a 2x3 matrix');
    eval { $x->T };
    like($@, qr/^Only 2D matrix is allowed to be transposed/, 'T of a 3-D array dies as in AI::MXNet');
}

# --- copies and conversions
{
    my $target = nd->zeros([2, 3]);
    my $r = $m->copyto($target);
    is_deeply(vals($target), [1 .. 6], 'copyto($array) fills it');
    is_deeply(vals($r), [1 .. 6], '... and returns it');
    my $y = nd->zeros([2, 3]);
    nd->array([[7], [8]])->copyto($y->slice('X', 1));
    is_deeply(vals($y), [0, 7, 0, 0, 8, 0], 'copyto into a crop writes into the parent');
    is($m->copyto(mx->cpu(2))->context . '', 'cpu(2)', 'copyto(mx->cpu(2))');
    is($m->as_in_context(mx->cpu(1))->context . '', 'cpu(1)', 'as_in_context(mx->cpu(1))');
    is($m->astype('int32')->dtype, 'int32', 'astype(int32)');
    is_deeply(vals($m->copy), [1 .. 6], 'copy');
    is_deeply(vals($m->sever), [1 .. 6], 'sever is copy');
    is($m->tostype('csr')->stype, 'csr', 'tostype(csr)');
    is_deeply(vals($m->tostype('csr')), [1 .. 6], 'a csr array converts to PDL dense');
    is($m->len, 2, 'len');
    is($m->ndim, 2, 'ndim');
    is($m->size, 6, 'size');
    $m->wait_to_read;
    nd->waitall;
    pass('wait_to_read and waitall return');
}

# --- @{}: split along axis 0
{
    my @rows = @$m;
    is(scalar(@rows), 2, '@$x has one element per row');
    is_deeply(vals($rows[1]), [4, 5, 6], '... each a row');
    is_deeply($m->[0]->shape, [3], '$x->[0] drops axis 0');
    for my $shape ([3, 7], [1, 7], [2, 7, 11], [1, 7, 11, 13]) {
        is_deeply(nd->zeros($shape)->[0]->shape, [@$shape[1 .. $#$shape]], "zeros([@$shape])->[0] has the rest of the shape");
    }
    is_deeply([map { $_->shape } @{ nd->array([1, 2]) }], [[1], [1]], 'a 1-D array splits into shape [1] pieces');
    is_deeply([@{ nd->array(zeros(7, 0)) }], [], 'an array with no rows is an empty list');
    $rows[0] .= 0;
    is_deeply(vals($m), [1 .. 6], 'the pieces are copies');
}

# --- atan2, the quadrant-correct angle
{
    my $x = nd->array([[1, -2], [-3, 4]], dtype => 'float64');
    my $p = pdl([[1, -2], [-3, 4]]);
    near(vals(atan2($x, -1.0)), [atan2($p, -1.0)->list], 'atan2($x, -1) is PDL\'s atan2');
    near(vals(atan2(2, $x)), [atan2(2, $p)->list], 'atan2(2, $x) is PDL\'s atan2');
    near(vals(atan2($x, $x * 2)), [atan2($p, $p * 2)->list], 'atan2 of two arrays');
}

# --- PDL::Matrix both ways: the same matrix, indexed (row, column)
{
    my $pm = $m->asmpdl;
    isa_ok($pm, 'PDL::Matrix', 'asmpdl');
    is_deeply([$pm->dims], [2, 3], 'asmpdl of a 2x3 array has dims (2, 3)');
    is($pm->at(1, 0), 4, '$pm->at(1, 0) is row 1, column 0');
    is("$pm", "" . $m->aspdl, 'it prints the same rows as aspdl');
    my $back = nd->array(mpdl([[1, 2, 3], [4, 5, 6]]));
    is_deeply($back->shape, [2, 3], 'nd->array(mpdl(...)) has the matrix\'s shape');
    is_deeply(vals($back), [1 .. 6], '... and its values in row order');
    is_deeply(vals(nd->array($m->asmpdl)), [1 .. 6], 'asmpdl and back gives the array');
    my $target = nd->zeros([2, 3]);
    $target .= mpdl([[6, 5, 4], [3, 2, 1]]);
    is_deeply(vals($target), [6, 5, 4, 3, 2, 1], '.= of a PDL::Matrix');
}

# --- dtypes both ways with PDL, and PDL types MXNet lacks
{
    my %pdl_type = (float32 => 'float', float64 => 'double', float16 => 'float', uint8 => 'byte',
                    int8 => 'sbyte', int32 => 'long', int64 => 'longlong');
    for my $dtype (sort keys %pdl_type) {
        my $x = nd->array([1, 2, 3], dtype => $dtype);
        is($x->dtype, $dtype, "array(dtype => $dtype)");
        is($x->aspdl->type . '', $pdl_type{$dtype}, "$dtype -> PDL $pdl_type{$dtype}");
        my $back = nd->array($x->aspdl, dtype => $dtype);
        is_deeply(vals($back), [1, 2, 3], "$dtype through PDL and back keeps the values");
    }
    for my $type (qw(short ushort ulong ulonglong indx)) {
        my $p = PDL->new_from_specification(PDL::Type->new($type), 3);
        $p .= 7;
        my $x = nd->array($p);
        is($x->dtype, 'float32', "a $type PDL becomes float32 by default");
        is(nd->array($p, dtype => 'int64')->dtype, 'int64', "... or the dtype asked for");
        is_deeply(vals($x), [7, 7, 7], '... with its values');
    }
    eval { nd->array(cdouble(1, 2)) };
    like($@, qr/^a PDL of type cdouble cannot become an NDArray: MXNet has no such dtype/, 'a complex PDL dies, saying why');
    eval { nd->array([1], dtype => 'int16') };
    like($@, qr/^unknown dtype int16 \(MXNet's are /, 'an unknown dtype dies, naming the known ones');
}

# --- unknown names
eval { nd->no_such_op($m) };
like($@, qr/^unknown operator no_such_op in mx\.nd/, 'an unknown class method dies "unknown operator"');
eval { nd->sumx($m) };
like($@, qr/did you mean sum\?/, '... with a close match');

done_testing;

#!/usr/bin/env perl
# NDArray <-> PDL: aspdl types and dims, exact round trips, nd->array from PDLs, and printing.
use strict;
use warnings;
use Test::More;
use PDL;
use AI::MXNet qw(mx);

# --- aspdl is a real PDL with the dims reversed
{
    my $x = nd->array([[1, 2, 3], [4, 5, 6]]);
    my $p = $x->aspdl;
    is(ref($p), 'PDL', 'aspdl returns a real PDL');
    ok($p->isa('PDL'), 'aspdl result isa PDL');
    is_deeply([$p->dims], [3, 2], 'a 2x3 NDArray gives PDL dims (3,2)');
    is($p->at(0, 1), 4, 'PDL at(0,1) is NDArray row 1 col 0');
    is($p->at(2, 0), 3, 'PDL at(2,0) is NDArray row 0 col 2');
    is_deeply($p->unpdl, [[1, 2, 3], [4, 5, 6]], 'unpdl gives the rows of the NDArray');
    is_deeply([nd->zeros([2, 3, 4])->aspdl->dims], [4, 3, 2], 'a 2x3x4 NDArray gives PDL dims (4,3,2)');
    is_deeply([nd->ones([5])->aspdl->dims], [5], 'a 1-D NDArray of 5 gives PDL dims (5)');
    # aspdl is a copy
    $p->slice('0,0') .= 100;
    is_deeply([$x->aspdl->list], [1, 2, 3, 4, 5, 6], 'changing the PDL leaves the NDArray alone');
    # aspdl of a view (row 1) copies that row only
    is_deeply([$x->slice(1)->aspdl->list], [4, 5, 6], 'aspdl of slice(1) is row 1');
    is_deeply([$x->at(1)->aspdl->list], [4, 5, 6], 'aspdl of at(1) is row 1');
    is_deeply([$x->T->aspdl->list], [1, 4, 2, 5, 3, 6], 'aspdl of the transpose');
}

# --- the PDL type and an exact round trip for each dtype
my @cases = (
    # dtype,     PDL type,   data (exactly representable in the dtype)
    ['float32', 'float',    [1.5, -2.25, 0.125, 0.375, 16777216, -0.75, 2**-20]],
    ['float64', 'double',   [0.1, -1e300, 3.141592653589793, 1 / 3, 2.5e-310, 123456789.123456789]],
    ['float16', 'float',    [0.5, -1.5, 2048, 0.0999755859375, -65504]],
    ['uint8',   'byte',     [0, 1, 127, 200, 255]],
    ['int8',    'sbyte',    [-128, -1, 0, 1, 127]],
    ['int32',   'long',     [-2147483648, -5, 0, 7, 2147483647]],
    ['int64',   'longlong', [-9007199254740993, -1, 0, 4611686018427387904, 9223372036854775807]],
);
for my $case (@cases) {
    my ($dtype, $ptype, $data) = @$case;
    my $x = nd->array($data, dtype => $dtype);
    is($x->dtype, $dtype, "nd->array(dtype => $dtype) has dtype $dtype");
    my $p = $x->aspdl;
    is(ref($p), 'PDL', "$dtype: aspdl is a PDL");
    is($p->type . '', $ptype, "$dtype: aspdl gives a $ptype PDL");
    is_deeply([$p->dims], [scalar @$data], "$dtype: dims");
    my @got = $p->list;
    my $same = @got == @$data && !grep { $got[$_] != $data->[$_] } 0 .. $#$data;
    ok($same, "$dtype: values round-trip exactly") or diag("got [@got], expected [@$data]");
    # and back: nd->array(PDL) with the same dtype gives the same values again
    my $back = nd->array($p, dtype => $dtype);
    is($back->dtype, $dtype, "$dtype: nd->array(aspdl, dtype => $dtype) keeps the dtype");
    my @again = $back->aspdl->list;
    ok(@again == @$data && !(grep { $again[$_] != $data->[$_] } 0 .. $#$data), "$dtype: PDL -> NDArray -> PDL is exact")
        or diag("got [@again]");
}

# 2-D float16 and int8 keep their shape too
{
    my $h = nd->array([[0.25, -8], [1024, 3.5]], dtype => 'float16');
    my $p = $h->aspdl;
    is($p->type . '', 'float', 'float16 2x2: float PDL');
    is_deeply($p->unpdl, [[0.25, -8], [1024, 3.5]], 'float16 2x2: values and layout');
    is_deeply(nd->array([[-3, 4], [5, -6]], dtype => 'int8')->aspdl->unpdl, [[-3, 4], [5, -6]], 'int8 2x2');
}

# --- nd->array from PDLs
{
    my $s = sequence(4, 3);                         # dims (4,3): 3 rows of 4
    my $x = nd->array($s);
    is_deeply($x->shape, [3, 4], 'nd->array(sequence(4,3)) has shape [3,4]');
    is($x->dtype, 'float32', 'default dtype from a double PDL is float32');
    is_deeply([$x->aspdl->list], [0 .. 11], 'values in order');
    is($x->at(1)->at(2)->asscalar, 6, 'NDArray [1][2] is PDL at(2,1)');

    my $t = sequence(2, 3, 4);                       # 3-D
    my $y = nd->array($t);
    is_deeply($y->shape, [4, 3, 2], '3-D PDL dims (2,3,4) give shape [4,3,2]');
    is_deeply([$y->aspdl->list], [0 .. 23], '3-D values in order');
    is($y->at(3)->at(2)->at(1)->asscalar, 23, '3-D last element');
    is($y->at(1)->at(0)->at(1)->asscalar, 7, '3-D element [1][0][1] = 1*6 + 0*2 + 1');

    my $sl = $s->slice('1:2,:');                     # columns 1..2 of every row
    is_deeply([$sl->dims], [2, 3], 'the PDL slice has dims (2,3)');
    my $z = nd->array($sl);
    is_deeply($z->shape, [3, 2], 'nd->array of a PDL slice has shape [3,2]');
    is_deeply([$z->aspdl->list], [1, 2, 5, 6, 9, 10], 'nd->array of a PDL slice has the slice\'s values');

    my $col = $s->slice('(3),:');                    # the last column, 1-D
    is_deeply(nd->array($col)->aspdl->unpdl, [3, 7, 11], 'nd->array of a 1-D PDL slice');

    my $zero = pdl(5);
    is($zero->ndims, 0, 'pdl(5) is 0-dim');
    my $w = nd->array($zero);
    is_deeply($w->shape, [1], 'a 0-dim PDL gives shape [1]');
    is($w->asscalar, 5, 'a 0-dim PDL keeps its value');

    my $d = pdl([0.1, 0.2]);
    my $f = nd->array($d);
    is($f->dtype, 'float32', 'double PDL -> float32 by default');
    is($f->aspdl->type . '', 'float', '... which comes back as a float PDL');
    ok(abs($f->aspdl->at(0) - 0.1) < 1e-7 && $f->aspdl->at(0) != 0.1, '... holding float32(0.1), not the double');
    my $g = nd->array($d, dtype => 'float64');
    is($g->dtype, 'float64', "dtype => 'float64' gives float64");
    is($g->aspdl->at(0), 0.1, "dtype => 'float64' keeps the double 0.1 exactly");
    is($g->aspdl->at(1), 0.2, "dtype => 'float64' keeps the double 0.2 exactly");

    # several PDL types in
    is_deeply([nd->array(byte([1, 2, 255]))->aspdl->list], [1, 2, 255], 'from a byte PDL');
    is_deeply([nd->array(sbyte([-128, 5]))->aspdl->list], [-128, 5], 'from an sbyte PDL');
    is_deeply([nd->array(short([-300, 300]))->aspdl->list], [-300, 300], 'from a short PDL');
    is_deeply([nd->array(ushort([65535]))->aspdl->list], [65535], 'from a ushort PDL');
    is_deeply([nd->array(long([[-7, 8], [9, -10]]))->aspdl->list], [-7, 8, 9, -10], 'from a long PDL (2-D)');
    is_deeply([nd->array(float([1.5, -0.25]))->aspdl->list], [1.5, -0.25], 'from a float PDL');
    my $big = longlong([-9007199254740993, 9007199254740993]);
    is_deeply([nd->array($big, dtype => 'int64')->aspdl->list], [-9007199254740993, 9007199254740993],
              'from a longlong PDL with dtype int64: exact beyond 2**53');
    is_deeply([nd->array(long([-2, 3]), dtype => 'int32')->aspdl->list], [-2, 3], 'long PDL, dtype int32');
    is(nd->array(long([1]), dtype => 'int32')->aspdl->type . '', 'long', 'long PDL, dtype int32 comes back long');

    # the NDArray is a copy of the PDL's data
    my $src = pdl([1, 2, 3]);
    my $copy = nd->array($src);
    $src .= 9;
    is_deeply([$copy->aspdl->list], [1, 2, 3], 'changing the PDL afterwards leaves the NDArray alone');
    is_deeply([$src->list], [9, 9, 9], 'and nd->array did not change the PDL');
}

# --- a 1000x1000 round trip is exact
{
    srand(7);
    my $p = random(1000, 1000)->float * 100 - 50;
    my $x = nd->array($p);
    is_deeply($x->shape, [1000, 1000], '1000x1000: shape');
    my $q = $x->aspdl;
    is_deeply([$q->dims], [1000, 1000], '1000x1000: dims');
    is($q->type . '', 'float', '1000x1000: float');
    ok(all($q == $p), '1000x1000 float32 round trip is exact');
    is(sum($q != $p), 0, '1000x1000: no element differs');

    my $pd = random(1000, 1000) - 0.5;
    my $qd = nd->array($pd, dtype => 'float64')->aspdl;
    ok(all($qd == $pd), '1000x1000 float64 round trip is exact');

    my $seq = sequence(long, 1000, 1000) - 500000;
    my $qs = nd->array($seq, dtype => 'int32')->aspdl;
    ok(all($qs == $seq), '1000x1000 int32 round trip is exact');
    is($qs->at(999, 999), 499999, '1000x1000 int32: last element');
    is($qs->at(1, 0), -499999, '1000x1000 int32: element (1,0)');
}

# --- printing a PDL from aspdl is what PDL prints for the same data
{
    my $x = nd->array([[1, 2], [3, 4]]);
    is('' . $x->aspdl, '' . float([[1, 2], [3, 4]]), 'print of a 2x2 float32');
    is('' . $x->aspdl, "\n[\n [1 2]\n [3 4]\n]\n", 'the 2x2 prints as PDL formats it');
    is('' . nd->array([0.5, -1.25, 1e-3])->aspdl, '' . float([0.5, -1.25, 1e-3]), 'print of 1-D float32 non-integers');
    is('' . nd->array([0.1, 1 / 3], dtype => 'float64')->aspdl, '' . double([0.1, 1 / 3]), 'print of float64');
    is('' . nd->array([[-1, 2], [300, -4]], dtype => 'int32')->aspdl, '' . long([[-1, 2], [300, -4]]), 'print of int32');
    is('' . nd->array([1, 255], dtype => 'uint8')->aspdl, '' . byte([1, 255]), 'print of uint8');
    is('' . nd->array(sequence(2, 2, 2))->aspdl, '' . float(sequence(2, 2, 2)), 'print of a 3-D array');
    is('' . nd->array([7])->aspdl, '' . float([7]), 'print of a one-element array');
    # a 2-D double or float whose widest entry is 8 characters takes the type's format (PDL 2.081's bytes)
    is('' . nd->array([[12345678, 1], [2, 3]], dtype => 'float64')->aspdl,
       "\n[\n [  12345678          1]\n [         2          3]\n]\n", 'a float64 2x2 with an 8-character entry');
    is('' . nd->array([[12345678, 1], [2, 3]])->aspdl,
       "\n[\n [1.23457e+07           1]\n [          2           3]\n]\n", 'a float32 2x2 with an 8-character entry');
}

done_testing();

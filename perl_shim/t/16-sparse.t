#!/usr/bin/env perl
# Sparse arrays: nd->sparse->csr_matrix and row_sparse_array from array refs, PDLs, NDArrays, coordinates and
# PDL::CCS::Nd; their classes; parts that are no valid sparse array (checked before mxnet sees them: the array
# is made, check_format and every use die with one line, the process goes on); files read by plain Python mxnet.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use Cwd qw(abs_path);
use PDL;
use AI::MXNet qw(mx);
use AI::MXNet::Base qw(rand_sparse);
use lib "$FindBin::Bin/lib";
use BridgeTest;


# The matrix [[1 0 2 0] [0 0 3 0] [4 5 0 6]] as csr parts
my @data = (1, 2, 3, 4, 5, 6);
my @indices = (0, 2, 2, 0, 1, 3);
my @indptr = (0, 2, 3, 6);
my @dense = (1, 0, 2, 0, 0, 0, 3, 0, 4, 5, 0, 6);

# --- made from parts, in every form AI::MXNet took
{
    my $csr = nd->sparse->csr_matrix([\@data, \@indices, \@indptr], shape => [3, 4]);
    isa_ok($csr, 'AI::MXNet::NDArray::CSR');
    isa_ok($csr, 'AI::MXNet::NDArray');
    is($csr->stype, 'csr', 'its stype');
    is_deeply(vals($csr), \@dense, 'csr_matrix from array refs: the matrix');
    is("$csr", '<AI::MXNet::NDArray::CSR 3x4 @cpu(0)>', 'its string names its class');
    is_deeply(vals($csr->indptr), \@indptr, '... indptr, indices and data come back');
    is_deeply(vals($csr->indices), \@indices, '... indices');
    is($csr->indices->dtype, 'int64', '... as int64');
    is($csr->_num_aux, 2, '... two aux arrays');
    my $from_pdl = nd->sparse->csr_matrix([pdl(double, @data), pdl(long, @indices), pdl(long, @indptr)]);
    is_deeply($from_pdl->shape, [3, 4], 'from PDLs, the shape inferred');
    is($from_pdl->dtype, 'float64', '... the dtype the data PDL\'s');
    is_deeply(vals($from_pdl), \@dense, '... the same matrix');
    my $from_nd = nd->sparse->csr_matrix([nd->array(\@data, dtype => 'int32'), nd->array(\@indices), nd->array(\@indptr)],
                                         shape => [3, 4]);
    is($from_nd->dtype, 'int32', 'from NDArrays: the data\'s dtype');
    my $coo = nd->sparse->csr_matrix([[4, 1, 2, 6, 3, 5], [[2, 0, 0, 2, 1, 2], [0, 0, 2, 3, 2, 1]]], shape => [3, 4]);
    is_deeply(vals($coo), \@dense, 'from coordinates [data, [row, col]], in any order');
    is_deeply(vals($coo->indices), \@indices, '... sorted as csr is');
    my $ccs = $csr->aspdlccs;
    isa_ok($ccs, 'PDL::CCS::Nd', 'aspdlccs');
    ok(($ccs->todense == $csr->aspdl)->all, '... the same matrix');
    is_deeply(vals(nd->array($ccs)), \@dense, 'nd->array of a PDL::CCS::Nd makes it again');
    my $random = rand_sparse(5, 7, 0.4);
    ok(($random->todense == nd->sparse->array($random)->aspdl)->all, 'rand_sparse (AI::MXNet::Base): a PDL::CCS::Nd');
    my $rsp = nd->sparse->row_sparse_array([[[1, 2], [3, 4]], [1, 4]], shape => [6, 2]);
    isa_ok($rsp, 'AI::MXNet::NDArray::RowSparse');
    is_deeply(vals($rsp), [0, 0, 1, 2, 0, 0, 0, 0, 3, 4, 0, 0], 'row_sparse_array from [data, indices]');
    is_deeply(vals(nd->sparse->row_sparse_array(pdl([[1, 2, 3]]))), [1, 2, 3], '... from a dense PDL');
    is(nd->sparse->row_sparse_array(undef, shape => [2, 2])->aspdl->sum, 0, '... undef with a shape: zeros');
    is(ref(nd->sparse->zeros('csr', [2, 3]) + 1), 'AI::MXNet::NDArray', 'arithmetic gives the class of its result');
    is(ref(nd->ones([2, 2])->tostype('row_sparse') * 2), 'AI::MXNet::NDArray::RowSparse', '... a sparse one too');
    is_deeply(vals($csr->slice([1, 2])), [0, 0, 3, 0, 4, 5, 0, 6], 'a csr slice: rows, end inclusive');
}

# --- parts that are no valid sparse array: made, but never given to mxnet
{
    my @bad = (
        [[7, 8, 9], [0, 2, 1], [0, 5, 2, 3], [3, 4], qr/indptr decreases/],
        [[7, 8, 9], [0, 2, 1], [0, -2, 2, 3], [3, 4], qr/indptr holds a negative value/],
        [[7, 8, 9], [1, 2, 1], [0, 2, 2, 4], [3, 4], qr/indptr ends at 4 but there are 3 indices/],
        [[7, 8, 9], [0, 2, 1000000], [0, 2, 2, 3], [3, 4], qr/column index 1000000 is outside 0\.\.3/],
        [[7, 8, 9], [0, 2, 1], [0, 2, 3], [3, 4], qr/indptr has 3 entries/],
        [[7, 8], [0, 2, 1], [0, 2, 2, 3], [3, 4], qr/2 data values for 3 indices/],
    );
    for my $case (@bad) {
        my ($d, $i, $p, $shape, $like) = @$case;
        my $csr = nd->sparse->csr_matrix([$d, $i, $p], shape => $shape);
        isa_ok($csr, 'AI::MXNet::NDArray::CSR', "parts [@$p] / [@$i]: an array is made");
        dies_one_line(sub { $csr->check_format }, $like, '... check_format says what is wrong');
        dies_one_line(sub { $csr->aspdl }, $like, '... aspdl dies the same way');
        dies_one_line(sub { nd->dot($csr, nd->ones([4, 2])) }, $like, '... and so does an operator');
    }
    my $rsp = nd->sparse->row_sparse_array([[[1, 2], [3, 4]], [1, 4]], shape => [3, 2]);
    dies_one_line(sub { $rsp->check_format }, qr/row index 4 is outside 0\.\.2/, 'a row_sparse row index outside the shape');
    dies_one_line(sub { $rsp + 1 }, qr/row index 4/, '... dies at any use');
    $rsp = nd->sparse->row_sparse_array([[[1, 2], [3, 4]], [1, -2]], shape => [3, 2]);
    dies_one_line(sub { $rsp->check_format }, qr/row index -2/, '... a negative one too');
    $rsp = nd->sparse->row_sparse_array([[[1, 2], [3, 4]], [1, 0]], shape => [3, 2]);
    dies_one_line(sub { $rsp->check_format }, qr/ascending|order/i, 'indices out of order: mxnet\'s check_format reports them');
    is_deeply(vals($rsp), [3, 4, 1, 2, 0, 0], '... but they are safe to use');
    dies_one_line(sub { nd->sparse->csr_matrix([[1], [[0], [9]]], shape => [2, 2]) }, qr/column index 9 is outside/,
                  'coordinates outside the shape die at once');
    dies_one_line(sub { nd->sparse->csr_matrix(nd->ones([2, 2]), shape => [3, 2]) }, qr/Shape mismatch/,
                  'a dense source of another shape dies');
    is_deeply(vals(nd->sparse->csr_matrix([\@data, \@indices, \@indptr], shape => [3, 4])), \@dense, 'and the process goes on');
}

# --- saved from Perl, loaded by plain Python mxnet with the same values
SKIP: {
    my $python = abs_path("$FindBin::Bin/../..") . '/.venv/bin/python';
    skip 'no .venv python', 2 unless -x $python;
    my $dir = tempdir(CLEANUP => 1);
    my $csr = nd->sparse->csr_matrix([\@data, \@indices, \@indptr], shape => [3, 4]);
    my $rsp = nd->sparse->row_sparse_array([[[1.5, 2], [3, 4]], [1, 4]], shape => [6, 2]);
    mx->nd->save("$dir/sparse.params", {csr => $csr, rsp => $rsp});
    my $code = "import mxnet as mx; d = mx.nd.load('$dir/sparse.params'); "
             . "print(d['csr'].stype, d['csr'].asnumpy().astype(int).ravel().tolist(), d['rsp'].stype, "
             . "d['rsp'].indices.asnumpy().tolist(), d['rsp'].asnumpy().ravel().tolist())";
    my $out = `"$python" -c "$code" 2>&1`;
    is($out, "csr [@{[join ', ', @dense]}] row_sparse [1, 4] [0.0, 0.0, 1.5, 2.0, 0.0, 0.0, 0.0, 0.0, 3.0, 4.0, 0.0, 0.0]\n",
       'plain Python mxnet loads sparse arrays saved from Perl, values and storage');
    my $back = mx->nd->load("$dir/sparse.params");
    isa_ok($back->{csr}, 'AI::MXNet::NDArray::CSR', 'and Perl loads them as sparse arrays');
}

done_testing;

#!/usr/bin/env perl
# nd->linalg, nd->contrib, nd->image, nd->sparse and every sampler of nd->random, called AI::MXNet's way;
# the samplers draw the numbers plain Python mxnet draws for the same seed.
use strict;
use warnings;
use Test::More;
use Scalar::Util qw(refaddr);
use FindBin;
use PDL;
use AI::MXNet qw(mx);
use AI::MXNet::LinAlg::NDArray;
use lib "$FindBin::Bin/lib";
use BridgeTest;

# --- class names as in AI::MXNet
is(nd->linalg, 'AI::MXNet::LinAlg::NDArray', 'nd->linalg');
is(nd->contrib, 'AI::MXNet::Contrib::NDArray', 'nd->contrib');
is(nd->image, 'AI::MXNet::Image::NDArray', 'nd->image');
is(nd->sparse, 'AI::MXNet::NDArray::Sparse', 'nd->sparse');
is(nd->random, 'AI::MXNet::Random', 'nd->random');

# --- every namespace of the bridge's table is reachable from mx, under each name AI::MXNet gave it
{
    my %want = (nd => 'AI::MXNet::NDArray', ndarray => 'AI::MXNet::NDArray', autograd => 'AI::MXNet::AutoGrad',
                random => 'AI::MXNet::Random', rnd => 'AI::MXNet::Random', context => 'AI::MXNet::Context',
                gluon => 'AI::MXNet::Gluon', init => 'AI::MXNet::Initializer', initializer => 'AI::MXNet::Initializer',
                metric => 'AI::MXNet::Metric', optimizer => 'AI::MXNet::Optimizer', opt => 'AI::MXNet::Optimizer',
                lr_scheduler => 'AI::MXNet::LRScheduler', sym => 'AI::MXNet::Symbol', symbol => 'AI::MXNet::Symbol',
                io => 'AI::MXNet::IO', image => 'AI::MXNet::Image', img => 'AI::MXNet::Image',
                mod => 'AI::MXNet::Module', module => 'AI::MXNet::Module', kv => 'AI::MXNet::KVStore',
                engine => 'AI::MXNet::Engine', runtime => 'AI::MXNet::RunTime');
    is(mx->$_, $want{$_}, "mx->$_ is $want{$_}") for sort keys %want;
    is(mx->gluon->data->vision->transforms, 'AI::MXNet::Gluon::Data::Vision::Transforms', 'gluon->data->vision->transforms');
    is(mx->sym->contrib, 'AI::MXNet::Contrib::Symbol', 'mx->sym->contrib');
    # each row of the table: its children's accessors give their class names, and what Perl calls resolves
    for my $row (@{ AI::MXNet::Bridge::python('namespace_table') }) {
        my ($package, $path, $calls, $children) = @$row;
        is($package->$_, $children->{$_}, "$package->$_") for sort keys %$children;
        ok($package->can('AUTOLOAD') || $calls eq 'module', "$package ($calls) forwards its functions");
    }
}

# --- linalg: gemm2 computes alpha * A x B^T
{
    my $A = nd->array([[1, 2], [3, 4]]);
    my $B = nd->array([[1, 0], [0, 1], [1, 1]]);
    is_deeply(vals(nd->linalg->gemm2($A, $B, transpose_b => 1, alpha => 2.0)), [2, 4, 6, 6, 8, 14],
              'gemm2(transpose_b => 1, alpha => 2)');
    is_deeply(vals(mx->nd->linalg->gemm2($A, $B, {transpose_b => 1})), [1, 2, 3, 3, 4, 7], '... with a hash ref');
    my $batch = nd->array([[[1, 1]], [[0.1, 0.1]]]);
    near(vals(nd->linalg->gemm2($batch, $batch, transpose_b => 1, alpha => 2.0)), [4, 0.04], 'batched gemm2');
    is_deeply(vals(AI::MXNet::LinAlg::NDArray->sumlogdiag(nd->array([[1, 0], [0, 1]]))), [0], 'the class by its name');
    eval { nd->linalg->gemmx($A) };
    like($@, qr/^unknown operator gemmx in mx\.nd\.linalg \(did you mean gemm\?\)/, 'an unknown linalg name');
}

# --- image, contrib, sparse
{
    my $t = nd->image->to_tensor(nd->zeros([28, 28, 3]));
    is_deeply($t->shape, [3, 28, 28], 'image->to_tensor moves channels first');
    is_deeply(vals(nd->contrib->arange_like(nd->ones([4]))), [0, 1, 2, 3], 'contrib->arange_like');
    my $csr = nd->sparse->zeros('csr', [2, 3]);
    is($csr->stype, 'csr', 'sparse->zeros(csr)');
    is_deeply(vals($csr), [(0) x 6], '... converts to a dense PDL');
    my $dense = nd->array([[0, 1], [2, 0]]);
    is_deeply(vals(nd->sparse->cast_storage($dense, stype => 'row_sparse')), [0, 1, 2, 0], 'sparse->cast_storage');
}

# --- random: AI::MXNet's forms
{
    my $r = nd->random->uniform(-1, 1, [2, 3]);
    is_deeply($r->shape, [2, 3], 'uniform(-1, 1, [2, 3])');
    is_deeply(nd->random->uniform(shape => [4])->shape, [4], 'uniform(shape => [4])');
    near(vals(nd->random->normal(loc => 1, scale => 1e-6, shape => [3])), [1, 1, 1], 'normal(loc => 1, scale => 1e-6)', 1e-4);
    is(nd->random->randint(0, 10, [5])->dtype, 'int32', 'randint gives int32');
    is(scalar(grep { $_ >= 3 && $_ < 5 } @{ vals(nd->random->randint(3, 5, [50])) }), 50, 'randint(3, 5) is in [3, 5)');
    is_deeply(nd->random->randn(2, 3)->shape, [2, 3], 'randn(2, 3)');
    my $rn = nd->random->randn(shape => [3, 2], loc => 10, scale => 1e-6);
    is_deeply($rn->shape, [3, 2], 'randn(shape => [3, 2], loc => 10, scale => 1e-6)');
    near(vals($rn), [(10) x 6], '... draws near loc', 1e-4);
    is(nd->random->normal(shape => 2, dtype => 'float16', ctx => mx->cpu)->dtype, 'float16', 'normal(dtype => float16, ctx => cpu)');
    my $shuffled = nd->random->shuffle(nd->arange(stop => 10));
    is_deeply([sort { $a <=> $b } @{ vals($shuffled) }], [0 .. 9], 'shuffle permutes');
    my $probs = nd->array([[0, 1, 2, 3, 4], [4, 3, 2, 1, 0]]) / 10.0;
    my $got = nd->random->multinomial($probs, shape => 1000, get_prob => 1);
    is(scalar(@$got), 2, 'multinomial(get_prob => 1) gives samples and log-probabilities');
    is_deeply($got->[0]->shape, [2, 1000], '... samples of shape [2, 1000]');
    my $params = nd->random->normal(loc => nd->array([0, 100]), scale => nd->array([1, 1]), shape => 50);
    is_deeply($params->shape, [2, 50], 'normal with array parameters draws per parameter');
    ok($params->at(1)->mean->asscalar > 90, '... from each parameter\'s distribution');
}

# --- the same numbers as plain Python mxnet for the same seed
{
    my $python = venv_python();
    my @cases = (
        ['uniform(-1, 1, [2, 3])', sub { nd->random->uniform(-1, 1, [2, 3]) }, 'uniform(-1, 1, (2, 3))'],
        ['normal(loc => 2, scale => 3, shape => [4])', sub { nd->random->normal(loc => 2, scale => 3, shape => [4]) },
         'normal(2, 3, (4,))'],
        ['randint(0, 100, [5])', sub { nd->random->randint(0, 100, [5]) }, 'randint(0, 100, (5,))'],
        ['gamma(9, 0.5, [3])', sub { nd->random->gamma(9, 0.5, [3]) }, 'gamma(9, 0.5, (3,))'],
        ['exponential(4, [3])', sub { nd->random->exponential(4, [3]) }, 'exponential(4, (3,))'],
        ['poisson(4, [3])', sub { nd->random->poisson(4, [3]) }, 'poisson(4, (3,))'],
        ['negative_binomial(3, 0.4, [3])', sub { nd->random->negative_binomial(3, 0.4, [3]) },
         'negative_binomial(3, 0.4, (3,))'],
        ['generalized_negative_binomial(2, 0.3, [3])', sub { nd->random->generalized_negative_binomial(2, 0.3, [3]) },
         'generalized_negative_binomial(2, 0.3, (3,))'],
        ['randn(2, 2)', sub { nd->random->randn(2, 2) }, 'randn(2, 2)'],
        ['shuffle(arange(stop => 6))', sub { nd->random->shuffle(nd->arange(stop => 6)) }, 'shuffle(mx.nd.arange(0, 6))'],
        ['multinomial', sub { nd->random->multinomial(nd->array([[0.2, 0.8], [0.9, 0.1]]), shape => 3) },
         'multinomial(mx.nd.array([[0.2, 0.8], [0.9, 0.1]]), shape=3)'],
    );
    SKIP: {
        skip "no $python", scalar(@cases) unless -x $python;
        my $code = join '; ', 'import mxnet as mx',
            map { "mx.random.seed(11); print(mx.nd.random.$_->[2].asnumpy().ravel().tolist())" } @cases;
        my @lines = split /\n/, `"$python" -c "$code" 2>/dev/null`;
        for my $i (0 .. $#cases) {
            mx->random->seed(11);
            my @perl = @{ vals($cases[$i][1]->()) };
            my @py = ($lines[$i] // '') =~ /(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/g;
            near(\@perl, \@py, "$cases[$i][0] after seed(11) draws what Python mxnet draws", 1e-6);
        }
    }
}

# mx->engine->bulk runs a sub with mxnet's engine bundling operators (AI::MXNet's t/test_engine.t), and puts
# the bulk size back however the sub ends
{
    my $x;
    mx->engine->bulk(10, sub { $x = nd->ones([10]) * 2 + 1; $x += 1 for 1 .. 100 });
    is_deeply([$x->aspdl->list], [(103) x 10], 'mx->engine->bulk(10, sub {...})');
    my $size = mx->engine->set_bulk_size(3);
    ok(!eval { mx->engine->bulk(10, sub { die "inside\n" }); 1 }, 'a die inside bulk comes out');
    is($@, "inside\n", '... unchanged');
    is(mx->engine->set_bulk_size($size), 3, '... and the bulk size is back');
}

# mx->runtime->Features: libmxnet's build features, as AI::MXNet::RunTime gave them (AI::MXNet's t/test_runtime.t)
{
    my $features = mx->runtime->Features;
    isa_ok($features, 'AI::MXNet::RunTime');
    is(refaddr(mx->runtime->Features), refaddr($features), 'always the same object');
    is($features->features->{CUDA}, 0, 'this mxnet has no CUDA');
    is($features->is_enabled('OPENMP'), 1, 'but OpenMP');
    ok(!eval { $features->is_enabled('hello world'); 1 }, 'an unknown feature dies');
    like($@, qr/^Feature hello world does not exist/, '... saying so');
    like("$features", qr/^\[\x{2716} BLAS_APPLE, .*\x{2714} OPENMP, .*\]$/, 'printed as AI::MXNet printed it');
}

done_testing;

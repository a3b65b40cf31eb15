#!/usr/bin/env perl
# Fuzzing: many random bad calls (wrong shapes and dtypes, undef, strings for numbers, nested refs, negative
# and huge dims, bad slices, unknown keywords and operators, wrong arity, PDLs of odd types). Every call must
# either work or die with a Perl exception that says something; nothing may crash, and afterwards the
# process must still compute correct results. Seeded: AI_MXNET_FUZZ_SEED, AI_MXNET_FUZZ_CALLS (make fuzz
# runs a long profile; make test a short one).
use strict;
use warnings;
use Test::More;
use PDL::Lite;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $SEED  = $ENV{AI_MXNET_FUZZ_SEED}  // 20261127;
my $CALLS = $ENV{AI_MXNET_FUZZ_CALLS} // 2000;
srand($SEED);
diag("fuzz seed $SEED, $CALLS calls");

sub pick { $_[ int rand @_ ] }

my @DTYPES = (qw(float32 float64 float16 uint8 int8 int32 int64 bool float99), '', undef, 7);
my @PDL_TYPES = qw(byte sbyte short ushort long ulong indx longlong ulonglong float double);

sub random_shape { [ map { 1 + int rand 3 } 1 .. 1 + int rand 3 ] }

sub random_array {
    my $dtype = pick(qw(float32 float64 int32 uint8 int8 int64 float16));
    return nd->array(nd->random->uniform(-5, 5, random_shape())->aspdl, dtype => $dtype);
}

sub random_pdl {
    my $type = PDL::Type->new(pick(@PDL_TYPES));
    my @dims = @{ random_shape() };
    my $p = PDL->new_from_specification($type, @dims);
    return $p;
}

# A value of any kind a confused caller might pass.
sub random_value {
    my @makers = (
        sub { undef }, sub { 0 }, sub { -1 }, sub { 3 }, sub { 1e12 }, sub { -1e12 }, sub { 2**63 },
        sub { 1.5 }, sub { 0.5 - rand }, sub { "abc" }, sub { "" }, sub { "X" }, sub { "0" }, sub { "1:2" },
        sub { [] }, sub { [[]] }, sub { [1, 2] }, sub { [[1, 2], [3]] }, sub { [1, [2, [3]]] }, sub { {} },
        sub { { a => 1 } }, sub { \"ref" }, sub { sub { 1 } }, sub { random_array() }, sub { random_pdl() },
        sub { random_shape() }, sub { [-1, 2] }, sub { [1e9, 1e9] }, sub { [0] }, sub { mx->cpu },
        sub { pick(@DTYPES) }, sub { "nan" }, sub { 9**9**9 },
    );
    return pick(@makers)->();
}

my @OPERATORS = qw(sum relu dot exp log sqrt transpose reshape clip argmax softmax concat stack broadcast_to
    FullyConnected Activation one_hot take pick where no_such_op _private __class__ Convolution
    broadcast_div divide true_divide elemwise_div modulo broadcast_mod);
my @LAYERS = qw(Dense Conv2D MaxPool2D Flatten Activation Dropout BatchNorm Embedding Sequential NoSuchLayer);

my @TEMPLATES = (
    sub { nd->array(random_value(), dtype => random_value()) },
    sub { nd->array(random_value()) },
    sub { nd->zeros(random_value()) },
    sub { nd->ones(random_value(), dtype => random_value()) },
    sub { nd->full(random_value(), random_value()) },
    sub { random_array()->reshape(random_value()) },
    sub { random_array()->slice(random_value()) },
    sub { random_array()->slice(random_value(), random_value()) },
    sub { random_array()->at(random_value()) },
    sub { random_array() + random_value() },
    sub { random_value() - random_array() },
    sub { random_array() ** random_value() },
    sub { random_array() / random_value() },
    sub { random_array() < random_value() },
    sub { my $x = random_array(); $x .= random_value(); $x },
    sub { my $x = random_array(); $x += random_value(); $x },
    sub { random_array()->sum(axis => random_value()) },
    sub { random_array()->astype(random_value()) },
    sub { nd->dot(random_array(), random_array()) },
    sub { random_array() * random_array() },
    sub { nd->random->uniform(random_value(), random_value(), random_value()) },
    sub { nd->random->normal(shape => random_value()) },
    sub { my $op = pick(@OPERATORS); nd->$op(random_array(), random_value()) },
    sub { my $op = pick(@OPERATORS); nd->$op(random_value(), pick(@OPERATORS) => random_value()) },
    sub { my $op = pick(@OPERATORS); random_array()->$op(random_value() => random_value()) },
    sub { random_array()->transpose(axes => random_value()) },
    sub { nd->concat(random_array(), random_array(), dim => random_value()) },
    sub { random_array()->aspdl },
    sub { random_array()->asscalar },
    sub { nd->array(random_pdl(), dtype => pick(@DTYPES)) },
    sub { my $x = random_array(); $x->attach_grad(grad_req => random_value()); $x },
    sub { mx->autograd->record(sub { random_array() * random_value() }) },
    sub { mx->autograd->record(sub { die random_value() // "undef died\n" }) },
    sub { my $x = random_array(); $x->backward },
    sub { nd->array([1, 2, 3])->slice([random_value(), random_value()]) },
    sub { mx->random->seed(random_value()) },
    sub { if (random_array()) { 1 } },
    # Gluon: layers made and called with anything
    sub { my $layer = pick(@LAYERS); nn->$layer(random_value()) },
    sub { my $layer = pick(@LAYERS); nn->$layer(random_value(), random_value() => random_value()) },
    sub { my $layer = nn->Dense(2); $layer->initialize; $layer->(random_value()) },
    sub { my $layer = nn->Dense(2); $layer->initialize(random_value()); $layer->(random_array()) },
    sub { gluon->loss->L2Loss->(random_array(), random_value()) },
    sub { gluon->Trainer(random_value(), random_value(), random_value()) },
    sub { my $l = gluon->data->DataLoader(gluon->data->ArrayDataset(random_array()), batch_size => random_value());
          my @b = @{$l}; $b[0] },
    sub { my $s = nn->Sequential; $s->add(random_value()); no warnings; $s->[random_value() // 0] },    # index: Perl numifies it
    # sparse arrays made of anything (checked before libmxnet sees them), then used
    sub { nd->sparse->csr_matrix([random_value(), random_value(), random_value()], shape => random_value())->aspdl },
    sub { nd->sparse->csr_matrix([random_value(), [random_value(), random_value()]], shape => random_value())->aspdl },
    sub { nd->sparse->row_sparse_array([random_value(), random_value()], shape => random_value())->aspdl },
    sub { nd->sparse->csr_matrix(random_value(), shape => random_value(), dtype => random_value())->aspdl },
    # nearly valid parts: indices and indptr a little off, sometimes
    sub { nd->dot(nd->sparse->csr_matrix([[1, 2, 3], [map { int(rand 7) - 2 } 1 .. 3], [0, map { int(rand 5) - 1 } 1 .. 3]],
                                         shape => [3, 4]), nd->ones([4, 2])) },
    sub { nd->sparse->row_sparse_array([[[1, 2], [3, 4]], [map { int(rand 6) - 2 } 1, 2]], shape => [3, 2]) + 1 },
    # records and images made of anything
    sub { mx->recordio->unpack(mx->recordio->pack(random_value(), random_value())) },
    sub { mx->recordio->unpack(random_value()) },
    sub { mx->img->imdecode(random_value(), flag => random_value()) },
);

my ($worked, $died, $silent) = (0, 0, 0);
for my $i (1 .. $CALLS) {
    my $index = $ENV{AI_MXNET_FUZZ_ONLY} // int rand @TEMPLATES;
    my $template = $TEMPLATES[$index];
    print STDERR "call $i: template $index\n" if $ENV{AI_MXNET_FUZZ_TRACE};
    my $ok = eval { my $r = $template->(); $r->wait_to_read if ref $r eq 'AI::MXNet::NDArray'; 1 };
    if ($ok) { $worked++; next }
    my $error = $@;
    $died++;
    # a die inside record may carry any value (even a false one is replaced by Perl); ours say something
    $silent++ unless (ref $error) || (defined $error && length $error);
}
ok($worked + $died == $CALLS, "all $CALLS calls returned or died ($worked worked, $died died)");
is($silent, 0, 'every failure died with a message');
ok(!mx->autograd->is_recording, 'recording is off afterwards');
ok(!mx->autograd->is_training, 'training is off afterwards');

# the process still computes correct results
my $x = nd->array([[1, 2], [3, 4]]);
$x->attach_grad;
my $y;
mx->autograd->record(sub { $y = 2 * $x * $x });
$y->backward;
is_deeply(vals($x->grad), [4, 8, 12, 16], 'gradients are still right');
is_deeply(vals(nd->dot($x, $x)), [7, 10, 15, 22], 'dot is still right');
is_deeply(vals($x->slice(1)), [3, 4], 'slicing is still right');

done_testing;

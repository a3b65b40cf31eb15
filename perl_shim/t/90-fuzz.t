#!/usr/bin/env perl
# Fuzzing: many random bad calls (wrong shapes and dtypes, undef, strings for numbers, nested refs, negative
# and huge dims, bad slices, unknown keywords and operators, wrong arity, PDLs of odd types; data that holds
# itself; hostile values for operators' declared parameters; callbacks left by last, next, redo or die). Every call must
# either work or die with a Perl exception that says something; nothing may crash, and afterwards the
# process must still compute correct results. Seeded: AI_MXNET_FUZZ_SEED, AI_MXNET_FUZZ_CALLS (make fuzz
# runs a long profile; make test a short one).
use strict;
use warnings;
use Test::More;
use PDL::Lite;
use Scalar::Util qw(refaddr);
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

my ($last_array, $last_pdl, $last_value);    # what a call drew last, for the expectations below

sub random_array {
    my $dtype = pick(qw(float32 float64 int32 uint8 int8 int64 float16));
    return $last_array = nd->array(nd->random->uniform(-5, 5, random_shape())->aspdl, dtype => $dtype);
}

sub random_pdl {
    my $type = PDL::Type->new(pick(@PDL_TYPES));
    my @dims = @{ random_shape() };
    return $last_pdl = PDL->new_from_specification($type, @dims);
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
        # hostile Perl data: holding itself, nested without end
        sub { my $a = [1]; push @$a, $a; $a }, sub { my $h = {a => 1}; $h->{h} = $h; $h },
        sub { my $d = 1; $d = [$d] for 1 .. 2000; $d }, sub { my $s; $s = \$s; $s },
    );
    return $last_value = pick(@makers)->();
}

my @OPERATORS = qw(sum relu dot exp log sqrt transpose reshape clip argmax softmax concat stack broadcast_to
    FullyConnected Activation one_hot take pick where no_such_op _private __class__ Convolution
    broadcast_div divide true_divide elemwise_div modulo broadcast_mod);
my @LAYERS = qw(Dense Conv2D MaxPool2D Flatten Activation Dropout BatchNorm Embedding Sequential NoSuchLayer);
# hostile values for operators' declared parameters and index inputs (bridge/arrays/guards.py's table)
my @HOSTILE_INTS = (0, -1, -2**31, 2**31, 1e9);
my @HOSTILE_SHAPES = ([0], [0, 0], [-1, -1], [1e9], [], [0, 0, 0, 0]);
sub hostile_index { nd->array([pick(1e9, -1e9, -1, 2**31, 0, 3)]) }

# A Block written in Perl whose forward leaves by loop control or dies, and a Function whose backward does.
{
    package FuzzBlock;
    use AI::MXNet::Gluon::Mouse;
    extends 'AI::MXNet::Gluon::Block';
    sub forward { my $how = int rand 3; next if $how == 0; last if $how == 1; die "forward died\n" }
    package FuzzFunction;
    use parent -norequire, 'AI::MXNet::AutoGrad::Function';
    sub forward { $_[1] * 2 }
    sub backward { my $how = int rand 3; next if $how == 0; last if $how == 1; die "backward died\n" }
}

# The outcome every call must have: it returns, or it dies with an AI::MXNet::Error whose message says
# something and which names this script's line (the caller's), not a line inside the shim.
sub works_or_dies_clearly {
    my ($ok, $error) = @_;
    return '' if $ok;
    return 'died with ' . (ref $error || "a plain string: $error") unless ref $error eq 'AI::MXNet::Error';
    return 'died without a message' unless $error->message =~ /\S/;
    return "the error names $error->{file} line $error->{line}, not the caller's" unless $error->{file} eq __FILE__;
    return '';
}

sub first_value { ($_[0]->aspdl->list)[0] }

# A callback's die reaches the caller as it was; loop control out of it dies saying it cannot leave.
sub left_or_died {
    my ($ok, $error) = @_;
    return 'worked' if $ok;
    return '' if ref $error || "$error" =~ /^(?:\S+ \(called by mxnet\): )?(?:"(?:last|next|redo)" cannot leave a sub that AI::MXNet calls .* at \Q${\ __FILE__}\E line \d+\.\n\z|(?:forward|backward) died\n\z)/;
    return "died: $error";
}

# Outcomes known in advance: each returns '' when the call had the one it must have, else why not.
sub dies_like {
    my ($pattern) = @_;
    return sub {
        my ($ok, $error) = @_;
        return $ok ? 'worked' : "$error" =~ $pattern ? works_or_dies_clearly($ok, $error) : "died: $error";
    };
}

my %VALID_DTYPE = map { $_ => 1 } qw(float32 float64 float16 uint8 int8 int32 int64 bool);
my %EXPECT = (
    'asscalar' => sub {
        my ($ok, $error, $r) = @_;
        return dies_like(qr/^ndarray size must be 1 at /)->($ok, $error) if $last_array->size != 1;
        return $ok && "$r" eq first_value($last_array) ? '' : 'not the one element: ' . ($ok ? $r : $error);
    },
    'truth value' => sub {
        my ($ok, $error, $r) = @_;
        return dies_like(qr/^The truth value of an NDArray with multiple elements is ambiguous\. at /)->($ok, $error)
            if $last_array->size != 1;
        return $ok && $r eq (first_value($last_array) != 0 ? 'true' : 'false') ? '' : 'wrong: ' . ($ok ? $r : $error);
    },
    'aspdl' => sub {
        my ($ok, $error, $r) = @_;
        return "died: $error" unless $ok;
        return ref $r eq 'PDL' && "@{[ $r->dims ]}" eq "@{[ reverse @{ $last_array->shape } ]}" ? ''
            : 'not a PDL with the dims reversed';
    },
    'nd->array(PDL, dtype)' => sub {
        my ($ok, $error, $r) = @_;
        my $dtype = $last_value;
        return dies_like(qr/^(?:data type '.*' not understood|Cannot interpret '.*' as a data type) at /)
            ->($ok, $error) if defined $dtype && !$VALID_DTYPE{$dtype};
        return "died: $error" unless $ok;
        return $r->dtype eq ($dtype // 'float32') && "@{ $r->shape }" eq "@{[ reverse $last_pdl->dims ]}" ? ''
            : "dtype " . $r->dtype . ", shape @{ $r->shape }";
    },
    'die inside record' => sub {
        my ($ok, $error) = @_;
        return 'worked' if $ok;
        my $v = $last_value;
        return '' if ref $v ? ref $error && refaddr($error) == refaddr($v)
                   : !defined $v ? $error eq "undef died\n"
                   : $error =~ /^\Q@{[ length $v ? $v : 'Died' ]}\E at \Q${\ __FILE__}\E line \d+\.\n\z/;
        return 'not the value it died with: ' . (defined $error ? $error : 'undef');
    },
    # (arguments are checked before the name: a value that holds itself dies saying so)
    'unknown operator' => dies_like(qr/^(?:unknown operator \w+ in mx\.nd\b|this Perl data (?:holds itself|is nested))/),
    # a callback left by loop control dies with one line; otherwise with its own die
    map({ $_ => \&left_or_died } 'record left by last/next/redo', 'pause left by last', 'name_scope left by next',
                                 "a Block's forward left or died", "a Function's backward left or died"),
    'unknown layer'    => dies_like(qr/NoSuchLayer|^this Perl data (?:holds itself|is nested more than)/),
);

my @TEMPLATES = (
    'nd->array(value, dtype)'  => sub { nd->array(random_value(), dtype => random_value()) },
    'nd->array(value)'         => sub { nd->array(random_value()) },
    'nd->zeros'                => sub { nd->zeros(random_value()) },
    'nd->ones'                 => sub { nd->ones(random_value(), dtype => random_value()) },
    'nd->full'                 => sub { nd->full(random_value(), random_value()) },
    'reshape'                  => sub { random_array()->reshape(random_value()) },
    'slice'                    => sub { random_array()->slice(random_value()) },
    'slice of two'             => sub { random_array()->slice(random_value(), random_value()) },
    'at'                       => sub { random_array()->at(random_value()) },
    'array + value'            => sub { random_array() + random_value() },
    'value - array'            => sub { random_value() - random_array() },
    'array ** value'           => sub { random_array() ** random_value() },
    'array / value'            => sub { random_array() / random_value() },
    'array < value'            => sub { random_array() < random_value() },
    '.='                       => sub { my $x = random_array(); $x .= random_value(); $x },
    '+='                       => sub { my $x = random_array(); $x += random_value(); $x },
    'sum(axis)'                => sub { random_array()->sum(axis => random_value()) },
    'astype'                   => sub { random_array()->astype(random_value()) },
    'nd->dot'                  => sub { nd->dot(random_array(), random_array()) },
    'array * array'            => sub { random_array() * random_array() },
    'nd->random->uniform'      => sub { nd->random->uniform(random_value(), random_value(), random_value()) },
    'nd->random->normal'       => sub { nd->random->normal(shape => random_value()) },
    'operator(array, value)'   => sub { my $op = pick(@OPERATORS); nd->$op(random_array(), random_value()) },
    'operator(value, key)'     => sub { my $op = pick(@OPERATORS);
                                        nd->$op(random_value(), pick(@OPERATORS) => random_value()) },
    'method(key => value)'     => sub { my $op = pick(@OPERATORS); random_array()->$op(random_value() => random_value()) },
    'unknown operator'         => sub { my $op = pick(qw(no_such_op NoSuchOp relux));
                                        nd->$op(random_array(), random_value()) },
    'transpose(axes)'          => sub { random_array()->transpose(axes => random_value()) },
    'nd->concat'               => sub { nd->concat(random_array(), random_array(), dim => random_value()) },
    'aspdl'                    => sub { random_array()->aspdl },
    'asscalar'                 => sub { random_array()->asscalar },
    'nd->array(PDL, dtype)'    => sub { my $p = random_pdl(); nd->array($p, dtype => ($last_value = pick(@DTYPES))) },
    'attach_grad(grad_req)'    => sub { my $x = random_array(); $x->attach_grad(grad_req => random_value()); $x },
    'record'                   => sub { mx->autograd->record(sub { random_array() * random_value() }) },
    'die inside record'        => sub { mx->autograd->record(sub { die random_value() // "undef died\n" }) },
    'backward'                 => sub { my $x = random_array(); $x->backward },
    'slice([b, e])'            => sub { nd->array([1, 2, 3])->slice([random_value(), random_value()]) },
    'mx->random->seed'         => sub { mx->random->seed(random_value()) },
    'truth value'              => sub { random_array() ? 'true' : 'false' },
    # Gluon: layers made and called with anything
    'nn->Layer(value)'         => sub { my $layer = pick(@LAYERS); nn->$layer(random_value()) },
    'nn->Layer(key => value)'  => sub { my $layer = pick(@LAYERS);
                                        nn->$layer(random_value(), random_value() => random_value()) },
    'unknown layer'            => sub { nn->NoSuchLayer(random_value()) },
    'Dense->(value)'           => sub { my $layer = nn->Dense(2); $layer->initialize; $layer->(random_value()) },
    'initialize(value)'        => sub { my $layer = nn->Dense(2); $layer->initialize(random_value());
                                        $layer->(random_array()) },
    'L2Loss'                   => sub { gluon->loss->L2Loss->(random_array(), random_value()) },
    'Trainer'                  => sub { gluon->Trainer(random_value(), random_value(), random_value()) },
    'DataLoader'               => sub { my $data = gluon->data->ArrayDataset(random_array());
                                        my $loader = gluon->data->DataLoader($data, batch_size => random_value());
                                        my @b = @$loader; $b[0] },
    # the index: Perl numifies it
    'Sequential index'         => sub { my $s = nn->Sequential; $s->add(random_value());
                                        no warnings; $s->[random_value() // 0] },
    # sparse arrays made of anything (checked before libmxnet sees them), then used
    'csr_matrix(parts)'        => sub { nd->sparse->csr_matrix([random_value(), random_value(), random_value()],
                                                               shape => random_value())->aspdl },
    'csr_matrix(coordinates)'  => sub { nd->sparse->csr_matrix([random_value(), [random_value(), random_value()]],
                                                               shape => random_value())->aspdl },
    'row_sparse_array(parts)'  => sub { nd->sparse->row_sparse_array([random_value(), random_value()],
                                                                     shape => random_value())->aspdl },
    'csr_matrix(value)'        => sub { nd->sparse->csr_matrix(random_value(), shape => random_value(),
                                                               dtype => random_value())->aspdl },
    # nearly valid parts: indices and indptr a little off, sometimes
    'dot(csr nearly valid)'    => sub { nd->dot(nd->sparse->csr_matrix([[1, 2, 3], [map { int(rand 7) - 2 } 1 .. 3],
                                                                        [0, map { int(rand 5) - 1 } 1 .. 3]],
                                                                       shape => [3, 4]), nd->ones([4, 2])) },
    'row_sparse nearly valid'  => sub { nd->sparse->row_sparse_array([[[1, 2], [3, 4]], [map { int(rand 6) - 2 } 1, 2]],
                                                                     shape => [3, 2]) + 1 },
    # records and images made of anything
    'recordio pack/unpack'     => sub { mx->recordio->unpack(mx->recordio->pack(random_value(), random_value())) },
    'recordio unpack(value)'   => sub { mx->recordio->unpack(random_value()) },
    'imdecode(value)'          => sub { mx->img->imdecode(random_value(), flag => random_value()) },
    # operators given hostile values for their declared parameters and index inputs
    'Convolution(hostile)'     => sub { nd->Convolution(nd->ones([1, 2, 5, 5]), nd->ones([4, 2, 3, 3]), nd->ones([4]),
                                                        kernel => [3, 3], num_filter => 4,
                                                        pick(qw(num_group stride dilate pad)) => pick(@HOSTILE_INTS)) },
    'Deconvolution(num_group)' => sub { nd->Deconvolution(nd->ones([1, 2, 5, 5]), nd->ones([2, 4, 3, 3]), nd->ones([4]),
                                                          kernel => [3, 3], num_filter => 4, num_group => pick(@HOSTILE_INTS)) },
    'Reshape(hostile shape)'   => sub { my $op = pick(qw(Reshape reshape)); random_array()->$op(shape => pick(@HOSTILE_SHAPES)) },
    'transpose(hostile axes)'  => sub { nd->transpose(random_array(), axes => pick([0, 0], [1, 1], [-1, -1], [0, 5], [0])) },
    'scatter_nd(hostile)'      => sub { nd->scatter_nd(nd->ones([1]), hostile_index()->reshape([1, 1]),
                                                       shape => pick([4], [0], @HOSTILE_SHAPES)) },
    'index_copy(hostile)'      => sub { nd->contrib->index_copy(nd->ones([4, 3]), hostile_index()->astype('int32'),
                                                                nd->ones([1, 3])) },
    'Sequence*(hostile)'       => sub { my $op = pick(qw(SequenceLast SequenceMask SequenceReverse));
                                        nd->$op(nd->ones([4, 1, 3]), hostile_index(), use_sequence_length => 1) },
    'ctc_loss(hostile)'        => sub { nd->ctc_loss(nd->ones([5, 1, 4]), hostile_index()->reshape([1, 1]),
                                                     nd->array([pick(@HOSTILE_INTS)]), nd->array([1]),
                                                     use_data_lengths => 1, use_label_lengths => 1) },
    'scalar division'          => sub { my $op = pick(qw(_div_scalar _mod_scalar _rdiv_scalar _rmod_scalar));
                                        nd->$op(nd->array([[1, 0], [2, 3]], dtype => pick(qw(int32 int64 uint8 int8))),
                                                scalar => pick(0, 0.5, -1)) },
    'array division'           => sub { my $op = pick(qw(_div _mod broadcast_div broadcast_mod elemwise_div));
                                        nd->$op(nd->array([-2147483648, 5], dtype => 'int32'),
                                                nd->array([pick(0, -1), pick(0, -1)], dtype => 'int32')) },
    'counts and blocks'        => sub { my $op = pick(qw(GroupNorm depth_to_space space_to_depth));
                                        nd->$op(random_array(), random_value() => pick(@HOSTILE_INTS)) },
    'unravel_index(shape)'     => sub { nd->unravel_index(nd->array([1, 2]), shape => pick(@HOSTILE_SHAPES)) },
    # callbacks that leave by last, next, redo or die
    'record left by last/next/redo' => sub { mx->autograd->record(sub { my $how = int rand 4; last if $how == 0;
                                                                       next if $how == 1; redo if $how == 2;
                                                                       die "forward died\n" }) },
    'pause left by last'       => sub { mx->autograd->pause(sub { last }) },
    'name_scope left by next'  => sub { nn->Sequential->name_scope(sub { next }) },
    "a Block's forward left or died"   => sub { FuzzBlock->new->(random_array()) },
    "a Function's backward left or died" => sub { my $x = random_array(); $x->attach_grad; my $y;
                                                  mx->autograd->record(sub { $y = FuzzFunction->new->($x) }); $y->backward },
);
my @NAMES = @TEMPLATES[grep { $_ % 2 == 0 } 0 .. $#TEMPLATES];
my %CODE = @TEMPLATES;
exists $CODE{$_} or die "no template $_" for keys %EXPECT;

my (%calls, %worked, %wrong);
for my $i (1 .. $CALLS) {
    my $index = $ENV{AI_MXNET_FUZZ_ONLY} // int rand @NAMES;
    my $name = $NAMES[$index];
    print STDERR "call $i: template $index ($name)\n" if $ENV{AI_MXNET_FUZZ_TRACE};
    my $result;
    my $ok = eval { $result = $CODE{$name}->(); $result->wait_to_read if ref $result eq 'AI::MXNet::NDArray'; 1 };
    my $error = $ok ? undef : $@;
    $calls{$name}++;
    $worked{$name}++ if $ok;
    my $why = ($EXPECT{$name} // \&works_or_dies_clearly)->($ok, $error, $result);
    push @{ $wrong{$name} }, "call $i: $why" if $why;
}
for my $name (grep { $calls{$_} } @NAMES) {
    my @wrong = @{ $wrong{$name} // [] };
    my $counts = sprintf '%d calls (%d worked)', $calls{$name}, $worked{$name} // 0;
    is(scalar @wrong, 0, "$name: $counts, each as expected")
        or diag(join "\n", @wrong[0 .. ($#wrong < 4 ? $#wrong : 4)]);
}
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

package AI::MXNet::TestUtils;

# The helpers of AI::MXNet's own test suite (t/*.t) that work on PDLs and lists, so those tests run
# against the shim. Comparisons are PDL's; arrays are made through the bridge (nd->array).

use strict;
use warnings;
use Carp qw(confess);
use List::Util ();
use PDL;
use AI::MXNet qw(mx);
use Exporter 'import';

our @EXPORT_OK = qw(same reldiff almost_equal allclose pdl_maximum pdl_minimum zip enumerate assert
                    dies_ok dies_like same_array random_arrays rand_ndarray rand_sparse_ndarray rand_shape_2d rand_shape_3d
                    rand_shape_nd randint pdl mlp2 conv check_consistency check_numeric_gradient
                    check_symbolic_forward check_symbolic_backward GetMNIST_ubyte GetCifar10);

use constant default_numerical_threshold => 1e-6;

sub _is_nan { my ($p) = @_; !(($p > 0) + ($p <= 0)) }

sub same {
    my ($x, $y) = @_;
    return ((($x != $y) - _is_nan($x) * _is_nan($y))->sum == 0);
}

# AI::MXNet's test networks, built as AI::MXNet built them
sub mlp2 {
    my $out = mx->sym->FullyConnected(data => mx->sym->Variable('data'), name => 'fc1', num_hidden => 1000);
    $out = mx->sym->Activation(data => $out, act_type => 'relu');
    return mx->sym->FullyConnected(data => $out, name => 'fc2', num_hidden => 10);
}

sub conv {
    my $out = mx->sym->Variable('data');
    for my $i (1, 2) {
        $out = mx->sym->Convolution(data => $out, name => "conv$i", num_filter => 32, kernel => [3, 3], stride => [2, 2]);
        $out = mx->sym->BatchNorm(data => $out, name => "bn$i");
        $out = mx->sym->Activation(data => $out, name => "relu$i", act_type => 'relu');
        $out = mx->sym->Pooling(data => $out, name => "mp$i", kernel => [2, 2], stride => [2, 2], pool_type => 'max');
    }
    $out = mx->sym->Flatten(data => $out, name => 'flatten');
    $out = mx->sym->FullyConnected(data => $out, name => 'fc2', num_hidden => 10);
    return mx->sym->SoftmaxOutput(data => $out, name => 'sm');
}

# check_consistency(sym => $sym or [$sym, ...], ctx_list => [{ctx => ..., shapes => {...}, ...}, ...]): the symbol
# bound on each context (simple_bind's arguments) gives the same outputs, and the same gradients, as the one of
# the widest output type; one Test::More check per comparison, as AI::MXNet's did. Returns the reference arrays.
my %DTYPE_RANK = (float32 => 0, float64 => 1, float16 => 2, uint8 => 3, int32 => 4);

sub check_consistency {
    my %args = (scale => 1, grad_req => 'write', @_);
    my ($ctx_list, $grad_req) = @args{qw(ctx_list grad_req)};
    my $tol = $args{tol} // {float16 => 1e-1, float32 => 1e-3, float64 => 1e-5, uint8 => 0, int32 => 0};
    $tol = {map { $_ => $tol } keys %DTYPE_RANK} unless ref $tol;
    Test::More::ok(@$ctx_list > 1);
    my $sym = $args{sym};
    if (ref $sym eq 'ARRAY') { Test::More::ok(@$sym == @$ctx_list) }
    else                     { $sym = [($sym) x @$ctx_list] }
    my ($output_names, $arg_names) = ($sym->[0]->list_outputs, $sym->[0]->list_arguments);
    my @executors;
    zip(sub {
        my ($s, $ctx) = @_;
        Test::More::is_deeply($s->list_arguments, $arg_names);
        Test::More::is_deeply($s->list_outputs, $output_names);
        push @executors, $s->simple_bind(grad_req => $grad_req, %$ctx);
    }, $sym, $ctx_list);
    my %arg_params = %{ $args{arg_params} // {} };
    my %aux_params = %{ $args{aux_params} // {} };
    my ($arg_dict, $aux_dict) = ($executors[0]->arg_dict, $executors[0]->aux_dict);
    $arg_params{$_} //= random(reverse @{ $arg_dict->{$_}->shape }) * $args{scale} for keys %$arg_dict;
    $aux_params{$_} //= 0 for keys %$aux_dict;
    for my $exe (@executors) {
        my ($args_of, $aux_of) = ($exe->arg_dict, $exe->aux_dict);
        $args_of->{$_} .= $arg_params{$_} for keys %$args_of;
        $aux_of->{$_} .= $aux_params{$_} for keys %$aux_of;
    }
    my @dtypes = map { $_->outputs->[0]->dtype } @executors;
    my $reference = pdl(map { $DTYPE_RANK{$_} } @dtypes)->maximum_ind->sclr;
    my $truth = $args{ground_truth};
    unless (defined $truth) {
        $truth = { %{ $executors[$reference]->output_dict } };
        %$truth = (%$truth, %{ $executors[$reference]->grad_dict }) if $grad_req ne 'null';
    }
    my $compare = sub {
        my ($i, $names, $arrays) = @_;
        zip(sub {
            my ($name, $array) = @_;
            return Test::More::ok(!defined $array) unless defined $truth->{$name};
            Test::More::ok(almost_equal($array->aspdl, $truth->{$name}->astype($dtypes[$i])->aspdl, $tol->{$dtypes[$i]}));
        }, $names, $arrays);
    };
    $_->forward(0) for @executors;
    for my $i (grep { $_ != $reference } 0 .. $#executors) {
        $compare->($i, $output_names, $executors[$i]->outputs);
    }
    if ($grad_req ne 'null') {
        for my $exe (@executors) { $exe->forward(1); $exe->backward($exe->outputs) }
        for my $i (grep { $_ != $reference } 0 .. $#executors) {
            $compare->($i, [@$output_names, @$arg_names], [@{ $executors[$i]->outputs }, @{ $executors[$i]->grad_arrays }]);
        }
    }
    return $truth;
}

# mxnet's own checks of a symbol's gradients and outputs (bridge/api/test_utils.py), taking PDLs or NDArrays: each
# dies with mxnet's message where the values differ.
sub check_numeric_gradient  { AI::MXNet::Bridge::call('api.test_utils.check_numeric_gradient', @_) }
sub check_symbolic_forward  { AI::MXNet::Bridge::call('api.test_utils.check_symbolic_forward', @_) }
sub check_symbolic_backward { AI::MXNet::Bridge::call('api.test_utils.check_symbolic_backward', @_) }

# MNIST's idx files and CIFAR-10's RecordIO files under ./data, as AI::MXNet's tests read them: there already,
# or copied from $AI_MXNET_TEST_DATA; never downloaded (a missing file dies in one line naming it).
sub GetMNIST_ubyte { AI::MXNet::Bridge::call('api.test_utils.get_mnist_ubyte', $ENV{AI_MXNET_TEST_DATA} // '') }
sub GetCifar10     { AI::MXNet::Bridge::call('api.test_utils.get_cifar10', $ENV{AI_MXNET_TEST_DATA} // '') }

sub allclose {
    my ($x, $y, $threshold) = @_;
    return (($x - $y)->abs <= ($threshold // default_numerical_threshold))->all;
}

sub reldiff {
    my ($x, $y) = @_;
    my $diff = sum(abs($x - $y));
    return 0 if $diff == 0;
    return $diff / (sum(abs($x)) + sum(abs($y)));
}

sub almost_equal {
    my ($x, $y, $threshold) = @_;
    return reldiff($x, $y) <= ($threshold // default_numerical_threshold);
}

sub _pdl_compare {
    my ($x, $y, $keep_larger) = @_;
    if (!ref $y) { my $value = $y; $y = $x->copy; $y .= $value }
    my $mask = $keep_larger ? $x < $y : $x > $y;
    my $c = $x->copy;
    $c->where($mask) .= $y->where($mask);
    return $c;
}
sub pdl_maximum { _pdl_compare(@_[0, 1], 1) }
sub pdl_minimum { _pdl_compare(@_[0, 1], 0) }

# zip(\@a, \@b) -> ([a0, b0], [a1, b1], ...), as long as the shortest; zip(sub {...}, \@a, \@b) calls it on each.
sub zip {
    my $code = ref $_[0] eq 'CODE' ? shift : undef;
    my @lists = map { [@$_] } @_;    # @$_ also splits an NDArray along axis 0, as AI::MXNet's did
    my $n = @lists ? List::Util::min(map { scalar @$_ } @lists) : 0;
    my @rows = map { my $i = $_; [map { $_->[$i] } @lists] } 0 .. $n - 1;
    if ($code) { $code->(@$_) for @rows; return }
    return @rows;
}

sub enumerate {
    my $code = ref $_[0] eq 'CODE' ? shift : undef;
    my $count = @{ $_[0] };
    return zip($code // (), [0 .. $count - 1], @_);
}

sub assert {
    my ($input, $error_str) = @_;
    local $Carp::CarpLevel = 1;
    confess($error_str // 'AssertionError') unless $input;
}

sub dies_ok {
    my ($sub) = @_;
    my $died = !eval { $sub->(); 1 };
    Test::More::ok($died);
}

sub dies_like {
    my ($code, $regexp) = @_;
    eval { $code->() };
    return 1 if $@ =~ $regexp;
    warn $@;
    return 0;
}

sub same_array {
    my ($array1, $array2) = @_;
    $array1 += 1;
    my $differs = !same($array1->aspdl, $array2->aspdl);
    $array1 -= 1;
    return 0 if $differs;
    return same($array1->aspdl, $array2->aspdl);
}

sub random_arrays {
    my @arrays = map { random(reverse @$_)->float } @_;
    return @arrays > 1 ? @arrays : $arrays[0];
}

sub rand_ndarray {
    my ($shape, $stype, $density, $dtype) = @_;
    return (rand_sparse_ndarray($shape, $stype, density => $density, dtype => $dtype))[0]
        unless ($stype // 'default') eq 'default';
    return mx->nd->array(random_arrays($shape), dtype => $dtype // 'float32');
}

# A random 'csr' or 'row_sparse' array: uniform values, each entry (csr) or row (row_sparse) kept with
# probability density (random when undef). Returns the array and its dense values as a PDL.
sub rand_sparse_ndarray {
    my ($shape, $stype, %args) = @_;
    confess("unknown storage type $stype") unless $stype eq 'csr' || $stype eq 'row_sparse';
    my $density = $args{density} // rand;
    my $values = random_arrays($shape);
    my $keep = $stype eq 'csr' ? random(reverse @$shape) : random($shape->[0])->dummy(0, $values->dim(0));
    $values *= $keep < $density;
    my $dense = mx->nd->array($values, dtype => $args{dtype} // 'float32');
    return ($dense->tostype($stype), $values);
}

sub rand_shape_2d { my ($d0, $d1) = (@_, 10, 10); [int(rand($d0) + 1), int(rand($d1) + 1)] }
sub rand_shape_3d { my ($d0, $d1) = (@_, 10, 10); [int(rand($d0) + 1), int(rand($d1) + 1), int(rand($d1) + 1)] }
sub rand_shape_nd { my ($n, $dim) = @_; [map { int(rand($dim // 10) + 1) } 1 .. $n] }

sub randint {
    my ($low, $high) = @_;
    my $value = int(rand($high // 10));
    return $value < ($low // 0) ? $low // 0 : $value;
}

1;

=head1 NAME

AI::MXNet::TestUtils - the helpers AI::MXNet's test suite uses (same, almost_equal, zip, rand_ndarray, ...)

=head1 SYNOPSIS

    use AI::MXNet::TestUtils qw(same almost_equal zip);
    ok(same($x->aspdl, $y->aspdl));

=head1 FUNCTIONS

C<same($a, $b)> (equal, NaN equal to NaN), C<allclose($a, $b, $tol)>, C<reldiff($a, $b)>,
C<almost_equal($a, $b, $tol)> on PDLs; C<pdl_maximum>, C<pdl_minimum>; C<zip> and C<enumerate> (lists of
rows, or a callback per row); C<assert>, C<dies_ok>, C<dies_like>, C<same_array>; C<random_arrays(@shapes)>
(float PDLs), C<rand_ndarray($shape, $stype)>, C<rand_sparse_ndarray($shape, 'csr' or 'row_sparse',
density =E<gt> $d, dtype =E<gt> $t)> (the array and its dense PDL; entries or rows kept with probability
C<$d>), C<rand_shape_2d>, C<rand_shape_3d>, C<rand_shape_nd>, C<randint($low, $high)>. Symbol-based helpers
C<mlp2> and C<conv> are AI::MXNet's two test networks as Symbols (a 1000-10 MLP; two conv-bn-relu-pool blocks,
then fc2 and a softmax output). C<check_consistency(sym =E<gt> $sym, ctx_list =E<gt> [{ctx =E<gt> ..., shapes =E<gt> {...}}, ...])>
binds the symbol on each context and checks, one Test::More check each, that outputs and gradients agree with
those of the widest output type. C<check_numeric_gradient($sym, {name =E<gt> $pdl})>,
C<check_symbolic_forward($sym, $location, \@expected)> and C<check_symbolic_backward($sym, $location,
\@out_grads, \%expected)> are mxnet's checks (they die where values differ). C<GetMNIST_ubyte> and
C<GetCifar10> make sure MNIST's four idx files (C<data/train-images-idx3-ubyte>, ...) and CIFAR-10's
C<data/cifar/train.rec> and C<test.rec> are there, taking them from C<$AI_MXNET_TEST_DATA> if set; they are
never downloaded, and a missing one dies in one line naming it (C<scripts/make_idx_data.py --ubyte data> and
C<scripts/make_cifar_data.py data/cifar> make small ones).

=cut

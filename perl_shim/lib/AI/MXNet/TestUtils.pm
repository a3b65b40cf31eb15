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
    my ($shape, $stype, $density, $dtype, $modifier_func, $shuffle_csr_indices, $distribution) = @_;
    return mx->nd->array(random_arrays($shape), dtype => $dtype // 'float32') if ($stype // 'default') eq 'default';
    my ($array) = rand_sparse_ndarray($shape, $stype, density => $density, dtype => $dtype,
                                      modifier_func => $modifier_func, shuffle_csr_indices => $shuffle_csr_indices,
                                      distribution => $distribution);
    return $array;
}

# A random 'row_sparse' or 'csr' array, as AI::MXNet's test suite makes them, and its parts: rows kept with
# probability density (row_sparse: returns ($array, [$values, $row_indices])), or entries (csr, 'uniform': about
# that fraction of entries nonzero; 'powerlaw': row i+1 has twice the nonzeros of row i, as far as the density
# allows; returns ($array, [$indptr, $indices, $data])). density is random when not given.
sub rand_sparse_ndarray {
    my ($shape, $stype, %args) = @_;
    my $density = $args{density} // rand;
    my $dtype = $args{dtype} // 'float32';
    my $distribution = $args{distribution} // 'uniform';
    if ($stype eq 'row_sparse') {
        confess("Distribution $distribution not supported for row_sparse") unless $distribution eq 'uniform';
        my $indices = defined $args{rsp_indices} ? pdl($args{rsp_indices}) : which(random($shape->[0]) < $density);
        confess('more row indices than rows') if $indices->nelem > $shape->[0];
        return (mx->nd->zeros($shape, stype => 'row_sparse', dtype => $dtype), [pdl([]), pdl([])])
            unless $indices->nelem;
        my $type = PDL::Type->new(AI::MXNet::Base::DTYPE_MX_TO_PDL()->{$dtype});
        my $values = random($type, reverse($indices->nelem, @{$shape}[1 .. $#$shape]));
        $values .= $args{data_init} if defined $args{data_init};
        $values = $args{modifier_func}->($values) if $args{modifier_func};
        my $array = mx->nd->sparse->row_sparse_array([$values, $indices], shape => $shape, dtype => $dtype);
        return ($array, [$values, $indices]);
    }
    confess('unknown storage type') unless $stype eq 'csr';
    confess('a csr array is 2-D') unless @$shape == 2;
    my ($rows, $cols) = @$shape;
    confess('density has to be between 0 and 1') if $density < 0 || $density > 1;
    confess('num_rows or num_cols should be greater than 0') if $rows <= 0 || $cols <= 0;
    my $array;
    if ($distribution eq 'uniform') {
        my $csr = AI::MXNet::Base::rand_sparse($rows, $cols, $density, $dtype);
        my $data = $csr->data;
        $data .= $args{data_init} if defined $args{data_init};
        my $indices = $csr->indices;
        if ($args{shuffle_csr_indices}) {    # each row's column indices out of order: a valid csr array all the same
            my $indptr = $csr->indptr;
            for my $row (0 .. $rows - 1) {
                my ($begin, $end) = ($indptr->at($row), $indptr->at($row + 1) - 1);
                next if $end <= $begin;
                my $part = $indices->slice("$begin:$end");
                $part .= $part->dice(PDL::Core::pdl([List::Util::shuffle(0 .. $end - $begin)]))->sever;
            }
        }
        $array = mx->nd->sparse->csr_matrix([$data, $indices, $csr->indptr], shape => $shape, dtype => $dtype);
    }
    elsif ($distribution eq 'powerlaw') {
        $array = _powerlaw_csr($rows, $cols, $density, $dtype);
    }
    else {
        confess("Distribution not supported: $distribution");
    }
    return ($array, [$array->indptr, $array->indices, $array->data]);
}

# AI::MXNet's 'powerlaw' csr array: a nonzero at the start of every row, then row i gets the first 2**(i+1)
# columns (a whole row once that is all its columns), until int(rows * cols * density) nonzeros are placed.
# Each row's nonzeros are a prefix of its columns, so the array is made from its parts directly.
sub _powerlaw_csr {
    my ($rows, $cols, $density, $dtype) = @_;
    my $unused = int($rows * $cols * $density);
    confess("not supported for this density: $density for this shape ($rows, $cols): "
            . "keep num_rows * num_cols * density >= 2 * num_rows") if $unused < 2 * $rows;
    my @filled = (1) x $rows;    # the prefix length of each row
    $unused -= $rows;
    my $col_max = 2;
    for my $row (0 .. $rows - 1) {
        last if $unused <= 0;
        my $limit = List::Util::min($cols, $col_max);
        if ($limit == $cols && $unused > $limit) {
            $filled[$row] = $cols;
            $unused -= $limit - 1;
        }
        else {
            my $more = List::Util::min($limit - 1, $unused);
            $filled[$row] = 1 + $more;
            $unused -= $more;
            $col_max *= 2;
        }
    }
    confess("not supported for this density: $density for this shape ($rows, $cols)") if $unused > 0;
    my $counts = pdl(PDL::indx(), \@filled);
    my $indptr = $counts->cumusumover->append(0)->rotate(1);
    my $indices = sequence(PDL::indx(), $counts->sum) - $counts->rld($indptr->slice('0:-2'));
    my $data = 1 + 2 * random(PDL::Type->new(AI::MXNet::Base::DTYPE_MX_TO_PDL()->{$dtype}), $counts->sum);
    return mx->nd->sparse->csr_matrix([$data, $indices, $indptr], shape => [$rows, $cols], dtype => $dtype);
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

=head1 DESCRIPTION

What AI::MXNet's own test files (t/*.t) import, so they run against the shim: comparisons on PDLs, list
helpers, random shapes and arrays, and AI::MXNet's two test networks.

=head1 FUNCTIONS

=over

=item same($a, $b), allclose($a, $b, $tol), reldiff($a, $b), almost_equal($a, $b, $tol)

Compare PDLs: equal (NaN equal to NaN), close, the relative difference, close within C<$tol>.

=item pdl_maximum($a, $b), pdl_minimum($a, $b)

Elementwise maximum and minimum.

=item zip, enumerate

Lists of rows, or a callback per row, as in L<AI::MXNet::Base>.

=item assert($ok, $message), dies_ok($sub), dies_like($sub, $regex), same_array($a, $b)

Test helpers; C<same_array> is true when two NDArrays share their memory.

=item random_arrays(@shapes)

Float PDLs of those shapes, uniform values.

=item rand_ndarray($shape, $stype), rand_sparse_ndarray($shape, $stype, density => $d, dtype => $t)

A random NDArray; a random 'csr' or 'row_sparse' one and its dense PDL (entries or rows kept with
probability C<$d>).

=item rand_shape_2d, rand_shape_3d, rand_shape_nd($n), randint($low, $high)

Random shapes (each dimension 1 to 10 by default) and a random integer.

=item mlp2, conv

AI::MXNet's two test networks as Symbols: a 1000-10 MLP; two conv-bn-relu-pool blocks, then fc2 and a
softmax output.

=item check_consistency(sym => $sym or [$sym, ...], ctx_list => [{ctx => ..., shapes => {...}}, ...], ...)

Binds the symbol on each context and checks, one Test::More check each (AI::MXNet's), that its outputs and
gradients agree with those of the widest output type; returns those.

=item check_numeric_gradient($sym, {name => $pdl}), check_symbolic_forward($sym, $location, \@expected), check_symbolic_backward($sym, $location, \@out_grads, \%expected)

mxnet's checks of a symbol's gradients and outputs, taking PDLs or NDArrays; each dies where values differ.

=item GetMNIST_ubyte, GetCifar10

Make sure MNIST's four idx files (C<data/train-images-idx3-ubyte>, ...) and CIFAR-10's C<data/cifar/train.rec>
and C<test.rec> are there, taking them from C<$AI_MXNET_TEST_DATA> if set; they are never downloaded, and a
missing one dies in one line naming it (C<scripts/make_idx_data.py --ubyte data> and
C<scripts/make_cifar_data.py data/cifar> make small ones).

=back

=cut

#!/usr/bin/env perl
# Operator calls that libmxnet answers by killing the process (SIGFPE, SIGSEGV, a corrupted heap) die with a
# Perl exception instead, by whatever name they are called (reshape and Reshape, _div_scalar, contrib's), as
# methods, as dunder methods, and inside a hybridized HybridBlock written in Perl ($F->..., checked when the
# graph is built or meets its input shapes). The guard table is bridge/arrays/guards.py.
use strict;
use warnings;
use Test::More;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $int = nd->array([[1, 2, 3], [4, 5, 6]], dtype => 'int32');
my $square = nd->ones([3, 3]);
my $seq = nd->ones([4, 2, 3]);
my %crashes = (
    'nd->Reshape($x, shape => [0])'       => [sub { nd->Reshape($square, shape => [0]) }, qr/^Reshape: shape \(0,\) does not fit/],
    '$x->Reshape(shape => [0])'           => [sub { $square->Reshape(shape => [0]) }, qr/^Reshape: shape \(0,\) does not fit/],
    'nd->reshape($x, shape => [0])'       => [sub { nd->reshape($square, shape => [0]) }, qr/reshape/i],
    'nd->transpose($x, axes => [0, 0])'   => [sub { nd->transpose($int, axes => [0, 0]) }, qr/^transpose: axes \[0, 0\] are not a permutation/],
    'nd->_div_scalar($int, scalar => 0)'  => [sub { nd->_div_scalar($int, scalar => 0) }, qr/^integer division by zero/],
    'nd->_div($int, $zeros)'              => [sub { nd->_div($int, nd->zeros([2, 3], dtype => 'int32')) }, qr/^integer division by zero/],
    '$int->__truediv__(0)'                => [sub { $int->__truediv__(0) }, qr/^integer division by zero/],
    'nd->Convolution(num_group => 0)'     => [sub { nd->Convolution(nd->ones([1, 2, 5, 5]), nd->ones([4, 2, 3, 3]), nd->ones([4]),
                                                                    kernel => [3, 3], num_filter => 4, num_group => 0) },
                                              qr/^Convolution: num_group must be at least 1, not 0/],
    'nd->Deconvolution(num_group => 0)'   => [sub { nd->Deconvolution(nd->ones([1, 2, 5, 5]), nd->ones([2, 4, 3, 3]), nd->ones([4]),
                                                                      kernel => [3, 3], num_filter => 4, num_group => 0) },
                                              qr/^Deconvolution: num_group must be at least 1/],
    'nd->scatter_nd(index 1e9)'           => [sub { nd->scatter_nd(nd->ones([2]), nd->array([[0, 1e9], [0, 1]]), shape => [4, 3]) },
                                              qr/^scatter_nd: the indices of axis 0 must lie in \[0, 3\]/],
    'nd->contrib->index_copy(index 1e9)'  => [sub { nd->contrib->index_copy(nd->ones([4, 3]), nd->array([1e9, 0], dtype => 'int32'), nd->ones([2, 3])) },
                                              qr/^_contrib_index_copy: index_vector must lie in \[0, 3\]/],
    'nd->SequenceLast(length 1e9)'        => [sub { nd->SequenceLast($seq, nd->array([1e9, 1]), use_sequence_length => 1) }, qr/^SequenceLast: sequence_length/],
    'nd->SequenceLast(length -1e9)'       => [sub { nd->SequenceLast($seq, nd->array([-1e9, 1]), use_sequence_length => 1) }, qr/^SequenceLast: sequence_length/],
    'nd->SequenceMask(length -1e9)'       => [sub { nd->SequenceMask($seq, nd->array([-1e9, 1]), use_sequence_length => 1) }, qr/^SequenceMask: sequence_length/],
    'nd->SequenceMask(length 2**31)'      => [sub { nd->SequenceMask($seq, nd->array([2**31, 1]), use_sequence_length => 1) }, qr/^SequenceMask: sequence_length/],
    'nd->SequenceReverse(length 1e9)'     => [sub { nd->SequenceReverse($seq, nd->array([1e9, 1]), use_sequence_length => 1) }, qr/^SequenceReverse: sequence_length/],
    'nd->ctc_loss(label 1e9)'             => [sub { nd->ctc_loss(nd->ones([5, 2, 4]), nd->array([[1, 1e9], [1, 2]])) }, qr/^CTCLoss: label must lie in \[0, 3\]/],
    'nd->ctc_loss(data_lengths -1)'       => [sub { nd->ctc_loss(nd->ones([5, 2, 4]), nd->array([[1, 2], [1, 2]]), nd->array([-1, 5]),
                                                                 use_data_lengths => 1) }, qr/^CTCLoss: data_lengths must lie in \[0, 5\]/],
);
for my $name (sort keys %crashes) {
    my ($call, $message) = @{ $crashes{$name} };
    ok(!eval { my $r = $call->(); $r->wait_to_read if ref $r eq 'AI::MXNet::NDArray'; 1 }, "$name dies");
    like("$@", $message, '... saying why');
}

# the same operators with arguments that fit still work
is_deeply(vals(nd->Reshape($square, shape => [0, -1])), [(1) x 9], 'Reshape with 0 that fits works');
is_deeply(vals(nd->_div_scalar($int, scalar => 2)), [0, 1, 1, 2, 2, 3], 'integer _div_scalar by 2 works');
is_deeply(vals(nd->SequenceLast(nd->array([[1], [2], [3]])->reshape([3, 1, 1]), nd->array([2]), use_sequence_length => 1)),
          [2], 'SequenceLast with a length in range works');
is_deeply(nd->Convolution(nd->ones([1, 2, 5, 5]), nd->ones([4, 1, 3, 3]), nd->ones([4]), kernel => [3, 3], num_filter => 4,
                          num_group => 2)->shape, [1, 4, 3, 3], 'Convolution with num_group 2 works');

# inside a hybridized HybridBlock written in Perl: $F is AI::MXNet::Symbol once hybridized
{
    package Guarded;
    use AI::MXNet::Gluon::Mouse;
    extends 'AI::MXNet::Gluon::HybridBlock';
    has 'what' => (is => 'rw');
    sub hybrid_forward {
        my ($self, $F, $x) = @_;
        return $self->what eq 'reshape' ? $F->reshape($x, shape => [0]) : $F->transpose($x, axes => [0, 0]);
    }
}
for my $what (qw(reshape transpose)) {
    my $block = Guarded->new(what => $what);
    $block->initialize;
    ok(!eval { $block->($square)->wait_to_read; 1 }, "$what: an unhybridized Block with a bad \$F->$what dies");
    $block->hybridize;
    ok(!eval { $block->($square)->wait_to_read; 1 }, "$what: the hybridized Block dies too");
    like("$@", $what eq 'reshape' ? qr/Reshape: shape \(0,\) does not fit an array of shape \(3, 3\)/
                                  : qr/transpose: axes \[0, 0\] are not a permutation/, '... saying why');
}
is_deeply(vals(nd->dot($square, $square)), [(3) x 9], 'and the process still computes');

done_testing;

#!/usr/bin/env perl
# AI::MXNet::TestUtils and AI::MXNet::Base's helpers, as AI::MXNet's own t/*.t files use them; and mxnet's
# internal operators by name (AI::MXNet offered every registered operator).
use strict;
use warnings;
use Test::More;
use PDL;
use AI::MXNet qw(mx);
use AI::MXNet::TestUtils qw(same almost_equal zip mlp2 conv);

ok(same(pdl([1, 2, 'nan']), pdl([1, 2, 'nan'])), 'same: NaN equals NaN');
ok(!same(pdl([1, 2]), pdl([1, 3])), 'same: a different element');
ok(almost_equal(pdl([1, 2]), pdl([1, 2 + 1e-9])), 'almost_equal within the default threshold');
is_deeply([zip([1, 2], [3, 4])], [[1, 3], [2, 4]], 'zip');

# AI::MXNet::Base's helpers are AI::MXNet's too (AI::MXNet::zip, as AI::MXNet's own t/test_base.t calls it)
is_deeply([AI::MXNet::zip([0 .. 2], [10 .. 12])], [[0, 10], [1, 11], [2, 12]], 'AI::MXNet::zip');
is_deeply([AI::MXNet::enumerate([qw(a b)])], [[0, 'a'], [1, 'b']], 'AI::MXNet::enumerate');
is(AI::MXNet::product(2, 3, 4), 24, 'AI::MXNet::product multiplies, as AI::MXNet::Base did');

# what AI::MXNet::Base did to PDL: at($i) on an N-d PDL is the sub-ndarray at $i of its last dim, len that
# dim's size, dtype the mxnet name of its type
my $rows = sequence(3, 2);    # 2 rows of 3
is_deeply(scalar(eval { [$rows->at(1)->list] }), [3, 4, 5], 'PDL at(1) of a 2-D PDL is its row 1') or diag($@);
is_deeply(scalar(eval { [sequence(2, 2, 2)->at(0)->dims] }), [2, 2], '... of a 3-D PDL, a 2-D PDL') or diag($@);
is($rows->at(2, 1), 5, 'PDL at(2, 1) is still one element');
is(sequence(4)->at(2), 2, 'PDL at(2) of a 1-D PDL is one element');
is($rows->len, 2, 'PDL len is the size of the last dim');
is(long([1])->dtype, 'int32', 'PDL dtype is the mxnet name of its type');

# AI::MXNet's two test networks
my $mlp = mlp2();
is_deeply($mlp->list_arguments, [qw(data fc1_weight fc1_bias fc2_weight fc2_bias)], 'mlp2 arguments');
my ($args, $outs) = $mlp->infer_shape(data => [8, 20]);
is_deeply([$args, $outs], [[[8, 20], [1000, 20], [1000], [10, 1000], [10]], [[8, 10]]], 'mlp2 shapes');
my $conv = conv();
is_deeply($conv->list_outputs, ['sm_output'], 'conv ends in the softmax output sm');
# 28x28 -> conv 3x3 stride 2: 13 -> pool 2: 6 -> conv: 2 -> pool: 1; 32 channels -> fc2 of 10
is_deeply(($conv->infer_shape(data => [2, 1, 28, 28]))[1], [[2, 10]], 'conv output shape');

# internal operators by name, as AI::MXNet offered them (Python keeps them in mx.nd._internal)
is_deeply([nd->_plus_scalar(nd->array([1, 2]), scalar => 1)->aspdl->list], [2, 3], 'nd->_plus_scalar');
my $w = mx->sym->Variable('w');
my $like = mx->sym->_identity_with_attr_like_rhs(mx->sym->Variable('v'), $w);
is_deeply($like->list_arguments, [qw(v w)], 'mx->sym->_identity_with_attr_like_rhs');
ok(!eval { nd->_no_such_operator; 1 }, 'an unknown internal name still dies');
like($@, qr/unknown operator _no_such_operator in mx\.nd/, '... saying so');
ok(!eval { nd->__class__; 1 }, 'Python names are not operators');

done_testing();

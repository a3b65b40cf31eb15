#!/usr/bin/env perl
# The symbolic API as AI::MXNet had it: Perl numbers and array refs where mxnet wants integers and shapes, error
# messages' first lines, Symbol's methods with AI::MXNet's result shapes, mx->rnn's cells, mx->viz, and
# AI::MXNet::TestUtils' symbol checks.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use PDL;
BEGIN { $ENV{MXNET_SUBGRAPH_VERBOSE} = 0 }
use AI::MXNet qw(mx);
use AI::MXNet::Gluon::NN qw(nn);
use AI::MXNet::TestUtils qw(check_consistency check_numeric_gradient check_symbolic_forward check_symbolic_backward);
use lib "$FindBin::Bin/lib";
use BridgeTest;

# -- conversions (docs/CONVERSIONS.md) --
is_deeply(nd->ones([6/2])->shape, [3], 'an integral float in a shape is the integer: nd->ones([6/2])');
is_deeply(nd->zeros([6/2, 4/2])->reshape([12/2])->shape, [6], '... also in reshape');
is(nn->Dense(64/2) . "", 'Dense(None -> 32, linear)', 'nn->Dense(64/2) prints 32, not 32.0');
is(mx->sym->FullyConnected(mx->sym->Variable('x'), num_hidden => 10/2, name => 'f')->infer_shape(x => [2, 3])->[1][0][1], 5,
   'num_hidden => 10/2');
ok(!eval { nn->Dense(64/3); 1 }, 'a fraction where mxnet documents an integer dies');
like("$@", qr/^Dense: units takes integers, not 21\.3333/, '... naming the parameter');
ok(!eval { nd->ones([7/2]); 1 }, 'also in a shape');
like("$@", qr/shape takes integers, not 3\.5/, '... naming it');
my $conv = mx->sym->Convolution(mx->sym->Variable('x'), num_filter => '4', kernel => [6/2, 3], pad => [POSIX::floor(3/2), 1],
                                name => 'c');
is_deeply(($conv->infer_shape(x => [1, 1, 5, 5]))[1], [[1, 4, 5, 5]], 'kernel and pad from Perl arithmetic, num_filter from a string');
my $exe = mx->sym->Variable('a')->simple_bind(ctx => mx->cpu, shapes => {a => [2, 6/2]});
is_deeply($exe->arg_dict->{a}->shape, [2, 3], 'shapes in a hash ref');

# -- errors: the first line says what was wrong, with mxnet's detail --
ok(!eval { mx->sym->FullyConnected(mx->sym->Variable('x'), mood => 1); 1 }, 'an unknown argument dies');
like("$@", qr/^Cannot find argument 'mood', Possible Arguments: num_hidden, no_bias, flatten, in operator FullyConnected/,
     '... listing the possible arguments on its first line');
ok(!eval { nd->ones([2, 3])->reshape([7]); 1 }, 'a bad reshape dies');
unlike("$@", qr/^(Traceback|\s*$)/, '... never with a Traceback or empty first line');

# -- Symbol: AI::MXNet's methods and result shapes --
my $data = mx->sym->Variable('data');
my $fc1 = mx->sym->FullyConnected(data => $data, name => 'fc1', num_hidden => 4);
my $net = mx->sym->Activation($fc1, act_type => 'relu', name => 'relu');
is("$net", '<AI::MXNet::Symbol relu>', 'a Symbol prints as AI::MXNet printed it');
is_deeply($net->list_arguments, [qw(data fc1_weight fc1_bias)], 'list_arguments');
is_deeply($net->list_outputs, ['relu_output'], 'list_outputs');
my ($args, $outs, $aux) = $net->infer_shape(data => [5, 3]);
is_deeply([$args, $outs, $aux], [[[5, 3], [4, 3], [4]], [[5, 4]], []], 'infer_shape: three lists of shapes');
my ($arg_types, $out_types) = $net->infer_type(data => 'float64');
is_deeply([$arg_types, $out_types], [[('float64') x 3], ['float64']], 'infer_type: type names');
my $internals = $net->get_internals;
is_deeply($internals->slice('fc1_output')->list_arguments, [qw(data fc1_weight fc1_bias)], 'get_internals, slice by name');
is($net->deepcopy->tojson, $net->tojson, 'deepcopy');
is(mx->sym->load_json($net->tojson)->tojson, $net->tojson, 'tojson and load_json');
my $dir = tempdir(CLEANUP => 1);
$net->save("$dir/net.json");
is(mx->sym->load("$dir/net.json")->tojson, $net->tojson, 'save and load');
my $sum = ($data + 1) * 2 - $data / 2;
my $out = $sum->eval(ctx => mx->cpu, args => {data => nd->array([2, 4])});
near(vals($out->[0]), [5, 8], 'arithmetic and eval: (x + 1) * 2 - x / 2');
my @compared = map { $_->eval(ctx => mx->cpu, args => {data => nd->array([1, 2, 3])})->[0] }
    ($data == 2, $data != 2, $data > 2, 2 < $data, $data <= 2, 2 >= $data);
is_deeply([map { [$_->aspdl->list] } @compared], [[0, 1, 0], [1, 0, 1], [0, 0, 1], [0, 0, 1], [1, 1, 0], [1, 1, 0]],
          'comparisons build Symbols, either side, as AI::MXNet\'s did');
my $bound = $sum->bind(ctx => mx->cpu, args => {data => nd->array([0, 2])});
near(vals($bound->forward->[0]), [2, 5], 'bind and forward');
my $group = mx->sym->Group([$fc1, $net]);
is_deeply($group->list_outputs, [qw(fc1_output relu_output)], 'Group');
is(scalar @{ mx->sym->SliceChannel($data, num_outputs => 3) }, 3, '@{$sym}: one Symbol per output');
my $with_attr = mx->sym->Variable('w', attr => {mood => 'happy'}, lr_mult => 2);
is($with_attr->attr('mood'), 'happy', 'attr');
is($with_attr->attr_dict->{w}{__lr_mult__}, 2, 'attr_dict');

# -- mx->rnn --
my $cell = mx->rnn->LSTMCell(num_hidden => 8, prefix => 'l_');
my ($outputs, $states) = $cell->unroll(3, input_prefix => 'in_');
is(scalar @$outputs, 3, 'unroll without inputs makes them from input_prefix, as AI::MXNet did');
is_deeply(mx->sym->Group($outputs)->list_arguments->[0], 'in_t0_data', '... named PREFIXtN_data');
my ($merged) = mx->rnn->GRUCell(6, prefix => 'g_')->unroll(4, inputs => mx->sym->Variable('seq'), merge_outputs => 1);
is_deeply(($merged->infer_shape(seq => [2, 4, 5]))[1], [[2, 4, 6]], 'merge_outputs => 1 merges');
my $stack = mx->rnn->SequentialRNNCell;
$stack->add(mx->rnn->RNNCell(5, prefix => 'r0_', forget_bias => 2));
$stack->add(mx->rnn->DropoutCell(0.5));
$stack->add(mx->rnn->ResidualCell(mx->rnn->RNNCell(5, prefix => 'r1_')));
my ($stacked) = $stack->unroll(2, inputs => [mx->sym->Variable('a'), mx->sym->Variable('b')]);
is_deeply(($stacked->[1]->infer_shape(a => [3, 5], b => [3, 5]))[1], [[3, 5]], 'Sequential, Dropout and Residual cells');
like($stack->params->_params->{r0_i2h_bias}->attr('__init__'), qr/lstmbias/i, 'forget_bias on an RNN cell, as AI::MXNet took it');
my $bi = mx->rnn->FusedRNNCell(4, num_layers => 1, mode => 'lstm', prefix => 'f_', bidirectional => 1)->unfuse;
my ($bi_out) = $bi->unroll(2, input_prefix => 'x_');
is($bi_out->[0]->name, 'f_bi_lstm_0t0', "unfuse names bidirectional layers as AI::MXNet did");
my $weights = mx->rnn->LSTMCell(num_hidden => 3, prefix => 'p_')->unpack_weights(
    {p_i2h_weight => nd->ones([12, 2]), p_i2h_bias => nd->zeros([12]), p_h2h_weight => nd->ones([12, 3]), p_h2h_bias => nd->zeros([12])});
is_deeply([grep { /i2h/ } sort keys %$weights], [map { ("p_i2h_${_}_bias", "p_i2h_${_}_weight") } qw(c f i o)],
          'unpack_weights: a weight and bias per gate');
is_deeply([sort keys %{ mx->rnn->LSTMCell(num_hidden => 3, prefix => 'p_')->pack_weights($weights) }],
          [qw(p_h2h_bias p_h2h_weight p_i2h_bias p_i2h_weight)], 'pack_weights: back to one each');
my ($sentences, $vocab) = mx->rnn->encode_sentences([[qw(a b c)], [qw(b c)]], invalid_label => 0, start_label => 1);
is_deeply($sentences, [[1, 2, 3], [2, 3]], 'encode_sentences: (sentences, vocabulary) in list context');
my $buckets = [2, 3];
my $bucket_iter;
my $warned = '';
{
    local $SIG{__WARN__} = sub { $warned .= $_[0] };
    $bucket_iter = mx->rnn->BucketSentenceIter($sentences, 1, buckets => $buckets, invalid_label => 0);
}
is($bucket_iter->default_bucket_key, 3, 'BucketSentenceIter: buckets given as an array ref (mxnet sorts it in place)');
is($warned, "discarded 0 sentences longer than the largest bucket.\n", '... and says what it discarded, as AI::MXNet');

# -- mx->viz --
my $summary = '';
{
    open my $fh, '>', \$summary or die;
    my $old = select $fh;
    mx->viz->print_summary($net, {data => [1, 3]});
    select $old;
}
like($summary, qr/^fc1\(FullyConnected\)\s+4\s+16\s+data\s*$/m, 'print_summary prints the table, with shapes');
like($summary, qr/^Total params: 16$/m, '... and the total');
my $plot = mx->viz->plot_network($net, shape => {data => [1, 3]});
isa_ok($plot, 'AI::MXNet::Visualization::PythonGraphviz');
isa_ok($plot->graph, 'GraphViz');
like($plot->graph->as_debug, qr/FullyConnected\\n4/, 'plot_network: the nodes mxnet draws');
ok(!eval { mx->viz->plot_network($net, save_format => 'nope'); 1 }, 'an unknown format dies');

# -- AI::MXNet::TestUtils --
my $ok_before = Test::More->builder->current_test;
check_consistency(sym => $net, ctx_list => [{ctx => mx->cpu(0), shapes => {data => [2, 3]}},
                                            {ctx => mx->cpu(1), shapes => {data => [2, 3]}}]);
is(Test::More->builder->current_test - $ok_before, 1 + 2 * 2 + 1 + 4, 'check_consistency makes AI::MXNet\'s checks');
ok(check_numeric_gradient(mx->sym->square($data), {data => pdl([[1, 2], [3, 4]])}), 'check_numeric_gradient');
my $fwd = check_symbolic_forward($data * 2, {data => pdl([1, 2])}, [pdl([2, 4])]);
near(vals($fwd->[0]), [2, 4], 'check_symbolic_forward');
ok(!eval { check_symbolic_forward($data * 2, {data => pdl([1, 2])}, [pdl([2, 5])]); 1 }, '... dies where values differ');
my $grads = check_symbolic_backward($data * 3, {data => pdl([1, 2])}, [pdl([1, 1])], {data => pdl([3, 3])});
near(vals($grads->{data}), [3, 3], 'check_symbolic_backward');

done_testing();

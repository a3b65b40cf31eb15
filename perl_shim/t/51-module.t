#!/usr/bin/env perl
# mx->mod as AI::MXNet had it: a Module's steps checked by hand, fit with AI::MXNet's options and log lines,
# score, predict, checkpoints, BucketingModule, SequentialModule, Monitor, callbacks; bad input in one line.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use PDL;
BEGIN { $ENV{MXNET_SUBGRAPH_VERBOSE} = 0 }
use AI::MXNet qw(mx);
use lib "$FindBin::Bin/lib";
use BridgeTest;

# Collect what AI::MXNet::Logging prints (warn), running $code.
sub logged {
    my ($code) = @_;
    my @lines;
    local $SIG{__WARN__} = sub { push @lines, $_[0] };
    $code->();
    return join '', @lines;
}

my $net = mx->sym->SoftmaxOutput(mx->sym->FullyConnected(mx->sym->Variable('data'), num_hidden => 2, name => 'fc'),
                                 name => 'softmax');
my $x = nd->array([[1, 0], [0, 1]]);
my $y = nd->array([0, 1]);
my $iter = mx->io->NDArrayIter(data => $x, label => $y, batch_size => 2);

# One step by hand (docs/tutorials/module.md): ones in, a half out; the gradient of the softmax output is p - y.
my $mod = mx->mod->Module($net);
isa_ok($mod, 'AI::MXNet::Module');
$mod->bind(data_shapes => $iter->provide_data, label_shapes => $iter->provide_label);
$mod->init_params(initializer => mx->init->One);
$mod->forward(<$iter>, is_train => 1);
near(vals($mod->get_outputs->[0]), [0.5, 0.5, 0.5, 0.5], 'forward: softmax of equal scores');
$mod->backward;
$mod->init_optimizer(optimizer_params => {learning_rate => '0.1'});    # a number held as a string, as Getopt gives
$mod->update;
my ($arg_params, $aux_params) = $mod->get_params;
is(ref $aux_params, 'HASH', 'get_params: (arg_params, aux_params) in list context');
near(vals($arg_params->{fc_weight}), [1.025, 0.975, 0.975, 1.025], 'update: SGD step of 0.1 x gradient / batch size');
near(vals($arg_params->{fc_bias}), [0, 0], 'the bias gradient is zero');
near(vals($mod->predict($iter)), [0.512497, 0.487503, 0.487503, 0.512497], 'predict', 1e-5);
near(vals($mod->predict($x)), [0.512497, 0.487503, 0.487503, 0.512497], 'predict an NDArray: its outputs', 1e-5);
is_deeply($mod->predict(pdl([[1, 0], [0, 1]]))->shape, [2, 2], 'predict a PDL');
my @unmerged = $mod->predict($iter, merge_batches => 0);
is(scalar @unmerged, 1, 'predict(merge_batches => 0): a list of each batch\'s outputs');
is(ref $unmerged[0][0], 'AI::MXNet::NDArray', '... as NDArrays');
my @predicted = $mod->iter_predict($iter);
is(scalar @predicted, 1, 'iter_predict: a list of [outputs, nbatch, batch]');
is($predicted[0][1], 0, '... the batch number');
isa_ok($predicted[0][2], 'AI::MXNet::DataBatch');
my $score = $mod->score($iter, 'acc');
is_deeply($score, {accuracy => 1}, 'score: a hash of name and value');

# fit with AI::MXNet's options; its lines logged through warn (STDERR), as AI::MXNet's were
my @nbatches;
my (%epoch_end, $pdl_args);
my $fitted = mx->mod->Module($net);
$iter->reset;    # (score left it at its end; fit starts where the iterator is, as AI::MXNet's did)
my $log = logged(sub {
    $fitted->fit($iter,
        eval_data          => $iter,
        eval_metric        => 'acc',
        optimizer          => 'sgd',
        optimizer_params   => {learning_rate => 0.5, momentum => 0.9},
        initializer        => mx->init->Xavier,
        num_epoch          => 3,
        kvstore            => 'local',
        batch_end_callback => [mx->callback->Speedometer(2, 1), sub { push @nbatches, $_[0]->nbatch }],
        epoch_end_callback => sub { my ($epoch, $sym, $arg, $aux) = @_; $epoch_end{$epoch} = [ref $sym, sort keys %$arg] },
        validation_metric  => sub { $pdl_args = join ' ', map { ref } @_[0, 1]; return (1, 1) });
});
like($log, qr/^Epoch\[0\] Train-accuracy=\d\.\d{6}$/m, 'fit logs Epoch[N] Train-accuracy=...');
like($log, qr/^Epoch\[2\] Time cost=\d+\.\d{3}$/m, '... Epoch[N] Time cost=...');
like($log, qr/^Epoch\[1\] Validation-custom=1\.000000$/m, '... Epoch[N] Validation-NAME=... with the validation metric');
unlike($log, qr/ at \S+ line \d+/, '... each a message alone, as AI::MXNet::Logging printed it');
is_deeply(\@nbatches, [0, 0, 0], 'batch_end_callback: a sub gets a BatchEndParam each batch');
is_deeply($epoch_end{2}, ['AI::MXNet::Symbol', 'fc_bias', 'fc_weight'], 'epoch_end_callback: epoch, symbol, arg_params, aux_params');
is($pdl_args, 'PDL PDL', 'a metric given as a sub gets the labels and predictions as PDLs, as AI::MXNet\'s CustomMetric');
my $resumed = mx->mod->Module($net);
$iter->reset;
$log = logged(sub {
    $resumed->fit($iter, arg_params => ($fitted->get_params)[0], begin_epoch => 3, num_epoch => 4,
                  optimizer_params => {learning_rate => 0.1});
});
like($log, qr/^Epoch\[3\] Train-accuracy/m, 'begin_epoch: fit starts there');
unlike($log, qr/^Epoch\[[0-2]\]/m, '... and not before');
my $given = ($fitted->get_params)[0];
my $unchanged = mx->mod->Module($net);
$iter->reset;
logged(sub { $unchanged->fit($iter, arg_params => $given, begin_epoch => 2, num_epoch => 2) });
near(vals(($unchanged->get_params)[0]{fc_weight}), vals($given->{fc_weight}), 'arg_params: the parameters fit starts from');
$iter->reset;
$log = logged(sub { local $AI::MXNet::Logging::silent = 1; mx->mod->Module($net)->fit($iter, num_epoch => 1) });
is($log, '', '$AI::MXNet::Logging::silent quiets fit');
$iter->reset;
$log = logged(sub { mx->mod->Module($net)->fit($iter, num_epoch => 1, optimizer => 'adam',
                                               optimizer_params => {learning_rate => 0.01, momentum => 0.9}) });
like($log, qr/optimizer adam takes no momentum: left out/, 'an optimizer parameter adam does not take is left out, with a warning');

# the Speedometer's line is AI::MXNet's
$log = logged(sub { mx->mod->Module($net)->fit(mx->io->NDArrayIter(data => nd->ones([8, 2]), label => nd->zeros([8]), batch_size => 2),
                                               num_epoch => 1, batch_end_callback => mx->callback->Speedometer(2, 2)) });
like($log, qr/^Epoch\[0\] Batch \[2\]\tSpeed: [\d.]+ samples\/sec\tTrain-accuracy=\d\.\d{6}$/m, 'Speedometer logs AI::MXNet\'s line');

# checkpoints: save_checkpoint, Module->load, do_checkpoint (a Python callback, given back to Python as itself)
my $dir = tempdir(CLEANUP => 1);
logged(sub { $mod->save_checkpoint("$dir/net", 1, 1) });
ok(-e "$dir/net-0001.params" && -e "$dir/net-symbol.json" && -e "$dir/net-0001.states", 'save_checkpoint writes the files');
my $loaded = mx->mod->Module->load("$dir/net", 1, 1);
$loaded->bind(data_shapes => $iter->provide_data, label_shapes => $iter->provide_label);
near(vals(($loaded->get_params)[0]{fc_weight}), vals($arg_params->{fc_weight}), 'Module->load: the saved parameters');
is($loaded->_symbol->tojson, $mod->_symbol->tojson, '... and symbol');
$iter->reset;
$log = logged(sub { mx->mod->Module($net)->fit($iter, num_epoch => 2, epoch_end_callback => mx->callback->do_checkpoint("$dir/cb")) });
ok(-e "$dir/cb-0002.params", 'do_checkpoint saves each epoch');
like($log, qr/^Saved checkpoint to "\Q$dir\E\/cb-0001.params"$/m, '... and logs it');

$mod->save_params("$dir/only.params");
my $reloaded = mx->mod->Module($net);
$reloaded->bind(data_shapes => $iter->provide_data, label_shapes => $iter->provide_label);
$reloaded->init_params(initializer => mx->init->Zero);
$reloaded->load_params("$dir/only.params");
near(vals(($reloaded->get_params)[0]{fc_weight}), vals($arg_params->{fc_weight}), 'save_params and load_params');
$reloaded->borrow_optimizer($mod);
is($reloaded->_updater, $mod->_updater, 'borrow_optimizer shares the updater');

# BucketingModule: a symbol per bucket key from a Perl sub
my $gen = sub {
    my ($key) = @_;
    my $s = mx->sym->FullyConnected(mx->sym->Variable('data'), num_hidden => 3, name => 'shared');
    return (mx->sym->SoftmaxOutput($s, name => 'softmax'), ['data'], ['softmax_label']);
};
my $bucketing = mx->mod->BucketingModule(sym_gen => $gen, default_bucket_key => 4, context => mx->cpu);
isa_ok($bucketing, 'AI::MXNet::Module::Bucketing');
$bucketing->bind(data_shapes => [['data', [2, 4]]], label_shapes => [['softmax_label', [2]]]);
$bucketing->init_params;
$bucketing->switch_bucket(bucket_key => 4, data_shapes => [['data', [2, 4]]], label_shapes => [['softmax_label', [2]]]);
$bucketing->forward(mx->io->DataBatch(data => [nd->ones([2, 4])], label => [nd->zeros([2])], bucket_key => 4), is_train => 0);
is_deeply($bucketing->get_outputs->[0]->shape, [2, 3], 'BucketingModule forward');

# SequentialModule: two modules chained
my $seq = mx->mod->SequentialModule;
$seq->add(mx->mod->Module(mx->sym->FullyConnected(mx->sym->Variable('data'), num_hidden => 4, name => 'a'), label_names => []));
$seq->add(mx->mod->Module($net), take_labels => 1, auto_wiring => 1);
$seq->bind(data_shapes => [['data', [2, 3]]], label_shapes => [['softmax_label', [2]]]);
$seq->init_params;
is_deeply($seq->predict(nd->ones([2, 3]))->shape, [2, 2], 'SequentialModule chains its modules');

# Monitor: the statistics of every array of a step, AI::MXNet's count for its test (t/test_module.t)
my $mon = mx->mon->Monitor(1, stat_func => sub { $_[0]->abs->sum / $_[0]->size }, pattern => '.*', sort => 1);
my $watched = mx->mod->Module($net);
$watched->bind(data_shapes => $iter->provide_data, label_shapes => $iter->provide_label);
$watched->install_monitor($mon);
$watched->init_params;
$iter->reset;
$mon->tic;
$watched->forward_backward(<$iter>);
my $stats = $mon->toc;
is_deeply([map { $_->[1] } @$stats], [sort map { $_->[1] } @$stats], 'Monitor: sorted by name');
ok((grep { $_->[1] eq 'fc_weight' } @$stats), '... with the weights');

# bad input: one line, and the process goes on
for my $case (
    ['shapes that are not [name, dims] pairs', sub { mx->mod->Module($net)->bind(data_shapes => [['data', 'abc']]) },
     qr/^bind: data_shapes must be \[name, \[dims\]\] pairs or DataDescs, not \['data', 'abc'\] at /],
    ['a data name the symbol lacks', sub { mx->mod->Module($net)->bind(data_shapes => [['dta', [2, 2]]]) },
     qr/^Data provided by data_shapes don't match names specified by data_names \(\[DataDesc\[dta,2x2,float32,NCHW\]\] vs\. \['data'\]\)/],
    ['labels of the wrong shape', sub { mx->mod->Module($net)->bind(data_shapes => [['data', [2, 2]]], label_shapes => [['softmax_label', [2, 3]]]) },
     qr/^Error in operator softmax: Shape inconsistent.*\(simple_bind error\. Arguments: data: \(2, 2\), softmax_label: \(2, 3\)\)/],
    ['forward before bind', sub { mx->mod->Module($net)->forward(mx->io->DataBatch(data => [nd->ones([2, 2])])) },
     qr/^AssertionError: assert self\.binded and self\.params_initialized/],
    ['a checkpoint that is not there', sub { mx->mod->Module->load("$dir/none", 1) }, qr/none-symbol\.json/],
    ['fit at the end of the data', sub { my $m = mx->mod->Module($net); logged(sub { $m->fit($iter, num_epoch => 1) }) },
     qr/^StopIteration: a data iterator is at its end/],
) {
    my ($name, $code, $like) = @$case;
    ok(!eval { $code->(); 1 }, "$name dies");
    like("$@", $like, '... saying so');
    is(scalar(split /\n/, "$@"), 1, '... in one line');
}
$iter->reset;
is_deeply($mod->score($iter, 'acc'), {accuracy => 1}, 'the process goes on');

# AI::MXNet's $mod->_p, the struct of a Module's private fields: the optimizer's lr_mult and wd_mult as the symbol's
# attributes set them (biases take no weight decay unless an attribute says otherwise)
{
    my $data = mx->sym->Variable('data');
    my $bias = mx->sym->Variable('fc1_bias', lr_mult => 1.0);
    my $fc1 = mx->sym->FullyConnected({data => $data, bias => $bias, name => 'fc1', num_hidden => 10, lr_mult => 0});
    my $fc2 = mx->sym->FullyConnected({data => $fc1, name => 'fc2', num_hidden => 10, wd_mult => 0.5});
    my $mod = mx->mod->new(symbol => $fc2, label_names => undef);
    $mod->bind(data_shapes => [['data', [5, 10]]]);
    $mod->init_params;
    $mod->init_optimizer(optimizer_params => {learning_rate => "1.0"});
    is_deeply($mod->_p->_optimizer->lr_mult, {fc1_bias => 1, fc1_weight => 0}, '$mod->_p->_optimizer->lr_mult');
    is_deeply($mod->_p->_optimizer->wd_mult, {fc2_bias => 0.5, fc2_weight => 0.5, fc1_bias => 0},
              '$mod->_p->_optimizer->wd_mult');
}

# AI::MXNet::BatchEndParam->new with AI::MXNet's three fields (its sparse examples make one for their callbacks)
{
    my $metric = mx->metric->Accuracy;
    $metric->update([nd->array([0, 1])], [nd->array([[0.9, 0.1], [0.2, 0.8]])]);
    my $param = AI::MXNet::BatchEndParam->new(epoch => 1, nbatch => 4, eval_metric => $metric);
    is_deeply([$param->epoch, $param->nbatch, ref $param->eval_metric, $param->locals],
              [1, 4, 'AI::MXNet::Accuracy', undef], 'BatchEndParam->new(epoch, nbatch, eval_metric): locals undef');
    my $speedometer = mx->callback->Speedometer(2, 2);
    my $log = logged(sub { $speedometer->($param); $speedometer->($param) });
    like($log, qr/^Epoch\[1\] Batch \[4\]\tSpeed: [\d.]+ samples\/sec\tTrain-accuracy=1\.000000$/m,
         'and a Speedometer reads it');
}

done_testing();

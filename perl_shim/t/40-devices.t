#!/usr/bin/env perl
# Data and training on a device other than the default cpu(0): cpu(1) always, gpu(0) when mxnet sees a GPU
# (mxnet's CUDA build on a machine with one: `make setup MXNET=mxnet-cu117`; skipped otherwise). Each result is
# compared with the same work on cpu(0). On a GPU the arrays live in device memory: aspdl and nd->array take
# mxnet's own copies there (bridge/arrays/transfer.py), never the one-copy host path.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
use PDL;

my $GPUS = mx->context->num_gpus;
my @DEVICES = (mx->cpu(1), mx->gpu(0));

# A Dense net trained 3 steps on fixed data with Gluon, on $ctx; its weights afterwards as a flat list.
sub gluon_steps {
    my ($ctx) = @_;
    my $net = nn->Sequential;
    $net->name_scope(sub { $net->add(nn->Dense(4, activation => 'relu', in_units => 3), nn->Dense(2, in_units => 4)) });
    $net->initialize(init => mx->init->Constant(0.1), ctx => [$ctx]);
    my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.5});
    my $loss_fn = gluon->loss->SoftmaxCrossEntropyLoss;
    my $x = nd->array([[1, 2, 3], [-1, 0, 2], [0.5, -2, 1]])->as_in_context($ctx);
    my $y = nd->array([0, 1, 1], ctx => $ctx);
    for (1 .. 3) {
        my $loss;
        mx->autograd->record(sub { $loss = $loss_fn->($net->($x), $y) });
        $loss->backward;
        $trainer->step(3);
    }
    return [map { @{ vals($_->data($ctx)) } } @{ $net->collect_params->values }];
}

# A symbolic MLP fitted 2 epochs with Module on $ctx; its parameters afterwards, flat.
sub module_fit {
    my ($ctx) = @_;
    my $fc = mx->sym->FullyConnected(mx->sym->Variable('data'), num_hidden => 4, name => 'fc1');
    my $net = mx->sym->SoftmaxOutput($fc, name => 'softmax');
    my $x = nd->array([map { my $i = $_; [map { (($i + $_) * 7 % 11) / 11 } 0 .. 2] } 0 .. 19]);
    my $y = nd->array([map { $_ % 4 } 0 .. 19]);
    my $mod = mx->mod->Module(symbol => $net, context => [$ctx]);
    $mod->fit(mx->io->NDArrayIter(data => $x, label => $y, batch_size => 5), num_epoch => 2,
              initializer => mx->init->Constant(0.05), optimizer_params => {learning_rate => 0.1});
    my ($args) = $mod->get_params;
    return [map { @{ vals($args->{$_}) } } sort keys %$args];
}

my $on_cpu = {gluon => gluon_steps(mx->cpu(0)), module => module_fit(mx->cpu(0))};
# (what the devices are compared with: every parameter, moved by the training from its constant start)
is(scalar @{ $on_cpu->{gluon} }, 3 * 4 + 4 + 4 * 2 + 2, 'Gluon on cpu(0): the weights of both layers');
ok((grep { abs($_ - 0.1) > 1e-3 } @{ $on_cpu->{gluon} }) > 10, '... trained away from 0.1');
is(scalar @{ $on_cpu->{module} }, 4 + 3 * 4, 'Module on cpu(0): fc1 bias and weight');
ok((grep { abs($_ - 0.05) > 1e-3 } @{ $on_cpu->{module} }) > 10, '... trained away from 0.05');

for my $ctx (@DEVICES) {
    SKIP: {
        skip "$ctx: no GPU (mxnet sees none: the CPU build, or no device)", 1
            if $ctx->device_type eq 'gpu' && !$GPUS;
        subtest "on $ctx" => sub {
            # to and from the device: nested lists, a PDL (float64 into float32), aspdl, asmpdl
            my $x = nd->array([[1, 2, 3], [4, 5, 6]], ctx => $ctx);
            is($x->context . '', "$ctx", 'nd->array(..., ctx => $ctx) lives there');
            is_deeply(vals($x), [1 .. 6], 'aspdl reads it back');
            my $from_pdl = nd->array(sequence(double, 3, 2) / 4, ctx => $ctx);
            is($from_pdl->dtype, 'float32', 'a double PDL becomes float32');
            is_deeply(vals($from_pdl), [map { $_ / 4 } 0 .. 5], '... with its values');
            is($from_pdl->aspdl->type . '', 'float', 'aspdl: float');
            $x .= sequence(3, 2) * 10;
            is_deeply(vals($x), [map { $_ * 10 } 0 .. 5], '.= a PDL into the device array');
            is_deeply([$x->asmpdl->dims], [2, 3], 'asmpdl');

            # between devices
            my $host = nd->array([[7, 8], [9, 10]]);
            my $there = $host->as_in_context($ctx);
            is($there->context . '', "$ctx", 'as_in_context moves it');
            is_deeply(vals($there), [7 .. 10], '... with the values');
            is($there->as_in_context(mx->cpu(0))->context . '', 'cpu(0)', 'and back');
            my $copy = $host->copyto($ctx);
            is($copy->context . '', "$ctx", 'copyto($ctx) makes a copy there');
            my $target = nd->zeros([2, 2], ctx => $ctx);
            $host->copyto($target);
            is_deeply(vals($target), [7 .. 10], 'copyto($array on the device) fills it');

            # autograd on the device: d(sum(2 x^2))/dx = 4x
            my $v = nd->array([[1, 2], [3, 4]], ctx => $ctx);
            $v->attach_grad;
            mx->autograd->record(sub { (2 * $v * $v)->sum->backward });
            is_deeply(vals($v->grad), [4, 8, 12, 16], 'the tutorial\'s gradient, computed there');
            is($v->grad->context . '', "$ctx", '... and kept there');

            # Gluon: ctx => [...], split_and_load, training: the same numbers as on cpu(0)
            my $parts = gluon->utils->split_and_load(nd->arange(stop => 8)->reshape([4, 2]), [mx->cpu(0), $ctx]);
            is_deeply([map { $_->context . '' } @$parts], ['cpu(0)', "$ctx"], 'split_and_load: one part per context');
            is_deeply([map { @{ vals($_) } } @$parts], [0 .. 7], '... the rows in order');
            near(gluon_steps($ctx), $on_cpu->{gluon}, 'Gluon: 3 SGD steps give cpu(0)\'s weights', 1e-4);

            # Module with context => [$ctx]
            near(module_fit($ctx), $on_cpu->{module}, 'Module fit: cpu(0)\'s parameters', 1e-4);

            # KVStore 'device': values pushed from two devices are summed
            my $kv = mx->kv->create('device');
            $kv->init(3, nd->zeros([2, 3]));
            $kv->push(3, [nd->ones([2, 3]), nd->ones([2, 3], ctx => $ctx) * 2]);
            my $out = nd->zeros([2, 3], ctx => $ctx);
            $kv->pull(3, out => $out);
            is_deeply(vals($out), [(3) x 6], "KVStore 'device': the sum, pulled to $ctx");
        };
    }
}

done_testing();

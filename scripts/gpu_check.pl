#!/usr/bin/env perl
# What scripts/gpu_check.sh runs on cpu(0) and on gpu(0), in Perl (its twin: gpu_check.py), printing the
# numbers to compare: the autograd tutorial's first steps, the crash course's Gluon training (LeNet on
# FashionMNIST-format files, ctx => [$ctx], batches moved with as_in_context) and a Module fit with
# context => [$ctx]. Parameters are initialized on the CPU (Gluon and Module both do), so every device starts
# from the same numbers.
#
#     AI_MXNET_CHECK_CTX='gpu(0)' AI_MXNET_CHECK_DATA=DIR perl -Iperl_shim/lib scripts/gpu_check.pl
use strict;
use warnings;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

my ($device, $id) = ($ENV{AI_MXNET_CHECK_CTX} // 'cpu(0)') =~ /^(cpu|gpu)\((\d+)\)$/
    or die "AI_MXNET_CHECK_CTX: cpu(N) or gpu(N)\n";
my $ctx = mx->Context($device, $id);
my $root = $ENV{AI_MXNET_CHECK_DATA} or die "AI_MXNET_CHECK_DATA: a directory of FashionMNIST-format files\n";
mx->random->seed(42);

# The autograd tutorial: d(2 x^2)/dx, and the control-flow example's gradient (c = b * const, so dc/da = c/a).
my $x = nd->array([[1, 2], [3, 4]], ctx => $ctx);
$x->attach_grad;
mx->autograd->record(sub { (2 * $x * $x)->backward });
print "tutorial grad: ", $x->grad->aspdl, "\n";
my $a = nd->array([0.3, -0.7], ctx => $ctx);
$a->attach_grad;
my $c;
mx->autograd->record(sub {
    my $b = $a * 2;
    $b = $b * 2 while $b->norm->asscalar < 1000;
    $c = $b->sum->asscalar > 0 ? $b : 100 * $b;
});
$c->backward;
print "control flow: grad ", $a->grad->aspdl, " c/a ", ($c / $a)->aspdl, "\n";

# The crash course's training chapter, on $ctx.
my $transform = sub { my ($data, $label) = @_; (nd->transpose($data->astype('float32') / 255, axes => [2, 0, 1]), $label) };
my $train_data = gluon->data->DataLoader(
    gluon->data->vision->FashionMNIST(root => $root, train => 1, transform => $transform), batch_size => 50);
my $valid_data = gluon->data->DataLoader(
    gluon->data->vision->FashionMNIST(root => $root, train => 0, transform => $transform), batch_size => 50);
my $net = nn->Sequential;
$net->name_scope(sub {
    $net->add(nn->Conv2D(channels => 6, kernel_size => 5, activation => 'relu'), nn->MaxPool2D(pool_size => 2, strides => 2),
              nn->Conv2D(channels => 16, kernel_size => 3, activation => 'relu'), nn->MaxPool2D(pool_size => 2, strides => 2),
              nn->Flatten, nn->Dense(120, activation => 'relu'), nn->Dense(84, activation => 'relu'), nn->Dense(10));
});
$net->initialize(init => mx->init->Xavier, ctx => [$ctx]);
my $loss_fn = gluon->loss->SoftmaxCrossEntropyLoss;
my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.1});
for my $epoch (1 .. 2) {
    my ($train_loss, $batches, $train_acc, $valid_acc) = (0, 0, mx->metric->Accuracy, mx->metric->Accuracy);
    for my $batch (@{$train_data}) {
        my ($data, $label) = map { $_->as_in_context($ctx) } @$batch;
        my ($output, $loss);
        mx->autograd->record(sub { $output = $net->($data); $loss = $loss_fn->($output, $label) });
        $loss->backward;
        $trainer->step(50);
        $train_loss += $loss->mean->asscalar;
        $batches++;
        $train_acc->update([$label], [$output]);
    }
    for my $batch (@{$valid_data}) {
        my ($data, $label) = map { $_->as_in_context($ctx) } @$batch;
        $valid_acc->update([$label], [$net->($data)]);
    }
    printf "gluon epoch %d: loss %.6f, train acc %.4f, test acc %.4f\n",
        $epoch, $train_loss / $batches, ($train_acc->get)[1], ($valid_acc->get)[1];
}
printf "gluon weights: sum of |w| %.5f\n", nd->add_n(map { $_->data($ctx)->abs->sum->as_in_context(mx->cpu) } @{ $net->collect_params->values })->asscalar;

# A Module fit, context => [$ctx]: a two-layer MLP on fixed data.
my $data = nd->array([map { my $i = $_; [map { sin($i * 0.37 + $_ * 1.3) } 0 .. 19] } 0 .. 199]);
my $label = nd->array([map { int(abs(sin($_ * 0.37)) * 4) % 4 } 0 .. 199]);
my $mlp = mx->sym->FullyConnected(mx->sym->Variable('data'), num_hidden => 32, name => 'fc1');
$mlp = mx->sym->Activation($mlp, act_type => 'relu', name => 'relu1');
$mlp = mx->sym->FullyConnected($mlp, num_hidden => 4, name => 'fc2');
$mlp = mx->sym->SoftmaxOutput($mlp, name => 'softmax');
my $mod = mx->mod->Module(symbol => $mlp, context => [$ctx]);
my $iter = mx->io->NDArrayIter(data => $data, label => $label, batch_size => 20);
$mod->fit($iter, num_epoch => 5, initializer => mx->init->Xavier, optimizer_params => {learning_rate => 0.2});
my $score = $mod->score($iter, mx->metric->Accuracy);
printf "module: accuracy %.4f\n", $score->{accuracy};
my ($args) = $mod->get_params;
printf "module %s: sum of |w| %.5f\n", $_, $args->{$_}->abs->sum->asscalar for sort keys %$args;

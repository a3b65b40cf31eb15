#!/usr/bin/env perl
# Training with AI::MXNet's Module: an MLP on MNIST-format data read by mx->io->MNISTIter, fitted with
# mx->mod->Module's fit (SGD, Xavier initialisation), scored on the test set.
#
#     perl -Iperl_shim/lib examples/module_mnist.pl [DIR]
#
# DIR holds MNIST's four idx files uncompressed (train-images-idx3-ubyte, train-labels-idx1-ubyte,
# t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte: the real ones from http://yann.lecun.com/exdb/mnist/, gunzipped,
# or MNIST_ROOT=/path); nothing is downloaded here. Without it, a small dataset of the same format is made in a
# temporary directory by scripts/make_idx_data.py (2000 training and 500 test images). EPOCHS (default 3).
#
# fit logs AI::MXNet's lines (Epoch[0] Train-accuracy=...) on STDERR through warn; here $SIG{__WARN__} prints
# the ones with accuracies on STDOUT (the time each epoch took differs from run to run).
use strict;
use warnings;
use File::Spec;
use File::Temp qw(tempdir);
use FindBin;
use AI::MXNet qw(mx);

my $root = shift // $ENV{MNIST_ROOT};
my $epochs = $ENV{EPOCHS} // 3;
unless (defined $root) {
    $root = tempdir(CLEANUP => 1);
    my $python = File::Spec->catfile($AI::MXNet::Bridge::VENV, 'bin', 'python');
    system($python, "$FindBin::Bin/../scripts/make_idx_data.py", '--quiet', '--ubyte', '--train', 2000,
           '--test', 500, $root) == 0 or die "could not make the data\n";
}
local $SIG{__WARN__} = sub { print $_[0] if $_[0] =~ /^Epoch\[\d+\] (?:Train|Validation)-/ };

mx->random->seed(42);
my $batch_size = 100;
my $train_iter = mx->io->MNISTIter({
    image => "$root/train-images-idx3-ubyte", label => "$root/train-labels-idx1-ubyte",
    batch_size => $batch_size, flat => 1, shuffle => 1, seed => 10, silent => 1});
my $val_iter = mx->io->MNISTIter({
    image => "$root/t10k-images-idx3-ubyte", label => "$root/t10k-labels-idx1-ubyte",
    batch_size => $batch_size, flat => 1, silent => 1});
print "data: ", $train_iter->provide_data->[0], ", label: ", $train_iter->provide_label->[0], "\n";

# The network: 784 pixels (MNISTIter scales them to [0, 1]) -> 128 -> 64 -> 10 classes.
my $data = mx->sym->Variable('data');
my $fc1  = mx->sym->FullyConnected(data => $data, name => 'fc1', num_hidden => 128);
my $act1 = mx->sym->Activation(data => $fc1, name => 'relu1', act_type => 'relu');
my $fc2  = mx->sym->FullyConnected(data => $act1, name => 'fc2', num_hidden => 64);
my $act2 = mx->sym->Activation(data => $fc2, name => 'relu2', act_type => 'relu');
my $fc3  = mx->sym->FullyConnected(data => $act2, name => 'fc3', num_hidden => 10);
my $mlp  = mx->sym->SoftmaxOutput(data => $fc3, name => 'softmax');

my $model = mx->mod->Module(symbol => $mlp, context => mx->cpu);
$model->fit(
    $train_iter,
    eval_data        => $val_iter,
    optimizer        => 'sgd',
    optimizer_params => {learning_rate => 0.02, momentum => 0.5},
    initializer      => mx->init->Xavier(magnitude => 2.24),
    num_epoch        => $epochs,
);
my ($arg_params) = $model->get_params;
print "parameters: ", join(', ', map { "$_ [@{ $arg_params->{$_}->shape }]" } sort keys %$arg_params), "\n";
my $score = $model->score($val_iter, 'acc');
printf "final accuracy: %.4f\n", $score->{accuracy};
my $probabilities = $model->predict($val_iter);
print "predictions: @{ $probabilities->shape }\n";

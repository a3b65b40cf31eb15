#!/usr/bin/env perl
# Data-parallel training on MXNet's parameter server: a Gluon MLP (784-64-10) learns MNIST-format digits, each
# worker on its part of every batch; the servers add up the workers' gradients and run the optimizer, and every
# worker pulls the same new weights. Started by bridge-launch (2 workers and 1 server, all on this machine):
#
#     .venv/bin/bridge-launch -n 2 -s 1 --launcher local \
#         perl -Iperl_shim/lib examples/distributed_train.pl --kv-store dist_sync
#
# Run directly, it is one process with a local kvstore, which reads the whole of every batch: the workers above
# end with the same weights as this one. Options: --kv-store TYPE (local), --data DIR (a directory with MNIST's
# four gzip idx files; without one, scripts/make_idx_data.py makes 640 training and 100 test images in a
# temporary directory), --epochs N (2), --batch-size N (the whole batch, shared by the workers: 64), --save
# PREFIX (each worker saves its parameters to PREFIX-RANK.params).
use strict;
use warnings;
use File::Spec;
use File::Temp qw(tempdir);
use FindBin;
use Getopt::Long;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

my %opt = ('kv-store' => 'local', epochs => 2, 'batch-size' => 64);
GetOptions(\%opt, 'kv-store=s', 'data=s', 'epochs=i', 'batch-size=i', 'save=s')
    or die "usage: $0 [--kv-store TYPE] [--data DIR] [--epochs N] [--batch-size N] [--save PREFIX]\n";

# The kvstore first: a worker's rank and the number of workers decide its part of the data.
my $kv = mx->kv->create($opt{'kv-store'});
my ($rank, $workers) = ($kv->rank, $kv->num_workers);
my $batch_size = $opt{'batch-size'} / $workers;
die "--batch-size $opt{'batch-size'} is not a multiple of the $workers workers\n" if $batch_size != int $batch_size;

my $root = $opt{data};
unless (defined $root) {
    $root = tempdir(CLEANUP => 1);
    my $python = File::Spec->catfile($AI::MXNet::Bridge::VENV, 'bin', 'python');
    system($python, "$FindBin::Bin/../scripts/make_idx_data.py", '--quiet', '--train', 640, $root) == 0
        or die "could not make the data\n";
}

mx->random->seed(42);    # the same first weights in every worker (rank 0's are the ones the servers keep)

# This worker's part of every batch of the training set: images as 784 floats in [0, 1].
my $transform = sub {
    my ($data, $label) = @_;
    return ($data->reshape([-1])->astype('float32') / 255, $label);
};
my $train_set = gluon->data->vision->MNIST(root => $root, train => 1, transform => $transform);
my $sampler = gluon->data->SplitSampler($train_set->len, num_parts => $workers, part_index => $rank,
                                        batch_size => $batch_size);
my $train_data = gluon->data->DataLoader($train_set, batch_size => $batch_size, sampler => $sampler);

my $net = nn->Sequential;
$net->name_scope(sub { $net->add(nn->Dense(64, activation => 'relu'), nn->Dense(10)) });
$net->initialize(init => mx->init->Xavier);
my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.1}, kvstore => $kv);
my $softmax_cross_entropy = gluon->loss->SoftmaxCrossEntropyLoss;

for my $epoch (1 .. $opt{epochs}) {
    my ($loss_sum, $samples) = (0, 0);
    my $accuracy = mx->metric->Accuracy;
    while (defined(my $batch = <$train_data>)) {
        my ($data, $label) = @$batch;
        my ($output, $loss);
        mx->autograd->record(sub {
            $output = $net->($data);
            $loss = $softmax_cross_entropy->($output, $label);
        });
        $loss->backward;
        # the whole batch's size: the servers add up the gradients of every worker's part
        $trainer->step($batch_size * $workers);
        $loss_sum += $loss->sum->asscalar;
        $samples += $data->shape->[0];
        $accuracy->update([$label], [$output]);
    }
    printf "worker %d/%d: epoch %d: loss %.4f, train acc %.4f\n",
        $rank, $workers, $epoch, $loss_sum / $samples, ($accuracy->get)[1];
}

if ($rank == 0) {
    my $test_data = gluon->data->DataLoader(gluon->data->vision->MNIST(root => $root, train => 0,
                                                                       transform => $transform),
                                            batch_size => 100);
    my $accuracy = mx->metric->Accuracy;
    for my $batch (@{$test_data}) {
        my ($data, $label) = @$batch;
        $accuracy->update([$label], [$net->($data)]);
    }
    printf "test acc %.4f\n", ($accuracy->get)[1];
}
$net->save_parameters("$opt{save}-$rank.params") if defined $opt{save};

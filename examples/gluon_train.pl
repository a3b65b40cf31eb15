#!/usr/bin/env perl
# The MXNet crash course, chapter "Train the neural network", as AI::MXNet code: LeNet trained on
# FashionMNIST with a DataLoader, a Trainer (SGD), SoftmaxCrossEntropyLoss and the Accuracy metric; the trained
# parameters are saved for the next chapter (gluon_predict.pl).
#
#     perl -Iperl_shim/lib examples/gluon_train.pl [ROOT [PARAMS_FILE]]
#
# ROOT is the directory of the FashionMNIST files; point it at the real dataset to train on it: download the
# four gzip files from https://github.com/zalandoresearch/fashion-mnist (train-images-idx3-ubyte.gz,
# train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into a directory and pass
# it as the first argument or as FASHION_MNIST_ROOT=/path/to/dir (nothing is downloaded here). Without
# either, a small dataset of the same format is made in a temporary directory by scripts/make_idx_data.py
# (600 training and 100 test images whose class is a bright patch's place). PARAMS_FILE (or
# GLUON_PARAMS_FILE) is where the parameters are saved; default: gluon_crash_course_lenet.params in the
# system's temporary directory. EPOCHS (default 4) sets the number of epochs.
use strict;
use warnings;
use File::Spec;
use File::Temp qw(tempdir);
use FindBin;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
use AI::MXNet::Progress;    # progress on the terminal (STDERR), nothing when not on one

my $root = shift // $ENV{FASHION_MNIST_ROOT};
my $params_file = shift // $ENV{GLUON_PARAMS_FILE}
    // File::Spec->catfile(File::Spec->tmpdir, 'gluon_crash_course_lenet.params');
my $epochs = $ENV{EPOCHS} // 4;
unless (defined $root) {
    $root = tempdir(CLEANUP => 1);
    my $python = File::Spec->catfile($AI::MXNet::Bridge::VENV, 'bin', 'python');
    system($python, "$FindBin::Bin/../scripts/make_idx_data.py", '--quiet', $root) == 0 or die "could not make the data\n";
}

mx->random->seed(42);

# The data: images as float32 in [0, 1], channels first (1x28x28), as Conv2D takes them; labels as they are.
my $transform = sub {
    my ($data, $label) = @_;
    return (nd->transpose($data->astype('float32') / 255, axes => [2, 0, 1]), $label);
};
my $batch_size = 50;
my $train_data = gluon->data->DataLoader(
    gluon->data->vision->FashionMNIST(root => $root, train => 1, transform => $transform),
    batch_size => $batch_size, shuffle => 0);
my $valid_data = gluon->data->DataLoader(
    gluon->data->vision->FashionMNIST(root => $root, train => 0, transform => $transform),
    batch_size => $batch_size, shuffle => 0);

# The model: LeNet, as in "Create a neural network".
my $net = nn->Sequential;
$net->name_scope(sub {
    $net->add(nn->Conv2D(channels => 6, kernel_size => 5, activation => 'relu'),
              nn->MaxPool2D(pool_size => 2, strides => 2),
              nn->Conv2D(channels => 16, kernel_size => 3, activation => 'relu'),
              nn->MaxPool2D(pool_size => 2, strides => 2),
              nn->Flatten,
              nn->Dense(120, activation => 'relu'),
              nn->Dense(84, activation => 'relu'),
              nn->Dense(10));
});
$net->initialize(init => mx->init->Xavier);

my $softmax_cross_entropy = gluon->loss->SoftmaxCrossEntropyLoss;
my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.1});

# The training loop: forward under autograd, backward, one SGD step per batch; the accuracy on the training
# batches as they go and on the test set after each epoch.
my $progress = AI::MXNet::Progress->new(epochs => $epochs, batches => $train_data->len, batch_size => $batch_size);
for my $epoch (1 .. $epochs) {
    my ($train_loss, $batches) = (0, 0);
    my $train_acc = mx->metric->Accuracy;
    my $valid_acc = mx->metric->Accuracy;
    while (defined(my $batch = <$train_data>)) {
        my ($data, $label) = @$batch;
        my ($output, $loss);
        mx->autograd->record(sub {
            $output = $net->($data);
            $loss = $softmax_cross_entropy->($output, $label);
        });
        $loss->backward;
        $trainer->step($batch_size);
        my $mean_loss = $loss->mean->asscalar;
        $train_loss += $mean_loss;
        $progress->update(epoch => $epoch - 1, batch => $batches++, loss => $mean_loss);
        $train_acc->update([$label], [$output]);
    }
    for my $batch (@{$valid_data}) {
        my ($data, $label) = @$batch;
        $valid_acc->update([$label], [$net->($data)]);
    }
    printf "epoch %d: loss %.4f, train acc %.4f, test acc %.4f\n",
        $epoch, $train_loss / $batches, ($train_acc->get)[1], ($valid_acc->get)[1];
}

$progress->done;
$net->save_parameters($params_file);
print "parameters saved\n";
print STDERR "saved to $params_file\n";

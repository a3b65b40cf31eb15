#!/usr/bin/env perl
# The MXNet crash course, chapter "Predict with a pre-trained model", as AI::MXNet code: the LeNet of the
# previous chapters, its parameters loaded from the file gluon_train.pl saved, predicts the classes of the
# first 10 test images.
#
#     perl -Iperl_shim/lib examples/gluon_predict.pl [ROOT [PARAMS_FILE]]
#
# ROOT and PARAMS_FILE as in gluon_train.pl (also FASHION_MNIST_ROOT and GLUON_PARAMS_FILE). Without ROOT a
# small dataset of FashionMNIST's format is made in a temporary directory (scripts/make_idx_data.py); if the
# parameters file is not there, gluon_train.pl is run first to make it, so this chapter runs on its own.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Spec;
use File::Temp qw(tempdir);
use FindBin;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

my $root = shift // $ENV{FASHION_MNIST_ROOT};
my $params_file = shift // $ENV{GLUON_PARAMS_FILE}
    // File::Spec->catfile(File::Spec->tmpdir, 'gluon_crash_course_lenet.params');
unless (defined $root) {
    $root = tempdir(CLEANUP => 1);
    my $python = File::Spec->catfile($AI::MXNet::Bridge::VENV, 'bin', 'python');
    system($python, "$FindBin::Bin/../scripts/make_idx_data.py", '--quiet', $root) == 0
        or die "could not make the data\n";
}
unless (-e $params_file) {
    # No trained parameters yet: train first (the training chapter's report goes to stderr).
    print STDERR "no $params_file: running gluon_train.pl first\n";
    my $lib = dirname(dirname($INC{'AI/MXNet.pm'}));
    open(my $saved, '>&', \*STDOUT) or die "$!";
    open(STDOUT, '>&', \*STDERR) or die "$!";
    my $status = system($^X, "-I$lib", "$FindBin::Bin/gluon_train.pl", $root, $params_file);
    open(STDOUT, '>&', $saved) or die "$!";
    $status == 0 or die "gluon_train.pl failed\n";
}

# The same network as in training, its parameters loaded from the file.
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
$net->load_parameters($params_file);

# The first 10 test images, prepared as in training, one at a time: a batch of one image each.
my @text_labels = ('t-shirt', 'trouser', 'pullover', 'dress', 'coat',
                   'sandal', 'shirt', 'sneaker', 'bag', 'ankle boot');
my $mnist_valid = gluon->data->vision->FashionMNIST(root => $root, train => 0);
my @samples = @{$mnist_valid}[0 .. 9];
my $right = 0;
for my $i (0 .. 9) {
    my ($data, $label) = @{ $samples[$i] };
    my $x = nd->transpose($data->astype('float32') / 255, axes => [2, 0, 1])->expand_dims(axis => 0);
    my $pred = $net->($x)->argmax(axis => 1)->astype('int32')->asscalar;
    $right++ if $pred == $label;
    printf "image %d: predicted %-10s true %s\n", $i, $text_labels[$pred], $text_labels[$label];
}
print "$right of 10 right\n";

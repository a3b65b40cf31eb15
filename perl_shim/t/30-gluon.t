#!/usr/bin/env perl
# Gluon from Perl: layers and their printing, Blocks and HybridBlocks written in Perl (hybridized too),
# indexing a Sequential, collect_params, Xavier, a Trainer step against SGD worked out by hand, save/load,
# DataLoader iteration the three Perl ways, FashionMNIST from generated idx files with a Perl transform, and
# errors that die with one clear line and leave the process working.
use strict;
use warnings;
use Test::More;
use File::Spec;
use File::Temp qw(tempdir);
use IO::Uncompress::Gunzip qw($GunzipError);
use Scalar::Util qw(blessed);
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

{
    # The crash course's MixMLP: a Sequential and a Dense made in BUILD, a forward in Perl.
    package MixMLP;
    use AI::MXNet::Gluon::Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Gluon::Block';

    sub BUILD {
        my $self = shift;
        $self->name_scope(sub {
            $self->blk(nn->Sequential);
            $self->blk->name_scope(sub {
                $self->blk->add(nn->Dense(3, in_units => 2, activation => 'relu'));
                $self->blk->add(nn->Dense(4, in_units => 3, activation => 'relu'));
            });
            $self->dense(nn->Dense(5, in_units => 4));
        });
    }

    method forward($x) { $self->dense->(nd->relu($self->blk->($x))) }

    # relu(dense(x)) * scale, recording which F it was called with.
    package ScaledRelu;
    use AI::MXNet::Gluon::Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Gluon::HybridBlock';
    our @F_SEEN;

    sub BUILD {
        my $self = shift;
        $self->name_scope(sub { $self->dense(nn->Dense(3, in_units => 2)) });
    }

    method hybrid_forward($F, $x) {
        push @F_SEEN, $F;
        return $F->relu($self->dense->($x)) * 2;
    }
}

my $python = File::Spec->catfile($AI::MXNet::Bridge::VENV, 'bin', 'python');
my $make_data = "$FindBin::Bin/../../scripts/make_idx_data.py";

# The numbers of a gzip idx file, read here without the bridge: (magic, dims, bytes).
sub read_idx {
    my ($path) = @_;
    my $z = IO::Uncompress::Gunzip->new($path) or die "gunzip $path: $GunzipError";
    local $/;
    my $raw = <$z>;
    my $magic = unpack('N', $raw);
    my $ndim = $magic == 2051 ? 3 : 1;
    my @dims = unpack("x4 N$ndim", $raw);
    return ($magic, \@dims, [unpack('C*', substr($raw, 4 + 4 * $ndim))]);
}

subtest 'layers and their printing' => sub {
    my $dense = nn->Dense(2);
    isa_ok($dense, $_) for qw(AI::MXNet::Gluon::NN::Dense AI::MXNet::Gluon::HybridBlock AI::MXNet::Gluon::Block);
    is("$dense", 'Dense(None -> 2, linear)', 'a Dense before its input size is known');
    my $relu = nn->Dense(120, in_units => 84, activation => 'relu');
    is("$relu", 'Dense(84 -> 120, Activation(relu))', 'in_units and the activation are shown');
    my $conv = nn->Conv2D(channels => 6, kernel_size => 5, activation => 'relu');
    is("$conv", 'Conv2D(None -> 6, kernel_size=(5, 5), stride=(1, 1), Activation(relu))', 'Conv2D');

    my $net = nn->Sequential;
    $net->name_scope(sub { $net->add(nn->Dense(3), nn->Dense(1)) });
    is("$net", "Sequential(\n  (0): Dense(None -> 3, linear)\n  (1): Dense(None -> 1, linear)\n)",
       'a Sequential lists its children');

    $dense->initialize;
    my $x = nd->array([[1, 2, 3], [4, 5, 6]]);
    my $y = $dense->($x);
    is_deeply($y->shape, [2, 2], 'deferred initialisation: the input size is found on the first call');
    is_deeply($dense->weight->data->shape, [2, 3], 'the weight is 2x3 then');
    is("$dense", 'Dense(3 -> 2, linear)', 'and the printing says so');
    # y = x . W^T + b, with b zero (Dense's bias initialiser)
    my ($w, $b) = ($dense->weight->data->aspdl, $dense->bias->data->aspdl);
    is_deeply([$b->list], [0, 0], 'the bias starts at zero');
    near(vals($y), [($x->aspdl x $w->transpose)->list], 'the output is x W^T');
};

subtest 'LeNet: shapes, indexing, collect_params' => sub {
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
    $net->initialize;
    my $y = $net->(nd->random->uniform(shape => [4, 1, 28, 28]));
    is_deeply($y->shape, [4, 10], 'ten scores per image');
    is(scalar(@$net), 8, '@{$net} has the eight layers');
    isa_ok($net->[0], 'AI::MXNet::Gluon::NN::Conv2D', '$net->[0]');
    isa_ok(${$net}[4], 'AI::MXNet::Gluon::NN::Flatten', '${$net}[4]');
    is_deeply($net->[0]->weight->data->shape, [6, 1, 5, 5], 'first conv: 6 filters of 1x5x5');
    # 28 -conv5-> 24 -pool-> 12 -conv3-> 10 -pool-> 5: 16*5*5 = 400 inputs to the first Dense
    is_deeply(${$net}[5]->weight->data->shape, [120, 400], 'first Dense: 120 x 16*5*5');
    is_deeply(${$net}[5]->bias->data->shape, [120], 'its bias');
    is_deeply([map { ref } @{$net}[6, 7]], [('AI::MXNet::Gluon::NN::Dense') x 2], 'a slice of @{$net}');

    my $params = $net->collect_params;
    isa_ok($params, 'AI::MXNet::Gluon::ParameterDict');
    my @names = @{$params};
    is(scalar(@names), 10, 'five layers with a weight and a bias each');
    my $prefix = $net->prefix;
    like($prefix, qr/^sequential\d+_$/, 'the Sequential has its own prefix');
    is_deeply(\@names, [map { my $l = $_; map { "$prefix$l\_$_" } qw(weight bias) }
                            qw(conv0 conv1 dense0 dense1 dense2)], 'the names Gluon gives them');
    my $w = $params->get('conv0_weight');
    isa_ok($w, 'AI::MXNet::Gluon::Parameter');
    ok($w == $net->[0]->weight, 'get() finds the same Parameter as the layer holds');
    is_deeply([$params->keys], \@names, '$params->keys lists the names');
    my @values = $params->values;
    is(scalar(@values), 10, '$params->values lists the Parameters');
    ok($values[0] == $net->[0]->weight, 'in order');
};

subtest 'initialize with Xavier' => sub {
    my $dense = nn->Dense(100, in_units => 50);
    $dense->initialize(init => mx->init->Xavier);
    my $w = $dense->weight->data->aspdl;
    # Xavier's defaults: uniform in [-s, s], s = sqrt(magnitude 3 / ((fan_in + fan_out) / 2)) = sqrt(3/75) = 0.2
    my $max = $w->abs->max;
    ok($max <= 0.2 + 1e-7, "every weight within 0.2 ($max)");
    ok($max > 0.19, 'and the range is used');
    ok(abs($w->avg) < 0.01, 'centred on zero');
    is_deeply([$dense->bias->data->aspdl->uniq->list], [0], 'the bias keeps its own initialiser (zeros)');
    my $one = nn->Dense(2, in_units => 2);
    $one->initialize(init => mx->init->One);
    is_deeply([$one->weight->data->aspdl->list], [1, 1, 1, 1], 'mx->init->One');
};

subtest 'a Block written in Perl' => sub {
    my $net = MixMLP->new(prefix => 'mix_');
    isa_ok($net, 'AI::MXNet::Gluon::Block');
    is("$net", "MixMLP(\n  (blk): Sequential(\n    (0): Dense(2 -> 3, Activation(relu))\n"
             . "    (1): Dense(3 -> 4, Activation(relu))\n  )\n  (dense): Dense(4 -> 5, linear)\n)",
       'it prints like a Gluon block, its children by attribute name');
    is_deeply([@{ $net->collect_params }],
              [qw(mix_sequential0_dense0_weight mix_sequential0_dense0_bias
                  mix_sequential0_dense1_weight mix_sequential0_dense1_bias mix_dense0_weight mix_dense0_bias)],
              'its children are registered: collect_params finds their parameters under its prefix');
    $net->initialize(init => mx->init->Xavier);
    my $x = nd->array([[0.5, -1], [2, 1]]);
    my $y = $net->($x);
    is_deeply($y->shape, [2, 5], 'forward runs');
    # the same arithmetic by hand, in PDL
    my $h = $x->aspdl;
    for my $layer (@{ $net->blk }) {
        $h = $h x $layer->weight->data->aspdl->transpose + $layer->bias->data->aspdl;
        $h = $h * ($h > 0);
    }
    $h = $h x $net->dense->weight->data->aspdl->transpose + $net->dense->bias->data->aspdl;
    near(vals($y), [$h->list], 'forward computes dense(relu(blk(x)))');
    ok($net->blk->[1] == ${ $net->blk }[1], 'its children index like any Sequential');

    # one SGD step through the Perl forward: every parameter moves by -lr * grad / batch
    my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.5});
    my $before = $net->dense->weight->data->aspdl->copy;
    my $loss;
    mx->autograd->record(sub { $loss = $net->($x)->sum });
    $loss->backward;
    my $grad = $net->dense->weight->grad->aspdl->copy;
    ok($grad->abs->max > 0, 'the gradient reaches the Perl block\'s parameters');
    $trainer->step(2);
    near([$net->dense->weight->data->aspdl->list], [($before - 0.5 * $grad / 2)->list], 'and SGD moves them');
};

subtest 'a HybridBlock written in Perl, hybridized' => sub {
    my $net = ScaledRelu->new(prefix => 'sr_');
    isa_ok($net, 'AI::MXNet::Gluon::HybridBlock');
    $net->initialize(init => mx->init->One);
    my $x = nd->array([[1, -2], [3, 4]]);
    @ScaledRelu::F_SEEN = ();
    # weight all ones, bias zero: dense(x) = row sums (-1, 7) in each of 3 columns; relu, then * 2
    is_deeply(vals($net->($x)), [0, 0, 0, 14, 14, 14], 'imperative: relu(x W^T + b) * 2');
    is_deeply(\@ScaledRelu::F_SEEN, ['AI::MXNet::NDArray'], 'F is AI::MXNet::NDArray before hybridize');
    $net->hybridize;
    @ScaledRelu::F_SEEN = ();
    is_deeply(vals($net->($x)), [0, 0, 0, 14, 14, 14], 'hybridized: the same result');
    is_deeply(vals($net->($x * 2)), [0, 0, 0, 28, 28, 28], 'and again, from the cached graph');
    is_deeply(\@ScaledRelu::F_SEEN, ['AI::MXNet::Symbol'], 'hybrid_forward ran once, with F AI::MXNet::Symbol');
    # the hybridized graph trains: d(sum out)/dW = 2 * (row of x where relu is on) per output
    $x->attach_grad;
    my $out;
    mx->autograd->record(sub { $out = $net->($x)->sum });
    $out->backward;
    is_deeply(vals($net->dense->weight->grad), [6, 8, 6, 8, 6, 8], 'gradients through the cached graph');
    is_deeply(vals($x->grad), [0, 0, 6, 6], 'and to the input');
};

subtest 'a Trainer step is SGD: w - lr * grad / batch_size' => sub {
    my $net = nn->Dense(1, in_units => 2);
    $net->initialize(init => mx->init->One);
    my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.1});
    isa_ok($trainer, 'AI::MXNet::Gluon::Trainer');
    my $x = nd->array([[1, 2], [3, 4]]);
    my $y = nd->array([[1], [2]]);
    my $l2 = gluon->loss->L2Loss;
    my $loss;
    mx->autograd->record(sub { $loss = $l2->($net->($x), $y) });
    # w = (1, 1), b = 0: predictions 3 and 7, errors 2 and 5, L2Loss = err^2 / 2
    is_deeply(vals($loss), [2, 12.5], 'L2Loss per sample');
    $loss->backward;
    # dL/dw = sum_i err_i x_i = 2 (1, 2) + 5 (3, 4) = (17, 24); dL/db = 2 + 5 = 7
    is_deeply(vals($net->weight->grad), [17, 24], 'the weight gradient');
    is_deeply(vals($net->bias->grad), [7], 'the bias gradient');
    $trainer->step(2);
    # w = 1 - 0.1 * (17, 24) / 2 = (0.15, -0.2); b = 0 - 0.1 * 7 / 2 = -0.35
    near(vals($net->weight->data), [0.15, -0.2], 'the weight after one step', 1e-6);
    near(vals($net->bias->data), [-0.35], 'the bias after one step', 1e-6);
    is($trainer->learning_rate, 0.1, 'learning_rate');
};

subtest 'save_parameters and load_parameters' => sub {
    my $dir = tempdir(CLEANUP => 1);
    my $file = "$dir/mix.params";
    my $net = MixMLP->new;
    $net->initialize(init => mx->init->Xavier);
    my $x = nd->array([[0.3, -0.7], [1.5, 0.2], [-1, -1]]);
    my $want = vals($net->($x));
    $net->save_parameters($file);
    ok(-s $file, 'a file is written');
    my $other = MixMLP->new;     # other prefixes, other random weights
    $other->initialize(init => mx->init->Xavier);
    isnt(join(' ', @{ vals($other->($x)) }), join(' ', @$want), 'a fresh net computes something else');
    $other->load_parameters($file);
    is_deeply(vals($other->($x)), $want, 'loaded: the same outputs, exactly');
    is_deeply(vals($other->blk->[0]->weight->data), vals($net->blk->[0]->weight->data), 'the same weights');

    my $seq = nn->Sequential;
    $seq->add(nn->Dense(3, in_units => 2, activation => 'relu'), nn->Dense(1, in_units => 3));
    $seq->initialize;
    $seq->save_parameters("$dir/seq.params");
    my $copy = nn->Sequential;
    $copy->add(nn->Dense(3, in_units => 2, activation => 'relu'), nn->Dense(1, in_units => 3));
    $copy->load_parameters("$dir/seq.params");    # no initialize needed
    is_deeply(vals($copy->($x)), vals($seq->($x)), 'a Sequential too, without initialize');
    my $wrong = nn->Sequential;
    $wrong->add(nn->Dense(3, in_units => 2));
    my $ok = eval { $wrong->load_parameters("$dir/seq.params"); 1 };
    ok(!$ok, 'a file of another architecture does not load');
    isa_ok($@, 'AI::MXNet::Error');
};

subtest 'DataLoader: <$loader>, @{$loader}, @{$loader}[0..1]' => sub {
    my $X = nd->arange(stop => 20)->reshape([10, 2]);
    my $y = nd->arange(stop => 10);
    my $ds = gluon->data->ArrayDataset($X, $y);
    is(scalar(@$ds), 10, 'a dataset of 10 samples');
    my ($xi, $yi) = @{ $ds->[3] };
    is_deeply(vals($xi), [6, 7], 'a sample: the row of X');
    is($yi, 3, 'and the label');
    my $loader = gluon->data->DataLoader($ds, batch_size => 4, shuffle => 0);
    my @want = ([0 .. 3], [4 .. 7], [8, 9]);    # 10 samples by 4: the last batch kept short

    my @seen;
    while (defined(my $batch = <$loader>)) {
        my ($data, $label) = @$batch;
        push @seen, vals($label);
        is_deeply(vals($data), [map { 2 * $_, 2 * $_ + 1 } @{ $seen[-1] }], 'data rows go with their labels');
    }
    is_deeply(\@seen, \@want, '<$loader>: three batches, then undef');
    my $again = <$loader>;
    is_deeply(vals($again->[1]), [0 .. 3], 'and the next read starts again');
    1 while defined <$loader>;    # read to the end so the next loop starts from the beginning

    is_deeply([map { vals($_->[1]) } @{$loader}], \@want, '@{$loader}: the batches as a list');
    my @two = @{$loader}[0 .. 1];
    is_deeply([map { vals($_->[1]) } @two], [@want[0, 1]], '@{$loader}[0..1]: a slice of them');
    is($loader->len, 3, '$loader->len');

    my $shuffled = gluon->data->DataLoader($ds, batch_size => 10, shuffle => 1);
    my ($batch) = @{$shuffled};
    is_deeply([sort { $a <=> $b } @{ vals($batch->[1]) }], [0 .. 9], 'shuffle => 1: every sample once');
};

subtest 'FashionMNIST from generated idx files, with a Perl transform' => sub {
    plan skip_all => "$make_data is in the checkout, not in the distribution" unless -e $make_data;
    my $root = tempdir(CLEANUP => 1);
    is(system($python, $make_data, '--quiet', '--train', 60, '--test', 20, $root), 0, 'make_idx_data.py');
    my ($magic, $dims, $labels) = read_idx("$root/t10k-labels-idx1-ubyte.gz");
    is_deeply([$magic, @$dims], [2049, 20], 'the label file: magic 2049, 20 labels');
    my ($imagic, $idims, $pixels) = read_idx("$root/t10k-images-idx3-ubyte.gz");
    is_deeply([$imagic, @$idims], [2051, 20, 28, 28], 'the image file: magic 2051, 20 x 28 x 28');

    my $raw = gluon->data->vision->FashionMNIST(root => $root, train => 0);
    isa_ok($raw, 'AI::MXNet::Gluon::Data::Vision::DownloadedDataSet::FashionMNIST');
    is(scalar(@$raw), 20, 'test set: 20 images');
    is(scalar(@{ gluon->data->vision->FashionMNIST(root => $root, train => 1) }), 60, 'train set: 60');
    my ($image, $label) = @{ $raw->[7] };
    is_deeply($image->shape, [28, 28, 1], 'an image is 28x28x1');
    is($image->dtype, 'uint8', 'of uint8');
    is_deeply(vals($image), [@$pixels[7 * 784 .. 8 * 784 - 1]], 'the pixels of the file');
    is($label, $labels->[7], 'the label of the file');

    my $calls = 0;
    my $ds = gluon->data->vision->FashionMNIST(root => $root, train => 0, transform => sub {
        my ($data, $label) = @_;
        $calls++;
        return ($data->astype('float32') / 255, $label + 100);
    });
    my ($timage, $tlabel) = @{ $ds->at(7) };
    is($timage->dtype, 'float32', 'the transform ran: float32');
    near(vals($timage), [map { $_ / 255 } @$pixels[7 * 784 .. 8 * 784 - 1]], 'pixels / 255');
    is($tlabel, $labels->[7] + 100, 'the label as the transform returned it');
    is($calls, 1, '->at(7): called once, for the sample read');
    my $loader = gluon->data->DataLoader($ds, batch_size => 8, shuffle => 0);
    my @sizes = map { $_->[0]->shape->[0] } @{$loader};
    is_deeply(\@sizes, [8, 8, 4], 'through a DataLoader: 20 images in batches of 8');
    is_deeply(vals(<$loader>->[1]), [map { $_ + 100 } @$labels[0 .. 7]], 'labels transformed, in order');
};

subtest 'errors: one clear line, catchable, and the process goes on' => sub {
    my $root = tempdir(CLEANUP => 1);
    my $ok = eval { gluon->data->vision->FashionMNIST(root => $root, train => 0); 1 };
    ok(!$ok, 'a missing file dies');
    my $err = $@;
    isa_ok($err, 'AI::MXNet::Error');
    my $text = "$err";
    is(($text =~ tr/\n//), 1, 'one line') or diag $text;
    like($text, qr/t10k-images-idx3-ubyte\.gz/, 'naming the file');
    like($text, qr/\Q$root\E/, 'and the root');
    like($text, qr/at \Q$0\E line \d+\.$/m, 'at the caller\'s line');

    # only the images there: the label file is the one named
    return unless -e $make_data;    # (scripts/ is in the checkout, not in the distribution)
    system($python, $make_data, '--quiet', '--train', 10, '--test', 10, $root) == 0 or die;
    unlink "$root/train-labels-idx1-ubyte.gz";
    eval { gluon->data->vision->MNIST(root => $root, train => 1) };
    like("$@", qr/train-labels-idx1-ubyte\.gz/, 'a missing label file is named');
    unlike("$@", qr/train-images/, 'not the image file that is there');

    my $dense = nn->Dense(3, in_units => 2);
    $dense->initialize;
    eval { $dense->(nd->ones([4, 5])) };
    isa_ok($@, 'AI::MXNet::Error', 'a shape mismatch');
    like($@->message, qr/shape|Shape/, 'says so');
    eval { nn->NoSuchLayer(3) };
    ok($@, 'an unknown layer dies');
    eval { $dense->no_such_method };
    like("$@", qr/no_such_method/, 'an unknown method dies naming it');

    # everything still works after the errors
    is_deeply($dense->(nd->ones([4, 2]))->shape, [4, 3], 'the layer still runs');
    my $ds = gluon->data->vision->FashionMNIST(root => $root, train => 0);
    is(scalar(@$ds), 10, 'and a dataset still loads');
};

done_testing;

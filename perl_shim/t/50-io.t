#!/usr/bin/env perl
# mx->io as AI::MXNet had it: DataDesc and DataBatch objects, NDArrayIter over NDArrays, PDLs and hashes of them,
# mxnet's C++ iterators reading local files, and bad input refused in one line.
use strict;
use warnings;
use Test::More;
use File::Spec;
use File::Temp qw(tempdir);
use FindBin;
use PDL;
use AI::MXNet qw(mx);
use lib "$FindBin::Bin/lib";
use BridgeTest;

sub one_line { my ($error) = @_; my @lines = split /\n/, "$error"; return @lines == 1 }

# DataDesc: AI::MXNet's string, [name, shape] as an array, its attributes, both ways of making one
my $desc = mx->io->DataDesc('data', [3, 8, 7], layout => 'TNC');
is("$desc", 'DataDesc[data,3x8x7,float32,TNC]', 'a DataDesc prints as AI::MXNet printed it');
is_deeply([@$desc], ['data', [3, 8, 7]], '@{$desc} is [name, shape]');
is($desc->name, 'data', 'name');
is_deeply($desc->shape, [3, 8, 7], 'shape, an array ref');
is($desc->dtype, 'float32', 'dtype, a name');
is($desc->layout, 'TNC', 'layout');
my $named = mx->io->DataDesc(name => 'label', shape => [4], dtype => 'int32');
is("$named", 'DataDesc[label,4,int32,NCHW]', 'made with named arguments');
is(AI::MXNet::DataDesc->new('x', [2, 6/2])."", 'DataDesc[x,2x3,float32,NCHW]', 'AI::MXNet::DataDesc->new, 6/2 is 3');
ok("$desc" eq "" . mx->io->DataDesc('data', [3, 8, 7], layout => 'TNC'), 'DataDescs compare by their strings');
is(AI::MXNet::DataDesc->get_batch_axis('TNC'), 1, 'get_batch_axis');

# DataBatch
my $batch = mx->io->DataBatch(data => [nd->ones([2, 3])], label => [nd->zeros([2])], pad => 1);
isa_ok($batch, 'AI::MXNet::DataBatch');
is_deeply($batch->data->[0]->shape, [2, 3], 'DataBatch data');
is($batch->pad, 1, 'DataBatch pad');

# NDArrayIter over a PDL (AI::MXNet's test_io: 1000 rows, padded last batch), its batches and descriptions
my $pdl = sequence(float, 2, 10) / 10;    # 10 samples of 2 features: PDL dims are reversed
my $iter = mx->io->NDArrayIter(data => $pdl, label => sequence(10), batch_size => 4);
is("@{ $iter->provide_data }", 'DataDesc[data,4x2,float32,NCHW]', 'provide_data: DataDescs, batch size first');
is("@{ $iter->provide_label }", 'DataDesc[softmax_label,4,float32,NCHW]', 'provide_label');
my @batches;
while (my $b = <$iter>) { push @batches, $b }
is(scalar @batches, 3, 'three batches of four for ten samples');
is($batches[-1]->pad, 2, 'the last one padded with two');
is_deeply([map { $_->label->[0]->aspdl->list } $batches[-1]], [8, 9, 0, 1], 'padded from the start, as AI::MXNet did');
near(vals($batches[0]->data->[0]), [0, .1, .2, .3, .4, .5, .6, .7], 'the first batch is the first four rows');
$iter->reset;
is(scalar @{ $iter }, 3, '@{$iter} lists the batches after a reset');

# data as hash refs and array refs (names as mxnet gives them)
my $multi = mx->io->NDArrayIter(data => {b => nd->ones([6, 2]), a => nd->zeros([6, 3])}, label => [nd->ones([6])],
                                batch_size => 3);
is(join(' ', map { $_->name } @{ $multi->provide_data }), 'a b', 'a hash ref of arrays: one source per key');
is(join(' ', map { "@{ $_->shape }" } @{ $multi->provide_data }), '3 3 3 2', '... each with its own shape');
my $two = mx->io->NDArrayIter([nd->ones([4, 1]), nd->ones([4, 2])], batch_size => 2);
is(join(' ', map { $_->name } @{ $two->provide_data }), '_0_data _1_data', 'an array ref of arrays');
my $dropped = mx->io->NDArrayIter(data => nd->ones([10, 2]), batch_size => 4, last_batch_handle => 'discard');
my $count = 0;
$count++ while <$dropped>;
is($count, 2, "last_batch_handle => 'discard'");
my $shuffled = mx->io->NDArrayIter(data => sequence(float, 1, 8), label => sequence(8), batch_size => 8, shuffle => 1);
my $sb = <$shuffled>;
is_deeply([sort { $a <=> $b } $sb->data->[0]->aspdl->list], [0 .. 7], 'shuffle keeps every sample');
is_deeply([$sb->data->[0]->aspdl->list], [$sb->label->[0]->aspdl->list], '... with its label');

my $more_labels = mx->io->NDArrayIter(nd->ones([4, 2]), nd->array([0 .. 7]), batch_size => 2);
my $ml_count = 0;
$ml_count++ while <$more_labels>;
is($ml_count, 2, 'more labels than samples: the first ones are used, as in AI::MXNet (its test_loss.t)');

# bad input: one line each, and the process goes on
for my $case (
    ['data and labels of different lengths', sub { mx->io->NDArrayIter(data => nd->ones([10, 3]), label => nd->ones([8]), batch_size => 2) },
     qr/^NDArrayIter: data has 10 samples but softmax_label has 8 at /],
    ['no data', sub { mx->io->NDArrayIter(batch_size => 2) }, qr/^NDArrayIter: data must be defined/],
    ['a number as data', sub { mx->io->NDArrayIter(data => 5) }, qr/^NDArrayIter: data must be an NDArray, a PDL, or a list or hash of them, not 5/],
    ['batch size 0', sub { mx->io->NDArrayIter(data => nd->ones([4, 1]), batch_size => 0) }, qr/^NDArrayIter: batch_size must be a positive integer/],
    ['a bad last_batch_handle', sub { mx->io->NDArrayIter(data => nd->ones([4, 1]), last_batch_handle => 'keep') }, qr/last_batch_handle must be/],
    ['a DataDesc without a shape', sub { mx->io->DataDesc('data', 'x') }, qr/^DataDesc: shape must be a list of integers/],
    ['a missing MNIST file', sub { mx->io->MNISTIter({image => '/nonexistent/images', label => '/nonexistent/labels', batch_size => 1}) },
     qr{^MNISTIter: no file /nonexistent/images \(image\) at }],
    ['a missing CSV file', sub { mx->io->CSVIter({data_csv => '/nonexistent.csv', data_shape => [3], batch_size => 2}) },
     qr{^CSVIter: no file /nonexistent.csv \(data_csv\)}],
) {
    my ($name, $code, $like) = @$case;
    ok(!eval { $code->(); 1 }, "$name dies");
    like("$@", $like, "... saying so");
    ok(one_line($@), '... in one line');
}
is(nd->ones([2])->sum->asscalar, 2, 'the process goes on');

# mxnet's C++ iterators on local files: MNIST's idx format (made by scripts/make_idx_data.py) and a CSV file
my $dir = tempdir(CLEANUP => 1);
my $python = File::Spec->catfile($AI::MXNet::Bridge::VENV, 'bin', 'python');
system($python, "$FindBin::Bin/../../scripts/make_idx_data.py", '--quiet', '--ubyte', '--train', 50, '--test', 10, $dir) == 0
    or BAIL_OUT('cannot make MNIST files');
my $mnist = mx->io->MNISTIter({image => "$dir/train-images-idx3-ubyte", label => "$dir/train-labels-idx1-ubyte",
                               batch_size => 10, flat => 1, silent => 1});
is("@{ $mnist->provide_data }", 'DataDesc[data,10x784,float32,NCHW]', 'MNISTIter describes its data');
my $labels = 0;
while (my $b = <$mnist>) { $labels += $b->label->[0]->shape->[0] }
is($labels, 50, 'MNISTIter reads every image of the file');
open my $csv, '>', "$dir/data.csv" or die $!;
print $csv "1,2,3\n4,5,6\n7,8,9\n10,11,12\n";
close $csv;
my $csv_iter = mx->io->CSVIter({data_csv => "$dir/data.csv", data_shape => [3], batch_size => 2});
my $first = <$csv_iter>;
near(vals($first->data->[0]), [1 .. 6], 'CSVIter reads the rows');

# iterators around iterators, and LibSVM's sparse rows
my $inner = mx->io->NDArrayIter(data => nd->ones([10, 2]), label => nd->zeros([10]), batch_size => 2);
my $resized = mx->io->ResizeIter($inner, 3);
my $resized_count = 0;
$resized_count++ while <$resized>;
is($resized_count, 3, 'ResizeIter: the number of batches asked for');
is("@{ $resized->provide_data }", 'DataDesc[data,2x2,float32,NCHW]', '... describing its iterator\'s data');
my $prefetching = mx->io->PrefetchingIter($inner);
$prefetching->reset;
my $prefetched = 0;
$prefetched++ while <$prefetching>;
is($prefetched, 5, 'PrefetchingIter: every batch');
open my $libsvm, '>', "$dir/data.libsvm" or die $!;
print $libsvm "1 0:1.5 3:2\n0 1:1 2:3\n";
close $libsvm;
my $libsvm_iter = mx->io->LibSVMIter({data_libsvm => "$dir/data.libsvm", data_shape => [4], batch_size => 2});
my $sparse = <$libsvm_iter>;
is($sparse->data->[0]->stype, 'csr', 'LibSVMIter gives CSR rows');
near(vals($sparse->data->[0]), [1.5, 0, 0, 2, 0, 1, 3, 0], '... of the file\'s values');

# AI::MXNet::TestUtils' GetMNIST_ubyte: the files under ./data, copied from $AI_MXNET_TEST_DATA, never downloaded
{
    my $work = tempdir(CLEANUP => 1);
    require Cwd;
    my $cwd = Cwd::getcwd();
    chdir $work or die $!;
    require AI::MXNet::TestUtils;
    local $ENV{AI_MXNET_TEST_DATA};
    delete $ENV{AI_MXNET_TEST_DATA};
    ok(!eval { AI::MXNet::TestUtils::GetMNIST_ubyte(); 1 }, 'GetMNIST_ubyte without the files dies');
    like("$@", qr/^GetMNIST_ubyte: no file train-images-idx3-ubyte in \S+data; MNIST is read from there and never downloaded/,
         '... naming the file and where');
    $ENV{AI_MXNET_TEST_DATA} = $dir;
    ok(eval { AI::MXNet::TestUtils::GetMNIST_ubyte(); 1 }, 'with $AI_MXNET_TEST_DATA it copies them') or diag $@;
    ok(-s 'data/t10k-labels-idx1-ubyte' == 8 + 10, '... into ./data');
    chdir $cwd;
}

done_testing();

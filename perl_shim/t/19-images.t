#!/usr/bin/env perl
# Images and image datasets from local files (scripts/make_image_data.py writes them; nothing is downloaded):
# mx->img (imdecode, imread, imresize, augmenters, ImageIter with AI::MXNet's kwargs), Gluon's ImageFolderDataset,
# ImageRecordDataset, CIFAR10 and CIFAR100; files and bytes that are no images die with one line.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use Cwd qw(abs_path);
use PDL;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $root = abs_path("$FindBin::Bin/../..");
my $python = "$root/.venv/bin/python";
plan skip_all => 'no .venv python' unless -x $python;
my $dir = tempdir(CLEANUP => 1);
system($python, "$root/scripts/make_image_data.py", $dir, '--quiet') == 0 or die "make_image_data.py failed";
sub slurp { my ($file) = @_; open my $fh, '<:raw', $file or die "$file: $!"; local $/; <$fh> }
sub spew  { my ($file, $bytes) = @_; open my $fh, '>:raw', $file or die "$file: $!"; print $fh $bytes; close $fh }

# --- mx->img
{
    my $bytes = slurp("$dir/images/cat/0.jpg");
    my $image = mx->img->imdecode($bytes);
    is($image->dtype, 'uint8', 'imdecode of a Perl string: uint8');
    is($image->shape->[2], 3, '... height x width x 3');
    my $gray = mx->img->imdecode($bytes, flag => 0);
    is($gray->shape->[2], 1, '... flag => 0: one channel');
    my $read = mx->img->imread("$dir/images/cat/0.jpg");
    ok(($read->aspdl == $image->aspdl)->all, 'imread reads the same image');
    my $bgr = mx->img->imdecode($bytes, to_rgb => 0);
    ok(($bgr->aspdl->slice('(0)') == $image->aspdl->slice('(2)'))->all, 'to_rgb => 0: blue, green, red');
    is_deeply(mx->img->imresize($image, 10, 7)->shape, [7, 10, 3], 'imresize($src, $w, $h)');
    my $resized = mx->img->ResizeAug(16)->($image);
    is(ref $resized, 'ARRAY', 'an augmenter gives [image], as AI::MXNet\'s did');
    is(List::Util::min(@{ $resized->[0]->shape }[0, 1]), 16, '... resized, short side 16');
    my $augmenters = mx->img->CreateAugmenter(data_shape => [3, 20, 20], rand_crop => 1, rand_mirror => 1);
    is(scalar(@$augmenters), 3, 'CreateAugmenter: crop, mirror, cast');
    dies_one_line(sub { mx->img->imdecode('this is no image') }, qr/Decoding failed/, 'bytes that are no image die');
    dies_one_line(sub { mx->img->imread("$dir/none.jpg") }, qr/none\.jpg/, 'a missing file dies naming it');
    dies_one_line(sub { mx->img->imresize($image, 0, 5) }, qr/Parameter w should be greater/, 'a zero width dies');
    is_deeply(mx->img->imdecode($bytes)->shape, $image->shape, 'and the process goes on');
}

# --- ImageIter, AI::MXNet's arguments
{
    my $iter = mx->img->ImageIter(batch_size => 4, data_shape => [3, 24, 24], path_imgrec => "$dir/images.rec",
                                  path_imgidx => "$dir/images.idx", kwargs => {rand_crop => 1, rand_mirror => 1});
    isa_ok($iter, 'AI::MXNet::ImageIter');
    my $batch = $iter->next;
    is_deeply($batch->data->[0]->shape, [4, 3, 24, 24], 'ImageIter with kwargs => {rand_crop => 1, ...}: batches');
    is_deeply(vals($batch->label->[0]), [0, 0, 0, 0], '... labels from the record headers');
    my $own = mx->img->ImageIter(batch_size => 2, data_shape => [3, 8, 8], path_imgrec => "$dir/images.rec",
                                 aug_list => [sub { [mx->img->imresize($_[0], 8, 8)] }]);
    is_deeply($own->next->data->[0]->shape, [2, 3, 8, 8], 'an aug_list of Perl subs returning [image]');
}

# --- Gluon's image datasets
{
    my $folder = gluon->data->vision->ImageFolderDataset("$dir/images");
    is_deeply($folder->synsets, [qw(bird cat dog)], 'ImageFolderDataset: the classes');
    is(scalar(@{ $folder->items }), 12, '... every image');
    my ($image, $label) = @{ $folder->[5] };
    is($label, 1, '... an image and its class');
    my $records = gluon->data->vision->ImageRecordDataset("$dir/images.rec");
    is($records->len, 12, 'ImageRecordDataset: every record');
    my @labels = map { $_->[1] } @$records;
    is_deeply(\@labels, [(0) x 4, (1) x 4, (2) x 4], '... with the labels in the headers');
    my $loader = gluon->data->DataLoader($records, 4);
    is_deeply((<$loader>)->[1]->shape, [4], 'a DataLoader of it gives batches of labels');

    my $cifar = gluon->data->vision->CIFAR10(root => "$dir/cifar10", train => 0);
    is($cifar->len, 50, 'CIFAR10 from local files: the test batch');
    is(gluon->data->vision->CIFAR10(root => "$dir/cifar10")->len, 100, '... the five training batches');
    my ($pixels, $class) = @{ $cifar->[0] };
    is_deeply($pixels->shape, [32, 32, 3], '... 32x32x3 images');
    my $raw = slurp("$dir/cifar10/test_batch.bin");
    is($class, ord(substr($raw, 0, 1)), '... the label byte');
    is($pixels->aspdl->at(1, 0, 0), ord(substr($raw, 1 + 1024, 1)), '... the planes as channels (green of pixel 0)');
    my $fine = gluon->data->vision->CIFAR100(root => "$dir/cifar100", fine_label => 1, train => 0);
    is($fine->[0][1], ord(substr(slurp("$dir/cifar100/test.bin"), 1, 1)), 'CIFAR100: the fine label');
    dies_one_line(sub { gluon->data->vision->CIFAR10(root => "$dir/nowhere") }, qr/no file data_batch_1\.bin/,
                  'missing CIFAR files die naming them (nothing is downloaded)');
    mkdir "$dir/broken";
    spew("$dir/broken/test_batch.bin", 'x' x 3000);
    dies_one_line(sub { gluon->data->vision->CIFAR10(root => "$dir/broken", train => 0) }, qr/not a CIFAR batch file/,
                  'a file of the wrong size dies');
}

done_testing;

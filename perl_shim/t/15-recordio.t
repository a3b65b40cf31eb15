#!/usr/bin/env perl
# mx->recordio: RecordIO files (sequential and indexed), image records (pack, unpack, pack_img, unpack_img),
# files passed byte for byte to and from plain Python mxnet, and damaged files and bad input (one line each).
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use Cwd qw(abs_path);
use PDL;
use AI::MXNet qw(mx);
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $dir = tempdir(CLEANUP => 1);
sub slurp { my ($file) = @_; open my $fh, '<:raw', $file or die "$file: $!"; local $/; <$fh> }
sub spew  { my ($file, $bytes) = @_; open my $fh, '>:raw', $file or die "$file: $!"; print $fh $bytes; close $fh }

# Records of every byte value, the empty record, and a long one.
my @records = ((map { chr } 0 .. 255), '', join('', map { chr($_ % 256) } 1 .. 70_000));

# --- sequential files
{
    my $file = "$dir/seq.rec";
    my $writer = mx->recordio->MXRecordIO($file, 'w');
    isa_ok($writer, 'AI::MXNet::RecordIO');
    $writer->write($_) for @records;
    undef $writer;    # closes the file, as AI::MXNet's DEMOLISH did
    my $reader = mx->recordio->MXRecordIO($file, 'r');
    my @back;
    while (defined(my $record = $reader->read)) { push @back, $record }
    is(scalar(@back), scalar(@records), 'every record is read back, then undef');
    ok(!grep({ $back[$_] ne $records[$_] } 0 .. $#records), '... each the same bytes');
    $reader->reset;
    is($reader->read, chr(0), 'reset starts again at the first record');
    dies_one_line(sub { $reader->write('x') }, qr/opened for reading/, 'writing to a reader dies');
}

# --- indexed files: keys, random access, keys given as strings
{
    my ($idx, $rec) = ("$dir/i.idx", "$dir/i.rec");
    my $writer = mx->recordio->MXIndexedRecordIO($idx, $rec, 'w');
    isa_ok($writer, 'AI::MXNet::IndexedRecordIO');
    $writer->write_idx($_, "record $_") for 0 .. 9;
    undef $writer;
    my $reader = mx->recordio->MXIndexedRecordIO($idx, $rec, 'r');
    is_deeply([sort { $a <=> $b } @{ $reader->keys }], [0 .. 9], 'keys lists every key');
    is($reader->read_idx(7), 'record 7', 'read_idx reads a record by key');
    is($reader->read_idx('3'), 'record 3', '... also a key given as a string');
    is($reader->read, 'record 4', 'read goes on from there');
    dies_one_line(sub { $reader->read_idx(42) }, qr/no record with key 42/, 'an unknown key dies');
    is(slurp($idx), join('', map { "$_\t" . 16 * $_ . "\n" } 0 .. 9), 'the index file: key, tab, position');
}

# --- pack and unpack: a number label, a label array (array ref or PDL), AI::MXNet::IRHeader
{
    my $s = mx->recordio->pack([0, 3.5, 17, 4], 'payload');
    is(length($s), 24 + 7, 'a header is 24 bytes');
    is_deeply([unpack('IfQQ', $s)], [0, 3.5, 17, 4], '... laid out as mxnet lays it out (IfQQ)');
    my ($header, $bytes) = mx->recordio->unpack($s);
    isa_ok($header, 'AI::MXNet::IRHeader');
    is_deeply([@$header], [0, 3.5, 17, 4], '@$header is [flag, label, id, id2]');
    is($bytes, 'payload', '... and the bytes after it come back');
    ($header, $bytes) = mx->recordio->unpack(mx->recordio->pack([0, [1, 2.5, -3], 1, 0], "\x00\xff"));
    is($header->flag, 3, 'a label array: flag is its length');
    isa_ok($header->label, 'PDL', '... the label');
    is_deeply([$header->label->list], [1, 2.5, -3], '... with the values');
    is($bytes, "\x00\xff", '... and the bytes after the labels');
    my $pdl = pdl(float, [0.25, 7]);
    ($header) = mx->recordio->unpack(mx->recordio->pack(AI::MXNet::IRHeader->new(0, $pdl, 5, 0), ''));
    ok(($header->label == $pdl)->all, 'an IRHeader made in Perl, with a PDL label');
    dies_one_line(sub { mx->recordio->unpack('short') }, qr/shorter than its 24-byte header/, 'a short record dies');
    dies_one_line(sub { mx->recordio->unpack(pack('IfQQ', 5, 0, 0, 0) . 'abc') }, qr/says 5 labels/,
                  'a record with fewer labels than its header says dies');
    dies_one_line(sub { mx->recordio->pack([0, 1, -1, 0], '') }, qr/id and id2/, 'a negative id dies');
}

# --- pack_img and unpack_img: images as PDLs (dims channels, width, height), PNG exactly, JPEG nearly
{
    my $image = (sequence(byte, 3, 5, 4) * 3)->byte;
    my ($header, $back) = mx->recordio->unpack_img(mx->recordio->pack_img([0, 2, 9, 0], $image, img_fmt => '.png'));
    is($header->label, 2, 'pack_img keeps the header');
    is(ref $back, 'PDL', 'unpack_img gives a PDL');
    is_deeply([$back->dims], [3, 5, 4], '... of the same dims');
    ok(($back == $image)->all, '... and, through PNG, the same pixels');
    my $flat = (sequence(byte, 3, 8, 8) * 0 + pdl(byte, 40, 120, 200))->byte;
    (undef, $back) = mx->recordio->unpack_img(mx->recordio->pack_img([0, 0, 0, 0], $flat, quality => 100));
    ok(abs($back->float - $flat)->max <= 3, 'through JPEG, nearly the same pixels (channels kept in order)');
    (undef, $back) = mx->recordio->unpack_img(mx->recordio->pack_img([0, 0, 0, 0], sequence(byte, 6, 2), img_fmt => '.png'));
    is_deeply([$back->dims], [6, 2], 'a gray image comes back gray (iscolor -1: as stored)');
    dies_one_line(sub { mx->recordio->unpack_img(mx->recordio->pack([0, 0, 0, 0], 'not an image')) },
                  qr/Decoding failed|Invalid image/, 'a record that holds no image dies');
    dies_one_line(sub { mx->recordio->pack_img([0, 0, 0, 0], $image, img_fmt => '.gif') }, qr/img_fmt/,
                  'an unknown image format dies');
}

# --- damaged files: one line each, and the process goes on
{
    my $good = "$dir/good.rec";
    my $writer = mx->recordio->MXRecordIO($good, 'w');
    $writer->write("record $_" x 5) for 1 .. 4;
    undef $writer;
    my $bytes = slurp($good);
    spew("$dir/truncated.rec", substr($bytes, 0, length($bytes) - 5));
    spew("$dir/garbage.rec", join('', map { chr(($_ * 97 + 13) % 256) } 1 .. 300));
    my $badlen = $bytes;
    substr($badlen, 4, 4) = pack('V', 0x0fffffff);
    spew("$dir/badlen.rec", $badlen);
    for my $case (['truncated', qr/cut short/, 3], ['garbage', qr/magic number/, 0], ['badlen', qr/cut short/, 0]) {
        my ($name, $like, $readable) = @$case;
        my $reader = mx->recordio->MXRecordIO("$dir/$name.rec", 'r');
        my $count = 0;
        dies_one_line(sub { $count++ while defined $reader->read }, qr/$name\.rec is not a valid RecordIO file: .*$like/,
                      "a $name file dies naming the file and the damage");
        is($count, $readable, "... after the records before the damage");
    }
    dies_one_line(sub { mx->recordio->MXRecordIO("$dir/none/x.rec", 'r') }, qr/cannot open .*x\.rec for reading/,
                  'a missing file dies');
    dies_one_line(sub { mx->recordio->MXRecordIO($good, 'a') }, qr/flag is 'r'/, 'an unknown flag dies');
    spew("$dir/bad.idx", "0\t0\nthree\t12\n");
    dies_one_line(sub { mx->recordio->MXIndexedRecordIO("$dir/bad.idx", $good, 'r') }, qr/bad\.idx line 2/,
                  'a bad index line dies, naming the line');
    spew("$dir/far.idx", "0\t0\n1\t999999\n");
    dies_one_line(sub { mx->recordio->MXIndexedRecordIO("$dir/far.idx", $good, 'r') }, qr/far\.idx line 2 .*inside/,
                  'an index position past the end of the record file dies');
    spew("$dir/inside.idx", "0\t0\n1\t3\n");
    my $inside = mx->recordio->MXIndexedRecordIO("$dir/inside.idx", $good, 'r');
    dies_one_line(sub { $inside->read_idx(1) }, qr/not a valid RecordIO file/, 'a position inside a record dies');
    is($inside->read_idx(0), 'record 1' x 5, 'the reader still reads by key after that');
    $inside->read for 1 .. 4;
    is($inside->read_idx(0), 'record 1' x 5, '... and after reaching the end of the file');
    is(mx->recordio->MXRecordIO($good, 'r')->read, 'record 1' x 5, 'and the process goes on');
}

# --- files pass to and from plain Python mxnet, byte for byte
SKIP: {
    my $python = abs_path("$FindBin::Bin/../..") . '/.venv/bin/python';
    skip 'no .venv python', 4 unless -x $python;
    my @data = map { my $n = $_; join('', map { chr(($_ * 31 + $n) % 256) } 0 .. 50 * $n) } 0 .. 20;
    my $perl_file = "$dir/from_perl.rec";
    my $writer = mx->recordio->MXRecordIO($perl_file, 'w');
    $writer->write($_) for @data;
    $writer->write(mx->recordio->pack([0, [1.5, 2], 7, 8], 'with labels'));
    undef $writer;
    my $python_file = "$dir/from_python.rec";
    my $code = <<"PY";
import mxnet as mx
r = mx.recordio.MXRecordIO('$perl_file', 'r')
records = []
while True:
    x = r.read()
    if x is None:
        break
    records.append(x)
h, s = mx.recordio.unpack(records[-1])
print(len(records), [len(x) for x in records[:3]], list(h.label), h.id, h.id2, s.decode())
w = mx.recordio.MXRecordIO('$python_file', 'w')
for x in records[:-1]:
    w.write(x)
w.write(mx.recordio.pack(mx.recordio.IRHeader(0, [1.5, 2], 7, 8), b'with labels'))
w.close()
PY
    spew("$dir/check.py", $code);
    my $out = `"$python" "$dir/check.py" 2>&1`;
    is($out, "22 [1, 51, 101] [1.5, 2.0] 7 8 with labels\n", 'plain Python mxnet reads a record file written from Perl');
    is(slurp($python_file), slurp($perl_file), 'the same records written from Python are the same bytes');
    my $reader = mx->recordio->MXRecordIO($python_file, 'r');
    my @back = map { $reader->read } 0 .. 20;
    ok(!grep({ $back[$_] ne $data[$_] } 0 .. 20), 'Perl reads the file Python wrote, record for record');
    my ($header) = mx->recordio->unpack($reader->read);
    is_deeply([$header->label->list], [1.5, 2], '... its image record too');
}

done_testing;

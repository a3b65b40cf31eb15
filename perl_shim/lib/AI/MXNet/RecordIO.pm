package AI::MXNet::RecordIO;

# mx->recordio: RecordIO files and image records (bridge/api/recordio.py). Everything is the bridge's; here
# only what Perl needs of its own: a record read in one bridge call (the hot loop of a data reader), and
# labels and images handed to Perl as PDLs, as AI::MXNet gave them.

use strict;
use warnings;
use Scalar::Util qw(blessed);
use AI::MXNet::Bridge;
use AI::MXNet::Bridge::Object;
our @ISA = ('AI::MXNet::Bridge::Object');    # every other name: the bridge's (mx->recordio->pack, ->write, ...)

sub _pdl { blessed($_[0]) && $_[0]->isa('AI::MXNet::NDArray') ? $_[0]->aspdl : $_[0] }

# $reader->read: the next record, undef at the end (the bridge's sub itself: no Perl call in between)
*read = \&AI::MXNet::Bridge::read_record;

# mx->recordio->unpack($s): ($header, $bytes); unpack_img($s): ($header, the image as a PDL: dims channels,
# width, height)
sub unpack { my $class = shift; @{ AI::MXNet::Bridge::call('mx.recordio.unpack', @_) } }

sub unpack_img {
    my $class = shift;
    my ($header, $image) = @{ AI::MXNet::Bridge::call('mx.recordio.unpack_img', @_) };
    return ($header, _pdl($image));
}

package AI::MXNet::IndexedRecordIO;
our @ISA = ('AI::MXNet::RecordIO');

package AI::MXNet::IRHeader;
our @ISA = ('AI::MXNet::Bridge::Object');

# $header->label: a number, or a PDL of the labels (float); with an argument, sets it
sub label {
    my $self = shift;
    return AI::MXNet::RecordIO::_pdl(AI::MXNet::Bridge::call_object($self, 'label', @_));
}

use overload '@{}' => sub { my $self = shift; [map { $self->$_ } qw(flag label id id2)] }, fallback => 1;

1;

=head1 NAME

AI::MXNet::RecordIO - mxnet's RecordIO files and image records

=head1 SYNOPSIS

    my $writer = mx->recordio->MXRecordIO('data.rec', 'w');
    $writer->write($bytes) for @records;
    undef $writer;                                   # closes the file
    my $reader = mx->recordio->MXRecordIO('data.rec', 'r');
    while (defined(my $record = $reader->read)) { ... }

    my $indexed = mx->recordio->MXIndexedRecordIO('data.idx', 'data.rec', 'r');
    my $third = $indexed->read_idx(3);               # keys: @{ $indexed->keys }

    my $s = mx->recordio->pack([0, $label_pdl, $id, 0], $image_bytes);
    my ($header, $bytes) = mx->recordio->unpack($s); # $header->label is a PDL (or a number)
    my ($h, $img) = mx->recordio->unpack_img(mx->recordio->pack_img([0, 3, 1, 0], $pdl_image));

=head1 DESCRIPTION

C<MXRecordIO($uri, $flag)> opens a RecordIO file for reading (C<'r'>) or writing (C<'w'>): C<write($bytes)>,
C<read> (undef at the end), C<reset>, C<close>; the file is closed when the object goes.
C<MXIndexedRecordIO($idx_path, $uri, $flag)> adds an index file: C<write_idx($key, $bytes)>,
C<read_idx($key)>, C<keys>, C<seek>, C<tell>. The files are libmxnet's own: Python mxnet reads what Perl writes
and the reverse. A damaged or truncated file, or a bad index line, dies with one line naming the file.

C<pack($header, $bytes)> makes an image record: C<$header> is C<[flag, label, id, id2]> or an
AI::MXNet::IRHeader (C<< AI::MXNet::IRHeader->new($flag, $label, $id, $id2) >>); a label that is an array ref,
a PDL or an NDArray is stored as float32 labels after the header. C<unpack($s)> returns the header (its
C<label> a number or a float PDL; C<@$header> is C<[flag, label, id, id2]>) and the bytes. C<pack_img($header,
$img, quality =E<gt> 95, img_fmt =E<gt> '.jpg')> encodes an image (a PDL or NDArray, height x width x
channels in OpenCV's blue-green-red order) as JPEG or PNG; C<unpack_img($s, iscolor =E<gt> -1)> decodes it into a
PDL. AI::MXNet had no pack_img and unpack_img; these follow Python mxnet's.

=head1 METHODS

=over

=item read

The next record as a byte string, undef at the end.

=item unpack($s)

(class method) The header and the bytes of a record made by C<pack>.

=item unpack_img($s, iscolor =E<gt> -1)

(class method) The header and the decoded image, a PDL.

=item label

(AI::MXNet::IRHeader) The label: a number, or a float PDL of the labels; with an argument, sets it.

=back

=cut

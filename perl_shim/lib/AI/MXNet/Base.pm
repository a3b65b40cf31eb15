package AI::MXNet::Base;

# AI::MXNet::Base as scripts and tests written for AI::MXNet use it: small list helpers, the dtype
# tables, and what AI::MXNet did to PDL when it loaded (PDL::at with one index on an N-d ndarray, PDL::len,
# PDL::dtype, large ndarrays printed in full). Plus one fix: PDL 2.081's sclr leaks 24 bytes per call
# (its XS sclr_c), so PDL::sclr reads the element with at() instead.

use strict;
use warnings;
use Carp qw(confess);
use List::Util qw(shuffle min);
use Scalar::Util qw(blessed);
use PDL::Lite ();
use AI::MXNet::Bridge;
use Exporter 'import';

our @EXPORT = qw(product enumerate assert zip pdl cat dog svd bisect_left pdl_shuffle as_array ascsr rand_sparse
                 DTYPE_STR_TO_MX DTYPE_MX_TO_STR DTYPE_MX_TO_PDL DTYPE_PDL_TO_MX DTYPE_MX_TO_PERL GRAD_REQ_MAP
                 STORAGE_TYPE_UNDEFINED STORAGE_TYPE_DEFAULT STORAGE_TYPE_ROW_SPARSE STORAGE_TYPE_CSR
                 STORAGE_TYPE_STR_TO_ID STORAGE_TYPE_ID_TO_STR STORAGE_AUX_TYPES);
our @EXPORT_OK = qw(pzeros pceil pones digitize hash array_index range);

# mxnet's dtype ids, and the PDL type of each (PDL's own type numbers, read from the installed PDL).
my (%MX_ID, %MX_PDL, %MX_PACK);
BEGIN {    # filled at compile time: the constants below are built from them
    %MX_ID = (float32 => 0, float64 => 1, float16 => 2, uint8 => 3, int32 => 4, int8 => 5, int64 => 6);
    # the mxnet -> PDL type rule lives once, in bridge/arrays/pdl.py
    %MX_PDL = %{ Inline::Python::py_eval('bridge.arrays.pdl.MX_TO_PDL', 0) };
    delete $MX_PDL{bool};    # not one of AI::MXNet's dtypes
    %MX_PACK = (float32 => 'f', float64 => 'd', float16 => 'S', uint8 => 'C', int32 => 'l', int8 => 'c',
                int64 => 'q');
}
sub _by_name_and_id { my %by_name = @_; return { %by_name, map { $MX_ID{$_} => $by_name{$_} } keys %by_name } }

use constant DTYPE_STR_TO_MX => { %MX_ID };
use constant DTYPE_MX_TO_STR => { reverse %MX_ID };
use constant DTYPE_MX_TO_PDL => _by_name_and_id(map { $_ => PDL::Type->new($MX_PDL{$_})->enum } keys %MX_PDL);
use constant DTYPE_PDL_TO_MX => { map { PDL::Type->new($MX_PDL{$_})->enum => $MX_ID{$_} }
                                  qw(float32 float64 uint8 int8 int32 int64) };
use constant DTYPE_MX_TO_PERL => _by_name_and_id(%MX_PACK);
use constant GRAD_REQ_MAP => { null => 0, write => 1, add => 3 };
use constant { STORAGE_TYPE_UNDEFINED => -1, STORAGE_TYPE_DEFAULT => 0, STORAGE_TYPE_ROW_SPARSE => 1,
               STORAGE_TYPE_CSR => 2 };
use constant STORAGE_TYPE_STR_TO_ID => { undefined => -1, default => 0, row_sparse => 1, csr => 2 };
use constant STORAGE_TYPE_ID_TO_STR => { reverse %{ STORAGE_TYPE_STR_TO_ID() } };
use constant STORAGE_AUX_TYPES => { row_sparse => ['int64'], csr => ['int64', 'int64'] };

# Python's zip over array refs: a list of array refs, as long as the shortest input. With a code ref
# first, calls it with each tuple instead.
sub zip {
    my $code = ref $_[0] eq 'CODE' ? shift : undef;
    my @arrays = map { [@$_] } @_;
    my $n = @arrays ? min(map { scalar @$_ } @arrays) : 0;
    my @tuples = map { my $i = $_; [map { $_->[$i] } @arrays] } 0 .. $n - 1;
    return @tuples unless $code;
    $code->(@$_) for @tuples;
    return;
}

# zip with the index first: enumerate(\@a) gives [0, $a[0]], [1, $a[1]], ...
sub enumerate {
    my $code = ref $_[0] eq 'CODE' ? shift : undef;
    return zip(grep { defined } $code, [0 .. $#{ $_[0] }], @_);
}

sub product { my $p = 1; $p *= $_ for @_; return $p }

sub assert { my ($ok, $message) = @_; confess($message // 'AssertionError') unless $ok; return 1 }

# Python's bisect.bisect_left: the first index at which $x could be inserted keeping @$a sorted.
sub bisect_left {
    my ($a, $x, $lo, $hi) = @_;
    $lo //= 0;
    $hi //= @$a;
    confess('lo must be non-negative') if $lo < 0;
    while ($lo < $hi) {
        my $mid = int(($lo + $hi) / 2);
        if ($a->[$mid] < $x) { $lo = $mid + 1 } else { $hi = $mid }
    }
    return $lo;
}

# The PDL with its last dimension shuffled (or put in the order given).
sub pdl_shuffle {
    my ($pdl, $order) = @_;
    my @order = $order ? @$order : shuffle(0 .. $pdl->dim(-1) - 1);
    return $pdl->dice_axis(-1, PDL::Core::pdl(\@order));
}

sub as_array { ref $_[0] eq 'ARRAY' ? $_[0] : [$_[0]] }

sub digitize {
    my ($d, $bins) = @_;
    for my $i (0 .. $#$bins) { return $i if $d < $bins->[$i] }
    return scalar @$bins;
}

sub hash { require B; hex(B::hash(shift)) }
sub array_index { my ($s, $array) = @_; return List::Util::first { $array->[$_] eq $s } 0 .. $#$array }
sub range { my ($begin, $end, $step) = @_; $step //= 1; grep { not(($_ - $begin) % $step) } $begin .. $end - 1 }

sub pdl  { PDL::Core::pdl(@_) }
sub cat  { PDL::Core::cat(@_) }
sub dog  { PDL::Core::dog(@_) }
sub svd  { require PDL::MatrixOps; PDL::MatrixOps::svd(@_) }
sub pzeros { PDL::Core::zeroes(@_) }
sub pones  { PDL::Core::ones(@_) }
sub pceil  { require PDL::Math; PDL::Math::ceil(@_) }

{
    no warnings 'redefine';
    my $at = PDL->can('at');
    *PDL::at = sub {
        my ($self, @args) = @_;
        return $at->($self, @args) if @args != 1 || $self->ndims <= 1;
        return $self->slice(('X') x ($self->ndims - 1), $args[0])->squeeze;
    };
    *PDL::len   = sub { shift->dim(-1) };
    # (undef for PDL types MXNet lacks: short, ushort, ulong, indx, ...)
    *PDL::dtype = sub { my $id = DTYPE_PDL_TO_MX->{ shift->type->enum }; defined $id ? DTYPE_MX_TO_STR->{$id} : undef };
    *PDL::sclr  = sub {
        my $self = shift;
        return $self unless ref $self;
        confess "multielement ndarray in 'sclr' call" if $self->nelem > 1;
        return $self->nelem ? $self->flat->at(0) : PDL::Core::sclr_c($self);
    };
}
$PDL::toolongtoprint = 1_000_000_000;

# Sparse matrices as PDL::CCS::Nd, as AI::MXNet used them (PDL::CCS is loaded when first needed: it takes a
# tenth of a second). A csr matrix of rows x columns is a PDL::CCS::Nd of dims (columns, rows), like the dense
# PDL of it, whose nonzeros are in csr order (by row, then column).

# The PDL::CCS::Nd of a csr matrix given by its parts (PDLs) and shape [rows, columns]
sub ascsr {
    my ($data, $indptr, $indices, $shape) = @_;
    require PDL::CCS::Nd;
    my @shape = blessed($shape) ? $shape->list : @$shape;
    my $rows = PDL::Core::long($indptr->slice('1:-1') - $indptr->slice('0:-2'))->rld(PDL::Basic::sequence(PDL::indx(), $shape[0]));
    my $which = PDL::Core::cat($rows, $indices->indx)->xchg(0, 1);
    return PDL::CCS::Nd->newFromWhich($which, $data, pdims => PDL::Core::pdl(PDL::indx(), \@shape))->xchg(0, 1);
}

# A random csr matrix (PDL::CCS::Nd) of rows x columns with about density of its entries nonzero, uniform in
# [0, 1); with $format other than 'csr', the dense PDL of it.
sub rand_sparse {
    my ($num_rows, $num_cols, $density, $dtype, $format) = @_;
    my $type = PDL::Type->new(DTYPE_MX_TO_PDL->{ $dtype // 'float32' });
    my $dense = PDL::Primitive::random($type, $num_cols, $num_rows);
    $dense->where(PDL::Primitive::random($num_cols, $num_rows) > $density) .= 0;
    return ($format // 'csr') eq 'csr' ? $dense->tocsr : $dense;
}

# A csr matrix's coordinates: data, row and col (PDLs), what Python's scipy coo_matrix holds
sub tocoo {
    my ($csr) = @_;
    my $which = $csr->_whichND;
    return AI::MXNet::COO::Nd->new(data => $csr->data, row => $which->slice(0)->flat, col => $which->slice(1)->flat);
}

{
    package AI::MXNet::COO::Nd;
    sub new { my ($class, %parts) = @_; bless {%parts}, $class }
    for my $part (qw(data row col)) { no strict 'refs'; *$part = sub { $_[0]{$part} } }
}

# What AI::MXNet added to PDL::CCS::Nd (a csr matrix's parts, as CSRNDArray names them) and to PDL
{
    no warnings 'once';
    *PDL::CCS::Nd::data    = sub { $_[0]->_nzvals };
    *PDL::CCS::Nd::indptr  = sub { ($_[0]->ptr(0))[0] };
    *PDL::CCS::Nd::indices = sub { $_[0]->_whichND->slice(1)->flat };
    *PDL::CCS::Nd::tocoo   = \&tocoo;
    *PDL::CCS::Nd::shape   = sub { $_[0]->pdims };
    *PDL::CCS::Nd::dtype   = sub { $_[0]->_nzvals->dtype };
    *PDL::tocsr            = sub { require PDL::CCS::Nd; $_[0]->xchg(0, 1)->toccs->xchg(0, 1) };
    *PDL::rand_sparse      = sub { shift; rand_sparse(@_) };
}

1;

=head1 NAME

AI::MXNet::Base - helpers and the PDL behaviour that AI::MXNet scripts expect

=head1 SYNOPSIS

    use AI::MXNet::Base;                 # zip, enumerate, product, assert, pdl, DTYPE_* ...
    for (zip([1, 2], ['a', 'b'])) { my ($n, $c) = @$_; ... }

=head1 DESCRIPTION

Loaded by C<use AI::MXNet>. Exports what AI::MXNet::Base exported (C<product enumerate assert zip pdl cat dog
svd bisect_left pdl_shuffle as_array>, the C<DTYPE_*> and C<STORAGE_TYPE_*> tables; on request
C<pzeros pceil pones digitize hash array_index range>). As AI::MXNet did, it changes PDL:
C<< $pdl->at($i) >> on an N-d PDL is the sub-ndarray at index C<$i> of the last dimension, C<< $pdl->len >> the
size of the last dimension, C<< $pdl->dtype >> the mxnet dtype name of its type, and PDLs of any size print
in full. C<PDL::sclr> is replaced by one that does not leak (PDL 2.081's leaks 24 bytes per call).

=head1 FUNCTIONS

=over

=item zip(\@a, \@b, ...), zip($code, \@a, \@b, ...)

Python's zip: array refs of the n-th elements, as many as the shortest input has; with a code ref first, it
is called with each tuple instead.

=item enumerate(\@a), enumerate($code, \@a)

zip with the index first: C<[0, $a[0]], [1, $a[1]], ...>.

=item product(@numbers)

Their product (1 for none).

=item assert($ok, $message)

Dies with C<$message> (and a stack trace) unless C<$ok>.

=item bisect_left(\@sorted, $x)

Python's bisect.bisect_left: the first index at which C<$x> could be inserted keeping C<@sorted> sorted.

=item pdl_shuffle($pdl, \@order)

The PDL with its last dimension shuffled (or put in the order given).

=item as_array($x)

C<$x> if it is an array ref, else C<[$x]>.

=item ascsr($data, $indptr, $indices, $shape)

The PDL::CCS::Nd of a csr matrix given by its parts and shape C<[rows, columns]>.

=item rand_sparse($rows, $columns, $density, $dtype, $format)

A random csr matrix (a PDL::CCS::Nd) with about C<$density> of its entries nonzero; with a C<$format> other than
C<csr>, the dense PDL of it.

=item tocoo($csr)

A csr matrix's coordinates: an object with C<data>, C<row> and C<col> PDLs.

=item pdl, cat, dog, svd, pzeros, pones, pceil

PDL's C<pdl>, C<cat>, C<dog>, C<svd>, C<zeroes>, C<ones> and C<ceil>, by AI::MXNet's names.

=item digitize($x, \@bins)

The index of the first bin that C<$x> is below (the number of bins if none).

=item hash($string)

Perl's own hash of the string, as a number.

=item array_index($string, \@array)

The index of the first element equal to C<$string> (undef if none).

=item range($begin, $end, $step)

Python's range: C<$begin> up to C<$end - 1> by C<$step> (1 by default).

=back

=cut

package AI::MXNet::NDArray::Sparse;

# nd->sparse and the classes of sparse arrays, as AI::MXNet had them: AI::MXNet::NDArray::CSR and
# AI::MXNet::NDArray::RowSparse, each an AI::MXNet::NDArray::Sparse, each an AI::MXNet::NDArray. The arrays are
# the bridge's (bridge/arrays/sparse.py: csr_matrix, row_sparse_array, array, and the checks of user data);
# here only what needs Perl: PDLs and PDL::CCS::Nd matrices as sources (a PDL keeps its own type, as
# AI::MXNet's sparse constructors kept it), and aspdlccs.

use strict;
use warnings;
use Scalar::Util qw(blessed);
use AI::MXNet::Bridge;
our @ISA = ('AI::MXNet::NDArray');

# A source as the bridge takes it: a PDL as an NDArray of its own type (AI::MXNet's dtype for it; int64 or
# float64 for PDL types MXNet lacks), a PDL::CCS::Nd as its [data, indices, indptr], array refs searched.
sub _source {
    my ($value) = @_;
    return [map { _source($_) } @$value] if ref $value eq 'ARRAY';
    return $value unless blessed $value;
    return [map { _source($value->$_) } qw(data indices indptr)] if $value->isa('PDL::CCS::Nd');
    return $value unless $value->isa('PDL');
    my $dtype = $value->dtype // ($value->type->integer ? 'int64' : 'float64');
    return AI::MXNet::NDArray->array($value, dtype => $dtype);
}

# ($source, @rest) made ready: a PDL::CCS::Nd brings its shape unless one is given
sub _arguments {
    my ($source, @rest) = @_;
    my %named = @rest % 2 ? () : @rest;
    push @rest, shape => [$source->shape->list]
        if blessed($source) && $source->isa('PDL::CCS::Nd') && !exists $named{shape};
    return (_source($source), @rest);
}

sub csr_matrix       { shift; AI::MXNet::Bridge::call('nd.sparse.csr_matrix', _arguments(@_)) }
sub row_sparse_array { shift; AI::MXNet::Bridge::call('nd.sparse.row_sparse_array', _arguments(@_)) }
sub zeros            { shift; AI::MXNet::Bridge::call('nd.sparse.zeros', @_) }
sub empty            { shift; AI::MXNet::Bridge::call('nd.sparse.empty', @_) }

# nd->sparse->array($sparse or $pdl_ccs, ctx => ..., dtype => ...): a sparse copy (a PDL::CCS::Nd: a csr array)
sub array {
    my ($class, $source, @rest) = @_;
    return $class->csr_matrix($source, @rest) if blessed($source) && $source->isa('PDL::CCS::Nd');
    return AI::MXNet::Bridge::call('nd.sparse.array', _source($source), @rest);
}

package AI::MXNet::NDArray::CSR;
our @ISA = ('AI::MXNet::NDArray::Sparse');

# The same matrix as a PDL::CCS::Nd (dims columns, rows, as a dense PDL of it would have)
sub aspdlccs {
    my ($self) = @_;
    return AI::MXNet::Base::ascsr($self->data->aspdl, $self->indptr->aspdl, $self->indices->aspdl, $self->shape);
}

package AI::MXNet::NDArray::RowSparse;
our @ISA = ('AI::MXNet::NDArray::Sparse');

1;

=head1 NAME

AI::MXNet::NDArray::Sparse - sparse arrays: nd->sparse, AI::MXNet::NDArray::CSR, AI::MXNet::NDArray::RowSparse

=head1 SYNOPSIS

    my $csr = nd->sparse->csr_matrix([$data, $indices, $indptr], shape => [3, 4]);
    my $coo = nd->sparse->csr_matrix([$data, [$row, $col]], shape => [3, 4]);
    my $rsp = nd->sparse->row_sparse_array([[[1, 2], [3, 4]], [1, 4]], shape => [6, 2]);
    my $dense = $csr->aspdl;        # a PDL; $csr->aspdlccs is a PDL::CCS::Nd
    $csr->check_format;             # dies saying what is wrong with the parts

=head1 DESCRIPTION

C<csr_matrix($source, shape =E<gt> ..., ctx =E<gt> ..., dtype =E<gt> ...)> takes C<[data, indices, indptr]>,
C<[data, [row, col]]>, a shape, C<undef> (with C<shape>), a csr array, a PDL::CCS::Nd or a dense source (NDArray,
PDL, nested array refs). C<row_sparse_array> takes C<[data, indices]>, a shape, C<undef>, a row_sparse array or a
dense source. The parts may be array refs, PDLs (their own type is kept) or NDArrays. C<array> copies a sparse
array or a PDL::CCS::Nd; C<zeros($stype, $shape)> and C<empty> make empty ones; every other name of Python's
C<mx.nd.sparse> is there too.

Parts that are no valid sparse array (an indptr that decreases or runs past the indices, indices outside the
shape) are checked before mxnet sees them: the array is made, as AI::MXNet made it, but C<check_format> dies with
what is wrong and any other use dies with the same line (mxnet itself would read and write outside its buffers).

An array's class is C<AI::MXNet::NDArray::CSR> or C<AI::MXNet::NDArray::RowSparse> by its storage type; they
have every NDArray method, and C<data>, C<indices>, C<indptr> (csr), C<check_format>, C<tostype>, C<aspdlccs>
(csr).

=head1 METHODS

=over

=item csr_matrix($source, %args)

A csr array from C<[data, indices, indptr]>, C<[data, [row, col]]>, a shape, a PDL::CCS::Nd or a dense source.

=item row_sparse_array($source, %args)

A row_sparse array from C<[data, indices]>, a shape or a dense source.

=item array($source, %args)

A sparse copy of a sparse array or of a PDL::CCS::Nd.

=item zeros($stype, $shape, %args), empty($stype, $shape, %args)

An empty sparse array of storage type C<csr> or C<row_sparse>.

=item aspdlccs

(csr arrays) The same matrix as a PDL::CCS::Nd.

=back

=cut

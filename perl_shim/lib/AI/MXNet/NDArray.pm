package AI::MXNet::NDArray;

# The Perl face of an NDArray. Each object IS the Python mirror object (bridge/arrays/ndarray.py), reblessed:
# its Inline::Python magic keeps the Python reference and drops it when the Perl object goes. Everything
# here is a table: operators -> Python operator methods, names -> bridge calls. Only the PDL transfer,
# which needs PDL's buffer, is written out.

use strict;
use warnings;
use Scalar::Util qw(blessed);
use AI::MXNet::Bridge;
use AI::MXNet::Context;
use AI::MXNet::Random;

# The tables are filled in BEGIN: `use overload` below reads them at compile time.
my (%BINARY, %INPLACE, @MATH);
BEGIN {
# Perl operator => [Python method, Python method when the NDArray is the right operand]
%BINARY = (
    '+'  => [qw(__add__ __radd__)],         '-'  => [qw(__sub__ __rsub__)],
    '*'  => [qw(__mul__ __rmul__)],         '/'  => [qw(__truediv__ __rtruediv__)],
    '%'  => [qw(__mod__ __rmod__)],         '**' => [qw(__pow__ __rpow__)],
    '==' => [qw(__eq__ __eq__)],            '!=' => [qw(__ne__ __ne__)],
    '>'  => [qw(__gt__ __lt__)],            '>=' => [qw(__ge__ __le__)],
    '<'  => [qw(__lt__ __gt__)],            '<=' => [qw(__le__ __ge__)],
);
# In-place forms change the array itself, as AI::MXNet's did ('=' below keeps them shared).
%INPLACE = ('+=' => '__iadd__', '-=' => '__isub__', '*=' => '__imul__', '/=' => '__itruediv__',
               '%=' => '__imod__');
# Perl built-ins applied to an NDArray => the NDArray method of the same meaning.
@MATH = qw(sqrt abs sin cos log exp);
}

use overload
    (map { $_ => AI::MXNet::Bridge::operator_sub(@{ $BINARY{$_} }) } keys %BINARY),
    (map { my $py = $INPLACE{$_};
           $_ => sub { AI::MXNet::Bridge::operator($py, $_[0], AI::MXNet::Bridge::number($_[1])); $_[0] } } keys %INPLACE),
    (map { my $name = $_; $name => sub { AI::MXNet::Bridge::call_method($_[0], $name) } } @MATH),
    'atan2' => sub { AI::MXNet::Bridge::call_method($_[0], 'atan2', AI::MXNet::Bridge::number($_[1]), $_[2] ? 1 : 0) },
    '@{}'  => sub { AI::MXNet::Bridge::call_method($_[0], 'split_array') },
    'neg'  => sub { AI::MXNet::Bridge::operator('__neg__', $_[0]) },
    'bool' => sub { AI::MXNet::Bridge::operator('__bool__', $_[0]) ? 1 : '' },
    '""'   => sub { $_[0]->stringify },
    '.='   => sub { $_[0]->set($_[1]) },
    '='    => sub { $_[0] };

# Methods and class methods that go straight to the bridge; any other name (every mxnet operator)
# is forwarded on first use by the AUTOLOAD that install_namespace sets up.
AI::MXNet::Bridge::install_namespace(__PACKAGE__, 'nd', qw(
    asscalar shape size ndim dtype attach_grad grad backward detach copy sum slice at reshape T exp
    wait_to_read stringify len zeros ones full empty));

# The sub-namespaces (nd->linalg, nd->contrib, nd->image, nd->sparse, nd->random) come from the bridge's table
# (AI::MXNet::Bridge::Namespaces); nd->sparse and the classes of sparse arrays have a module of their own.
use AI::MXNet::NDArray::Sparse;
use AI::MXNet::Bridge::Namespaces;

# AI::MXNet::NDArray::Base, where AI::MXNet generated the operators: AI::MXNet::NDArray::Base->relu($x) is nd->relu($x)
@AI::MXNet::NDArray::Base::ISA = (__PACKAGE__);
$INC{'AI/MXNet/NDArray/Base.pm'} //= __FILE__;

=head1 NAME

AI::MXNet::NDArray - an MXNet array, held by the Python mxnet engine

=head1 SYNOPSIS

    my $x = nd->array([[1, 2], [3, 4]]);      # also from a PDL or another NDArray
    my $y = $x * 2 + 1;                       # + - * / % ** with numbers on either side
    print $y->aspdl;                          # a real PDL, dims reversed (3x2 array -> PDL dims 2,3)
    $x->slice(0) .= 7;                        # AI::MXNet slicing, assignment through the view

=head1 DESCRIPTION

An n-dimensional array of mxnet, held by Python: the Perl object is a small proxy, freed with it. The
arithmetic and comparison operators are overloaded as in AI::MXNet, C<aspdl> and C<array> move data to and from
PDL in one copy, and every operator of mxnet's registry is a method and a class method.

=head1 METHODS

=head2 array($source, ctx => $ctx, dtype => 'float32')

A new NDArray from nested array refs, a PDL (dims reversed, data copied once; any real PDL type, converted to
the dtype), a PDL::Matrix (the matrix it shows), or an NDArray (the copy is recorded by autograd, so gradients
flow through it). The default dtype is float32, as in AI::MXNet.

=head2 aspdl

A copy of the data as a PDL of the matching type (float32 -> float, float64 -> double, float16 -> float,
uint8 -> byte, int8 -> sbyte, int32 -> long, int64 -> longlong), moved in one copy.

=head2 set($value) and the C<.=> operator

Assign a number, an NDArray, nested array refs, a PDL or a PDL::Matrix into the array or slice.

=head2 context

The array's device as an AI::MXNet::Context.

=head2 asmpdl

A copy as a PDL::Matrix showing the same matrix: dims (rows, columns, ...), C<< $m->at($row, $col) >>.

=head2 @{$x}

The sub-arrays along axis 0 (copies; a 1-D array gives shape [1] pieces), through mxnet's C<split>:
C<< for my $row (@$x) {...} >>, C<< $x->[0] >>.

=head2 Storable

C<freeze>, C<thaw>, C<dclone>, C<nstore> and C<retrieve> work on NDArrays and on structures holding them; the
bytes are mxnet's own format for one array.

=head2 Creating and saving

C<empty zeros ones full($shape, $value)> with C<< ctx => >>, C<< dtype => >>, C<< out => >>;
C<< arange(start => 0, stop => $n, step => 1, repeat => 1) >>; C<zeros_like ones_like>;
C<concatenate([$x, $y], axis => 0)>; C<stack($x, $y, axis => 0)>; C<save($file, [@arrays])> or
C<save($file, {name => $array})>, C<load($file)> and C<load_frombuffer($bytes)> in mxnet's file format (files
pass to and from Python mxnet); C<waitall>.

=head2 random, linalg, contrib, image, sparse

C<< nd->random >>, C<< nd->linalg >>, C<< nd->contrib >>, C<< nd->image >>, C<< nd->sparse >>: every mxnet
function there, called AI::MXNet's way (see L<AI::MXNet::Bridge::Namespaces>).

=head2 Other methods

C<asscalar shape size ndim dtype context len attach_grad grad backward detach copy sever copyto astype
as_in_context broadcast_to moveaxis tostype stype sum slice at reshape T exp wait_to_read>, and every mxnet
operator as a method (C<< $x->relu >>) or a class method (C<< nd->relu($x) >>). C<reshape([...])> takes
mxnet's special values 0, -1, -2, -3, -4 and C<< reverse => 1 >>. C<T> is the transpose of a 1-D or 2-D
array (a copy). C<atan2($x, $y)> is elementwise and quadrant-correct. Slicing follows AI::MXNet:
C<slice(0)> is row 0 as a view of shape (1, ...), C<slice([1, 2])> rows 1 to 2 (end inclusive), C<'X'> a
whole axis, one slice per dimension a crop, array refs or NDArrays of indices gather elements.

=cut

sub array :lvalue {
    my ($class, $source, @rest) = @_;
    my $array;
    if (blessed($source) && $source->isa('PDL')) {
        # A PDL::Matrix holds its matrix with the first two dims swapped (it prints and indexes it by row,
        # then column): read the plain PDL that prints the same.
        $source = bless $source->transpose->sever, 'PDL' if $source->isa('PDL::Matrix') && $source->ndims > 1;
        my $data = $source->get_dataref;
        $array = AI::MXNet::Bridge::python('array_from_pdl', _address($data), length($$data),
                                           '' . $source->type, [$source->dims], @rest);
    }
    elsif (blessed($source) && $source->isa('PDL::CCS::Nd')) {
        $array = AI::MXNet::NDArray::Sparse->array($source, @rest);    # a csr array, as AI::MXNet made it
    }
    else {
        $array = AI::MXNet::Bridge::call('nd.array', $source, @rest);
    }
    $array;
}

# AI::MXNet::Bridge::PDLData::allocate when that C helper loads (a buffer without PDL's zero fill), else 0.
our $ALLOCATE;    # (a test sets it to 0: the fallback)
sub _allocator {
    $ALLOCATE //= eval { require AI::MXNet::Bridge::PDLData; \&AI::MXNet::Bridge::PDLData::allocate } || 0;
}

sub aspdl :lvalue {
    my ($self) = @_;
    my ($type, $dims, $bytes) = @{ AI::MXNet::Bridge::python('pdl_spec', $self) };
    require PDL::Lite;
    my $pdl = PDL->new_from_specification(PDL::Type->new($type), @$dims);
    # allocate now (get_dataref on an unallocated PDL costs a second pass); unzeroed when it is all overwritten
    (!defined $bytes && ($ALLOCATE // _allocator()) && $ALLOCATE->($pdl)) or $pdl->make_physical;
    my $data = $pdl->get_dataref;
    if (defined $bytes) { $$data = $bytes }    # a small array's data came with its spec
    else { AI::MXNet::Bridge::python('copy_to_pdl', $self, _address($data), length($$data)) }
    $pdl->upd_data;
    $pdl;
}

# A PDL::Matrix of the same matrix (rows, then columns): aspdl with the first two dims swapped.
sub asmpdl :lvalue {
    my ($self) = @_;
    require PDL::Matrix;
    my $pdl = $self->aspdl;
    $pdl = $pdl->transpose->sever if $pdl->ndims > 1;
    bless $pdl, 'PDL::Matrix';
    $pdl;
}

# Storable: the bytes of mxnet's own format; thawing makes a fresh array (STORABLE_attach), since a thawed
# proxy would have lost its link to Python.
sub STORABLE_freeze { AI::MXNet::Bridge::call_method($_[0], 'freeze') }
sub STORABLE_attach { AI::MXNet::Bridge::python('thaw', $_[2]) }

sub set {
    my ($self, $value) = @_;
    $value = __PACKAGE__->array($value, dtype => $self->dtype) if blessed($value) && $value->isa('PDL');
    # (`.=` is Perl's string operator: `$x .= 2` hands over the string '2')
    $value = AI::MXNet::Bridge::number($value);
    return AI::MXNet::Bridge::call_method($self, 'set', $value);
}

sub context {
    my ($self) = @_;
    return AI::MXNet::Bridge::call_method($self, 'context');
}

# A PDL given to a Python function other than nd->array ($paramdict->get_constant('c', $pdl)) is read as
# nd->array reads it (bridge/perl/args.py calls this).
sub PDL::_ai_mxnet_ndarray { AI::MXNet::NDArray->array($_[0]) }

# The address of a Perl string's buffer, for a single memmove on the Python side.
sub _address { unpack('J', pack('p', ${ $_[0] })) }

1;

package AI::MXNet::NDArray;

# The Perl face of an NDArray. Each object IS the Python mirror object (bridge/ndarray.py), reblessed:
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
    (map { my ($fwd, $rev) = @{ $BINARY{$_} };
           $_ => sub { AI::MXNet::Bridge::operator($_[2] ? $rev : $fwd, $_[0], $_[1]) } } keys %BINARY),
    (map { my $py = $INPLACE{$_};
           $_ => sub { AI::MXNet::Bridge::operator($py, $_[0], $_[1]); $_[0] } } keys %INPLACE),
    (map { my $name = $_; $name => sub { AI::MXNet::Bridge::call_method($_[0], $name) } } @MATH),
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

sub random { 'AI::MXNet::Random' }

=head1 NAME

AI::MXNet::NDArray - an MXNet array, held by the Python mxnet engine

=head1 SYNOPSIS

    my $x = nd->array([[1, 2], [3, 4]]);      # also from a PDL or another NDArray
    my $y = $x * 2 + 1;                       # + - * / % ** with numbers on either side
    print $y->aspdl;                          # a real PDL, dims reversed (3x2 array -> PDL dims 2,3)
    $x->slice(0) .= 7;                        # AI::MXNet slicing, assignment through the view

=head1 METHODS

=head2 array($source, ctx => $ctx, dtype => 'float32')

A new NDArray from nested array refs, a PDL (dims reversed, data copied once), or an NDArray (the copy
is recorded by autograd, so gradients flow through it). The default dtype is float32, as in AI::MXNet.

=head2 aspdl

A copy of the data as a PDL of the matching type (float32 -> float, float64 -> double, float16 -> float,
uint8 -> byte, int8 -> sbyte, int32 -> long, int64 -> longlong), moved in one copy.

=head2 set($value) and the C<.=> operator

Assign a number, an NDArray, nested array refs or a PDL into the array or slice.

=head2 context

The array's device as an AI::MXNet::Context.

=head2 Other methods

C<asscalar shape size ndim dtype attach_grad grad backward detach copy sum slice at reshape T exp
wait_to_read len>, and every mxnet operator as a method (C<< $x->relu >>) or a class method
(C<< nd->relu($x) >>). Slicing follows AI::MXNet: C<slice(0)> is row 0 as a view of shape (1, ...),
C<slice([1, 2])> rows 1 to 2 (end inclusive), C<'X'> a whole axis, one slice per dimension a crop.

=cut

sub array :lvalue {
    my ($class, $source, @rest) = @_;
    my $array;
    if (blessed($source) && $source->isa('PDL')) {
        # PDL::Matrix keeps MXNet's dimension order; a plain PDL has it reversed.
        my @dims = $source->isa('PDL::Matrix') ? reverse($source->dims) : $source->dims;
        my $data = $source->get_dataref;
        $array = AI::MXNet::Bridge::python('array_from_pdl', _address($data), length($$data),
                                           '' . $source->type, \@dims, @rest);
    }
    else {
        $array = AI::MXNet::Bridge::call('nd.array', $source, @rest);
    }
    $array;
}

sub aspdl :lvalue {
    my ($self) = @_;
    my ($type, $dims) = @{ AI::MXNet::Bridge::python('pdl_spec', $self) };
    require PDL::Lite;
    my $pdl = PDL->new_from_specification(PDL::Type->new($type), @$dims);
    $pdl->make_physical;    # allocate now: get_dataref on an unallocated PDL costs a second pass
    my $data = $pdl->get_dataref;
    AI::MXNet::Bridge::python('copy_to_pdl', $self, _address($data), length($$data));
    $pdl->upd_data;
    $pdl;
}

sub set {
    my ($self, $value) = @_;
    $value = __PACKAGE__->array($value, dtype => $self->dtype) if blessed($value) && $value->isa('PDL');
    return AI::MXNet::Bridge::call_method($self, 'set', $value);
}

sub context {
    my ($self) = @_;
    return AI::MXNet::Context->new(%{ AI::MXNet::Bridge::call_method($self, 'context') });
}

# The address of a Perl string's buffer, for a single memmove on the Python side.
sub _address { unpack('J', pack('p', ${ $_[0] })) }

1;

package AI::MXNet::Symbol;

# AI::MXNet::Symbol, the part autograd needs: the Symbol that get_symbol returns (an mxnet Symbol held by
# Python), with the methods bridge/api/symbol.py offers.

use strict;
use warnings;
use Scalar::Util qw(blessed);
use AI::MXNet::Bridge;
use AI::MXNet::Bridge::Object;
our @ISA = ('AI::MXNet::Bridge::Object');    # every other method and mx->sym->NAME: a handle's

# Arithmetic and comparisons build graph nodes, as on NDArrays (a HybridBlock's hybrid_forward when hybridized),
# as AI::MXNet's Symbol overloaded them (== is elementwise equality, not identity).
my (%OPERATORS, %COMPARISONS);
BEGIN {
    %OPERATORS = ('+' => 'add', '-' => 'sub', '*' => 'mul', '/' => 'truediv', '**' => 'pow', '%' => 'mod');
    # Perl operator => [Python method, the method when the Symbol is the right operand]
    %COMPARISONS = ('==' => [qw(__eq__ __eq__)], '!=' => [qw(__ne__ __ne__)], '>' => [qw(__gt__ __lt__)],
                    '>=' => [qw(__ge__ __le__)], '<' => [qw(__lt__ __gt__)], '<=' => [qw(__le__ __ge__)]);
}
use overload
    '""' => sub { $_[0]->stringify },
    (map { my $name = $OPERATORS{$_};
           $_ => sub { AI::MXNet::Bridge::call_object($_[0], $_[2] ? "__r${name}__" : "__${name}__", $_[1]) } }
         keys %OPERATORS),
    (map { my ($forward, $reversed) = @{ $COMPARISONS{$_} };
           $_ => sub { AI::MXNet::Bridge::call_object($_[0], $_[2] ? $reversed : $forward, $_[1]) } }
         keys %COMPARISONS),
    'neg' => sub { AI::MXNet::Bridge::call_object($_[0], '__neg__') },
    fallback => 1;

# Storable: the Symbol's JSON; thawing makes it anew (STORABLE_attach), as a thawed handle has no Python object.
sub STORABLE_freeze { $_[0]->tojson }
sub STORABLE_attach { AI::MXNet::Bridge::call('mx.sym.load_json', $_[2]) }

# Python objects come back from the bridge blessed as NDArrays; those a Symbol method returns are Symbols.
sub _from_python {
    my ($class, $value) = @_;
    return bless $value, $class if blessed($value) && $value->isa('AI::MXNet::NDArray');
    $_ = $class->_from_python($_) for ref $value eq 'ARRAY' ? @$value : ();
    return $value;
}

for my $name (qw(name attr list_attr attr_dict list_arguments list_outputs list_inputs list_auxiliary_states
                 tojson debug_str save get_internals get_children stringify)) {
    no strict 'refs';
    *$name = sub {
        my $self = shift;
        return __PACKAGE__->_from_python(AI::MXNet::Bridge::python('symbol_method', $self, $name, @_));
    };
}

sub DESTROY {}

1;

=head1 NAME

AI::MXNet::Symbol - a symbolic graph; here only what AI::MXNet::AutoGrad's get_symbol returns

=head1 SYNOPSIS

    my $sym = mx->autograd->get_symbol($y);
    print "@{ $sym->list_arguments }\n";
    print $sym->tojson;

=head1 DESCRIPTION

An mxnet Symbol held by Python: what C<< mx->autograd->get_symbol >> returns, and what a hybridized
HybridBlock's C<hybrid_forward> gets. Arithmetic on Symbols builds graph nodes, as on NDArrays. Storable
freezes a Symbol as its JSON.

=head1 METHODS

=over

=item name, attr($key), list_attr, attr_dict

The name and the attributes.

=item list_arguments, list_outputs, list_inputs, list_auxiliary_states

Array refs of names.

=item tojson, debug_str, save($file)

The graph as mxnet's JSON, as text, or into a file.

=item get_internals, get_children

The Symbol of every internal output; the inputs of the head node.

=item stringify

C<< <AI::MXNet::Symbol NAME> >>, what it prints as.

=back

=cut

package AI::MXNet::Gluon::Block;

# AI::MXNet::Gluon::Block and ::HybridBlock: the classes Gluon's blocks are blessed into, and the classes a Perl
# user extends (as any other layer: nn->Dense's class, AI::MXNet::Gluon::NN::HybridSequential, ...). A Block
# written in Perl is an object of a class that extends an AI::MXNet class (AI::MXNet::Bridge::Twin), whose twin is
# a real Gluon Block; here is what Blocks add: an unknown method makes an attribute, as in AI::MXNet, and a
# Block or Parameter held in an attribute is registered with the twin, as Gluon's __setattr__ registers it.

use strict;
use warnings;
use Scalar::Util qw(blessed reftype);
use AI::MXNet::Bridge;
use AI::MXNet::Bridge::Object;
use AI::MXNet::Error;

# Attributes given to new() were set before the twin existed: registered with it now (this runs after the
# twin is made, before the BUILD of the Perl class).
sub BUILD {
    my $self = shift;
    for my $attribute ($self->meta->get_all_attributes) {
        my $name = $attribute->name;
        next if $name =~ /^_/ || $attribute->isa('AI::MXNet::Bridge::Twin::Attribute');
        $self->__setattr__($name, $attribute->get_value($self)) if $attribute->has_value($self);
    }
    return;
}

sub name_scope {
    my ($self, $body) = @_;
    return AI::MXNet::Bridge::python('name_scope', AI::MXNet::Bridge::Object::_py($self),
                                     AI::MXNet::Bridge::_guard_callback($body));
}

# AI::MXNet::Gluon::Mouse's `has` makes every attribute call this when set: a Block or a Parameter is
# registered with the twin under the attribute's name, as Gluon's __setattr__ registers it.
# An array or hash holding Blocks is shown to the twin too (again by collect_params, as it may have changed
# since), so Gluon warns, as AI::MXNet did, that the Blocks in it are not registered.
sub __setattr__ {
    my ($self, $name, $value) = @_;
    return unless defined $self->{_py};
    my $for_python = _for_python($value);
    AI::MXNet::Bridge::python('set_attribute', $self->{_py}, $name, $for_python) if defined $for_python;
    return;
}

# What of an attribute's value the twin needs: a Block or Parameter as its Python object; an array or hash
# with Blocks somewhere inside, with those so; undef for anything else.
sub _for_python {
    my ($value) = @_;
    if (blessed $value) {
        return $value->isa('AI::MXNet::Gluon::Block') || $value->isa('AI::MXNet::Gluon::Parameter')
            ? AI::MXNet::Bridge::Object::_py($value) : undef;
    }
    if (ref $value eq 'ARRAY') {
        my @items = map { _for_python($_) } @$value;
        return (grep { defined } @items) ? \@items : undef;
    }
    if (ref $value eq 'HASH') {
        my %items = map { $_ => _for_python($value->{$_}) } keys %$value;
        return (grep { defined } values %items) ? \%items : undef;
    }
    return undef;
}

sub collect_params {
    my $self = shift;
    if (reftype($self) eq 'HASH') {
        for my $attribute ($self->meta->get_all_attributes) {
            my $value = $attribute->has_value($self) ? $attribute->get_value($self) : next;
            $self->__setattr__($attribute->name, $value) if ref $value eq 'ARRAY' || ref $value eq 'HASH';
        }
    }
    return AI::MXNet::Bridge::call_object(AI::MXNet::Bridge::Object::_py($self), 'collect_params', @_);
}

# As in AI::MXNet, an unknown method of a Block written in Perl is a new attribute ($self->dense0(nn->Dense(5))
# in BUILD); on anything else it is the Python object's method or attribute.
our $AUTOLOAD;
my %twin_class_has;    # names every twin has (the Gluon Block methods): asked of Python once each
sub AUTOLOAD {
    my $name = $AUTOLOAD =~ s/.*:://r;
    return if $name eq 'DESTROY';
    my $self = $_[0];
    if (ref $self && reftype($self) eq 'HASH' && !$twin_class_has{$name}) {
        my $has = AI::MXNet::Bridge::python('has_attribute', $self->{_py}, $name);
        $twin_class_has{$name} = 1 if $has == 2;
        unless ($has) {
            require AI::MXNet::Gluon::Mouse;
            AI::MXNet::Gluon::Mouse::has($name => (is => 'rw', init_arg => undef, caller => ref $self));
            goto &{ UNIVERSAL::can($self, $name) };
        }
    }
    $AI::MXNet::Bridge::Object::AUTOLOAD = $AUTOLOAD;
    goto &AI::MXNet::Bridge::Object::AUTOLOAD;
}

1;

=head1 NAME

AI::MXNet::Gluon::Block, AI::MXNet::Gluon::HybridBlock - Gluon blocks, and the base classes of Blocks written
in Perl

=head1 SYNOPSIS

    package MixMLP;
    use AI::MXNet::Gluon::Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Gluon::Block';
    sub BUILD {
        my $self = shift;
        $self->name_scope(sub {
            $self->blk(nn->Sequential);
            $self->blk->add(nn->Dense(3, activation => 'relu'));
            $self->dense(nn->Dense(5));
        });
    }
    method forward($x) { $self->dense->(nd->relu($self->blk->($x))) }

    package main;
    my $net = MixMLP->new;   # or MixMLP->new(prefix => 'mix_')
    $net->initialize;
    print $net->(nd->ones([2, 2]));

=head1 DESCRIPTION

Gluon's own blocks (C<< nn->Dense(2) >>, ...) are handles (L<AI::MXNet::Bridge::Object>) of these classes. A
class that extends one of them is a Block written in Perl: a real Gluon block underneath, so its children and
parameters are registered, collected, initialised, trained, saved and loaded like any other, and it can be
added to a Sequential. Setting an unknown attribute (C<< $self->blk(...) >>) makes it, as AI::MXNet did; a Block
or Parameter set so is registered under that name. C<forward> gets and returns NDArrays; a HybridBlock's
C<< hybrid_forward($F, $x, ..., weight => $w, ...) >> gets C<$F> as C<AI::MXNet::NDArray>, or, once hybridized,
C<AI::MXNet::Symbol> with Symbols, and its parameters by name.

A Block written in Perl and its Gluon twin hold each other; when nothing else holds either (no Perl variable,
no Gluon parent), they are freed at a later Block's construction.

=head1 METHODS

Besides these, every method of Python's Gluon Block (C<initialize>, C<hybridize>, C<save_parameters>, ...) is
there, through the twin.

=over

=item new(prefix => $prefix, params => $params, %attributes)

A Block written in Perl, with its Gluon twin; the attributes as Mouse's C<new> takes them.

=item name_scope($sub)

Runs C<$sub> in the Block's name scope: children made there get names under the Block's prefix.

=item collect_params($select)

The ParameterDict of the Block's parameters and its children's (C<$select>, a regular expression, picks by
name).

=back

=cut

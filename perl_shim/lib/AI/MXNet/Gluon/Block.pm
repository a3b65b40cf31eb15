package AI::MXNet::Gluon::Block;

# AI::MXNet::Gluon::Block and ::HybridBlock: the classes Gluon's blocks are blessed into, and the Mouse
# classes a Perl user extends. A Block written in Perl is a Mouse object holding a Gluon twin
# (bridge/gluon.py PerlBlock), a real Gluon Block whose forward calls the Perl object's forward (or
# hybrid_forward) through `_dispatch`; everything else a Block does is the twin's, through the handle calls.

use strict;
use warnings;
use Mouse;
use Scalar::Util qw(blessed reftype);
use AI::MXNet::Bridge;
use AI::MXNet::Bridge::Object;
use AI::MXNet::Error;

extends 'Mouse::Object', 'AI::MXNet::Bridge::Object';

has '_prefix' => (is => 'ro', init_arg => 'prefix');
has '_params' => (is => 'ro', init_arg => 'params');
sub _py { $_[0]{_py} }    # the Gluon twin (Python reads it through this, see bridge/perl/args.py)

# The Perl Blocks by id, for the twin to call back. A Block and its twin hold each other, across the bridge:
# `_sweep` frees the pairs that nothing else holds (run as Blocks are made, each time %LIVE doubles).
our %LIVE;
my $last_id = 0;
my $sweep_at = 64;

sub _sweep {
    while (1) {
        my @ids = grep { Internals::SvREFCNT(%{ $LIVE{$_} }) == 1 } keys %LIVE;    # only %LIVE holds it
        my $free = @ids ? AI::MXNet::Bridge::python('free_twins', [map { $LIVE{$_}{_py} } @ids]) : [];
        last unless @$free;
        delete @LIVE{ @ids[@$free] };    # freeing a Block may leave others that only it held: again
    }
    $sweep_at = 2 * keys %LIVE > 64 ? 2 * keys %LIVE : 64;
    return;
}

# Gluon's own classes are made by Python (AI::MXNet::Gluon::NN::Dense->new(2)); a class written in Perl by Mouse.
sub new {
    my $class = shift;
    return AI::MXNet::Bridge::Object::_class_call($class, 'new', @_) if $AI::MXNet::Bridge::Object::CLASS{$class};
    return $class->SUPER::new(@_);
}

# Constructor arguments as AI::MXNet took them: key => value pairs or one hash ref; a class that names its
# python_constructor_arguments takes those positionally first (Emb->new(20, 3)).
sub BUILDARGS {
    my $class = shift;
    return {%{ $_[0] }} if @_ == 1 && ref $_[0] eq 'HASH';
    return {@_} unless $class->can('python_constructor_arguments');
    my %known = map { ($_->init_arg // '') => 1 } $class->meta->get_all_attributes;
    my %args;
    while (@_ >= 2 && defined $_[-2] && !ref $_[-2] && $known{ $_[-2] }) {
        my $value = pop;
        $args{ pop() } = $value;
    }
    my @names = @{ $class->python_constructor_arguments };
    die AI::MXNet::Error->new(type => 'TypeError', message => "$class takes at most " . @names
                              . " positional arguments (@names), got " . @_) if @_ > @names;
    @args{ @names[0 .. $#_] } = @_;
    return \%args;
}

sub BUILD {
    my $self = shift;
    _sweep() if keys %LIVE >= $sweep_at;
    my $id = ++$last_id;
    $LIVE{$id} = $self;
    (my $name = ref $self) =~ s/.*:://;
    $self->{_py} = AI::MXNet::Bridge::python_object(
        'new_perl_block', $id, $name, $self->isa('AI::MXNet::Gluon::HybridBlock') ? 1 : 0,
        prefix => $self->_prefix, params => $self->_params);
    # attributes given to new() were set before the twin existed: register them now
    for my $attribute ($self->meta->get_all_attributes) {
        my $name = $attribute->name;
        $self->__setattr__($name, $attribute->get_value($self)) if $name !~ /^_/ && $attribute->has_value($self);
    }
    return;
}

# The twin calls $self->forward(@args) (or hybrid_forward($F, $x, ..., name => $param, ...)) here.
sub _dispatch {
    my ($id, $method, @args) = @_;
    my $self = $LIVE{$id};
    my $code = UNIVERSAL::can($self, $method)
        or die AI::MXNet::Error->new(type => 'NotImplementedError',
                                     message => ref($self) . " has no method $method (a Block written in Perl "
                                              . "defines forward; a HybridBlock, hybrid_forward)");
    return $self->$code(@args);
}
AI::MXNet::Bridge::python('set_perl_dispatch', AI::MXNet::Bridge::_guard_callback(\&_dispatch));

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
    return unless $self->{_py};
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

no Mouse;
__PACKAGE__->meta->make_immutable(inline_constructor => 0);

package AI::MXNet::Gluon::HybridBlock;
use Mouse;
extends 'AI::MXNet::Gluon::Block';
no Mouse;
__PACKAGE__->meta->make_immutable(inline_constructor => 0);

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

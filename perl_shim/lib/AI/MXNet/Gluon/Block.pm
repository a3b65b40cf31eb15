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
sub _py { $_[0]{_py} }    # the Gluon twin (Python reads it through this, see bridge/args.py)

# The Perl Blocks by id, for the twin to call back (a Block and its twin live until the program ends).
our %LIVE;
my $last_id = 0;

# Constructor arguments as AI::MXNet took them: key => value pairs or one hash ref.
sub BUILDARGS {
    my $class = shift;
    return @_ == 1 && ref $_[0] eq 'HASH' ? {%{ $_[0] }} : {@_};
}

sub BUILD {
    my $self = shift;
    my $id = ++$last_id;
    $LIVE{$id} = $self;
    (my $name = ref $self) =~ s/.*:://;
    $self->{_py} = AI::MXNet::Bridge::python_object(
        'new_perl_block', $id, $name, $self->isa('AI::MXNet::Gluon::HybridBlock') ? 1 : 0,
        prefix => $self->_prefix, params => $self->_params);
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
sub __setattr__ {
    my ($self, $name, $value) = @_;
    return unless blessed $value
        && ($value->isa('AI::MXNet::Gluon::Block') || $value->isa('AI::MXNet::Gluon::Parameter'));
    AI::MXNet::Bridge::python('set_attribute', $self->{_py}, $name, AI::MXNet::Bridge::Object::_py($value));
    return;
}

# As in AI::MXNet, an unknown method of a Block written in Perl is a new attribute ($self->dense0(nn->Dense(5))
# in BUILD); on anything else it is the Python object's method or attribute.
our $AUTOLOAD;
sub AUTOLOAD {
    my $name = $AUTOLOAD =~ s/.*:://r;
    return if $name eq 'DESTROY';
    my $self = $_[0];
    if (ref $self && reftype($self) eq 'HASH'
        && !AI::MXNet::Bridge::python('has_attribute', $self->{_py}, $name)) {
        require AI::MXNet::Gluon::Mouse;
        AI::MXNet::Gluon::Mouse::has($name => (is => 'rw', init_arg => undef, caller => ref $self));
        goto &{ UNIVERSAL::can($self, $name) };
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

A Block written in Perl and its Gluon twin live until the program ends.

=cut

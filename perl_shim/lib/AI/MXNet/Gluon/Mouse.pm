package AI::MXNet::Gluon::Mouse;

# `use AI::MXNet::Gluon::Mouse;` in a Block written in Perl: Mouse, whose `has` makes every attribute tell
# the Block when it is set (__setattr__), so a child Block or a Parameter held in one is registered with Gluon.

use strict;
use warnings;
use Mouse ();
use Mouse::Exporter;
use Scalar::Util ();
use Carp ();

Mouse::Exporter->setup_import_methods(
    as_is => ['has', \&Mouse::extends, \&Mouse::with, \&Mouse::before, \&Mouse::after, \&Mouse::around,
              \&Mouse::override, \&Mouse::super, \&Mouse::augment, \&Mouse::inner, \&Scalar::Util::blessed,
              \&Carp::confess],
);

sub init_meta { shift; return Mouse->init_meta(@_) }

sub has {
    my ($name, %args) = @_;
    my $caller = delete $args{caller} // caller;
    my $meta = Mouse::Meta::Class->initialize($caller);
    for my $attribute (ref $name ? @$name : $name) {
        $meta->add_attribute($attribute,
                             trigger => sub { my $self = shift; $self->__setattr__($attribute, @_) }, %args);
    }
    return;
}

1;

=head1 NAME

AI::MXNet::Gluon::Mouse - Mouse for Blocks written in Perl, as AI::MXNet had it

=head1 SYNOPSIS

    package MyBlock;
    use AI::MXNet::Gluon::Mouse;
    extends 'AI::MXNet::Gluon::Block';
    has 'units' => (is => 'ro', default => 8);

=head1 DESCRIPTION

Exports Mouse's C<extends>, C<with>, the method modifiers, C<blessed> and C<confess>, and its own C<has>:
an attribute that holds a Block or a Parameter (or arrays and hashes of them) is registered with the Block's
Gluon twin whenever it is set, as Python Gluon's C<__setattr__> registers it.

=head1 FUNCTIONS

=over

=item has($name, %options)

Mouse's C<has>, the attribute telling the Block when it is set.

=item init_meta

Mouse's, for the class that uses this module.

=back

=cut

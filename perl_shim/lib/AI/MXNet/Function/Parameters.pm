package AI::MXNet::Function::Parameters;

# `use AI::MXNet::Function::Parameters;` gives `func` and `method` with signatures, as AI::MXNet had them:
# strict argument checks, and types in signatures (`method hybrid_forward(GluonClass $F, GluonInput $x)`)
# checked by Mouse type constraints (AI::MXNet::Types).

use strict;
use warnings;
use Function::Parameters ();
use Mouse::Util::TypeConstraints ();
use AI::MXNet::Types ();

sub import {
    my $reify = sub { Mouse::Util::TypeConstraints::find_or_create_isa_type_constraint($_[0]) };
    Function::Parameters->import({
        func   => {defaults => 'function_strict', runtime => 1, reify_type => $reify},
        method => {defaults => 'method_strict',   runtime => 1, reify_type => $reify},
    });
}

1;

=head1 NAME

AI::MXNet::Function::Parameters - func and method keywords with signatures

=head1 SYNOPSIS

    use AI::MXNet::Function::Parameters;
    func add($x, $y = 1) { $x + $y }
    method forward(GluonInput $x) { $self->dense->($x) }

=head1 DESCRIPTION

Function::Parameters set up as AI::MXNet set it up: C<func> and C<method> with strict argument checks, and
the types named in signatures (L<AI::MXNet::Types>) checked by Mouse's type constraints.

=cut

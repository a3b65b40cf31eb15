package AI::MXNet::Types;

# The Mouse type names AI::MXNet's signatures use (GluonClass, GluonInput, Shape, Dtype, ...), so Perl code
# written for AI::MXNet that names them in its own signatures still compiles and checks the same.

use strict;
use warnings;
use Mouse::Util::TypeConstraints;
use Exporter 'import';
our @EXPORT = qw(find_type_constraint enum);

class_type $_ for qw(PDL AI::MXNet::NDArray AI::MXNet::Symbol AI::MXNet::Context AI::MXNet::EvalMetric
                     AI::MXNet::Optimizer AI::MXNet::Initializer AI::MXNet::Gluon::Block
                     AI::MXNet::Gluon::Parameter AI::MXNet::Gluon::ParameterDict AI::MXNet::Gluon::Data::Set);
subtype 'AcceptableInput' => as 'Num|PDL|AI::MXNet::NDArray|ArrayRef';
subtype 'Index'      => as 'Int';
subtype 'DimSize'    => as 'Int' => where { $_ >= 0 };
subtype 'Dropout'    => as 'Num' => where { $_ >= 0 and $_ <= 1 };
subtype 'Shape'      => as 'ArrayRef[DimSize]';
subtype 'WholeDim'   => as 'Str' => where { $_ eq 'X' };
subtype 'Slice'      => as 'ArrayRef[Index]|WholeDim|Index' => where { ref $_ ? @$_ > 0 : 1 };
subtype 'Dtype'      => as enum([qw(float32 float64 float16 uint8 int8 int32 int64)]);
subtype 'GluonClass' => as enum([qw(AI::MXNet::NDArray AI::MXNet::Symbol)]);
subtype 'GluonInput' => as 'AI::MXNet::NDArray|AI::MXNet::Symbol|ArrayRef[AI::MXNet::NDArray|AI::MXNet::Symbol]';
subtype 'GradReq'    => as enum([qw(add write null)]);
subtype 'PoolType'   => as enum([qw(max avg sum)]);
subtype 'EvalMetric' => as 'AI::MXNet::EvalMetric|Str|CodeRef';
subtype 'Optimizer'  => as 'AI::MXNet::Optimizer|Str';
subtype 'Initializer' => as 'AI::MXNet::Initializer|Str';
subtype 'Activation' => as 'AI::MXNet::Symbol|Str|CodeRef';

1;

=head1 NAME

AI::MXNet::Types - the Mouse type names of AI::MXNet's signatures

=head1 SYNOPSIS

    use AI::MXNet::Function::Parameters;
    method hybrid_forward(GluonClass $F, GluonInput $x, %params) { ... }

=head1 DESCRIPTION

Declares the type names AI::MXNet's signatures use (C<GluonClass>, C<GluonInput>, C<Shape>, C<Dtype>,
C<Slice>, C<GradReq>, C<Initializer>, ...), as AI::MXNet defined them, so code written for AI::MXNet that names
them in its own signatures compiles and is checked the same. Exports Mouse's C<find_type_constraint> and
C<enum>.

=cut

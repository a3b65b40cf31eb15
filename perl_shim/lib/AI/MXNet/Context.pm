package AI::MXNet::Context;

# A device: cpu(0), gpu(1). Prints as AI::MXNet printed it.

use strict;
use warnings;
use overload '""' => \&stringify, '==' => sub { "$_[0]" eq "$_[1]" }, fallback => 1;

sub new {
    my ($class, %args) = @_;
    return bless { device_type => $args{device_type} // 'cpu', device_id => $args{device_id} // 0 }, $class;
}

sub cpu { $_[0]->new(device_type => 'cpu', device_id => $_[1] // 0) }
sub gpu { $_[0]->new(device_type => 'gpu', device_id => $_[1] // 0) }
sub device_type { $_[0]{device_type} }
sub device_id   { $_[0]{device_id} }
sub stringify   { "$_[0]{device_type}($_[0]{device_id})" }

1;

=head1 NAME

AI::MXNet::Context - a device (cpu or gpu) and its id

=head1 METHODS

C<cpu($id)>, C<gpu($id)>, C<device_type>, C<device_id>; prints as C<cpu(0)>.

=cut

package AI::MXNet::Context;

# A device: cpu(0), gpu(1). A plain Perl value, printed and compared as AI::MXNet did; it becomes an mxnet
# Context when it reaches the bridge (bridge/arrays/context.py, where a GPU that is not there fails with one line).
# The current default context is mxnet's own, shared with Python.

use strict;
use warnings;
use Scalar::Util qw(blessed);
use AI::MXNet::Bridge;
use overload '""' => \&stringify, fallback => 1,
    '==' => sub { blessed($_[1]) && $_[1]->isa(__PACKAGE__) && "$_[0]" eq "$_[1]" ? 1 : '' };

# mxnet's own table of device types and their ids (cpu 1, gpu 2, cpu_pinned 3)
my %DEVICE_TYPE_ID = %{ Inline::Python::py_eval('__import__("mxnet").Context.devstr2type', 0) };

# new(device_type => 'gpu', device_id => 1), new('gpu', 1), new('gpu'), new($context)
sub new {
    my ($class, @args) = @_;
    my %args = blessed($args[0]) ? (device_type => $args[0]->device_type, device_id => $args[0]->device_id)
             : @args && exists $DEVICE_TYPE_ID{$args[0]} ? (device_type => $args[0], device_id => $args[1])
             : @args;
    my $type = $args{device_type} // 'cpu';
    die "unknown device type '$type' (cpu, gpu or cpu_pinned)\n" unless exists $DEVICE_TYPE_ID{$type};
    return bless { device_type => $type, device_id => $args{device_id} // 0 }, ref($class) || $class;
}

sub cpu        { $_[0]->new(device_type => 'cpu', device_id => $_[1] // 0) }
sub gpu        { $_[0]->new(device_type => 'gpu', device_id => $_[1] // 0) }
sub cpu_pinned { $_[0]->new(device_type => 'cpu_pinned', device_id => $_[1] // 0) }
sub device_type    { $_[0]{device_type} }
sub device_id      { $_[0]{device_id} }
sub device_type_id { $DEVICE_TYPE_ID{ $_[0]{device_type} } }
sub deepcopy       { $_[0]->new($_[0]) }
sub stringify      { "$_[0]{device_type}($_[0]{device_id})" }

# mxnet's current default context and GPU count, through the bridge.
sub current_ctx     { __PACKAGE__->new(%{ AI::MXNet::Bridge::call('context.current_context') }) }
sub set_current     { AI::MXNet::Bridge::call('context.set_current', $_[1]); $_[1] }
sub num_gpus        { AI::MXNet::Bridge::call('context.num_gpus') }
*current_context = \&current_ctx;

# AI::MXNet kept the current context in $AI::MXNet::Context (`local $mx::Context = mx->cpu(1)`): tied to mxnet's
# own default context, so reading it is current_ctx, and each assignment (and each end of a `local`) set_current.
{
    package AI::MXNet::Context::Current;
    sub TIESCALAR { my $unused; return bless \$unused }
    sub FETCH     { AI::MXNet::Context->current_ctx }
    sub STORE     { AI::MXNet::Context->set_current($_[1] // AI::MXNet::Context->cpu(0)) }
}
tie $AI::MXNet::Context, 'AI::MXNet::Context::Current';

1;

=head1 NAME

AI::MXNet::Context - a device (cpu or gpu) and its id

=head1 SYNOPSIS

    my $ctx = mx->cpu(1);                      # also mx->gpu(0), mx->Context('cpu', 1)
    my $x = nd->ones([2, 3], ctx => $ctx);
    print $x->context, "\n";                  # cpu(1)
    AI::MXNet::Context->set_current(mx->cpu(1));
    print mx->context->current_ctx, "\n";     # cpu(1)

=head1 DESCRIPTION

A device as AI::MXNet named it; arrays, Gluon parameters and modules take one as C<< ctx => >> or
C<< context => >>. It prints as C<cpu(0)>; C<==> compares device and id. On a machine without a GPU (or with
mxnet's CPU build) a GPU context can be made and printed, but using it dies with one line that says so.

=head1 METHODS

=over

=item new(device_type => 'cpu', device_id => 0), new('gpu', 1), new($context)

A context.

=item cpu($id), gpu($id), cpu_pinned($id)

A context of that device (id 0 by default).

=item device_type, device_id, device_type_id

C<'cpu'>, C<'gpu'> or C<'cpu_pinned'>; the id; mxnet's number for the device (1 cpu, 2 gpu, 3 cpu_pinned).

=item stringify

C<cpu(0)>, what it prints as.

=item deepcopy

A copy.

=item current_ctx, current_context, set_current($ctx)

The default context of new arrays, and setting it (also C<< local $mx::Context = mx->cpu(1) >>).

=item num_gpus

How many GPUs mxnet sees (0 with the CPU build).

=back

=cut

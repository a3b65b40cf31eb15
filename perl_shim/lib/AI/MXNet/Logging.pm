package AI::MXNet::Logging;

# AI::MXNet's logging: a message, formatted with sprintf, printed alone on STDERR through warn (so
# $SIG{__WARN__} redirects it), unless $AI::MXNet::Logging::silent is true. Python's logging (Module's fit,
# the Speedometer, checkpoints) is routed here at INFO and above by bridge/perl/logging.py.

use strict;
use warnings;
use AI::MXNet::Bridge;

our $silent = 0;

sub warning {
    return if $silent;
    my (undef, $format, @args) = @_;
    warn sprintf($format, @args) . "\n";
    return;
}
*debug = *info = *error = *critical = \&warning;

sub get_logger { my $class = shift; bless {}, ref $class || $class }

# (and what Python prints, through Perl's print: in order with the program's own output)
AI::MXNet::Bridge::call_with_callbacks('perl.logging.route',
                                       sub { my ($level, $message) = @_; __PACKAGE__->$level('%s', $message) },
                                       sub { print $_[0]; return });

1;

=head1 NAME

AI::MXNet::Logging - AI::MXNet's log messages, and Python's (Module's fit, the Speedometer), on STDERR

=head1 SYNOPSIS

    AI::MXNet::Logging->info('Epoch[%d] Train-%s=%f', $epoch, $name, $value);
    local $AI::MXNet::Logging::silent = 1;                   # nothing is printed
    local $SIG{__WARN__} = sub { print STDOUT $_[0] };         # printed on STDOUT instead

=head1 DESCRIPTION

Python's logging records (what mxnet's Module, callbacks and optimizers log) arrive here as AI::MXNet's did, at
INFO and above; what Python prints goes through Perl's C<print>.

=head1 METHODS

=head2 info($format, @args), warning($format, @args), debug($format, @args), error($format, @args), critical($format, @args)

Print C<sprintf($format, @args)> and a newline through C<warn>, unless C<$AI::MXNet::Logging::silent> is true,
as AI::MXNet's did (whatever the level).

=head2 get_logger

An object with the same methods (AI::MXNet's Module kept one as its C<logger>).

=cut

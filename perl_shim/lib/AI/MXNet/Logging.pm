package AI::MXNet::Logging;

# AI::MXNet's logger, as AI::MXNet had it: AI::MXNet::Logging->info('%d done', $n) (warning, debug alike)
# prints the formatted line on STDERR, unless $AI::MXNet::Logging::silent is set.

use strict;
use warnings;

our $silent = 0;

sub warning { return if $silent; shift; warn sprintf(shift, @_) . "\n"; return }
*debug = *info = \&warning;
sub get_logger { bless {}, __PACKAGE__ }

1;

=head1 NAME

AI::MXNet::Logging - AI::MXNet's logger: info, warning and debug print a formatted line on STDERR

=head1 SYNOPSIS

    AI::MXNet::Logging->info('Epoch[%d] done', $epoch);
    local $AI::MXNet::Logging::silent = 1;    # nothing printed

=head1 DESCRIPTION

AI::MXNet's logger, as AI::MXNet had it.

=over

=item info($format, @values), warning($format, @values), debug($format, @values)

Print the formatted line on STDERR, unless C<$AI::MXNet::Logging::silent> is set.

=item get_logger

The logger, as an object with the same methods.

=back

=cut


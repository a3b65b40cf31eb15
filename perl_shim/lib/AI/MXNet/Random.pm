package AI::MXNet::Random;

# mx->random and nd->random: seed, and every sampling operator of mxnet (uniform, normal, ...).

use strict;
use warnings;
use AI::MXNet::Bridge;

AI::MXNet::Bridge::install_namespace(__PACKAGE__, 'random', qw(seed uniform normal));

1;

=head1 NAME

AI::MXNet::Random - seeding and sampling

=head1 SYNOPSIS

    mx->random->seed(42);
    my $x = nd->random->uniform(shape => 2);
    my $y = nd->random->uniform(-1, 1, [2, 3]);

=cut

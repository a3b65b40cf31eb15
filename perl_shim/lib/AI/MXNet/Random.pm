package AI::MXNet::Random;

# mx->random and nd->random: seed, and every sampling operator of mxnet (uniform, normal, randn, ...),
# forwarded to bridge/api/random.py.

use strict;
use warnings;
use AI::MXNet::Bridge;

AI::MXNet::Bridge::install_namespace(__PACKAGE__, 'random', qw(seed uniform normal randn));

1;

=head1 NAME

AI::MXNet::Random - seeding and sampling

=head1 SYNOPSIS

    mx->random->seed(42);
    my $x = nd->random->uniform(shape => 2);
    my $y = nd->random->uniform(-1, 1, [2, 3]);
    my $z = nd->random->normal(loc => nd->array([0, 10]), scale => nd->array([1, 2]), shape => 5);
    my $n = nd->random->randn(2, 3, loc => 5);

=head1 DESCRIPTION

C<< mx->random >> and C<< nd->random >>: mxnet's random generators, seeded by C<seed>, and its samplers, called
AI::MXNet's way. C<AI_MXNET_BRIDGE_SEED> in the environment seeds them at load (the parity runner sets it).

=head1 FUNCTIONS

C<seed($n, ctx =E<gt> 'all')>, and every sampler of mxnet's C<nd.random> with its parameters in order, then
C<shape>, plus C<< dtype => >>, C<< ctx => >>, C<< out => >>: C<uniform(low, high)>, C<normal(loc, scale)>,
C<randn(@shape, loc =E<gt>, scale =E<gt>)> (or C<< shape => [...] >>), C<randint(low, high)>,
C<exponential(scale)>, C<gamma(alpha, beta)>, C<poisson(lam)>, C<negative_binomial(k, p)>,
C<generalized_negative_binomial(mu, alpha)>, C<multinomial($probs, shape =E<gt>, get_prob =E<gt>)>,
C<shuffle($x)>, and the C<*_like> forms. NDArray parameters draw one set of samples per element. For the
same seed the numbers are those of Python mxnet 1.9.1.

=cut

#!/usr/bin/env perl
# The error paths do not grow the process: a die inside record (Inline::Python's own error path leaked the die's
# text twice and a Perl scope each time), an operator that fails in libmxnet (which leaked the outputs it had
# made), a Function whose Perl backward dies (mxnet's engine error path), an unknown operator (a sub was left
# installed per distinct name); and making Perl Blocks. make soak runs the long mixed version (t/92-soak.t).
use strict;
use warnings;
use Test::More;
use AI::MXNet qw(mx);

my $N = $ENV{AI_MXNET_LEAK_ITERATIONS} // 4000;

sub rss_kb {
    open my $fh, '<', "/proc/$$/status" or return;
    while (<$fh>) { return $1 if /^VmRSS:\s+(\d+)/ }
    return;
}

package Plain {
    use AI::MXNet::Gluon::Mouse;
    extends 'AI::MXNet::Gluon::Block';
    sub forward { $_[1] }
}
package Dies {
    use parent -norequire, 'AI::MXNet::AutoGrad::Function';
    sub forward { $_[1] * 2 }
    sub backward { die "backward died\n" }
}
package main;

my $x = nd->ones([2, 3]);
my $long = ('x' x 2000) . "\n";
my $w = nd->ones([2]);
$w->attach_grad;
my %cases = (
    'die inside record (2000-byte message)' => [sub { eval { mx->autograd->record(sub { die $long }) } }, 2000],
    'an operator failing in libmxnet (dot)' => [sub { eval { nd->dot($x, $x) } }, 240],
    "a Function's Perl backward dying"      => [sub { my $y; mx->autograd->record(sub { $y = Dies->new->($w) });
                                                     eval { $y->backward } }, 500],
    'distinct unknown operator names'       => [sub { my $name = 'no_such_op_' . int rand 1e9; eval { nd->$name } }, 200],
    'making Blocks written in Perl'         => [sub { Plain->new }, 310],
);
for my $name (sort keys %cases) {
    my ($case, $leaked_before) = @{ $cases{$name} };
    $case->() for 1 .. 1500;    # warm-up: the bounded caches fill and the allocator settles
    my $before = rss_kb();
    $case->() for 1 .. $N;
    my $grown = rss_kb() - $before;
    my $limit = int($N * $leaked_before / 1024 / 4);    # a quarter of what each leaked before
    cmp_ok($grown, '<', $limit, "$name, $N times: RSS grows $grown kB (leaked ~$leaked_before bytes each before)");
}
ok(!defined &AI::MXNet::NDArray::no_such_op_1, 'no sub is left behind for an unknown name');
is(nd->dot($x, nd->ones([3, 1]))->sum->asscalar, 6, 'and the process still computes');

done_testing;

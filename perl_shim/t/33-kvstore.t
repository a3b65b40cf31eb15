#!/usr/bin/env perl
# mx->kv from Perl in one process (the jobs of several processes are in tests/test_distributed.py): AI::MXNet's
# KVStore methods on a local store, a worker's part of the data, and bad input as one catchable line each.
use strict;
use warnings;
use Test::More;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);

my $kv = mx->kv->create;
isa_ok($kv, 'AI::MXNet::KVStore');
is_deeply([$kv->type, $kv->rank, $kv->num_workers], ['local', 0, 1], 'a local store: rank 0 of 1, as AI::MXNet gave');
is(AI::MXNet::KVStore->create('local')->type, 'local', 'AI::MXNet::KVStore->create, AI::MXNet\'s class method');
$kv->barrier;
$kv->_barrier;
pass('barrier and AI::MXNet\'s _barrier return at once');

$kv->init(3, mx->nd->ones([2, 3]));
$kv->push(3, [mx->nd->ones([2, 3]), mx->nd->ones([2, 3]) * 2]);
my $out = mx->nd->zeros([2, 3]);
$kv->pull(3, out => $out);
is_deeply($out->aspdl->unpdl, [[3, 3, 3], [3, 3, 3]], 'the values pushed for one key are added up');
$kv->init([4, 5], [mx->nd->zeros([2]), mx->nd->zeros([3])]);
$kv->push([4, 5], [mx->nd->ones([2]), mx->nd->ones([3]) * 7]);
my @outs = (mx->nd->zeros([2]), mx->nd->zeros([3]));
$kv->pull([4, 5], out => \@outs);
is_deeply([map { $_->aspdl->unpdl } @outs], [[1, 1], [7, 7, 7]], 'several keys at once');

# the optimizer on a local store runs in this process
my $store = mx->kv->create('local');
$store->set_optimizer(mx->optimizer->create('sgd', learning_rate => 0.5));
$store->init(0, mx->nd->ones([2]));
$store->push(0, mx->nd->ones([2]));
my $weight = mx->nd->zeros([2]);
$store->pull(0, out => $weight);
is_deeply($weight->aspdl->unpdl, [0.5, 0.5], 'set_optimizer: a push is a gradient, 1 - 0.5 * 1');

# bad input: one line each, catchable, and the store still works
my $outside_a_job = "kvstore dist_sync: a distributed kvstore is made inside a job that bridge-launch starts (it "
                  . "sets the DMLC_* variables); not set here: DMLC_ROLE, ";
my @bad = (
    [sub { mx->kv->create('dsit_sync') }, qr/^unknown kvstore type 'dsit_sync' \(did you mean dist_sync\?\) at /],
    [sub { mx->kv->create('dist_sync') },
     qr/^\Q$outside_a_job\E/],
    [sub { $kv->push(3, mx->nd->ones([3, 3])) },
     qr/^kvstore push: key '3' holds shape \(2, 3\), the array given has shape \(3, 3\) at /],
    [sub { $kv->pull(3, out => mx->nd->zeros([6])) },
     qr/^kvstore pull: key '3' holds shape \(2, 3\), the array given has shape \(6,\) at /],
    [sub { $kv->push(9, mx->nd->ones([2])) }, qr/^kvstore push: key '9' was never initialized \(init it first\) at /],
    [sub { $kv->push([4, 5], [mx->nd->ones([2])]) }, qr/^kvstore push: 2 keys need 2 values, got 1 at /],
    [sub { $kv->rank(2) }, qr/^property 'rank' of 'KVStore' object has no setter at /],
);
for my $case (@bad) {
    my ($code, $like) = @$case;
    ok(!eval { $code->(); 1 }, "dies: $like");
    like("$@", $like, 'with its one line');
    is(scalar(() = "$@" =~ /\n/g), 1, 'one line');
}
$kv->pull(3, out => $out);
is_deeply($out->aspdl->unpdl, [[3, 3, 3], [3, 3, 3]], 'the refused calls changed nothing');

# a worker's part of the data
my $part = gluon->data->SplitSampler(10, num_parts => 2, part_index => 1, batch_size => 2);
isa_ok($part, 'AI::MXNet::Gluon::Data::Sampler::SplitSampler');
is_deeply([@$part], [2, 3, 6, 7], 'its share of every batch of 4');
is($part->len, 4, 'len');
my $loader = gluon->data->DataLoader(gluon->data->ArrayDataset(mx->nd->arange(stop => 10)), batch_size => 2,
                                     sampler => $part);
is_deeply([map { $_->aspdl->unpdl } @$loader], [[2, 3], [6, 7]], 'a DataLoader reads it');
is_deeply([@{ AI::MXNet::Gluon::Data::Sampler::SplitSampler->new(7, num_parts => 2, part_index => 1) }], [3, 4, 5],
          'by its class name: a contiguous part');
ok(!eval { gluon->data->SplitSampler(10, num_parts => 2, part_index => 2); 1 }, 'a part that does not exist');
like("$@", qr/^SplitSampler: part_index must be 0 \.\. 1, not 2 at /, 'one line');

done_testing;

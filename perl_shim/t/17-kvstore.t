#!/usr/bin/env perl
# mx->kv as AI::MXNet used it on this libmxnet: keys as strings (so 3 and 'a' in one store), updaters written in
# Perl (their die reaches push), set_optimizer, save/load_optimizer_states; gluon->Trainer with a row_sparse
# parameter whose gradients are dense.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
BEGIN { $ENV{MXNET_STORAGE_FALLBACK_LOG_VERBOSE} = 0 }    # (the row_sparse step's note on stderr)
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use lib "$FindBin::Bin/lib";
use BridgeTest;

my $dir = tempdir(CLEANUP => 1);
my $shape = [2, 3];

# --- mixed keys, as AI::MXNet's string keys allowed them
{
    my $kv = mx->kv->create;
    isa_ok($kv, 'AI::MXNet::KVStore');
    $kv->init('a', nd->ones($shape));
    $kv->init([5, 7], [nd->ones($shape) * 2, nd->ones($shape) * 3]);
    $kv->init(6 / 2, nd->ones($shape) * 4);    # the key "3", as Perl prints 6/2
    my $out = nd->zeros($shape);
    $kv->pull('a', out => $out);
    is_deeply(vals($out), [(1) x 6], 'a string key and integer keys in one store');
    $kv->pull(7, out => $out);
    is_deeply(vals($out), [(3) x 6], '... an integer key');
    $kv->pull('3', out => $out);
    is_deeply(vals($out), [(4) x 6], '... 6/2 and "3" are the same key');
    $kv->push(5, [nd->ones($shape), nd->ones($shape)]);
    $kv->pull(5, out => $out);
    is_deeply(vals($out), [(2) x 6], 'push of a list of values stores their sum');
}

# --- an updater written in Perl: the keys it sees, and a die in it
{
    my $kv = mx->kv->create('local');
    $kv->init([3, 'w'], [nd->zeros($shape), nd->zeros($shape)]);
    my @keys;
    $kv->_set_updater(sub { my ($key, $received, $stored) = @_; push @keys, $key; $stored += 2 * $received });
    $kv->push([3, 'w'], [nd->ones($shape), nd->ones($shape)]);
    my $out = nd->zeros($shape);
    $kv->pull('w', out => $out);
    is_deeply(vals($out), [(2) x 6], 'the Perl updater updates the stored value in place');
    is_deeply([sort @keys], [3, 'w'], '... and sees the keys as AI::MXNet gave them');
    $kv->_set_updater(sub { die {reason => 'no update'} });
    my $ok = eval { $kv->push(3, nd->ones($shape)); 1 };
    ok(!$ok && ref $@ eq 'HASH' && $@->{reason} eq 'no update', "an updater's die reaches push, unchanged");
    $kv->_set_updater(sub { my ($key, $received, $stored) = @_; $stored += $received });
    $kv->push(3, nd->ones($shape));
    $kv->pull(3, out => $out);
    is_deeply(vals($out), [(3) x 6], '... and the store goes on working');
}

# --- set_optimizer, and the optimizer's states saved and loaded
{
    my $kv = mx->kv->create;
    $kv->init(0, nd->ones($shape));
    $kv->set_optimizer(mx->optimizer->create('sgd', learning_rate => 0.5, momentum => 0.5));
    $kv->push(0, nd->ones($shape));
    $kv->push(0, nd->ones($shape));
    my $out = nd->zeros($shape);
    $kv->pull(0, out => $out);
    near(vals($out), [(-0.25) x 6], 'set_optimizer: sgd with momentum, twice: 1 - 0.5 - (0.5 * 0.5 + 0.5)');
    $kv->save_optimizer_states("$dir/kv.states", dump_optimizer => 1);
    ok(-s "$dir/kv.states", 'save_optimizer_states writes the states');
    $kv->load_optimizer_states("$dir/kv.states");
    is_deeply([keys %{ $kv->_updater->states }], [0], '... load_optimizer_states reads them back');
}

# --- a Trainer with a row_sparse parameter whose gradient is dense
{
    my $x = gluon->Parameter('x', shape => [4, 2], stype => 'row_sparse');
    $x->initialize(ctx => [mx->cpu(0)], init => 'zeros');
    my $trainer = gluon->Trainer([$x], 'sgd', {learning_rate => 0.5});
    my $rows = nd->arange(start => 0, stop => 4);
    mx->autograd->record(sub { ($_ * 2)->backward for @{ $x->list_row_sparse_data($rows) } });
    $trainer->step(1);
    is_deeply(vals($x->row_sparse_data($rows)), [(-1) x 8], 'a step updates a row_sparse parameter (0 - 0.5 * 2)');
}

done_testing;

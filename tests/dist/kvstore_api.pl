# A worker of tests/test_distributed.py: the kvstore's API in a dist_sync job, each result printed on a line that
# starts with the worker's rank. DATA is a directory with the MNIST idx files, uncompressed (for MNISTIter).
use strict;
use warnings;
use AI::MXNet qw(mx);

my $data = shift or die "usage: $0 DATA\n";
my $kv = mx->kv->create('dist_sync');
my ($rank, $workers) = ($kv->rank, $kv->num_workers);
$| = 1;
my $say = sub { print "rank $rank: @_\n" };
$say->("of $workers, type " . $kv->type);
my $flat = sub { join ' ', map { 0 + sprintf '%.6g', $_ } @{ $_[0]->aspdl->flat->unpdl } };

# every worker pushes; the servers add the pushes up and every worker pulls the sum
$kv->init('a', mx->nd->zeros([2, 3]));
$kv->push('a', mx->nd->ones([2, 3]) * ($rank + 1));
my $out = mx->nd->zeros([2, 3]);
$kv->pull('a', out => $out);
$say->("summed " . $flat->($out));

# several keys at once (string keys, as the Module's below: mxnet refuses a mix of integer and string keys)
$kv->init(['b', 'c'], [mx->nd->zeros([2]), mx->nd->zeros([3])]);
$kv->push(['b', 'c'], [mx->nd->ones([2]) * $rank, mx->nd->ones([3]) * 10]);
my @outs = (mx->nd->zeros([2]), mx->nd->zeros([3]));
$kv->pull(['b', 'c'], out => \@outs);
$say->("keys " . join(' | ', map { $flat->($_) } @outs));
$kv->barrier;

# the optimizer runs on the servers: they add the pushes up, then take one SGD step
$kv->set_optimizer(mx->optimizer->create('sgd', learning_rate => 0.1));
$kv->init('w', mx->nd->ones([4]));
$kv->push('w', mx->nd->ones([4]) * ($rank + 1));
my $weight = mx->nd->zeros([4]);
$kv->pull('w', out => $weight);
$say->("sgd " . $flat->($weight));

# bad input: one line, and the store goes on working
eval { $kv->push('a', mx->nd->ones([3, 3])) };
$say->("bad push: $@" =~ s/\n//r);
eval { mx->kv->create('dist_sync') };
$say->("second store: $@" =~ s/\n//r);
$kv->pull('a', out => $out);
$say->("still " . $flat->($out));

# the Module API on its part of the data (num_parts, part_index), training through the same store
my $iter = mx->io->MNISTIter(image => "$data/train-images-idx3-ubyte", label => "$data/train-labels-idx1-ubyte",
                             batch_size => 32, flat => 1, shuffle => 0, num_parts => $workers, part_index => $rank);
my ($batches, $first) = (0);
while (defined(my $batch = <$iter>)) {
    $first //= $batch->label->[0]->slice([0, 3])->aspdl->unpdl;
    $batches++;
}
$iter->reset;
$say->("part of $batches batches, first labels @$first");
my $net = mx->sym->SoftmaxOutput(mx->sym->FullyConnected(mx->sym->var('data'), num_hidden => 10, name => 'fc'),
                                 name => 'softmax');
my $mod = mx->mod->Module(symbol => $net, context => mx->cpu);
mx->random->seed(7);
$mod->fit($iter, num_epoch => 2, kvstore => $kv, optimizer => 'sgd',
          optimizer_params => {learning_rate => 0.1}, initializer => mx->init->Xavier);
my ($args) = $mod->get_params;
$say->(sprintf "module fc_weight sum %.6f, accuracy %.2f", $args->{fc_weight}->sum->asscalar,
       $mod->score($iter, 'acc')->{accuracy});

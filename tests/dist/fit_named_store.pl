# A worker of tests/test_distributed.py: Module->fit with the kvstore given by name (mxnet makes the store inside
# fit), every worker on the whole data. With dist_sync the servers add the workers' equal gradients and fit
# divides by batch size times workers, so the weights are one process's with a local store (STORE=local).
# Saves the parameters to PREFIX-RANK.params. DATA: a directory with the MNIST idx files, uncompressed.
use strict;
use warnings;
use AI::MXNet qw(mx);

my ($data, $prefix) = @ARGV;
die "usage: $0 DATA PREFIX\n" unless defined $prefix;
my $iter = mx->io->MNISTIter(image => "$data/train-images-idx3-ubyte", label => "$data/train-labels-idx1-ubyte",
                             batch_size => 32, flat => 1, shuffle => 0);
my $net = mx->sym->SoftmaxOutput(mx->sym->FullyConnected(mx->sym->var('data'), num_hidden => 10, name => 'fc'),
                                 name => 'softmax');
my $mod = mx->mod->Module(symbol => $net, context => mx->cpu);
mx->random->seed(7);
$mod->fit($iter, num_epoch => 2, kvstore => ($ENV{STORE} // 'dist_sync'), optimizer => 'sgd',
          optimizer_params => {learning_rate => 0.1}, initializer => mx->init->Xavier);
my $kv = $mod->_p->_kvstore;    # the store fit made (none for a local store on one device)
my $rank = $kv ? $kv->rank : 0;
$mod->save_params("$prefix-$rank.params");
printf "worker %s of %s, %s: accuracy %.2f\n", $rank, $kv ? ($kv->num_workers, $kv->type) : (1, 'no store'),
       $mod->score($iter, 'acc')->{accuracy};

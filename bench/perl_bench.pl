#!/usr/bin/env perl
# The Perl side of bench/run.py: the same cases as python_bench.py, written as an AI::MXNet user writes
# them, each timed REPEATS times. Prints one JSON object: case -> list of seconds per iteration. Started by
# bridge-launch (DMLC_ROLE set), it is a worker of the dist_step case instead, and only rank 0 prints.
use strict;
use warnings;
use Time::HiRes qw(time);
use JSON::PP;
use PDL::Lite;
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);

my $REPEATS = $ARGV[0] // 7;

sub timed {
    my ($code, $iterations) = @_;
    my @runs;
    for (1 .. $REPEATS) {
        my $start = time;
        $code->($iterations);
        push @runs, (time - $start) / $iterations;
    }
    return \@runs;
}

sub loop {
    my ($n) = @_;
    my $x = nd->ones([2, 2]);
    $x = $x * 1.0001 + 0.5 for 1 .. $n;
    $x->wait_to_read;
}

sub loop_record {
    my ($n) = @_;
    my $x = nd->ones([2, 2]);
    $x->attach_grad;
    my $y;
    mx->autograd->record(sub {
        $y = $x;
        $y = $y * 1.0001 + 0.5 for 1 .. $n;
    });
    $y->backward;
    $x->grad->wait_to_read;
}

sub kwargs_ops {
    my ($n) = @_;
    my $x = nd->ones([4, 8]);
    my $w = nd->ones([3, 8]);
    my $b = nd->zeros([3]);
    my ($s, $f);
    for (1 .. $n) {
        $s = nd->sum($x, axis => 1);
        $f = nd->FullyConnected($x, $w, $b, num_hidden => 3);
    }
    $s->wait_to_read;
    $f->wait_to_read;
}

my $BIG = nd->random->uniform(shape => [1000, 1000]);
my $BIG_PDL = $BIG->aspdl;

sub to_host { $BIG->aspdl for 1 .. $_[0] }
sub from_host { nd->array($BIG_PDL)->wait_to_read for 1 .. $_[0] }

# A Gluon MLP (784-256-10) trained with SGD on one batch of 64, per step: forward, loss, backward, step; on
# cpu(0), and on gpu(0) where mxnet sees a GPU (the mlp_train_gpu case). With a kvstore, each worker of a
# distributed job trains on its part of the batch.
sub mlp_train_on {
    my ($ctx, $optimizer, $kv) = @_;
    my $rows = $kv ? 64 / $kv->num_workers : 64;
    my $mlp = nn->Sequential;
    $mlp->add(nn->Dense(256, activation => 'relu'), nn->Dense(10));
    $mlp->initialize(init => mx->init->Xavier, ctx => $ctx);
    my $trainer = gluon->Trainer($mlp->collect_params, $optimizer // 'sgd', {learning_rate => 0.01},
                                 $kv ? (kvstore => $kv) : ());
    my $loss_fn = gluon->loss->SoftmaxCrossEntropyLoss;
    my ($data, $label) = (nd->random->uniform(shape => [$rows, 784], ctx => $ctx),
                          nd->array([map { $_ % 10 } 0 .. $rows - 1], ctx => $ctx));
    return sub {
        my ($n) = @_;
        my $loss;
        for (1 .. $n) {
            mx->autograd->record(sub { $loss = $loss_fn->($mlp->($data), $label) });
            $loss->backward;
            $trainer->step(64);
        }
        $loss->wait_to_read;
    };
}

# As a worker of a distributed job (bench/run.py's dist_step: 2 workers, 1 server): the same step on a dist_sync
# kvstore, the optimizer on the server.
if ($ENV{DMLC_ROLE}) {
    my $kv = mx->kv->create('dist_sync');
    mx->random->seed(1);    # the same initial weights in every worker
    my $train = mlp_train_on(mx->cpu(0), 'sgd', $kv);
    $train->(5);    # the first steps initialize the store's keys
    my $runs = timed(sub { $kv->barrier; $train->(@_) }, 200);    # the workers start each try together
    print JSON::PP->new->encode({dist_step => $runs}), "\n" if $kv->rank == 0;
    exit;
}

# Record files (bench/run.py writes them): 10,000 records read through MXRecordIO, and 10,000 JPEG image
# records through ImageRecordIter (decoded by libmxnet's own threads), per record.
my $RECORDS = $ENV{AI_MXNET_BENCH_DATA} // die "AI_MXNET_BENCH_DATA: the folder of bench/run.py's record files\n";

sub recordio_read {
    my ($n) = @_;
    my $reader = mx->recordio->MXRecordIO("$RECORDS/records.rec", 'r');
    my $count = 0;
    $count++ while defined $reader->read;
    die "read $count records, not $n\n" unless $count == $n;
}

my $IMAGES = mx->io->ImageRecordIter(path_imgrec => "$RECORDS/images.rec", data_shape => [3, 32, 32], batch_size => 100);

sub image_record_iter {
    my ($n) = @_;
    $IMAGES->reset;
    my $batch;
    $batch = $IMAGES->next for 1 .. $n / 100;
    $batch->data->[0]->wait_to_read;
}

# The same step with an SGD written in Perl (a class that extends AI::MXNet::Optimizer, as AI::MXNet users wrote
# them): run.py compares it with mlp_train, in the same process.
package BenchSGD {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Optimizer';
    method create_state($index, $weight) { undef }
    method update($index, $weight, $grad, $state) {
        $self->_update_count($index);
        $weight -= $grad * ($self->_get_lr($index) * $self->rescale_grad);
    }
    __PACKAGE__->register;
}

# A metric written in Perl (extends AI::MXNet::EvalMetric): an accuracy, updated with a batch of 64 predictions
# of 10 classes; Python's side is mxnet's Accuracy.
package BenchAccuracy {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::EvalMetric';
    has '+name' => (default => 'accuracy');
    method update($labels, $preds) {
        for my $i (0 .. $#$labels) {
            $self->sum_metric($self->sum_metric + (nd->argmax($preds->[$i], axis => 1) == $labels->[$i])->sum->asscalar);
            $self->num_inst($self->num_inst + $labels->[$i]->size);
        }
    }
}
my $METRIC = BenchAccuracy->new;
my $PREDICTIONS = nd->random->uniform(shape => [64, 10]);
my $LABELS = nd->array([map { $_ % 10 } 0 .. 63]);

sub perl_metric { $METRIC->update([$LABELS], [$PREDICTIONS]) for 1 .. $_[0] }

# Module fit of an MLP (784-128-10) on MNIST-format files read by MNISTIter (2000 images, batch 100), per step;
# bench/run.py writes the files into the same folder.
my $MNIST_ITER = mx->io->MNISTIter({image => "$RECORDS/train-images-idx3-ubyte", label => "$RECORDS/train-labels-idx1-ubyte",
                                    batch_size => 100, flat => 1, silent => 1});
my $MODULE_NET = mx->sym->SoftmaxOutput(
    mx->sym->FullyConnected(mx->sym->Activation(mx->sym->FullyConnected(mx->sym->Variable('data'), num_hidden => 128,
                                                                         name => 'fc1'), act_type => 'relu'),
                            num_hidden => 10, name => 'fc2'), name => 'softmax');

sub module_fit {
    my ($epochs) = @_;    # 20 steps an epoch
    local $AI::MXNet::Logging::silent = 1;    # (Python's logging prints nothing by default either)
    my $mod = mx->mod->Module($MODULE_NET);
    $MNIST_ITER->reset;
    $mod->fit($MNIST_ITER, num_epoch => $epochs, optimizer_params => {learning_rate => 0.1});
    ($mod->get_params)[0]{fc2_bias}->wait_to_read;
}

# NDArrayIter over 5000 samples of 784, batch 100: per batch
my $ITER = mx->io->NDArrayIter(data => nd->random->uniform(shape => [5000, 784]), label => nd->zeros([5000]),
                               batch_size => 100);

sub ndarray_iter {
    my ($epochs) = @_;    # 50 batches an epoch
    my $batch;
    for (1 .. $epochs) {
        $ITER->reset;
        while (my $next = <$ITER>) { $batch = $next }
    }
    $batch->data->[0]->wait_to_read;
}

# the cases to time: those named after TRIES on the command line (bench/run.py CASE ...), else all
my %CASES = (
    loop              => sub { timed(\&loop, 5000) },
    loop_record       => sub { timed(\&loop_record, 5000) },
    kwargs_ops        => sub { timed(\&kwargs_ops, 2000) },
    to_host           => sub { timed(\&to_host, 50) },
    from_host         => sub { timed(\&from_host, 50) },
    mlp_train         => sub { timed(mlp_train_on(mx->cpu(0)), 100) },
    (mx->context->num_gpus ? (mlp_train_gpu => sub { timed(mlp_train_on(mx->gpu(0)), 100) }) : ()),
    recordio_read     => sub { timed(\&recordio_read, 10000) },
    image_record_iter => sub { timed(\&image_record_iter, 10000) },
    module_fit        => sub { [map { $_ / 20 } @{ timed(\&module_fit, 3) }] },
    ndarray_iter      => sub { [map { $_ / 50 } @{ timed(\&ndarray_iter, 4) }] },
    perl_sgd          => sub { timed(mlp_train_on(mx->cpu(0), 'benchsgd'), 100) },
    perl_metric       => sub { timed(\&perl_metric, 500) },
);
my @cases = @ARGV > 1 ? grep({ $CASES{$_} } @ARGV[1 .. $#ARGV]) : sort keys %CASES;
my %results = map { $_ => $CASES{$_}->() } @cases;
print JSON::PP->new->canonical->encode(\%results), "\n";

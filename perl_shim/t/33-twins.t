use strict;
use warnings;
# Perl classes that extend AI::MXNet's classes (AI::MXNet::Bridge::Twin): optimizers, metrics, initializers,
# schedulers, losses, datasets, samplers, data iterators, custom operators and Gluon's own layers. mxnet calls
# the methods the Perl class defines; SUPER::, Mouse's modifiers and BUILDARGS work; register joins the family's
# registry; a die inside a method mxnet calls names the class and the method and leaves the state as it was; a
# class without a method its family requires dies at construction.
use Test::More;
use Scalar::Util qw(blessed);
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
use AI::MXNet::Function::Parameters;

# -- optimizers ------------------------------------------------------------------------------------------------
package PlainSGD {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Optimizer';
    has '+learning_rate' => (default => 0.5);
    has 'fail_at' => (is => 'rw', default => 0);
    has 'calls' => (is => 'rw', default => 0);
    around BUILDARGS => sub { my ($orig, $class, %args) = @_; $class->$orig(wd => 0, %args) };
    method create_state($index, $weight) { undef }
    method update($index, $weight, $grad, $state) {
        $self->calls($self->calls + 1);
        die "refused\n" if $self->fail_at && $self->calls == $self->fail_at;
        $self->_update_count($index);
        $weight -= $self->_get_lr($index) * $self->rescale_grad * $grad;
    }
    __PACKAGE__->register;
}
package CountingSGD {    # SUPER:: reaches Python's SGD
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::SGD';
    has 'seen' => (is => 'rw', default => 0);
    method update($index, $weight, $grad, $state) { $self->seen($self->seen + 1); $self->SUPER::update($index, $weight, $grad, $state) }
}
package AroundSGD {      # a modifier on a method only Python defines
    use Mouse;
    extends 'AI::MXNet::SGD';
    our @log;
    before update => sub { push @log, 'before' };
    around update => sub { my $orig = shift; my $self = shift; push @log, 'around'; $self->$orig(@_) };
    after update => sub { push @log, 'after' };
}
package NoUpdate { use Mouse; extends 'AI::MXNet::Optimizer' }

package main;

sub dense_and_trainer {
    my ($optimizer, @params) = @_;
    my $net = nn->Dense(1, in_units => 2, use_bias => 0);
    $net->initialize(init => mx->init->One);
    my $trainer = gluon->Trainer($net->collect_params, $optimizer, @params);
    return ($net, $trainer);
}

sub train_step {
    my ($net, $trainer) = @_;
    my $loss;
    mx->autograd->record(sub { $loss = $net->(nd->array([[1, 2]]))->sum });
    $loss->backward;
    $trainer->step(1);
}

{
    my $opt = PlainSGD->new(rescale_grad => 0.5);
    is $opt->learning_rate, 0.5, "has '+learning_rate' gives the base's attribute a default";
    is $opt->rescale_grad, 0.5, 'a base attribute set by new is the twin\'s';
    is ref(mx->optimizer->create('plainsgd')), 'PlainSGD', "register: mx->optimizer->create('plainsgd') makes one";
    is ref(mx->optimizer->PlainSGD), 'PlainSGD', 'register: mx->optimizer->PlainSGD';

    my ($net, $trainer) = dense_and_trainer('plainsgd', {learning_rate => 0.1});
    is ref($trainer->optimizer), 'PlainSGD', "gluon->Trainer(..., 'plainsgd') uses the Perl class";
    train_step($net, $trainer);
    ok abs(($net->weight->data - nd->array([[0.9, 0.8]]))->abs->sum->asscalar) < 1e-6,
        'the Perl update ran: w - 0.1 * grad';

    $trainer->optimizer->fail_at(2);
    my $before = $net->weight->data->copy;
    my $ok = eval { train_step($net, $trainer); 1 };
    like $@, qr/^PlainSGD->update \(called by mxnet\): refused/, 'a die in update names the class and method';
    ok !$ok && ($net->weight->data == $before)->min->asscalar, 'the weights are as they were';
    train_step($net, $trainer);
    ok abs(($net->weight->data - ($before - nd->array([[0.1, 0.2]])))->abs->sum->asscalar) < 1e-6,
        'the next step works';

    my $updater = mx->optimizer->get_updater(PlainSGD->new(learning_rate => 1));
    my ($w, $g) = (nd->array([1, 1]), nd->array([0.5, 0.25]));
    $updater->(0, $g, $w);
    is_deeply [$w->aspdl->list], [0.5, 0.75], 'get_updater runs a Perl optimizer';

    eval { NoUpdate->new };
    like $@, qr/^NoUpdate must define update or update_multi_precision \(a class that extends AI::MXNet::Optimizer\)/,
        'a class without update dies at construction';
}

{
    my ($net, $trainer) = dense_and_trainer(CountingSGD->new(learning_rate => 0.1, momentum => 0.9));
    my ($net2, $trainer2) = dense_and_trainer('sgd', {learning_rate => 0.1, momentum => 0.9});
    train_step($_->[0], $_->[1]) for ([$net, $trainer], [$net2, $trainer2], [$net, $trainer], [$net2, $trainer2]);
    is $trainer->optimizer->seen, 2, 'Gluon called the Perl update';
    ok abs(($net->weight->data - $net2->weight->data)->abs->sum->asscalar) < 1e-7, 'SUPER::update is SGD\'s';

    my ($net3, $trainer3) = dense_and_trainer(AroundSGD->new(learning_rate => 0.1));
    train_step($net3, $trainer3);
    is_deeply \@AroundSGD::log, [qw(before around after)], 'before, around and after wrap Python\'s update';
}

# -- metrics ---------------------------------------------------------------------------------------------------
package PerlAccuracy {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::EvalMetric';
    has '+name' => (default => 'perl_accuracy');
    has 'fail' => (is => 'rw', default => 0);
    method update($labels, $preds) {
        die "bad batch\n" if $self->fail;
        for my $i (0 .. $#$labels) {
            my $hits = (nd->argmax($preds->[$i], axis => 1) == $labels->[$i])->sum->asscalar;
            $self->sum_metric($self->sum_metric + $hits);
            $self->num_inst($self->num_inst + $labels->[$i]->size);
        }
    }
    __PACKAGE__->register;
}
package main;
{
    my ($label, $pred) = (nd->array([0, 1, 1]), nd->array([[0.3, 0.7], [0, 1], [0.4, 0.6]]));
    my $metric = PerlAccuracy->new;
    $metric->update([$label], [$pred]);
    my ($name, $value) = $metric->get;
    is $name, 'perl_accuracy', 'a Perl metric\'s name';
    ok abs($value - 2 / 3) < 1e-9, 'its update, and Python\'s get';
    my $made = mx->metric->create('perlaccuracy');
    is ref($made), 'PerlAccuracy', "register: mx->metric->create('perlaccuracy')";
    my $composite = mx->metric->create(['perlaccuracy', 'acc']);
    $composite->update([$label], [$pred]);
    my ($names, $values) = $composite->get;
    is_deeply $names, ['perl_accuracy', 'accuracy'], 'in a composite metric, by name';
    ok abs($values->[0] - $values->[1]) < 1e-9, 'the Perl metric agrees with mxnet\'s Accuracy';
    $metric->fail(1);
    my $ok = eval { $composite->get_metric(0)->fail(1); $composite->update([$label], [$pred]); 1 };
    like $@, qr/^PerlAccuracy->update \(called by mxnet\): bad batch/, 'a die in update_metric names the class';
    my $conf = mx->metric->create('confidence', 2, [0.5, 0.9]);
    $conf->update([nd->array([0, 1])], [nd->array([[0.8, 0.2], [0.3, 0.7]])]);
    my ($cn, $cv) = $conf->get;
    is_deeply [$cn->[0], $cv->[0]], ['P(v=0|Conf>0.5)=(1/1)', 1], 'AI::MXNet\'s Confidence metric';
    # AI::MXNet's Perplexity: ignore_label optional, named 'Perplexity' (char_lstm.pl: mx->metric->Perplexity)
    my $perplexity = mx->metric->Perplexity;
    $perplexity->update([nd->array([0, 1])], [nd->array([[0.5, 0.5], [0.25, 0.75]])]);
    my ($pn, $pv) = $perplexity->get;
    is $pn, 'Perplexity', 'mx->metric->Perplexity without ignore_label, named as AI::MXNet named it';
    ok abs($pv - exp(-(log(0.5) + log(0.75)) / 2)) < 1e-6, 'exp of the mean negative log of the labels\' probabilities';
    my $ignoring = mx->metric->Perplexity(1);
    $ignoring->update([nd->array([0, 1])], [nd->array([[0.5, 0.5], [0.25, 0.75]])]);
    ok abs(($ignoring->get)[1] - 2) < 1e-6, 'Perplexity($label) ignores that label';
}

# -- initializers, schedulers, losses ----------------------------------------------------------------------------
package Halves {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Initializer';
    method _init_weight($name, $arr) { $arr .= 0.5 }
    __PACKAGE__->register;
}
package Halving {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::LRScheduler';
    method call($num_update) { $self->base_lr / 2 ** $num_update }
}
package SquaredError {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Gluon::Loss';
    method hybrid_forward($F, $pred, $label, @rest) { $F->mean(($pred - $label) ** 2, axis => 1) * $self->weight }
}
package main;
{
    my $net = nn->Dense(2, in_units => 2);
    $net->initialize(init => Halves->new);
    is_deeply [$net->weight->data->aspdl->flat->list], [0.5, 0.5, 0.5, 0.5], 'a Perl initializer\'s _init_weight';
    $net->initialize(init => mx->init->create('halves'), force_reinit => 1);
    is $net->weight->data->sum->asscalar, 2, "register: mx->init->create('halves')";
    my $scheduler = Halving->new(base_lr => 0.8);
    is $scheduler->(2), 0.2, 'a Perl scheduler called as a sub';
    my $opt = mx->optimizer->create('sgd', lr_scheduler => $scheduler);
    is $opt->_get_lr(0), 0.8, 'an optimizer reads its learning rate from the Perl scheduler';
    my $loss = SquaredError->new(weight => 2);
    is_deeply [$loss->(nd->array([[1, 3]]), nd->array([[0, 0]]))->aspdl->list], [10], 'a Perl loss';
    $loss->hybridize;
    is_deeply [$loss->(nd->array([[1, 3]]), nd->array([[0, 0]]))->aspdl->list], [10], 'hybridized';
}

# -- datasets, samplers, data iterators -------------------------------------------------------------------------
package Squares {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Gluon::Data::Set';
    has 'n' => (is => 'ro', default => 5);
    method at($i) { return (nd->array([$i, $i * $i]), $i % 2) }
    method len() { $self->n }
}
package Backwards {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Gluon::Data::Sampler';
    has 'length' => (is => 'ro', default => 4);
    has 'next_index' => (is => 'rw', default => 0);
    method reset() { $self->next_index(0) }
    method next() {
        my $i = $self->next_index;
        return undef if $i >= $self->length;
        $self->next_index($i + 1);
        return $self->length - 1 - $i;
    }
    method len() { $self->length }
}
package PairIter {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::DataIter';
    has 'x' => (is => 'ro');
    has 'y' => (is => 'ro');
    has 'cursor' => (is => 'rw', default => 0);
    has 'fail' => (is => 'rw', default => 0);
    method reset() { $self->cursor(0) }
    method next() {
        die "no more data\n" if $self->fail;
        my $i = $self->cursor;
        return undef if $i + $self->batch_size > $self->x->shape->[0];
        $self->cursor($i + $self->batch_size);
        my $end = $i + $self->batch_size - 1;
        return AI::MXNet::DataBatch->new(data => [$self->x->slice([$i, $end])], label => [$self->y->slice([$i, $end])]);
    }
    method provide_data() { [AI::MXNet::DataDesc->new(name => 'data', shape => [$self->batch_size, 2])] }
    method provide_label() { [AI::MXNet::DataDesc->new(name => 'softmax_label', shape => [$self->batch_size])] }
}
package main;
{
    my $set = Squares->new(n => 4);
    is $set->len, 4, 'a Perl dataset\'s len';
    my @batches = @{ gluon->data->DataLoader($set, batch_size => 2) };
    is_deeply [map { [$_->[0]->aspdl->flat->list] } @batches], [[0, 0, 1, 1], [2, 4, 3, 9]], 'its samples batched by Gluon';
    is_deeply [$batches[1][1]->aspdl->list], [0, 1], 'the labels of its tuples';
    my @sampled = @{ gluon->data->DataLoader($set, batch_size => 2, sampler => Backwards->new) };
    is_deeply [map { [$_->[1]->aspdl->list] } @sampled], [[1, 0], [1, 0]], 'a Perl sampler picks the order';

    my $x = nd->array([[0, 1], [1, 0], [0, 2], [2, 0], [0, 3], [3, 0]]);
    my $iter = PairIter->new(x => $x, y => nd->array([1, 0, 1, 0, 1, 0]), batch_size => 2);
    my $net = mx->sym->SoftmaxOutput(mx->sym->FullyConnected(mx->sym->var('data'), num_hidden => 2), name => 'softmax');
    my $mod = mx->mod->Module($net, context => mx->cpu);
    $mod->fit($iter, num_epoch => 20, optimizer_params => {learning_rate => 0.5},
              initializer => mx->init->Xavier);
    is $mod->score($iter, 'acc')->{accuracy}, 1, 'a Perl DataIter feeds Module->fit and score';
    my $wrapped = mx->io->ResizeIter($iter, 4);    # 3 batches: the 4th comes after its undef and a reset
    $wrapped->reset;
    is_deeply [map { $wrapped->next->data->[0]->aspdl->at(1, 0) } 1 .. 4], [1, 2, 3, 1],
        'mxnet\'s ResizeIter wraps a Perl DataIter';
    $iter->fail(1);
    eval { $mod->score($iter, 'acc') };
    like $@, qr/^PairIter->next \(called by mxnet\): no more data/, 'a die in next names the class';

    # AI::MXNet's char_lstm.pl writes `extends AI::MXNet::DataIter;`, no quotes: Perl calls
    # AI::MXNet::DataIter->extends, which Mouse's extends in AI::MXNet's class package answered
    eval q{
        package BarewordIter;
        use Mouse;
        extends AI::MXNet::DataIter;
        sub next { undef }
        1;
    } or die $@;
    ok(BarewordIter->new(batch_size => 3)->isa('AI::MXNet::DataIter'), 'extends AI::MXNet::DataIter without quotes');
    is(BarewordIter->new(batch_size => 3)->batch_size, 3, 'and the class has its base\'s attributes');
    eval { mx->init->Xavier->extends('Foo') };
    like $@, qr/^extends is called on a class, not an object/, 'extends on an object dies in one line';
}

# -- custom operators ---------------------------------------------------------------------------------------------
package Sqr {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::CustomOp';
    our $FAIL = 0;
    method forward($is_train, $req, $in_data, $out_data, $aux) {
        $self->assign($out_data->[0], $req->[0], $in_data->[0] * $in_data->[0]);
    }
    method backward($req, $out_grad, $in_data, $out_data, $in_grad, $aux) {
        die "no gradient today\n" if $FAIL;
        $self->assign($in_grad->[0], $req->[0], 2 * $in_data->[0] * $out_grad->[0]);
    }
}
package SqrProp {
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::CustomOpProp';
    method list_arguments() { ['data'] }
    method list_outputs() { ['output'] }
    method infer_shape($in_shape) { return ($in_shape, [$in_shape->[0]], []) }
    method create_operator($ctx, $shapes, $dtypes) { Sqr->new }
}
package main;
{
    mx->operator->register('perl_sqr', 'SqrProp');
    my $x = nd->array([1, 2, 3]);
    is_deeply [nd->Custom($x, op_type => 'perl_sqr')->aspdl->list], [1, 4, 9], 'a Perl custom operator\'s forward';
    $x->attach_grad;
    my $y;
    mx->autograd->record(sub { $y = nd->Custom($x, op_type => 'perl_sqr') });
    $y->backward;
    is_deeply [$x->grad->aspdl->list], [2, 4, 6], 'and its backward';
    local $Sqr::FAIL = 1;
    mx->autograd->record(sub { $y = nd->Custom($x, op_type => 'perl_sqr') });
    eval { $y->backward };    # (mxnet prints the failed callback's traceback on STDOUT)
    like $@, qr/^Sqr->backward \(called by mxnet\): no gradient today/, 'a die in backward names the class';
    is_deeply [$x->grad->aspdl->list], [2, 4, 6], 'the gradient is as it was';
    $Sqr::FAIL = 0;
    mx->autograd->record(sub { $y = nd->Custom($x, op_type => 'perl_sqr') });
    $y->backward;
    is_deeply [$x->grad->aspdl->list], [2, 4, 6], 'the next backward works';
}

# -- Gluon's own layers -----------------------------------------------------------------------------------------
package DoubleDense {
    use AI::MXNet::Gluon::Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Gluon::NN::Dense';
    method hybrid_forward($F, $x, %params) { 2 * $self->SUPER::hybrid_forward($F, $x, %params) }
}
package Parallel {
    use AI::MXNet::Gluon::Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Gluon::NN::HybridSequential';
    has 'axis' => (is => 'ro', default => 1);
    method python_constructor_arguments() { ['axis'] }
    method hybrid_forward($F, $x) { $F->concat((map { $_->($x) } $self->_children->values), dim => $self->axis) }
    __PACKAGE__->register('AI::MXNet::Gluon::NN');
}
package main;
{
    my $dd = DoubleDense->new(1, in_units => 2, use_bias => 0);
    $dd->initialize(init => mx->init->One);
    is_deeply [$dd->(nd->array([[1, 2]]))->aspdl->list], [6], 'extends Dense: SUPER::hybrid_forward is Dense\'s';
    $dd->hybridize;
    is_deeply [$dd->(nd->array([[1, 2]]))->aspdl->list], [6], 'hybridized';
    like $dd->weight->name, qr/^doubledense\d+_weight$/, 'its parameters named after the Perl class';
    my $par = nn->Parallel(1);
    is ref($par), 'Parallel', "register('AI::MXNet::Gluon::NN'): nn->Parallel";
    $par->add(nn->Dense(2, in_units => 2), nn->Dense(3, in_units => 2));
    $par->initialize;
    $par->hybridize;
    is_deeply $par->(nd->ones([4, 2]))->shape, [4, 5], 'extends HybridSequential: its children, concatenated';
    my $seq = nn->Sequential;
    $seq->add($dd);
    is $seq->[0], $dd, 'a Perl layer in a Sequential is itself';
}

done_testing;

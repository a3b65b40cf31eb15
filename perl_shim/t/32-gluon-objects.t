#!/usr/bin/env perl
# Gluon objects as AI::MXNet's test_gluon.t uses them: the conventions of handles (identity, lists, contexts,
# attributes, keyword pairs, ordered hashes), Perl subs called by Gluon, warnings, and Blocks written in
# Perl with constructor arguments.
use strict;
use warnings;
use Test::More;
use Scalar::Util qw(refaddr blessed);
use File::Temp ();
use Storable ();
use AI::MXNet qw(mx);
use AI::MXNet::Gluon qw(gluon);
use AI::MXNet::Gluon::NN qw(nn);
use AI::MXNet::Gluon::Utils qw(split_and_load);

{
    package Emb;    # positional constructor arguments, as AI::MXNet's python_constructor_arguments named them
    use AI::MXNet::Gluon::Mouse;
    extends 'AI::MXNet::Gluon::HybridBlock';
    has [qw(n k)] => (is => 'ro');
    sub python_constructor_arguments { [qw(n k)] }
    sub BUILD { my $self = shift; $self->name_scope(sub { $self->emb(nn->Embedding($self->n, $self->k)) }) }
    sub hybrid_forward { my ($self, $F, $x) = @_; return $self->emb->($x) }

    package Holder;    # a Block given to new() is registered once the twin exists
    use AI::MXNet::Gluon::Mouse;
    extends 'AI::MXNet::Gluon::Block';
    has 'model' => (is => 'rw');
    sub forward { my ($self, $x) = @_; return $self->model->($x) }

    package Dies;    # a forward that dies
    use AI::MXNet::Gluon::Mouse;
    extends 'AI::MXNet::Gluon::Block';
    sub forward { die {reason => 'my own'} }

    package Listed;    # Blocks in an array attribute are not registered: Gluon warns
    use AI::MXNet::Gluon::Mouse;
    extends 'AI::MXNet::Gluon::Block';
    sub BUILD { my $self = shift; $self->name_scope(sub { $self->layers([map { nn->Dense(2) } 1 .. 3]) }) }
}

subtest 'the same Gluon object is the same Perl reference' => sub {
    my $net = nn->Sequential;
    my $dense = nn->Dense(3);
    $net->add(nn->Dense(2), $dense);
    is refaddr($net->[1]), refaddr($dense), '$net->[1] is the Dense added';
    is refaddr($net->[-1]), refaddr($dense), 'negative index from the end';
    ok $net->[0] == $net->[0], '== on handles';
    my $slice = $net->slice([1]);
    is ref($slice), ref($net), 'slice gives a Sequential';
    is scalar(@$slice), 1, 'of the children asked for';
    is refaddr($slice->[0]), refaddr($dense), 'the same child';
};

subtest 'lists, ordered hashes and contexts' => sub {
    my $dense = nn->Dense(2, in_units => 3, prefix => 'd_');
    my $params = $dense->collect_params;
    is_deeply [$params->keys], [qw(d_weight d_bias)], 'keys in list context, in order';
    is scalar(my @values = $params->values), 2, 'values';
    is refaddr($params->get('weight')), refaddr($dense->weight), 'get (by the name under the prefix) gives the Parameter itself';
    ok $dense->_children->can('values'), "a Block's _children is an ordered hash";
    my $p = gluon->Parameter('w', shape => [2]);
    $p->initialize(ctx => [mx->cpu(0), mx->cpu(1)]);
    my @contexts = @{ $p->list_ctx };
    is scalar(@contexts), 2, 'a list of contexts goes in';
    isa_ok $contexts[1], 'AI::MXNet::Context', 'and comes back';
    is "$contexts[1]", 'cpu(1)', 'cpu(1)';
    my $parts = split_and_load(nd->arange(stop => 4), [mx->cpu(0), mx->cpu(1)]);
    is_deeply [map { "" . $_->context } @$parts], ['cpu(0)', 'cpu(1)'], 'a positional list of contexts, imported function';
    is_deeply $parts->[1]->aspdl->unpdl, [2, 3], 'the second half on the second';
    my $accuracy = mx->metric->Accuracy;
    $accuracy->update([nd->array([1, 0])], [nd->array([[0, 1], [0, 1]])]);    # one of two right
    is_deeply $accuracy->get_name_value, {accuracy => 0.5}, "get_name_value is a hash, as AI::MXNet's";
    my ($name, $value) = mx->metric->Accuracy->get;
    is $name, 'accuracy', 'a tuple is a list in list context';
};

subtest 'attributes and key => value pairs' => sub {
    my $pd = gluon->ParameterDict('p_');
    my $w = $pd->get('x', shape => [10], lr_mult => 2.0);
    is_deeply $w->shape, [10], 'pairs after the required positionals are keywords (**kwargs)';
    is $w->lr_mult, 2, 'lr_mult => 2.0 arrived as a keyword';
    $w->lr_mult(0.5);
    is $w->lr_mult, 0.5, 'one argument sets an attribute';
    my $b = gluon->Block;
    $b->anything(nn->Dense(1));
    is scalar(@{ [$b->_children->values] }), 1, 'a Block set as a new attribute is registered';
    $pd->initialize;
    my $trainer = gluon->Trainer($pd, 'sgd', {learning_rate => 0.1});
    is $trainer->learning_rate, 0.1, 'the trailing hash ref is optimizer_params';
    ok !defined $trainer->kvstore, "AI::MXNet's public name for Python's _kvstore (undef before the first step)";
};

subtest "Perl's 1 and 0 for boolean parameters; a call's outputs as a list" => sub {
    my $cell = gluon->rnn->LSTMCell(4);
    $cell->initialize;
    my ($merged) = $cell->unroll(3, nd->ones([2, 3, 4]), merge_outputs => 1);
    is_deeply $merged->shape, [2, 3, 4], 'merge_outputs => 1 merges (mxnet tests it with `is True`)';
    my ($steps) = $cell->unroll(3, nd->ones([2, 3, 4]), merge_outputs => 0);
    is scalar(@$steps), 3, 'merge_outputs => 0: one output a step';
    my $lstm = gluon->rnn->LSTM(5);
    $lstm->initialize;
    my ($out, $states) = $lstm->(nd->ones([3, 2, 4]), $lstm->begin_state(batch_size => 2));
    is_deeply [$out->shape, scalar(@$states)], [[3, 2, 5], 2], 'my ($out, $states) = $lstm->($x, $states)';
};

subtest 'Perl subs called by Gluon get Perl objects' => sub {
    my @seen;
    my $net = nn->Sequential;
    $net->add(nn->Dense(2));
    $net->apply(sub { push @seen, ref $_[0] });
    is_deeply \@seen, [qw(AI::MXNet::Gluon::NN::Dense AI::MXNet::Gluon::NN::Sequential)], 'apply visits Blocks';
    my $lambda = nn->HybridLambda(sub { my ($F, $x) = @_; push @seen, $F; $F->LeakyReLU($x, slope => 0.1) });
    my $y = $lambda->(nd->array([-1, 2]));
    is $seen[-1], 'AI::MXNet::NDArray', "F is AI::MXNet's class name";
    is_deeply [map { sprintf '%.2f', $_ } @{ $y->aspdl->unpdl }], ['-0.10', '2.00'], 'leaky relu, slope 0.1';
};

subtest 'Blocks written in Perl: constructor arguments' => sub {
    my $emb = Emb->new(20, 3);
    is $emb->n, 20, 'positional arguments by python_constructor_arguments';
    $emb->initialize;
    is_deeply $emb->(nd->array([1, 2]))->shape, [2, 3], 'and it works';
    my $holder = Holder->new(model => nn->Dense(2, in_units => 2));
    is scalar(@{ [$holder->collect_params->keys] }), 2, 'a Block given to new() is registered';
    $holder->initialize;
    is_deeply $holder->(nd->ones([1, 2]))->shape, [1, 2], 'and called';
};

subtest 'AI::MXNet class names as classes' => sub {
    my $dense = AI::MXNet::Gluon::NN::Dense->new(2, in_units => 3);
    is "$dense", 'Dense(3 -> 2, linear)', 'AI::MXNet::Gluon::NN::Dense->new(2, in_units => 3)';
    $dense->initialize;
    my $trainer = AI::MXNet::Gluon::Trainer->new($dense->collect_params, 'sgd', {learning_rate => 0.5});
    is $trainer->learning_rate, 0.5, 'AI::MXNet::Gluon::Trainer->new(...)';
    isa_ok(AI::MXNet::Accuracy->new, 'AI::MXNet::EvalMetric');
    isa_ok(gluon->loss->L2Loss, 'AI::MXNet::Gluon::HybridBlock', 'a loss (AI::MXNet::Gluon::Loss is a namespace too)');
    like(AI::MXNet::Xavier->new(magnitude => 3) . '', qr/^\["xavier", \{.*"magnitude": 3/, "an initializer's string is its JSON");
    eval { AI::MXNet::Gluon::NN::Dense->new() };
    like "$@", qr/missing 1 required positional argument: 'units'/, 'a bad constructor call dies saying why';
    my $net = nn->HybridSequential;
    $net->add(nn->Dense(2, in_units => 3));
    $net->initialize;
    $net->hybridize;
    my $x = nd->ones([1, 3]);
    my $want = $net->($x)->aspdl->unpdl;
    my $dir = File::Temp::tempdir(CLEANUP => 1);
    $net->export("$dir/net", epoch => 1);
    my $loaded = AI::MXNet::Gluon::SymbolBlock->imports("$dir/net-symbol.json", ['data'], "$dir/net-0001.params");
    isa_ok($loaded, 'AI::MXNet::Gluon::SymbolBlock', 'a class method: SymbolBlock->imports');
    is_deeply $loaded->($x)->aspdl->unpdl, $want, 'the exported network, imported, computes the same';
};

subtest 'Blocks written in Perl are freed when nothing holds them' => sub {
    my $kept = Holder->new(model => nn->Dense(2, in_units => 2));
    my $seq = nn->Sequential;
    $seq->add(Holder->new(model => nn->Dense(2, in_units => 2)));    # held by Gluon only
    $_->initialize for $kept, $seq;
    my $x = nd->ones([1, 2]);
    my ($want_kept, $want_seq) = map { $_->($x)->aspdl->unpdl } $kept, $seq;
    Holder->new(model => nn->Dense(1)) for 1 .. 300;
    cmp_ok scalar(keys %AI::MXNet::Bridge::Twin::LIVE), '<', 150, '300 dropped Blocks do not pile up';
    is_deeply $kept->($x)->aspdl->unpdl, $want_kept, 'a Block a Perl variable holds still works';
    is_deeply $seq->($x)->aspdl->unpdl, $want_seq, 'a Block only a Sequential holds still works';
    isa_ok $seq->[0], 'Holder', 'and is still the Perl object';
};

subtest 'a DataLoader with worker processes runs a Perl transform in them' => sub {
    my $ds = gluon->data->ArrayDataset(nd->arange(stop => 8))->transform(sub { $_[0] * 10 });
    my $loader = gluon->data->DataLoader($ds, batch_size => 2, num_workers => 2);
    is_deeply [map { $_->aspdl->unpdl } @{$loader}], [[0, 10], [20, 30], [40, 50], [60, 70]],
        'num_workers => 2: every batch, in order';
    my $bad = gluon->data->DataLoader(
        gluon->data->ArrayDataset(nd->arange(stop => 8))->transform(sub { die "no sample $_[0]\n" if $_[0] == 5; $_[0] }),
        batch_size => 4, num_workers => 2);
    ok !eval { my @all = @{$bad}; 1 }, "a die in a worker's transform dies here";
    like "$@", qr/^AI::MXNet: a Perl callback died: no sample 5 at /, 'with its text, in one line';
    is_deeply [map { $_->aspdl->unpdl } @{$loader}], [[0, 10], [20, 30], [40, 50], [60, 70]], 'loaders still work';
};

subtest 'a custom metric written in Perl gets PDLs, as in AI::MXNet' => sub {
    my @seen;
    my $metric = mx->metric->create(sub {
        my ($label, $pred) = @_;
        push @seen, ref($label), ref($pred);
        return [($pred->maximum_ind == $label)->sum, $label->nelem];    # right ones, out of how many
    });
    $metric->update([nd->array([1, 0, 1])], [nd->array([[0, 1], [0.9, 0.1], [1, 0]])]);
    is_deeply \@seen, [qw(PDL PDL)], 'label and prediction as PDLs';
    my ($name, $value) = $metric->get;
    is $name, 'custom', 'named custom';
    ok abs($value - 2 / 3) < 1e-9, 'two of three right: 2/3';
    my $plain = mx->metric->CustomMetric(sub { my ($l, $p) = @_; ($p->maximum_ind == $l)->sum / $l->nelem }, name => 'acc');
    $plain->update([nd->array([1, 0])], [nd->array([[0, 1], [0.9, 0.1]])]);
    is_deeply [$plain->get], ['acc', 1], 'a PDL returned is its number';
};

subtest 'Python warnings are Perl warnings' => sub {
    my @warnings;
    local $SIG{__WARN__} = sub { push @warnings, $_[0] };
    Listed->new->collect_params;
    is scalar(@warnings), 1, 'Blocks in an array attribute: one warning';
    like $warnings[0], qr/^UserWarning: .*unregistered container with Blocks.* at \S+ line \d+\.$/s,
        "Gluon's text, at the caller's line";
    Listed->new->collect_params;
    is scalar(@warnings), 2, 'every time, as Perl warns';
};

subtest 'items are read when asked' => sub {
    my $n = 0;
    my $ds = gluon->data->ArrayDataset(nd->arange(stop => 5))->transform(sub { $n++; $_[0] * 10 });
    is scalar(@$ds), 5, 'length';
    is $ds->[3], 30, '$ds->[3] transforms sample 3';
    is $n, 1, 'and only it';
    eval { $ds->[0] = 1 };
    like $@, qr/^the items of a Gluon object are read-only/, 'read-only';
};

subtest 'a die in Perl code that Gluon calls comes back unchanged, and nothing is left half done' => sub {
    my $net = nn->Sequential;
    $net->add(nn->Dense(2, in_units => 2), Dies->new);
    $net->initialize;
    eval { mx->autograd->record(sub { $net->(nd->ones([1, 2])) }) };
    is_deeply $@, {reason => 'my own'}, "the forward's die value, through Gluon";
    ok !mx->autograd->is_recording, 'not recording any more';
    my $ds = gluon->data->ArrayDataset(nd->arange(stop => 4))->transform(sub { die "bad sample $_[0]\n" if $_[0] == 2; $_[0] });
    my $loader = gluon->data->DataLoader($ds, batch_size => 1);
    my @got;
    eval { while (defined(my $batch = <$loader>)) { push @got, $batch->asscalar } };
    is $@, "bad sample 2\n", "a transform's die ends the loop";
    is_deeply \@got, [0, 1], 'after the samples before it';
    is <$loader>->asscalar, 0, 'the next read starts again';
    is_deeply [map { $_->asscalar } @{ gluon->data->DataLoader(gluon->data->ArrayDataset(nd->arange(stop => 2)),
                                                                batch_size => 1) }], [0, 1], 'loaders still work';
    eval { Dies->new->(nd->ones([1])) };
    is_deeply $@, {reason => 'my own'}, 'called directly too';
};

subtest 'cached ops and executors of Symbols are handles too' => sub {
    # a 3x3 convolution of ones over 4 channels of ones: 36 per output, + bias 1, + 2 = 39; bias 2 gives 40
    my $op = mx->nd->CachedOp(mx->sym->Convolution(kernel => [3, 3], num_filter => 10) + 2);
    isa_ok $op, 'AI::MXNet::CachedOp';
    my ($data, $weight) = (nd->ones([3, 4, 10, 10]), nd->ones([10, 4, 3, 3]));
    my $o1 = $op->($data, $weight, nd->ones([10]));
    is_deeply [$o1->shape, $o1->at(0)->at(0)->at(0)->at(0)->asscalar], [[3, 10, 8, 8], 39], 'called as a code ref';
    my $o2 = nd->zeros([3, 10, 8, 8]);
    $op->($data, $weight, nd->full([10], 2), out => $o2);
    is $o2->at(2)->at(9)->at(7)->at(7)->asscalar, 40, 'out => fills the given array';

    # y = 2x + 1: forward gives it, backward with ones gives dy/dx = 2
    my $x = mx->sym->Variable('x');
    my ($in, $grad) = (nd->array([1, 2, 3]), nd->zeros([3]));
    my $exec = ($x * 2 + 1)->bind(ctx => mx->cpu, args => {x => $in}, args_grad => {x => $grad});
    isa_ok $exec, 'AI::MXNet::Executor';
    $exec->forward(1);
    is_deeply [$exec->outputs->[0]->aspdl->list], [3, 5, 7], 'forward';
    $exec->backward(nd->ones([3]));
    is_deeply [$grad->aspdl->list], [2, 2, 2], 'backward fills args_grad';

    # AI::MXNet's spellings: shapes => {...} for simple_bind, a hash of shapes for reshape, symbol functions
    # as methods. Ones through a 4x4 FullyConnected of ones, bias 0: every output is 4.
    my $fc = mx->sym->FullyConnected($x, num_hidden => 4);
    my $exe = $fc->simple_bind(ctx => mx->cpu, shapes => {x => [5, 4]}, grad_req => 'null');
    $exe->arg_arrays->[0] .= 1;
    $exe->arg_arrays->[1] .= nd->ones([4, 4]);
    $exe->arg_arrays->[2] .= 0;
    my $small = $exe->reshape({x => [3, 4]});
    $small->forward(0);
    is_deeply $small->outputs->[0]->aspdl->unpdl, [([4, 4, 4, 4]) x 3], 'simple_bind(shapes => ...), reshape({...})';
    my $bigger = $exe->reshape({x => [6, 4]}, allow_up_sizing => 1);
    is_deeply $bigger->arg_arrays->[0]->shape, [6, 4], 'reshape(..., allow_up_sizing => 1)';
    my $max = $x->maximum(mx->sym->Variable('y'));
    is_deeply [$max->eval(args => {x => nd->array([1, 5]), y => nd->array([3, 2])})->[0]->aspdl->list], [3, 5],
        '$sym->maximum($other) is mx->sym->maximum($sym, $other)';
    ok !eval { $x->no_such_function; 1 }, 'an unknown method still dies';
    like $@, qr/AI::MXNet::Symbol has no method or attribute no_such_function/, '... saying so';
};

subtest "a namespace function's trailing pairs go to its **kwargs; Python's int keys are Perl's string keys" => sub {
    my @warnings;
    local $SIG{__WARN__} = sub { push @warnings, @_ };
    my $sgd = mx->optimizer->create('sgd', momentum => 0.9, learning_rate => 0.1);    # create(name, **kwargs)
    is_deeply [$sgd->momentum, $sgd->learning_rate], [0.9, 0.1], "mx->optimizer->create('sgd', momentum => 0.9, ...)";
    my $updater = mx->optimizer->get_updater($sgd);
    my $w = nd->ones([2]);
    $updater->(0, nd->ones([2]), $w);    # momentum 0.9 * 0 - 0.1 * grad 1: w = 1 - 0.1
    ok !(grep { abs($_ - 0.9) > 1e-6 } $w->aspdl->list), 'one SGD step with momentum';
    is_deeply [keys %{ $updater->states }], ['0'], 'the states of index 0 as $states->{0}';
    is_deeply \@warnings, [], 'no warnings';
};

subtest 'AttrScope as AI::MXNet set it (local $mx::AttrScope), Storable and slice of Symbols, hashes as pair values' => sub {
    my ($inner, $outer, $after);
    {
        local $mx::AttrScope = mx->AttrScope(group => 4, __data__ => 'great');    # numbers are strings, as Str
        $outer = mx->sym->Variable('a', attr => {group => '1'});   # the symbol's own attr wins over the scope's
        {
            local $mx::AttrScope = mx->AttrScope(__init_bias__ => 0);    # replaces the scope: no merging
            $inner = mx->sym->Variable('b');
        }
        ok !eval { local $mx::AttrScope = mx->AttrScope(group => 'x'); die "inside\n" }, 'a die inside a scope';
        $after = mx->sym->Variable('c');
    }
    ok !eval { local $mx::AttrScope = 'group'; 1 }, 'a value that is no AttrScope dies';
    like $@, qr/^\$mx::AttrScope takes an mx->AttrScope\(\.\.\.\), not a str/, '... saying so';
    my $none = mx->sym->Variable('d');
    is_deeply [$outer->attr('group'), $outer->attr('__data__')], [1, 'great'], 'scope attributes and its own';
    is_deeply [$inner->attr('__init_bias__'), $inner->attr('group')], [0, undef], 'an inner local scope';
    is $after->attr('group'), 4, 'the outer scope is back after the inner one and after a die';
    is $none->attr('group'), undef, 'no scope once the local ends';

    my $fc = mx->sym->FullyConnected(mx->sym->Variable('x'), num_hidden => 2, name => 'fc');
    my $copy = Storable::thaw(Storable::freeze($fc));
    isa_ok $copy, 'AI::MXNet::Symbol';
    is $copy->tojson, $fc->tojson, 'a Symbol through Storable';
    is $fc->get_internals->slice('fc_weight')->name, 'fc_weight', '$sym->slice(NAME): an output by name';
    is_deeply mx->sym->Variable('v', attr => {__mood__ => 'angry'})->list_attr, {__mood__ => 'angry'},
        'a hash ref after a parameter name is that parameter\'s value';

    # contexts inside a hash ref are contexts (group2ctx): each group's node runs on its device
    my $net;
    { local $mx::AttrScope = mx->AttrScope(ctx_group => 'dev1'); $net = mx->sym->Variable('p') * 2 }
    { local $mx::AttrScope = mx->AttrScope(ctx_group => 'dev2'); $net = $net + 1 }
    my $exe = $net->bind(ctx => mx->cpu(0), args => {p => nd->array([1, 2])},
                         group2ctx => {dev1 => mx->cpu(0), dev2 => mx->cpu(1)});
    $exe->forward(0);
    is_deeply [$exe->outputs->[0]->aspdl->list, $exe->outputs->[0]->context . ''], [3, 5, 'cpu(1)'],
        'group2ctx => {dev1 => mx->cpu(0), dev2 => mx->cpu(1)}';
};

done_testing;

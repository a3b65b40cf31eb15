package AI::MXNet::Gluon;

# `use AI::MXNet::Gluon qw(gluon);`: gluon is this class name, a namespace of Python Gluon
# (AI::MXNet::Bridge::Object: gluon->Trainer(...), gluon->nn, gluon->loss, gluon->data, gluon->utils).

use strict;
use warnings;
use AI::MXNet;
use AI::MXNet::Bridge::Object;
use AI::MXNet::Gluon::Block;

# `use AI::MXNet::Gluon qw(gluon)` (and AI::MXNet::Gluon::NN's `qw(nn)`): the name returns the class name,
# and, as in AI::MXNet, is that class as a bare word in every package (`nn->Dense` inside a Block's package).
sub import {
    my ($class, @names) = @_;
    my $target = caller;
    no strict 'refs';
    for my $name (@names) {
        *{"${target}::$name"} = sub { $class };
        *{"${name}::"} = \%{"${class}::"};
        $AI::MXNet::Bridge::Object::NAMESPACE{$name} = $AI::MXNet::Bridge::Object::NAMESPACE{$class};
    }
    return;
}

1;

=head1 NAME

AI::MXNet::Gluon - Gluon from Perl: blocks, layers, losses, trainers, data

=head1 SYNOPSIS

    use AI::MXNet qw(mx);
    use AI::MXNet::Gluon qw(gluon);
    use AI::MXNet::Gluon::NN qw(nn);
    my $net = nn->Sequential;
    $net->name_scope(sub { $net->add(nn->Dense(64, activation => 'relu'), nn->Dense(10)) });
    $net->initialize(init => mx->init->Xavier);
    my $trainer = gluon->Trainer($net->collect_params, 'sgd', {learning_rate => 0.1});
    my $loss = gluon->loss->SoftmaxCrossEntropyLoss;

=head1 DESCRIPTION

Every name of Python's C<mxnet.gluon> 1.9.1, called AI::MXNet's way; the objects are handles
(L<AI::MXNet::Bridge::Object>), Blocks written in Perl extend L<AI::MXNet::Gluon::Block>.
C<< gluon->data->vision->MNIST >> and C<FashionMNIST> read the standard gzip idx files from C<root> (nothing is
downloaded).

=cut

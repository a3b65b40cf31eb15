package AI::MXNet::Bridge::Object;

# Every Python object that is not an array (a Gluon block, parameter, trainer, loss, dataset, data loader,
# initializer, metric, optimizer, symbol) reaches Perl as a handle: the Python object itself, blessed into
# the class AI::MXNet gave it (bridge/handles/objects.py names it). Its methods and attributes all go to Python through
# one call (bridge/perl/entry.py call_object); its class names, called as classes, are the namespaces AI::MXNet had.

use strict;
use warnings;
use Scalar::Util qw(blessed reftype refaddr weaken);
use AI::MXNet::Bridge;
use AI::MXNet::Bridge::Namespaces;

# AI::MXNet's class names that are namespaces of objects: a class method of one calls the bridge function of
# that name (gluon->Trainer(...), nn->Dense(2), mx->init->Xavier, gluon->loss->L2Loss, mx->sym->var('x')).
# They come from the bridge's table of namespaces (AI::MXNet::Bridge::Namespaces).
our %NAMESPACE = map { $_ => $AI::MXNet::Bridge::Namespaces::PATH{$_} }
                 grep { $AI::MXNet::Bridge::Namespaces::CALLS{$_} eq 'objects' } keys %AI::MXNet::Bridge::Namespaces::PATH;

# Functions whose Perl sub AI::MXNet called with PDLs (a custom metric's feval gets label and prediction as
# PDLs): the sub gets each NDArray argument as aspdl, and a PDL it returns goes back as its number.
our %PDL_CALLBACK = map { $_ => 1 } qw(mx.metric.CustomMetric mx.metric.create mx.metric.np);
# ... and the methods that make such a metric of a sub given as an argument (by position or after its name):
# $mod->fit($iter, eval_metric => sub {...}), $mod->score($iter, sub {...}).
our %PDL_CALLBACK_ARGUMENT = (fit   => {eval_metric => 1, validation_metric => 1},
                              score => {1 => 1, eval_metric => 1});

# Classes with a module of their own here, loaded before a handle is blessed into a class below them.
our %MODULE = (
    'AI::MXNet::Gluon::Block'       => 'AI/MXNet/Gluon/Block.pm',
    'AI::MXNet::Gluon::HybridBlock' => 'AI/MXNet/Gluon/Block.pm',
    'AI::MXNet::Symbol'             => 'AI/MXNet/Symbol.pm',
    (map { $_ => 'AI/MXNet/RecordIO.pm' } qw(AI::MXNet::RecordIO AI::MXNet::IndexedRecordIO AI::MXNet::IRHeader)),
);

my %PROVISIONAL_ISA;    # namespaces whose @ISA is only AI::MXNet::Bridge::Object, until their chain is made

# Namespaces with a module file of their own (the rest are loaded with this one).
my %OWN_FILE = %AI::MXNet::Bridge::Namespaces::MODULE;

{
    no strict 'refs';
    for my $package (keys %NAMESPACE) {
        # a namespace is a class of handles too (class methods reach AUTOLOAD); one that is also a Python
        # class (AI::MXNet::Gluon::Loss) gets its real parents when its chain is made
        @{"${package}::ISA"} = (__PACKAGE__) and $PROVISIONAL_ISA{$package} = 1
            unless @{"${package}::ISA"} || $MODULE{$package};
        next if $OWN_FILE{$package};
        # `use AI::MXNet::Gluon::Utils qw(download split_and_load)`: loaded already, and imports functions
        (my $file = "$package.pm") =~ s{::}{/}g;
        $INC{$file} //= __FILE__;
        *{"${package}::import"} = sub {
            my ($class, @names) = @_;
            my $target = caller;
            for my $name (@names) {
                *{"${target}::$name"} = sub {
                    _result(wantarray, AI::MXNet::Bridge::call_with_callbacks("$NAMESPACE{$class}.$name", @_));
                };
            }
        };
    }
}

our %CLASS;  # the AI::MXNet classes of Python classes, declared (a class method of one goes to Python)

# `use AI::MXNet::X` of an AI::MXNet class or namespace without a module file of its own finds it loaded
# (last on @INC: a file, where there is one, comes first).
push @INC, sub {
    my (undef, $file) = @_;
    my $package = $file =~ s{/}{::}gr;
    return unless $package =~ s/\.pm$// && ($CLASS{$package} || $NAMESPACE{$package});
    open my $source, '<', \"1;\n";
    return $source;
};

my %made;    # classes whose @ISA is set
my %handles; # Python object address -> its Perl handle (weak): the same object is the same Perl reference
my $handles_swept = 64;

# Set up the packages of a chain (each ISA the next), once per class.
sub _make_classes {
    my ($chain) = @_;
    return if $made{ $chain->[0] };
    no strict 'refs';
    for my $i (0 .. $#$chain) {
        my $package = $chain->[$i];
        require $MODULE{$package} if $MODULE{$package};
        @{"${package}::ISA"} = ($chain->[$i + 1])
            if $i < $#$chain && (!@{"${package}::ISA"} || delete $PROVISIONAL_ISA{$package});
        $made{$package} = 1;
    }
}

# Declare every AI::MXNet class of Python's, so AI::MXNet::Gluon::NN::Dense->new(2) finds its package
# (AI::MXNet::Gluon does this at load).
sub declare_classes {
    for my $chain (@{ AI::MXNet::Bridge::python('handle_classes') }) {
        _make_classes($chain);
        $CLASS{ $chain->[0] } = 1;
    }
}

# bless a Python object into the first class of $chain.
sub _bless_handle {
    my ($object, $chain) = @_;
    my $address = $$object;
    my $known = $handles{$address};
    return $known if $known;    # alive, so its Python object is too: the address is still that object's
    my $class = $chain->[0];
    _make_classes($chain);
    $handles{$address} = bless $object, $class;
    weaken($handles{$address});
    if (keys %handles > 2 * $handles_swept) {    # forget the handles Perl let go of
        delete @handles{ grep { !defined $handles{$_} } keys %handles };
        $handles_swept = keys %handles;
    }
    return $object;
}

# The Python object behind a Perl object: a handle is one; a Block written in Perl holds its twin.
sub _py { reftype($_[0]) eq 'HASH' ? $_[0]{_py} : $_[0] }

# A tuple result (e.g. $metric->get) is a list in list context.
sub _result {
    my ($wantarray, $r) = @_;
    return $wantarray && ref $r eq 'ARRAY' && Inline::Python::py_is_tuple($r) ? @$r : $r;
}

# A call's outputs, as AI::MXNet's Block call gave them: a list in list context (my ($out, $state) = $rnn->(...)).
sub _outputs {
    my ($wantarray, $r) = @_;
    return $wantarray && ref $r eq 'ARRAY' ? @$r : $r;
}

# A method of a Python class as a sub of its AI::MXNet package, made the first time it is called (or asked for with
# can): later calls skip AUTOLOAD (a few us each, on hot paths such as a Perl optimizer's $self->_get_lr). Only for
# what the Python class itself defines as a method, so that can() stays true of the objects it was; a class method
# call of the name still takes AUTOLOAD's way.
our $AUTOLOAD;
my %METHOD_LOOKED;    # "class\0name" already looked at (an attribute's name stays AUTOLOAD's at one lookup a call)
sub _method_sub {
    my ($class, $name) = @_;
    return if $METHOD_LOOKED{"$class\0$name"}++;
    my ($package) = grep { $CLASS{$_} } @{ mro::get_linear_isa($class) } or return;
    no strict 'refs';
    return \&{"${package}::$name"} if defined &{"${package}::$name"};
    return unless AI::MXNet::Bridge::python('class_has_method', $package, $name);
    return *{"${package}::$name"} = sub {
        unless (ref $_[0]) { $AUTOLOAD = "${package}::$name"; goto &AUTOLOAD }
        my $object = shift;
        _result(wantarray, AI::MXNet::Bridge::call_object(_py($object), $name, @_));
    };
}

sub AUTOLOAD {
    my $name = $AUTOLOAD =~ s/.*:://r;
    return if $name eq 'DESTROY';
    my $invocant = shift;
    if (ref $invocant) {
        my $metrics = $PDL_CALLBACK_ARGUMENT{$name};
        my @args = $metrics ? map { ref $_[$_] eq 'CODE' && ($metrics->{$_} || $_ && $metrics->{ $_[$_ - 1] // '' })
                                      ? _with_pdls($_[$_]) : $_[$_] } 0 .. $#_
                            : @_;
        my $result;
        unless (eval { $result = AI::MXNet::Bridge::call_object(_py($invocant), $name, @args); 1 }) {
            # a name the object lacks leaves no entry that Perl's method lookup made in its class (each distinct
            # name, `$handle->$name` with any string, would otherwise stay for good)
            my ($error, $class) = ($@, ref $invocant);
            no strict 'refs';
            delete ${"${class}::"}{$name} unless defined &{"${class}::$name"};
            die $error;
        }
        _method_sub(ref $invocant, $name) unless $metrics;    # (after the call: a name that failed is not kept)
        return _result(wantarray, $result);
    }
    # a namespace's function first (mx->init->Xavier: AI::MXNet::Initializer is a class too), then the class's
    return _class_call($invocant, $name, @_) if $CLASS{$invocant} && ($name eq 'new' || !$NAMESPACE{$invocant});
    my $namespace = $NAMESPACE{$invocant}
        or die AI::MXNet::Error->new(type => 'AttributeError',
                                     message => "$invocant has no class method $name (call it on an object)");
    # the entry Perl's method lookup made in the package for a name the namespace lacks goes (each distinct
    # unknown name, `gluon->$name` with any string, would otherwise stay for good); the call dies saying why
    no strict 'refs';
    delete ${"${invocant}::"}{$name} unless AI::MXNet::Bridge::python('known_name', $namespace, $name);
    my @args = $PDL_CALLBACK{"$namespace.$name"} ? map { ref eq 'CODE' ? _with_pdls($_) : $_ } @_ : @_;
    return _result(wantarray, AI::MXNet::Bridge::call_with_callbacks("$namespace.$name", @args));
}

sub _with_pdls {
    my ($code) = @_;
    return sub {
        # a PDL it returns (a one-element sum) is its number; [$sum, $count] is the pair Python expects
        my @result = $code->(map { blessed($_) && $_->isa('AI::MXNet::NDArray') ? $_->aspdl : $_ } @_);
        @result = @{ $result[0] } if @result == 1 && ref $result[0] eq 'ARRAY';
        return map { blessed($_) && $_->isa('PDL') ? $_->sclr : $_ } @result;
    };
}

# Class->new(...) or another class method of a Python class (bridge/perl/entry.py class_call).
sub _class_call {
    my ($class, $name, @args) = @_;
    return _result(wantarray, AI::MXNet::Bridge::python('class_call', $class, $name,
                                                        AI::MXNet::Bridge::_guard_callbacks(@args)));
}

sub new { my $class = shift; _class_call(ref($class) || $class, 'new', @_) }

# AI::MXNet's classes were Mouse classes, with Mouse's `extends` left in their packages, so `extends
# AI::MXNet::DataIter;` without quotes (which Perl reads as AI::MXNet::DataIter->extends, the package being
# known) made the calling class extend it; its char_lstm.pl example does so.
sub extends {
    my $class = shift;
    die AI::MXNet::Error->new(type => 'TypeError', message => "extends is called on a class, not an object")
        if ref $class;
    require Mouse;
    Mouse::Meta::Class->initialize(scalar caller)->superclasses($class, @_);
    return;
}

# can() also answers for what the Python object has, so duck-typing code finds the methods.
sub can {
    my ($self, $name) = @_;
    my $code = $self->SUPER::can($name);
    return $code if $code;
    return _namespace_can($self, $name) unless ref $self;
    return unless AI::MXNet::Bridge::python('has_attribute', _py($self), $name);
    return sub { my $object = shift; _result(wantarray, AI::MXNet::Bridge::call_object(_py($object), $name, @_)) };
}

# A namespace's function as a code ref (begin_state(func => mx->sym->can('Variable'))): called as AI::MXNet
# called it, with the class first, or as mxnet calls it, with only the arguments.
sub _namespace_can {
    my ($class, $name) = @_;
    my $namespace = $NAMESPACE{$class} or return;
    return sub {
        shift if @_ && defined $_[0] && !ref $_[0] && $_[0] eq $class;
        _result(wantarray, AI::MXNet::Bridge::call_with_callbacks("$namespace.$name", @_));
    };
}

sub DESTROY {}

use overload
    '""'   => sub { AI::MXNet::Bridge::python('describe', _py($_[0])) },
    '&{}'  => sub { my $self = shift; sub { _outputs(wantarray, AI::MXNet::Bridge::call_object(_py($self), '__call__', @_)) } },
    '@{}'  => \&_items,
    '<>'   => sub { AI::MXNet::Bridge::python('next_item', _py($_[0])) },
    'bool' => sub { 1 },
    '=='   => sub { blessed($_[1]) && refaddr($_[0]) == refaddr($_[1]) },    # one Perl ref per Python object
    'eq'   => sub { "$_[0]" eq "$_[1]" },
    fallback => 1;

# @{$handle}: a tied array reading each item from Python when asked ($dataset->[3] reads one sample, not all),
# or, for what can only be iterated (a DataLoader), the list of all its items.
sub _items {
    my ($self) = @_;
    my ($length, $all) = @{ AI::MXNet::Bridge::python('items', _py($self)) };
    return $all unless defined $length;
    tie my @items, 'AI::MXNet::Bridge::Object::Items', _py($self), $length;
    return \@items;
}


package AI::MXNet::Bridge::Object::Items;
# The tied array behind @{$handle}: read-only, each item fetched by index.
sub TIEARRAY  { my ($class, $object, $length) = @_; bless [$object, $length], $class }
sub FETCHSIZE { $_[0][1] }
sub FETCH     { my ($self, $i) = @_; $i < $self->[1] ? AI::MXNet::Bridge::python('item', $self->[0], $i) : undef }
sub EXISTS    { $_[1] < $_[0][1] }
sub STORE     { die AI::MXNet::Error->new(type => 'TypeError', message => "the items of a Gluon object are read-only "
                                                                            . "here (use its methods, e.g. add)") }

1;

=head1 NAME

AI::MXNet::Bridge::Object - a Python object other than an array, as a Perl object (a handle)

=head1 SYNOPSIS

    my $dense = nn->Dense(2, in_units => 3);          # an AI::MXNet::Gluon::NN::Dense handle
    $dense->initialize;
    print $dense->weight->data->shape->[0], "\n";    # Python's attributes and methods
    print ref($dense), "\n";

=head1 DESCRIPTION

Gluon blocks, parameters, parameter dicts, trainers, losses, datasets, data loaders, initializers, metrics,
optimizers and symbols are Python objects blessed into the class AI::MXNet gave them
(C<AI::MXNet::Gluon::NN::Dense>, C<AI::MXNet::Gluon::Trainer>, C<AI::MXNet::Accuracy>, ...), each class a
subclass of the next one up as in Python (Dense ISA AI::MXNet::Gluon::HybridBlock ISA AI::MXNet::Gluon::Block).

Every method and attribute is Python's, called AI::MXNet's way: C<< $net->initialize(init => mx->init->Xavier) >>,
C<< $dense->weight->data >>, C<< $param->grad_req('null') >> (one argument sets an attribute). A tuple result is a
list in list context (C<< my ($name, $value) = $metric->get >>). A handle is callable (C<< $net->($x) >>), its
string is Gluon's (C<print $net>), C<< @{$seq} >> lists a Sequential's children, a DataLoader's batches or a
dataset's samples, and C<< <$loader> >> reads the next batch (undef at the end, then starts again).

The namespace classes (C<gluon>, C<nn>, C<< gluon->loss >>, C<< gluon->data >>, C<< mx->init >>, C<< mx->metric >>,
C<< mx->optimizer >>, C<< mx->sym >>) call the bridge function of the method's name:
C<< nn->Dense(120, activation => 'relu') >>.

=head1 METHODS

=over

=item new(@args)

C<< AI::MXNet::Gluon::NN::Dense->new(2) >>: the Python class's constructor, called AI::MXNet's way.

=item extends

C<extends AI::MXNet::DataIter;> (no quotes: Perl calls C<< AI::MXNet::DataIter->extends >>) makes the calling
Mouse class extend that class, as Mouse's C<extends>, which AI::MXNet's classes had, did.

=item can($name)

True for a method Perl defines and for an attribute or method the Python object has, as Perl's C<can> would
be if each were a sub.

=item declare_classes

Declares every AI::MXNet class of a Python class the bridge knows, each a subclass of the next one up, so
C<< AI::MXNet::Gluon::NN::Dense->new(2) >> finds its package (AI::MXNet::Gluon calls it at load).

=back

=cut

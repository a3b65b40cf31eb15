package AI::MXNet::Bridge::Twin;

# Classes written in Perl that extend AI::MXNet's classes backed by Python ones (optimizers, metrics,
# initializers, schedulers, data sets, samplers, data iterators, custom operators, Gluon's blocks and layers):
# one mechanism for all. The first time a Mouse class names an AI::MXNet class as its superclass (`extends`),
# that class becomes a Mouse class (`prepare`) whose attributes are its Python class's constructor arguments,
# read and set on the Python object. An object of the Perl class holds a twin (bridge/handles/twins.py), made
# in BUILD: a Python object of a subclass of the base's Python class, through which mxnet calls the methods the
# Perl class defines (`_call`, on Perl's thread). Everything else is the Python base's, reached through the
# handle calls (AI::MXNet::Bridge::Object), so $self->SUPER::update(...) and Mouse's around/before/after work.

use strict;
use warnings;
use B ();
use mro ();
use Mouse ();
use Scalar::Util qw(blessed reftype);
use AI::MXNet::Bridge;
use AI::MXNet::Bridge::Object;
use AI::MXNet::Error;

our @ISA = ('AI::MXNet::Bridge::Object', 'Mouse::Object');

# The Perl objects that have twins, by id, for the twins to call back. An object and its twin hold each other
# across the bridge: `_sweep` frees the pairs that nothing else holds (run as objects are made, each time %LIVE
# doubles).
our %LIVE;
my $last_id = 0;
my $sweep_at = 64;

my %TWIN_CLASS;    # Perl class => [its Python base's AI::MXNet name, the base's constructor arguments]
my %prepared;      # AI::MXNet classes made Mouse classes

# Mouse's `extends` (and any setting of a Mouse class's superclasses) makes an AI::MXNet class named there a
# Mouse class first.
{
    my $superclasses = Mouse::Meta::Class->can('superclasses');
    no warnings 'redefine';
    *Mouse::Meta::Class::superclasses = sub {
        my $meta = shift;
        prepare($_) for @_;
        return $meta->$superclasses(@_);
    };
}

# An AI::MXNet class backed by a Python class, as a Mouse class a Perl class can extend: the top of its chain
# gets this package as its parent (Mouse's object machinery, with the construction below), and the class gets
# an attribute for each of the Python class's constructor arguments.
sub prepare {
    my ($package) = @_;
    return if $prepared{$package} || !$AI::MXNet::Bridge::Object::CLASS{$package};
    $prepared{$package} = 1;
    no strict 'refs';
    my $top = $package;
    $top = ${"${top}::ISA"}[0] while @{"${top}::ISA"} && $AI::MXNet::Bridge::Object::CLASS{ ${"${top}::ISA"}[0] };
    @{"${top}::ISA"} = (__PACKAGE__) if (${"${top}::ISA"}[0] // '') eq 'AI::MXNet::Bridge::Object';
    my $meta = Mouse::Meta::Class->initialize($package);
    my ($parameters, $defaults, $positional, $stored) = @{ AI::MXNet::Bridge::python('twin_base', $package) };
    *{"${package}::python_constructor_arguments"} = sub { $positional }
        if $positional && !defined &{"${package}::python_constructor_arguments"};
    for my $name (@$parameters) {
        next if $meta->find_attribute_by_name($name);
        $meta->add_attribute($name => (is => 'rw', metaclass => 'AI::MXNet::Bridge::Twin::Attribute',
                                       exists $defaults->{$name} ? (default => $defaults->{$name}) : ()));
    }
    for my $name (@$stored) {
        $meta->add_attribute($name => (is => 'rw', metaclass => 'AI::MXNet::Bridge::Twin::StoredAttribute'))
            unless $meta->find_attribute_by_name($name);
    }
    return;
}

# The Python class's constructor: for AI::MXNet's own classes (AI::MXNet::SGD->new(...)), Python's; for a
# class written in Perl, Mouse's.
sub new {
    my $class = shift;
    my $name = ref($class) || $class;
    return AI::MXNet::Bridge::Object::_class_call($name, 'new', @_) if $AI::MXNet::Bridge::Object::CLASS{$name};
    return $name->Mouse::Object::new(@_);
}

# Constructor arguments as AI::MXNet took them: key => value pairs or one hash ref; a class that names its
# python_constructor_arguments takes those positionally first (Emb->new(20, 3)).
my %INTERNAL_ARGUMENTS = map { $_ => 1 } qw(prefix params);
sub BUILDARGS {
    my $class = shift;
    return {%{ $_[0] }} if @_ == 1 && ref $_[0] eq 'HASH';
    return $class->Mouse::Object::BUILDARGS(@_) unless $class->can('python_constructor_arguments');
    my %known = (%INTERNAL_ARGUMENTS, map { ($_->init_arg // '') => 1 } $class->meta->get_all_attributes);
    my %args;
    while (@_ >= 2 && defined $_[-2] && !ref $_[-2] && $known{ $_[-2] }) {
        my $value = pop;
        $args{ pop() } = $value;
    }
    my @names = @{ $class->python_constructor_arguments };
    die AI::MXNet::Error->new(type => 'TypeError', message => "$class takes at most " . @names
                              . " positional arguments (@names), got " . @_) if @_ > @names;
    @args{ @names[0 .. $#_] } = @_;
    return \%args;
}

# The twin, made before any BUILD of the Perl classes runs; the base's constructor arguments the object has
# (the base's attributes, and the Perl classes' own of the same names) are the twin's.
sub BUILD {
    my ($self) = @_;
    my $class = ref $self;
    my ($base, $parameters) = @{ $TWIN_CLASS{$class} //= _twin_class($class) };
    my %kwargs;
    for my $attribute ($class->meta->get_all_attributes) {
        my $name = $attribute->init_arg // next;
        $kwargs{$name} = $self->{ $attribute->name } if exists $self->{ $attribute->name } && $parameters->{$name};
    }
    _sweep() if keys %LIVE >= $sweep_at;
    my $id = ++$last_id;
    $LIVE{$id} = $self;
    my $twin = eval { AI::MXNet::Bridge::python_object('new_twin', $id, $class, \%kwargs) };
    unless (defined $twin) { delete $LIVE{$id}; die $@ }
    $self->{_py} = $twin;
    return;
}

sub _py { reftype($_[0]) eq 'HASH' ? $_[0]{_py} : $_[0] }

# $object->(...) of an object whose Perl class defines `call` (a scheduler, an initializer) is that method, as in
# AI::MXNet; otherwise the Python object's call (a Block's forward, through Gluon's hooks).
use overload '&{}' => sub {
    my $self = shift;
    return sub { $self->call(@_) } if reftype($self) eq 'HASH' && UNIVERSAL::can($self, 'call');
    return sub { AI::MXNet::Bridge::Object::_outputs(wantarray, AI::MXNet::Bridge::call_object(_py($self), '__call__', @_)) };
}, fallback => 1;

# can() of a class also finds the methods of its AI::MXNet base's Python class, made subs of that package when
# asked for: Mouse's before/around/after need a sub to wrap (around update => ... where only Python has update).
sub can {
    my ($self, $name) = @_;
    my $code = $self->AI::MXNet::Bridge::Object::can($name);
    return $code if $code || ref $self;
    return AI::MXNet::Bridge::Object::_method_sub($self, $name);
}

# A Perl class's twin class, made once (bridge/handles/twins.py twin_class): told what the Perl classes
# define (their subs, not those imported) and declare (their attributes), up to the AI::MXNet class they extend.
sub _twin_class {
    my ($class) = @_;
    my @isa = @{ mro::get_linear_isa($class) };
    my ($base) = grep { $AI::MXNet::Bridge::Object::CLASS{$_} } @isa
        or die AI::MXNet::Error->new(type => 'TypeError', message => "$class extends no AI::MXNet class");
    my (%methods, @attributes);
    no strict 'refs';
    for my $package (@isa) {
        next if $AI::MXNet::Bridge::Object::CLASS{$package} || $package =~ /^(?:AI::MXNet::Bridge::|Mouse::)/;
        # (read only: a stash changed here, in the middle of Mouse's BUILDALL, can crash it)
        my $stash = \%{"${package}::"};
        for my $name (grep { /^\w+$/ } keys %$stash) {
            my $glob = \$stash->{$name};    # (a copy of a glob would share its insides: a crash later)
            my $code = ref $glob eq 'GLOB' ? *{$glob}{CODE} : next;    # (not a glob: a constant)
            my $gv = $code ? B::svref_2object($code)->GV : next;
            $methods{$name} = 1 if $gv->NAME eq '__ANON__' || $gv->STASH->NAME eq $package;
        }
    }
    for my $attribute ($class->meta->get_all_attributes) {
        if ($attribute->isa('AI::MXNet::Bridge::Twin::Attribute')
            && !$attribute->isa('AI::MXNet::Bridge::Twin::StoredAttribute')) {
            delete $methods{ $attribute->name };    # (its accessor, redeclared with '+' in a Perl class)
        }
        else {
            push @attributes, $attribute->name;
        }
    }
    my $parameters = AI::MXNet::Bridge::python('twin_class', $class, $base, [sort keys %methods], \@attributes);
    return [$base, {map { $_ => 1 } @$parameters}];
}

# A twin calls its Perl object's method here (with Perl's values), in list context: [$count, @results] goes back
# (a list of two is Python's tuple, as `return data, label` is; one array ref, a list). A die names the class
# and the method.
sub _call {
    my ($id, $method, @args) = @_;
    my $self = $LIVE{$id};
    my @result;
    return [scalar(@result), @result] if eval { @result = $self->$method(@args); 1 };
    my $error = $@;
    my $where = ref($self) . "->$method (called by mxnet)";
    die "$where: $error" unless ref $error;
    $error->{message} = "$where: $error->{message}" if blessed $error && $error->isa('AI::MXNet::Error');
    die $error;
}

# A twin reads or sets an attribute that its Perl class declares (one of the base's constructor arguments).
sub _attribute {
    my ($id, $name, @value) = @_;
    my $self = $LIVE{$id};
    return $self->{$name} = $value[0] if @value;    # as Python sets it: no trigger, no type check
    return $self->meta->find_attribute_by_name($name)->get_value($self);
}

# An object of a Perl class made from Python (a registry's create, mxnet making a custom operator's property):
# its twin goes back.
sub _new {
    my ($class, @args) = @_;
    return $class->new(@args)->{_py};
}

# A Perl class named from Python (a custom operator's property class): its twin class made.
sub _prepare { my ($class) = @_; $TWIN_CLASS{$class} //= _twin_class($class); return 1 }

AI::MXNet::Bridge::python('set_twin_hooks', map { AI::MXNet::Bridge::_guard_callback($_) } \&_call, \&_attribute,
                          \&_new, \&_prepare);

sub _sweep {
    while (1) {
        my @ids = grep { Internals::SvREFCNT(%{ $LIVE{$_} }) == 1 } keys %LIVE;    # only %LIVE holds it
        my $free = @ids ? AI::MXNet::Bridge::python('free_twins', [map { $LIVE{$_}{_py} } @ids]) : [];
        last unless @$free;
        delete @LIVE{ @ids[@$free] };    # freeing an object may leave others that only it held: again
    }
    $sweep_at = 2 * keys %LIVE > 64 ? 2 * keys %LIVE : 64;
    return;
}

# AI::MXNet's `register`: Class->register joins its family's registry (mx->optimizer->create('perlsgd'),
# mx->metric->create, mx->init) and becomes a constructor in the family's namespace
# (mx->optimizer->PerlSGD(...)); Class->register('AI::MXNet::Gluon::NN') makes nn->Class(...).
sub register {
    my ($class, $container) = @_;
    $TWIN_CLASS{$class} //= _twin_class($class);
    my $family = AI::MXNet::Bridge::python('register_twin', $class);
    $container //= $family or return;
    my $name = $class =~ s/.*:://r;
    no strict 'refs';
    no warnings 'redefine';
    *{"${container}::$name"} = sub { shift; $class->new(@_) };
    return;
}

package AI::MXNet::Bridge::Twin::Attribute;
# An attribute of an AI::MXNet class made a Mouse class: the Python object's attribute of the same name.
our @ISA = ('Mouse::Meta::Attribute');
sub accessor_metaclass { 'AI::MXNet::Bridge::Twin::Accessor' }

package AI::MXNet::Bridge::Twin::StoredAttribute;
# An attribute AI::MXNet kept in the Perl object (a metric's sum_metric): there in an object of a Perl class (its
# twin reads it there), the Python object's in an object Python made.
our @ISA = ('AI::MXNet::Bridge::Twin::Attribute');
sub accessor_metaclass { 'AI::MXNet::Bridge::Twin::StoredAccessor' }

package AI::MXNet::Bridge::Twin::StoredAccessor;
our @ISA = ('AI::MXNet::Bridge::Twin::Accessor');

sub _generate_accessor {
    my ($class, $attribute) = @_;
    my $name = $attribute->name;
    my $python = $class->SUPER::_generate_accessor($attribute);
    return sub {
        return $python->(@_) unless Scalar::Util::reftype($_[0]) eq 'HASH';
        return @_ > 1 ? ($_[0]{$name} = $_[1]) : $_[0]{$name};
    };
}
*_generate_reader = *_generate_writer = \&_generate_accessor;

package AI::MXNet::Bridge::Twin::Accessor;
our @ISA = (Mouse::Meta::Attribute->new('x')->accessor_metaclass);    # Mouse's own (predicate, clearer)

# Before the twin exists (in BUILDARGS, or a method Python's constructor calls back) the value is the one given
# to new; after, Python's (the given one while Python has none of that name).
sub _generate_accessor {
    my (undef, $attribute) = @_;
    my $name = $attribute->name;
    return sub {
        my $self = shift;
        my $py = Scalar::Util::reftype($self) eq 'HASH' ? $self->{_py} : $self;
        return @_ ? ($self->{$name} = $_[0]) : $self->{$name} unless defined $py;
        my ($found, $value) = @{ AI::MXNet::Bridge::python('twin_attribute', $py, $name, @_) };
        return $found ? $value : $self->{$name};
    };
}
*_generate_reader = *_generate_writer = \&_generate_accessor;

1;

=head1 NAME

AI::MXNet::Bridge::Twin - classes written in Perl that extend AI::MXNet's classes

=head1 SYNOPSIS

    package PerlSGD;
    use Mouse;
    use AI::MXNet::Function::Parameters;
    extends 'AI::MXNet::Optimizer';
    has '+learning_rate' => (default => 0.01);
    has 'momentum' => (is => 'ro', default => 0);
    method create_state($index, $weight) { undef }
    method update($index, $weight, $grad, $state) {
        $self->_update_count($index);
        $weight -= $self->_get_lr($index) * $self->rescale_grad * $grad;
    }
    __PACKAGE__->register;    # mx->optimizer->create('perlsgd'), gluon->Trainer($params, 'perlsgd')

=head1 DESCRIPTION

Any AI::MXNet class that Python's mxnet has (C<AI::MXNet::Optimizer> and its optimizers,
C<AI::MXNet::EvalMetric> and the metrics, C<AI::MXNet::Initializer>, C<AI::MXNet::LRScheduler>,
C<AI::MXNet::Gluon::Loss>, C<AI::MXNet::Gluon::Data::Set>, C<AI::MXNet::Gluon::Data::Sampler>,
C<AI::MXNet::DataIter>, C<AI::MXNet::CustomOp> and C<AI::MXNet::CustomOpProp>, every Gluon block and layer)
can be extended with Mouse. Its attributes are the Python class's constructor arguments (C<has '+name'> changes
a default); the methods the Perl class defines are what mxnet calls, on Perl's thread, with Perl's values; the
others, C<< $self->SUPER::... >> and Mouse's method modifiers reach the Python class's. A method that mxnet leaves
to subclasses (an optimizer's C<update>, a metric's C<update>, a dataset's C<at> and C<len>, ...) must be
defined: construction dies naming it otherwise. A Perl method that dies when mxnet calls it dies with its class
and method named. C<register> joins the class to its family's registry by its name in lower case.

=head1 METHODS

=over

=item register($namespace)

Joins the class to its family's registry by its name in lower case (C<< mx->optimizer->create('perlsgd') >>) and
makes it a constructor of the family's namespace; C<< Class->register('AI::MXNet::Gluon::NN') >> makes
C<< nn->Class(...) >>.

=item new(%args)

For AI::MXNet's own classes, Python's constructor; for a class written in Perl, Mouse's, which also makes the
object's twin.

=item can($name)

Also finds the methods of the AI::MXNet base's Python class (Mouse's method modifiers wrap them).

=item prepare($class)

(The shim's) Makes an AI::MXNet class a Mouse class that Perl classes can extend.

=back

=cut


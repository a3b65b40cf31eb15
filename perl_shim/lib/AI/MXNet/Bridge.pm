package AI::MXNet::Bridge;

# The link to Python: finds the project's venv, starts the embedded interpreter, imports `bridge`, and
# offers the three calls every other module uses (call, call_method, operator) plus error conversion.

use strict;
use warnings;
use File::Basename qw(dirname);
use File::Spec;
use Cwd qw(abs_path);
use overload ();
use Scalar::Util qw(looks_like_number refaddr);
use AI::MXNet::Error;

# How many Perl callbacks Python is running right now. `exit` inside one would jump over Python's C frames
# and leave the embedded interpreter broken (a segfault at global destruction); there, exit dies instead
# with an AI::MXNet::Bridge::Exit, which unwinds through Python and exits at the outermost bridge call.
our $CALLBACK_DEPTH = 0;
our $MAX_DEPTH = 1000;
our %WALK = (ARRAY => 1, HASH => 1, REF => 1, SCALAR => 1);
BEGIN {
    no warnings 'redefine';
    *CORE::GLOBAL::exit = sub (;$) {
        my $code = @_ ? $_[0] : 0;
        die bless({code => $code}, 'AI::MXNet::Bridge::Exit') if $CALLBACK_DEPTH;
        CORE::exit($code);
    };
    # fork runs mxnet's fork handler, which stops its engine and so waits for every operation running: inside
    # a callback that one of them waits on (a Function's backward), that wait never ends. It dies there.
    *CORE::GLOBAL::fork = sub () {
        die AI::MXNet::Error->new(type => 'RuntimeError', message => "fork inside a Perl callback that mxnet's "
            . "engine waits on (a Function's backward) would wait forever (mxnet stops its engine to fork): "
            . "fork before the backward pass or after it") if $CALLBACK_DEPTH && python('serving');
        return CORE::fork();
    };
}

# The one rule for "which Python": $AI_MXNET_BRIDGE_VENV; else the venv that Makefile.PL checked and
# recorded when this copy was built (AI::MXNet::Bridge::Config, installed beside this file); else the .venv
# of the checkout this file is in (perl -I<checkout>/perl_shim/lib). That venv holds mxnet and `bridge` (the
# wheel, or the checkout's editable install): bridge is imported from it, never from beside this file.
our $ROOT = abs_path(File::Spec->catdir(dirname(__FILE__), (File::Spec->updir) x 4));
our ($VENV, $VENV_FROM);
{
    my $recorded = File::Spec->catfile(dirname(__FILE__), 'Bridge', 'Config.pm');
    # (by its path: a copy installed elsewhere in @INC must not redirect a checkout's shim)
    if (-e $recorded) {
        require $recorded;
        $INC{'AI/MXNet/Bridge/Config.pm'} = $recorded;
    }
    ($VENV, $VENV_FROM) =
        $ENV{AI_MXNET_BRIDGE_VENV}              ? ($ENV{AI_MXNET_BRIDGE_VENV}, 'env')
      : defined $AI::MXNet::Bridge::Config::VENV ? ($AI::MXNet::Bridge::Config::VENV, 'installed')
      :                                            (File::Spec->catdir($ROOT, '.venv'), 'checkout');
}
our $VERSION = $AI::MXNet::Bridge::Config::VERSION;    # (a checkout's copy has none: pyproject.toml's is the one)

# What to do when the venv will not do, by where it came from.
my %ADVICE = (
    env       => 'point AI_MXNET_BRIDGE_VENV at a venv made from /usr/bin/python3 with the bridge installed',
    installed => 'it was recorded when AI::MXNet::Bridge was installed; set AI_MXNET_BRIDGE_VENV=/path/to/venv, '
               . 'or reinstall with perl Makefile.PL AI_MXNET_BRIDGE_VENV=/path/to/venv',
    checkout  => "run `make setup` in $ROOT",
);

BEGIN {
    # This form loads Python without compiling inline code, so no _Inline cache folder is ever written
    # into the user's directory (`use Inline Python => CODE` would write one).
    require Inline::Python;
    Inline::Python->import(qw(py_eval py_call_function));
}

# Python-side set-up, run once, before anything is imported: no current directory on sys.path; the venv's
# site-packages (with its .pth files: an editable install's finder) go first, ahead of the system's
# dist-packages; sys.executable points into the venv. The venv must be one this embedded interpreter can use:
# same Python, numpy < 1.24 (mxnet 1.9.1 uses np.bool). Returns '' or what is wrong, in one line.
py_eval(<<'PY');
def _ai_mxnet_bridge_boot(venv):
    import sys
    # The embedded interpreter starts with '' (the current directory) first on sys.path: a signal.py or
    # json.py lying there would be imported in place of the standard library's. Only absolute entries stay.
    sys.path[:] = [p for p in sys.path if p and p.startswith('/')]
    import glob, os
    version = "python%d.%d" % sys.version_info[:2]
    site = os.path.join(venv, "lib", version, "site-packages")
    if not os.path.isdir(site):
        others = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(venv, "lib", "python3*", "site-packages")))
        if not others:
            return "no Python environment at %s (looked for lib/%s/site-packages)" % (venv, version)
        return "%s is a venv for %s, but Inline::Python embeds %s (%s)" % (venv, others[0], version, sys.base_prefix)
    home = None
    try:
        with open(os.path.join(venv, "pyvenv.cfg")) as cfg:
            for line in cfg:
                key, _, value = line.partition("=")
                if key.strip() == "home":
                    home = value.strip()
    except OSError:
        pass
    if home and os.path.realpath(home) != os.path.realpath(os.path.join(sys.base_prefix, "bin")):
        return "%s was made from the Python in %s, but Inline::Python embeds the one in %s/bin" % (venv, home, sys.base_prefix)
    import site as _site
    before = list(sys.path)
    _site.addsitedir(site)
    added = [p for p in sys.path if p not in before]
    sys.path[:] = [site] + [p for p in added if p != site] + [p for p in before if p != site]
    sys.executable = os.path.join(venv, "bin", "python")
    # The embedded interpreter took over SIGINT; give Ctrl-C back to Perl, so it stops a Perl loop.
    import signal
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # mxnet uses distutils only for its LooseVersion: the standard library's, not the stand-in that setuptools'
    # import hook (put on sys.meta_path by a .pth file) gives, which loads all of setuptools (~0.1 s).
    import importlib.machinery
    hooks = [f for f in sys.meta_path if type(f).__module__ == "_distutils_hack"]
    if hooks and importlib.machinery.PathFinder.find_spec("distutils") is not None:
        sys.meta_path[:] = [f for f in sys.meta_path if f not in hooks]
    try:
        import numpy
        if tuple(int(n) for n in numpy.__version__.split(".")[:2]) >= (1, 24):
            return "numpy %s in %s is too new for mxnet 1.9.1, which needs numpy < 1.24" % (numpy.__version__, venv)
        import bridge.perl.entry
    except SystemExit:
        # DMLC_ROLE=server or scheduler: importing mxnet ran its parameter-server loop until the job ended
        return "\0exit"
    except Exception as exc:
        lines = str(exc).strip().splitlines()
        return "cannot import mxnet and the bridge with %s (%s: %s)" % (venv, type(exc).__name__, lines[0] if lines else "")
    finally:
        sys.meta_path[:0] = [f for f in hooks if f not in sys.meta_path]
    return ""
PY

my $FAILED = bless \(my $sentinel = 'failed'), 'AI::MXNet::Bridge::Failed';
my $DIED;    # what a guarded callback returns first when it died (bridge/perl/errors.py DIED)
our $CONFIG;
{
    my $problem = py_call_function('__main__', '_ai_mxnet_bridge_boot', $VENV);
    # a server or scheduler of a distributed job is done once loaded, as AI::MXNet's KVStoreServer was
    CORE::exit(0) if $problem eq "\0exit";
    die "AI::MXNet: $problem; $ADVICE{$VENV_FROM}\n" if $problem;
    py_eval('import bridge.perl.entry');
    $DIED = py_eval('bridge.perl.errors.DIED', 0);
    if (defined $VERSION) {    # an installed copy: both halves of one version (a checkout's are one tree)
        my $python_half = py_eval('bridge.__version__', 0);
        die "AI::MXNet: this AI::MXNet::Bridge is $VERSION but the bridge in $VENV is $python_half; "
          . "install the same version of both\n" if $VERSION ne $python_half;
    }
    py_call_function('bridge.perl.entry', 'init', $FAILED, _guard_callback(\&_python_warning));
}

# (made when asked: finding the versions and devices takes a few milliseconds that a start need not pay)
sub config_line { $CONFIG //= python('config_line') }

# Python's callables, held directly (the Inline::Python::Function objects, and the raw pointers that
# py_call_function_ref takes): no module lookup per call.
my %PYFUNC = map { $_ => py_eval("bridge.perl.entry.$_", 0) }
    qw(call call_method operator take_error pdl_spec copy_to_pdl array_from_pdl call_function symbol_method
       at_exit config_line call_object has_attribute set_attribute describe items item next_item name_scope class_call handle_classes free_twins namespace_table
       read_record twin_base twin_class new_twin register_twin twin_attribute set_twin_hooks class_has_method
       thaw set_attr_scope function_apply requests_served known_name serving);
my %PY = map { $_ => ${ $PYFUNC{$_} } } keys %PYFUNC;

# What Python's own exit would do (the embedded interpreter is never finalized): its atexit hooks, mxnet's
# shutdown among them, without which a process that ran a custom Function aborts at exit.
END { Inline::Python::py_call_function_ref($PY{at_exit}) if $PY{at_exit} }

# A result from Python as a Perl value: mirror NDArrays become AI::MXNet::NDArray proxies (the same
# Python object, reblessed; its magic still releases it), handles are blessed into their AI::MXNet class,
# a twin is its Perl object; lists and hashes are searched for them.
sub _perl_value {
    my ($r) = @_;
    my $class = ref $r or return $r;
    return bless $r, 'AI::MXNet::NDArray' if $class eq 'Inline::Python::Object';
    if ($class eq 'HASH') {
        return AI::MXNet::Bridge::Object::_bless_handle($r->{"\0object"}, $r->{"\0class"}) if exists $r->{"\0class"};
        return $AI::MXNet::Bridge::Twin::LIVE{ $r->{"\0perl"} } if exists $r->{"\0perl"};
        return AI::MXNet::Context->new(@{ $r->{"\0context"} }) if exists $r->{"\0context"};
        return bless $r->{"\0array"}, $r->{"\0sparse"} if exists $r->{"\0sparse"};    # a csr or row_sparse array
    }
    if ($class eq 'AI::MXNet::Bridge::Failed') {
        my $error = _error();
        CORE::exit($error->{code}) if ref $error eq 'AI::MXNet::Bridge::Exit' && !$CALLBACK_DEPTH;
        die $error;
    }
    # (plain values are left as they are: an undef from Python's None is the read-only undef)
    if ($class eq 'ARRAY') { ref and $_ = _perl_value($_) for @$r }
    elsif ($class eq 'HASH') { ref and $_ = _perl_value($_) for values %$r }    # nd->load of named arrays
    elsif ($class eq 'Inline::Python::Function') { return _perl_function($r) }
    return $r;
}

# A Python function that a bridge call returned (grad_and_loss's, mx->callback->do_checkpoint's): a code ref
# with the shim's conventions, blessed into AI::MXNet::Bridge::Function so that, given back to Python
# (epoch_end_callback => mx->callback->do_checkpoint($prefix)), it is that Python function again.
my %PYTHON_FUNCTION;    # refaddr of such a code ref -> its Inline::Python::Function
sub _perl_function {
    my ($function) = @_;
    my $code = bless sub {
        check_data(@_);
        _perl_value(scalar Inline::Python::py_call_function_ref($PY{call_function}, $function,
                                                                _guard_callbacks(@_)));
    }, 'AI::MXNet::Bridge::Function';
    $PYTHON_FUNCTION{ Scalar::Util::refaddr($code) } = $function;
    return $code;
}
sub AI::MXNet::Bridge::Function::_python { $PYTHON_FUNCTION{ Scalar::Util::refaddr($_[0]) } }
sub AI::MXNet::Bridge::Function::DESTROY { delete $PYTHON_FUNCTION{ Scalar::Util::refaddr($_[0]) } }

# The die value of the last Perl callback that died. It stays here (Python only sees a plain string), and
# the bridge call that the die unwound rethrows it, unchanged.
my $callback_died;

# A code ref handed to Python, wrapped so that its die value is kept as it was, so that it gets its arguments
# as Perl values (NDArrays blessed), and so that it can only return or die: it runs as a `sort` block (a
# pseudo-block, which no last, next, redo or goto can leave), so loop control that would jump from it over
# Python's frames to a loop outside dies there instead, and the die unwinds through Python, which restores
# its scopes (recording, training, name scopes) on the way.
sub _guard_callback {
    my ($code) = @_;
    return sub {
        local $CALLBACK_DEPTH = $CALLBACK_DEPTH + 1;
        my @args = map { _perl_value($_) } @_;
        my (@result, $ok);
        {
            local $SIG{__WARN__} = _without_exiting_warnings($SIG{__WARN__});
            # (what it returns is converted for Python too: checked as arguments are)
            () = sort { $ok = eval { @result = $code->(@args); check_data(@result); 1 }; 0 } 1, 2;
        }
        return @result if $ok;
        # The die value stays here; Python gets [$DIED, its text], and raises (bridge/perl/args.py
        # perl_callable). Dying through Inline::Python leaked the text twice and a Perl scope each time, and
        # a Perl object there does not always survive the crossing (a PDL crashed the process).
        $callback_died = _loop_exit_message($@);
        # (the text says what died, for where the kept value cannot follow: a DataLoader worker process)
        my ($what) = ref $callback_died && !overload::Method($callback_died, '""') ? (ref $callback_died)
                   : split /\n/, "$callback_died";
        return ($DIED, "AI::MXNet: a Perl callback died: " . ($what // ''));
    };
}

# The warnings Perl gives as loop control leaves the callback's sub ("Exiting subroutine via last"): the die
# that follows says it in one line.
sub _without_exiting_warnings {
    my ($previous) = @_;
    return sub {
        return if $_[0] =~ /^Exiting (?:subroutine|eval|pseudo-block) via (?:last|next|redo)\b/;
        ref $previous eq 'CODE' ? $previous->(@_) : warn @_;
    };
}

# Perl's own words when the pseudo-block stops loop control, as a line that says what happened.
sub _loop_exit_message {
    my ($error) = @_;
    return $error if ref $error;
    $error =~ s{(?:Can't "(\w+)" outside a loop block|Label not found for "(\w+) [^"]*"|Can't "(goto)" out of a pseudo block)(?= at )}
               {"\"" . ($1 // $2 // $3) . "\" cannot leave a sub that AI::MXNet calls (a record or pause block, a "
                . "Block's forward, a Function's backward, ...): return from it or die"}e;
    return $error;
}

# Perl data that Inline::Python would convert without end: a structure that holds itself (a cycle) or that is
# nested deeper than $MAX_DEPTH levels crashed the process there. Such data dies here, before it crosses
# (every entry point checks its arguments' unblessed references, %WALK).
sub _check_data {
    my ($top) = @_;
    my @path = ([$top, 0]);    # [unblessed ref, next child's index] from the argument down
    my %on_path = (refaddr($top) => 1);
    while (@path) {
        my $frame = $path[-1];
        my ($ref, $i) = @$frame;
        my $kind = ref $ref;
        my $children = $kind eq 'ARRAY' ? $ref : $kind eq 'HASH' ? ($frame->[2] //= [values %$ref]) : [$$ref];
        if ($i >= @$children) {
            delete $on_path{ refaddr $ref };
            pop @path;
            next;
        }
        $frame->[1]++;
        my $child = $children->[$i];
        next unless $WALK{ ref $child };
        die AI::MXNet::Error->new(type => 'ValueError',
            message => "this Perl data holds itself (a reference to a structure inside that structure): it "
                     . "cannot be converted") if $on_path{ refaddr $child };
        die AI::MXNet::Error->new(type => 'ValueError',
            message => "this Perl data is nested more than $MAX_DEPTH levels deep: it cannot be converted")
            if @path >= $MAX_DEPTH;
        $on_path{ refaddr $child } = 1;
        push @path, [$child, 0];
    }
    return;
}

# Each entry point's arguments (and any Perl data about to cross), checked as _check_data says.
sub check_data { $WALK{ ref $_ } and _check_data($_) for @_; return }

# A Python warning (warnings.warn, e.g. Gluon's "unregistered container with Blocks"), as a Perl warning at
# the user's line: $SIG{__WARN__} sees it.
sub _python_warning {
    my ($message) = @_;
    my ($level, $package, $file, $line) = (0);
    while (($package, $file, $line) = caller($level++)) {
        last unless $package =~ /^(?:AI::MXNet|Inline::Python|Mouse)\b/;
    }
    warn defined $file ? "$message at $file line $line.\n" : "$message\n";
    return;
}

# Code refs among the arguments, guarded; also those in an array ref (batch_end_callback => [$speedometer, sub {...}]).
sub _guard_callbacks {
    map { ref eq 'CODE' ? _guard_callback($_)
        : ref eq 'ARRAY' && grep({ ref eq 'CODE' } @$_) ? [_guard_callbacks(@$_)] : $_ } @_
}

sub _error {
    my ($kind, @detail) = @{ scalar Inline::Python::py_call_function_ref($PY{take_error}) };
    if ($kind eq 'perl') {    # a Perl die from a callback: rethrown unchanged (an unguarded one: its text)
        my $died = defined $callback_died ? $callback_died : $detail[0];
        undef $callback_died;
        return $died;
    }
    return AI::MXNet::Error->new(type => $detail[0], message => $detail[1], traceback => $detail[2]);
}

# Perl threads (ithreads) copy every Perl value into a new thread; a copied proxy of a Python object would
# release that object once more when the thread ends (a use-after-free back in the thread that loaded the
# bridge). Python objects are not copied (CLONE_SKIP: the new thread sees undef there), and in a new thread
# every call into Python dies with one line: the embedded interpreter belongs to the thread that loaded it.
for my $package (qw(Inline::Python::Object Inline::Python::Function AI::MXNet::NDArray AI::MXNet::Bridge::Object)) {
    no strict 'refs';
    *{"${package}::CLONE_SKIP"} = sub { 1 };
}

sub CLONE {
    %PY = %PYFUNC = ();
    no strict 'refs';
    no warnings 'redefine';
    for my $name (grep { /^py_/ && defined &{"Inline::Python::$_"} } keys %Inline::Python::) {
        *{"Inline::Python::$name"} = sub {
            die AI::MXNet::Error->new(type => 'RuntimeError', message => "AI::MXNet cannot be used from a Perl "
                . "thread other than the one that loaded it (its Python interpreter belongs to that thread)");
        };
    }
}

=head1 NAME

AI::MXNet::Bridge - the link between the Perl shim and the Python bridge

=head1 SYNOPSIS

    perl -MAI::MXNet::Bridge -e 'print AI::MXNet::Bridge::config_line, "\n"'    # for a bug report
    AI_MXNET_BRIDGE_VENV=/path/to/venv perl script.pl                        # another venv

    # in the shim's own modules:
    my $x = AI::MXNet::Bridge::call('nd.array', [[1, 2], [3, 4]]);
    my $shape = AI::MXNet::Bridge::call_method($x, 'shape');

=head1 DESCRIPTION

Loaded by every module of the shim. It starts CPython inside perl (Inline::Python) with the venv that holds
mxnet 1.9.1 and the Python package C<bridge>, and moves calls and values between the two. Which venv, by one
rule: C<$AI_MXNET_BRIDGE_VENV>; else the venv recorded when the distribution was installed
(L<AI::MXNet::Bridge::Config>); else, in a checkout (C<perl -Iperl_shim/lib>), the checkout's C<.venv>. The venv
must be made from the Python that Inline::Python embeds (Debian's F</usr/bin/python3>), with numpy < 1.24;
when it will not do, loading dies with one line saying what is wrong and what to do. Its version must be this
module's. Nothing is imported from the current directory.

=head1 FUNCTIONS

=head2 call($path, @args)

Calls the bridge function at C<$path> ('nd.array', 'autograd.record', ...) with a Perl argument list in
AI::MXNet's convention (positionals, then C<< key => value >> pairs or a trailing hashref).

=head2 call_method($ndarray, $name, @args)

Calls method C<$name> of an NDArray (properties such as C<shape> read as methods).

=head2 operator($python_name, $ndarray, @other)

An overloaded operator, e.g. C<operator('__rsub__', $x, 1)> for C<1 - $x>.

=head2 operator_sub($python_name, $reversed_name)

The sub for C<use overload> of a binary operator: C<operator_sub('__sub__', '__rsub__')> for C<->.

=head2 check_data(@values)

Dies (an AI::MXNet::Error, one line) when a value holds itself or is nested more than C<$MAX_DEPTH> (1000)
levels deep: Inline::Python would convert such data without end. Every call into Python checks its arguments so.

=head2 number($value)

C<$value> as Perl reads it in arithmetic: a number held as a string (C<'2'>) is that number.

=head2 config_line

One line with the Python, mxnet and numpy versions and paths in use: paste it into bug reports.

=head2 call_with_callbacks($path, @args)

C<call>, for functions that take Perl subs (C<record>, C<pause>): a die inside one comes back unchanged.

=head2 python($name, @args)

Calls the entry point C<$name> of Python's C<bridge.perl.entry> (C<pdl_spec>, C<describe>, ...); the result as a
Perl value.

=head2 python_object($name, @args)

The same, the result left as the Python object it is (a Perl Block keeps its Gluon twin so).

=head2 read_record($reader)

The next record of an MXRecordIO reader (bytes), or undef at its end: C<< $reader->read >> is this sub.

=head2 call_object($handle, $method, @args)

Calls a method of a handle (L<AI::MXNet::Bridge::Object>) or of a Perl Block's Gluon twin; code refs among
the arguments are guarded as in C<call_with_callbacks>.

=cut

# call, call_method, operator and read_record (a data reader's loop: a record a call): the entry point's result
# as a Perl value, an NDArray (the commonest result) blessed on the spot and a plain value returned as it is rather
# than through _perl_value: on these paths one more Perl sub call costs ~1 us, a tenth of a whole operator call.
for my $entry (qw(call call_method operator read_record)) {
    my $function = $PY{$entry};
    no strict 'refs';
    *$entry = sub {
        $WALK{ ref $_ } and _check_data($_) for @_;
        my $r = Inline::Python::py_call_function_ref($function, @_);
        ref $r eq 'Inline::Python::Object' ? bless($r, 'AI::MXNet::NDArray') : ref $r ? _perl_value($r) : $r;
    };
}

# call() for functions that take Perl subs (record, pause, ...): a die inside them comes back unchanged.
sub call_with_callbacks { call(_guard_callbacks(@_)) }

sub python      { my $name = shift; check_data(@_); _perl_value(scalar Inline::Python::py_call_function_ref($PY{$name}, @_)) }

# The sub of an overloaded binary operator (overload's arguments: the NDArray, the other operand, swapped):
# Python method $forward, or $reversed when the NDArray is the right operand. operator() written out.
sub operator_sub {
    my ($forward, $reversed) = @_;
    return sub {
        $WALK{ ref $_[1] } and _check_data($_[1]);
        my $r = Inline::Python::py_call_function_ref($PY{operator}, $_[2] ? $reversed : $forward, $_[0],
                                                     number($_[1]));
        ref $r eq 'Inline::Python::Object' ? bless($r, 'AI::MXNet::NDArray') : _perl_value($r);
    };
}

# A plain value as Perl reads it in arithmetic: a number held as a string ('2' read from a file, split from a
# line, or `.=`'s operand) is that number, as AI::MXNet's Num arguments took it; anything else is unchanged.
sub number { !ref $_[0] && defined $_[0] && looks_like_number($_[0]) ? 0 + $_[0] : $_[0] }

# A method of a handle (or of a Perl Block's Gluon twin); code refs among the arguments are guarded.
sub call_object {
    check_data(@_);
    _perl_value(scalar Inline::Python::py_call_function_ref($PY{call_object}, shift, shift, _guard_callbacks(@_)));
}

# An entry point's result as the Python object it is, not converted (a Perl Block keeps its Gluon twin so);
# a failure still dies.
sub python_object {
    my $name = shift;
    check_data(@_);
    my $r = Inline::Python::py_call_function_ref($PY{$name}, @_);
    return ref $r eq 'AI::MXNet::Bridge::Failed' ? _perl_value($r) : $r;
}

=head2 install_namespace($package, $path, {callbacks => [@names]}, @names)

Makes C<$package> forward to the bridge namespace C<$path>: each name in C<@names> now, any other name on
first use (through AUTOLOAD; a name the bridge does not know dies "unknown operator NAME"). Called on a
blessed NDArray the sub calls its method; called on a class name it calls C<$path.NAME>. The optional
hashref names functions that take Perl subs; their code refs are guarded as C<call_with_callbacks> guards them.

=cut

sub _forwarder {
    my ($package, $path, $name, $guarded, $uninstalled) = @_;
    my $full = "$path.$name";
    # lvalue, as AI::MXNet made slice, at, reshape, ...: `$x->slice(1) .= 5` assigns through the result.
    # (call and call_method written out: this is every operator's path, and each Perl sub level costs)
    my $code = sub :lvalue {
        my $invocant = shift;
        $WALK{ ref $_ } and _check_data($_) for @_;
        my $result = Inline::Python::py_call_function_ref(
            ref $invocant ? ($PY{call_method}, $invocant, $name) : ($PY{call}, $full),
            $guarded ? _guard_callbacks(@_) : @_);
        $result = ref $result eq 'Inline::Python::Object' ? bless($result, 'AI::MXNet::NDArray') : _perl_value($result);
        $result;
    };
    return $code if $uninstalled;
    no strict 'refs';
    *{"${package}::$name"} = $code;
    return $code;
}

sub install_namespace {
    my ($package, $path, @names) = @_;
    my $callbacks = ref $names[0] eq 'HASH' ? shift(@names)->{callbacks} : [];
    _forwarder($package, $path, $_) for @names;
    _forwarder($package, $path, $_, 1) for @$callbacks;
    no strict 'refs';
    *{"${package}::AUTOLOAD"} = sub {
        my $name = our $AUTOLOAD;
        $name =~ s/.*:://;
        return if $name eq 'DESTROY';
        # a sub is installed for the names the namespace offers only: each distinct unknown name (a typo in
        # a loop, `nd->$name` with any string) would otherwise leave a sub behind for good
        my $install = python('known_name', $path, $name);
        # (and the entry Perl's method lookup made for the unknown name in the package goes too)
        delete ${"${package}::"}{$name} unless $install || defined &{"${package}::$name"};
        goto &{ _forwarder($package, $path, $name, 0, !$install) };
    };
    *{"${package}::DESTROY"} = sub {} unless defined &{"${package}::DESTROY"};
    return;
}

1;

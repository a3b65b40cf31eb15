package AI::MXNet::Error;

# An error raised by MXNet or the bridge, as a Perl exception: its string is the error's own message
# (MXNet's, for engine errors) and the caller's file and line; the Python traceback is kept in
# ->traceback and printed too when AI_MXNET_BRIDGE_DEBUG=1.

use strict;
use warnings;
use overload '""' => \&as_string, 'bool' => sub { 1 }, fallback => 1;

sub new {
    my ($class, %args) = @_;
    my $self = bless { %args }, $class;
    my $level = 0;
    # the first frame outside the shim (and PDL, whose operators call ours: $pdl - $x) is the user's line
    while (my @frame = caller($level++)) {
        next if $frame[0] =~ /^(?:AI::MXNet|Inline::Python|PDL)(?:::|$)/;
        @$self{qw(file line)} = @frame[1, 2];
        last;
    }
    return $self;
}

sub type      { $_[0]{type} }
sub message   { $_[0]{message} }
sub traceback { $_[0]{traceback} }

sub as_string {
    my $self = shift;
    my $text = $self->{message};
    $text .= " at $self->{file} line $self->{line}." if defined $self->{file};
    $text .= "\n";
    $text .= $self->{traceback} if $ENV{AI_MXNET_BRIDGE_DEBUG};
    return $text;
}

1;

=head1 NAME

AI::MXNet::Error - the exception the shim dies with

=head1 SYNOPSIS

    eval { nd->dot($x, $y) };
    print $@->message if ref $@;    # MXNet's own message; "$@" adds " at FILE line N."

=head1 DESCRIPTION

An error raised in Python (MXNet's, or the bridge's for bad arguments) dies in Perl as one of these, at the
caller's line. As a string it is one line: MXNet's message and the script's file and line; with
C<AI_MXNET_BRIDGE_DEBUG=1> the Python traceback follows.

=head1 METHODS

=over

=item new(type => $name, message => $text, traceback => $text)

Made by the shim from the Python exception; it notes the first caller outside the shim as the error's place.

=item type, message, traceback

The Python exception's class name (C<MXNetError>, C<ValueError>, ...), its first line, its full traceback.

=item as_string

What C<"$error"> gives.

=back

=cut

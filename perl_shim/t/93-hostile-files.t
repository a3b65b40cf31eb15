#!/usr/bin/env perl
# Loading truncated, corrupted or hostile NDArray files: none may crash, hang or eat the machine's memory
# (libmxnet trusts the sizes in a file; bridge/arrays/files.py checks them). Each case's outcome is worked out
# here from mxnet's file format, independently of bridge/arrays/files.py: bytes that still add up load with
# the values they hold; the rest are refused with the message that names what is wrong. Seeded:
# AI_MXNET_FUZZ_SEED.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use Math::BigInt;
use AI::MXNet qw(mx);

my $dir = tempdir(CLEANUP => 1);
my $good = "$dir/good.nd";
my $bytes;
# nd->save writes a hash's arrays in Perl's key order, which changes from hash to hash: save until "a" comes
# first, so that the layout (and so what each seed's cases hit) is the same in every run
for (1 .. 50) {
    nd->save($good, {a => nd->array([[1, 2, 3], [4, 5, 6]]), b => nd->array([7], dtype => 'int32')});
    $bytes = do { open my $fh, '<:raw', $good or die $!; local $/; <$fh> };
    last if substr($bytes, -1) eq 'b';
}

# mxnet's type flag -> (bytes per element, how to read one, as aspdl gives it)
my %TYPES = (0 => [4, 'f<'], 1 => [8, 'd<'], 2 => [2, 'half'], 3 => [1, 'C'], 4 => [4, 'l<'], 5 => [1, 'c'],
             6 => [8, 'q<'], 7 => [1, 'C']);

sub half_to_float {
    my ($h) = @_;
    my ($sign, $exp, $frac) = ($h >> 15 ? -1 : 1, ($h >> 10) & 0x1f, $h & 0x3ff);
    return $sign * ($frac ? 'NaN' : 'Inf') if $exp == 31;
    return $sign * ($exp ? (1 + $frac / 1024) * 2**($exp - 15) : $frac / 1024 * 2**-14);
}

sub values_of {
    my ($type, $data) = @_;
    my ($size, $fmt) = @{ $TYPES{$type} };
    my @v = $fmt eq 'half' ? map { half_to_float($_) } unpack('S<*', $data) : unpack("($fmt)*", $data);
    return join ' ', @v;
}

# What loading these bytes must give: [loads => {name => values}] (a list: [loads => [values, ...]]),
# [$kind => qr/message/] for a refusal, or ['left to libmxnet'] for the layouts bridge/arrays/files.py hands
# to libmxnet unread (sparse, format V1): any outcome but a crash, and a refusal says why.
sub expected {
    my ($buf) = @_;
    my ($len, $pos) = (length $buf, 0);
    my $short = [truncated => qr/^not an MXNet NDArray file, or a truncated one \(ends at byte $len\)/];
    my $take = sub {
        my ($n, $fmt) = @_;
        return if $pos + $n > $len;
        my @v = unpack $fmt, substr($buf, $pos, $n);
        $pos += $n;
        return \@v;
    };
    my $header = $take->(24, 'Q<3') or return $short;
    my (undef, undef, $count) = @$header;
    return ['bad header' => qr/^not an MXNet NDArray file \(bad header\)/] if $header->[0] != 0x112 || $count > $len;
    my @arrays;
    for (1 .. $count) {
        my ($magic) = @{ $take->(4, 'L<') or return $short };
        return ['left to libmxnet'] if $magic == 0xF993FAC8;
        return ['unknown format' => qr/^not an MXNet NDArray file, or a corrupt one \(unknown array format/]
            unless $magic == 0xF993FAC9 || $magic == 0xF993FACA;
        my ($stype) = @{ $take->(4, 'l<') or return $short };
        return ['left to libmxnet'] if $stype == 1 || $stype == 2;
        return ['storage type' => qr/^corrupt NDArray file: storage type $stype /] if $stype != 0;
        my ($ndim) = @{ $take->(4, 'l<') or return $short };
        if ($ndim <= 0) { push @arrays, undef; next }    # an empty array: nothing more stored, values not compared
        return ['dimensions' => qr/^corrupt NDArray file: an array with $ndim dimensions/] if $ndim > 32;
        my $dims = $take->(8 * $ndim, "q<$ndim") or return $short;
        my (undef, undef, $type) = @{ $take->(12, 'l<3') or return $short };
        return ['shape or type' => qr/^corrupt NDArray file: shape \(.*\), type $type /]
            if (grep { $_ < 0 } @$dims) || !$TYPES{$type};
        my $nbytes = Math::BigInt->new($TYPES{$type}[0]);
        $nbytes->bmul($_) for @$dims;
        my $left = $len - $pos;
        return ['byte count' => qr/^corrupt or truncated NDArray file: an array of shape \(.*\) needs $nbytes bytes, /
                                . qr/$left are left/] if $nbytes > $left;
        push @arrays, values_of($type, substr($buf, $pos, $nbytes));
        $pos += $nbytes;
    }
    my ($names) = @{ $take->(8, 'Q<') or return $short };
    return ['names count' => qr/^corrupt NDArray file: $names names for $count arrays/]
        if $names != 0 && $names != $count;
    return [loads => \@arrays] unless $names;
    my @names;
    for (@arrays) {
        my ($length) = @{ $take->(8, 'Q<') or return $short };
        return ['name past end' => qr/^corrupt or truncated NDArray file: a name runs past the end/]
            if $length > $len - $pos;
        push @names, substr($buf, $pos, $length);
        $pos += $length;
    }
    # names are decoded once the whole layout is known to add up
    utf8::decode($_) or return ['name not UTF-8' => qr/^'utf-8' codec can't decode/] for @names;
    my %named;
    @named{@names} = @arrays;    # a name given twice: the later array
    return [loads => \%named];
}

# What loading them gave: [loads => same structure] or [refused => first line of the message].
sub outcome {
    my ($buf) = @_;
    open my $out, '>:raw', "$dir/bad.nd" or die $!;
    print $out $buf;
    close $out;
    my $data = eval { nd->load("$dir/bad.nd") };
    return [refused => (split /\n/, "$@")[0] // ''] unless $data;
    my $v = sub { $_[0]->size ? join(' ', $_[0]->aspdl->list) : '' };
    return [loads => ref $data eq 'HASH' ? { map { $_ => $v->($data->{$_}) } keys %$data }
                                         : [map { $v->($_) } @$data]];
}

# Compares, ignoring the values of empty arrays (undef in the expectation); returns '' when they agree.
sub disagreement {
    my ($want, $got) = @_;
    my ($kind, $pattern) = @$want;
    if ($kind eq 'left to libmxnet') {
        return $got->[0] eq 'loads' || $got->[1] =~ /\S/ ? '' : 'refused without a message';
    }
    if ($kind eq 'loads') {
        return "refused: $got->[1]" if $got->[0] ne 'loads';
        my ($w, $g) = ($pattern, $got->[1]);
        return 'a list and a hash' if ref $w ne ref $g;
        my @keys = ref $w eq 'HASH' ? sort(keys %$w) : (0 .. $#$w);
        my @gkeys = ref $g eq 'HASH' ? sort(keys %$g) : (0 .. $#$g);
        return "names or count: [@gkeys] instead of [@keys]" if "@keys" ne "@gkeys";
        for my $k (@keys) {
            my ($wv, $gv) = ref $w eq 'HASH' ? ($w->{$k}, $g->{$k}) : ($w->[$k], $g->[$k]);
            return "array $k: [$gv] instead of [$wv]" if defined $wv && $wv ne $gv;
        }
        return '';
    }
    return "loaded instead of refused ($kind)" if $got->[0] eq 'loads';
    return $got->[1] =~ $pattern ? '' : "message '$got->[1]' does not match $pattern";
}

# The layout of the good file (2x3 float32 "a", 1-element int32 "b"), for the chosen cases below.
my %AT = (count => 16, a_magic => 24, a_stype => 28, a_ndim => 32, a_dim0 => 36, a_type => 60, a_data => 64,
          b_data => 120, names => 124, name_a_length => 132, name_a => 140, end => 150);
is(unpack('H*', $bytes), '1201' . '00' x 14 . '02' . '00' x 7 . 'c9fa93f9' . '00' x 4 . '02000000'
   . '0200000000000000' . '0300000000000000' . '01000000' . '00' x 4 . '00' x 4
   . join('', map { unpack 'H*', pack 'f<', $_ } 1 .. 6)
   . 'c9fa93f9' . '00' x 4 . '01000000' . '0100000000000000' . '01000000' . '00' x 4 . '04000000' . '07000000'
   . '0200000000000000' . '0100000000000000' . '61' . '0100000000000000' . '62',
   'the good file has the layout the chosen cases assume');

sub with_bytes { my ($at, $new) = @_; my $copy = $bytes; substr($copy, $at, length $new) = $new; $copy }

# Chosen cases: one or more of each kind, whatever the seed.
my @cases = (
    ['truncated in a header'            => substr($bytes, 0, 20)],
    ['truncated in an array header'     => substr($bytes, 0, $AT{a_type} + 2)],
    ['truncated in the first data'      => substr($bytes, 0, $AT{a_data} + 10)],
    ['truncated in the second data'     => substr($bytes, 0, $AT{b_data} + 3)],
    ['truncated in a name'              => substr($bytes, 0, $AT{name_a})],
    ['no header magic'                  => with_bytes(0, "\x13")],
    ['a count larger than the file'     => with_bytes($AT{count}, pack 'Q<', 1 << 40)],
    ['an unknown array magic'           => with_bytes($AT{a_magic}, "\x01")],
    ['a storage type of 9'              => with_bytes($AT{a_stype}, "\x09")],
    ['33 dimensions'                    => with_bytes($AT{a_ndim}, "\x21")],
    ['a negative dimension'             => with_bytes($AT{a_dim0}, pack 'q<', -2)],
    ['a huge dimension'                 => with_bytes($AT{a_dim0}, pack 'q<', 1 << 40)],
    ['a dimension one too large'        => with_bytes($AT{a_dim0}, pack 'q<', 5)],
    ['type flag 8'                      => with_bytes($AT{a_type}, "\x08")],
    ['float64 data where float32 was'   => with_bytes($AT{a_type}, "\x01")],
    ['3 names for 2 arrays'             => with_bytes($AT{names}, "\x03")],
    ['no names: a list'                 => with_bytes($AT{names}, "\x00")],
    ['a name length past the end'       => with_bytes($AT{name_a_length}, pack 'Q<', 1 << 50)],
    ['a name that is not UTF-8'         => with_bytes($AT{name_a}, "\xff")],
    ['the same name twice'              => with_bytes($AT{name_a}, "b")],
    ['changed data'                     => with_bytes($AT{a_data}, pack('f<', -0.5) . "\xff\xff\xff\x7f")],
    ['a sparse storage type'            => with_bytes($AT{a_stype}, "\x01")],
    ['format V1'                        => with_bytes($AT{a_magic}, "\xc8")],
);

# Random cases, as a careless disk or a hostile sender makes them: every third truncated, the rest with one
# to four bytes replaced.
srand($ENV{AI_MXNET_FUZZ_SEED} // 4242);
for my $i (1 .. 300) {
    my $copy = $bytes;
    if ($i % 3 == 0) { $copy = substr($copy, 0, int rand length $copy) }
    else { substr($copy, int rand length $copy, 1) = chr int rand 256 for 1 .. 1 + int rand 4 }
    push @cases, ["random case $i" => $copy];
}

my (%seen, %wrong);
for my $case (@cases) {
    my ($name, $buf) = @$case;
    my $want = expected($buf);
    $seen{$want->[0]}++;
    my $why = disagreement($want, outcome($buf));
    push @{ $wrong{$want->[0]} }, "$name: $why" if $why;
}
for my $kind (sort keys %seen) {
    my @wrong = @{ $wrong{$kind} // [] };
    my $what = $kind eq 'loads' ? 'loaded with the values their bytes hold'
             : $kind eq 'left to libmxnet' ? 'loaded, or were refused with a message'
             : "were refused saying why ($kind)";
    is(scalar @wrong, 0, "$seen{$kind} files $what") or diag(join "\n", @wrong[0 .. ($#wrong < 9 ? $#wrong : 9)]);
}

like((eval { nd->load_frombuffer("garbage bytes") } // $@) . '', qr/not an MXNet NDArray file/,
     'a buffer that is no NDArray file is refused with a message');
is_deeply([nd->load($good)->{a}->aspdl->list], [1 .. 6], 'and a good file still loads');

done_testing;

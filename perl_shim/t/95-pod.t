#!/usr/bin/env perl
# The POD of every module of the shim: valid (podchecker's rules, through Test::Pod), and with the sections a
# reader of perldoc looks for: NAME (the module's own, with a one-line summary), SYNOPSIS and DESCRIPTION.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;

eval { require Test::Pod; Test::Pod->VERSION(1.22); 1 } or plan skip_all => 'Test::Pod 1.22 is not installed';

my $lib = shim_lib();
# (only this distribution's: an installed prefix holds others; blib/lib and an installed copy also hold the
# Config.pm that Makefile.PL wrote)
my @files = sort(Test::Pod::all_pod_files("$lib/AI/MXNet.pm", "$lib/AI/MXNet"));
ok(@files >= 20, 'the modules are found') or diag("only @files in $lib");
for my $file (@files) {
    Test::Pod::pod_file_ok($file);
    open my $fh, '<', $file or die "$file: $!";
    my $text = do { local $/; <$fh> };
    (my $module = File::Spec->abs2rel($file, $lib)) =~ s{/}{::}g;
    $module =~ s/\.pm$//;
    my ($name) = $text =~ /^=head1 NAME\s*\n\s*\n(.+)\n/m;
    like($name // '', qr/^\Q$module\E(?:, [\w:]+)* - \S/, "$module: NAME is the module's, with a summary");
    like($text, qr/^=head1 SYNOPSIS\s*$/m, "$module: SYNOPSIS");
    like($text, qr/^=head1 DESCRIPTION\s*$/m, "$module: DESCRIPTION");
}

done_testing();

package AI::MXNet::Visualization;

# mx->viz: print_summary prints mxnet's table of a symbol's layers; plot_network returns the GraphViz object
# (in an AI::MXNet::Visualization::PythonGraphviz, as AI::MXNet gave it) of the graph mxnet draws. What goes in
# the table and the graph is computed by bridge/api/viz.py.

use strict;
use warnings;
use AI::MXNet::Bridge;

# print_summary($symbol, $shapes = undef, $line_length = 120, $positions = [.44, .64, .74, 1])
sub print_summary {
    my (undef, @args) = @_;
    print AI::MXNet::Bridge::call('mx.viz.summary', @args);
    return;
}

# plot_network($symbol, title => 'plot', save_format => 'ps', shape => {...}, node_attrs => {...}, hide_weights => 1)
sub plot_network {
    my (undef, @args) = @_;
    my ($title, $format, $nodes, $edges) = @{ AI::MXNet::Bridge::call('mx.viz.graph', @args) };
    require GraphViz;    # Debian's libgraphviz-perl, as AI::MXNet required it
    my $graph = GraphViz->new(name => $title);
    $graph->add_node($_->[0], %{ $_->[1] }) for @$nodes;
    $graph->add_edge($_->[0] => $_->[1], %{ $_->[2] }) for @$edges;
    return AI::MXNet::Visualization::PythonGraphviz->new(graph => $graph, format => $format);
}

package AI::MXNet::Visualization::PythonGraphviz;

# The graph and the format to render it in: ->render($file) writes it (->render without a file returns it).
my %FORMATS = map { $_ => 1 } qw(debug canon text ps hpgl pcl mif pic gd gd2 gif jpeg png wbmp cmapx imap vdx vrml
                                 vtx mp fig svg svgz plain);

sub new {
    my ($class, %args) = @_;
    die AI::MXNet::Error->new(type => 'ValueError', message => "plot_network: save_format must be one of "
                                                              . join(' ', sort keys %FORMATS) . ", not $args{format}")
        unless $FORMATS{ $args{format} };
    return bless {%args}, $class;
}

sub graph  { $_[0]{graph} }
sub format { $_[0]{format} }

sub render {
    my ($self, $output) = @_;
    my $method = 'as_' . $self->{format};
    return $self->{graph}->$method(defined $output ? $output : ());
}

1;

=head1 NAME

AI::MXNet::Visualization - mx->viz: a symbol's layers as a table (print_summary) or a graph (plot_network)

=head1 SYNOPSIS

    mx->viz->print_summary($net, {data => [1, 3, 28, 28]});
    mx->viz->plot_network($net, save_format => 'png', shape => {data => [1, 1, 28, 28]})->render('net.png');

=head1 DESCRIPTION

AI::MXNet's mx->viz. What the table and the graph hold is computed by mxnet 1.9.1 (C<bridge/api/viz.py>); the
table is printed on the selected handle (STDOUT) and the graph built with Debian's libgraphviz-perl, as
AI::MXNet's was.

=head1 FUNCTIONS

=head2 print_summary($symbol, $shapes, $line_length, $positions)

Prints mxnet's table of the layers: name and type, output shape (with C<$shapes>, a hash ref of input
shapes), number of parameters, previous layer; then the total number of parameters.

=head2 plot_network($symbol, title => 'plot', save_format => 'ps', shape => \%shapes, node_attrs => \%attrs, hide_weights => 1)

The graph of the network as mxnet 1.9.1 draws it, in an AI::MXNet::Visualization::PythonGraphviz: C<graph> is
the L<GraphViz> object (Debian's libgraphviz-perl), C<format> the save format, and C<render($file)> writes it
in that format (through GraphViz's C<as_FORMAT>).

=head1 AI::MXNet::Visualization::PythonGraphviz

=head2 new(graph => $graphviz, format => $format)

Made by C<plot_network>; an unknown format dies in one line.

=head2 graph, format

The GraphViz object and the format.

=head2 render($file)

Writes the graph to C<$file> in the format (without a file, returns it).

=cut

package AI::MXNet::Bridge::PDLData;

# A new PDL's buffer without PDL's zero fill, for aspdl (PDLData/PDLData.xs). Optional: AI::MXNet::NDArray uses
# it when it loads, and PDL's own allocation when it does not (no C compiler when the bridge was set up).

use strict;
use warnings;
use XSLoader;

our $VERSION = '1.0';
XSLoader::load(__PACKAGE__, $VERSION);

1;

__END__

=head1 NAME

AI::MXNet::Bridge::PDLData - a PDL's data buffer without the zero fill, for aspdl

=head1 SYNOPSIS

    my $pdl = PDL->new_from_specification(PDL::float(), 1000, 1000);
    AI::MXNet::Bridge::PDLData::allocate($pdl) or $pdl->make_physical;
    # ... every byte of ${ $pdl->get_dataref } is written, then $pdl->upd_data

=head1 DESCRIPTION

PDL clears every new PDL's data (2.081: C<pdl_allocdata> memsets it), which is a third of the time C<aspdl>
takes for a 4 MB array; C<aspdl> overwrites every byte at once, so the clearing is wasted.

=head2 allocate

C<allocate($pdl)> gives a fresh PDL (dims set, no parent, nothing allocated yet, more than one value's bytes)
its buffer, as PDL would but with its bytes unset, and returns 1; for any other PDL it does nothing and
returns 0, and the caller allocates as usual (C<make_physical>). The caller must write every byte before the
PDL is read. It dies for anything but a PDL.

=cut

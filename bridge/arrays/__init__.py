"""Arrays and operators: the NDArray mirror, every operator by name, slicing, host transfers, PDL printing,
NDArray files and contexts. Everything here serves Perl and Python alike."""

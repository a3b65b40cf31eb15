/* AI::MXNet::Bridge::PDLData: a new PDL's data buffer without PDL's zero fill, for aspdl, which overwrites
 * every byte at once (libmxnet copies the array into it). PDL's own allocation (pdl_allocdata) clears the
 * whole buffer first: a third of aspdl's time for a 4 MB array. This does what pdl_allocdata does for the
 * one case aspdl has (a fresh PDL with its dims set, no parent, nothing allocated), less the memset, and
 * declines every other case, so the caller falls back to PDL's make_physical. */

#define PERL_NO_GET_CONTEXT
#include "EXTERN.h"
#include "perl.h"
#include "XSUB.h"
#include "pdl.h"
#include "pdlcore.h"

static Core *PDL;    /* PDL's table of C functions */

MODULE = AI::MXNet::Bridge::PDLData    PACKAGE = AI::MXNet::Bridge::PDLData

PROTOTYPES: DISABLE

int
allocate(sv)
    SV *sv
  PREINIT:
    pdl *it;
    PDL_Indx nbytes;
    SV *data;
  CODE:
    if (!sv_isobject(sv) || !sv_derived_from(sv, "PDL"))    /* (PDL's SvPDLV would make a PDL of it) */
        croak("AI::MXNet::Bridge::PDLData::allocate: not a PDL");
    it = PDL->SvPDLV(sv);
    RETVAL = 0;
    if (!(it->state & (PDL_ALLOCATED | PDL_ANYCHANGED | PDL_DONTTOUCHDATA | PDL_NOMYDIMS))
        && !it->trans_parent && !it->datasv && it->nvals > 0
        && it->nvals <= (PDL_Indx) (SSize_t_MAX / PDL->howbig(it->datatype))) {    /* (else PDL's own way) */
        nbytes = it->nvals * (PDL_Indx) PDL->howbig(it->datatype);
        if (nbytes > (PDL_Indx) sizeof(it->value)) {    /* (smaller data lives inside the pdl struct) */
            data = newSV(nbytes);
            SvPOK_only(data);
            SvCUR_set(data, nbytes);
            *SvEND(data) = '\0';
            it->datasv = data;
            it->data = SvPVX(data);
            it->nbytes = nbytes;
            it->state |= PDL_ALLOCATED;
            RETVAL = 1;
        }
    }
  OUTPUT:
    RETVAL

BOOT:
    {
        SV *share;
        load_module(PERL_LOADMOD_NOIMPORT, newSVpvs("PDL::Core"), NULL);
        share = get_sv("PDL::SHARE", 0);
        if (!share || !SvOK(share) || !(PDL = INT2PTR(Core *, SvIV(share))))
            croak("AI::MXNet::Bridge::PDLData: PDL::Core did not set $PDL::SHARE");
        if (PDL->Version != PDL_CORE_VERSION)
            croak("AI::MXNet::Bridge::PDLData was built against PDL core version %d, this PDL has %d: rebuild it",
                  (int) PDL_CORE_VERSION, (int) PDL->Version);
    }

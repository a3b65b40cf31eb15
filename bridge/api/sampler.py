"""gluon->data->SplitSampler: a worker's part of a dataset, for data-parallel training (one DataLoader a worker).

    my $sampler = gluon->data->SplitSampler($dataset->len, num_parts => $kv->num_workers, part_index => $kv->rank,
                                            batch_size => $batch);
    my $loader = gluon->data->DataLoader($dataset, batch_size => $batch, sampler => $sampler);

The iterators take the same two numbers (mx->io->MNISTIter(..., num_parts => ..., part_index => ...)). Every part
has the same length, so that every worker takes the same number of steps (a dist_sync worker left with one more
batch would wait for the others forever).
"""
import mxnet as mx
import numpy as np


class SplitSampler(mx.gluon.data.Sampler):
    """Part `part_index` of `num_parts` of the samples 0 .. length-1.

    Without batch_size, a contiguous part of length // num_parts samples (the rest is left out), as MXNet's
    distributed training example split its data. With batch_size (each worker's batch), the part of every batch
    of num_parts * batch_size samples that falls to this worker (a short last batch is left out): the workers of
    one step then read together what a single process with the whole batch reads, in the same order.
    shuffle reorders the part's samples at each pass (numpy's generator, as Gluon's RandomSampler)."""

    perl_class = "AI::MXNet::Gluon::Data::Sampler::SplitSampler"

    def __init__(self, length, num_parts=1, part_index=0, batch_size=None, shuffle=False):
        for name, value, least in (("length", length, 0), ("num_parts", num_parts, 1),
                                   ("batch_size", 1 if batch_size is None else batch_size, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ValueError(f"SplitSampler: {name} must be an integer of at least {least}, not {value!r}")
        if isinstance(part_index, bool) or not isinstance(part_index, int) or not 0 <= part_index < num_parts:
            raise ValueError(f"SplitSampler: part_index must be 0 .. {num_parts - 1}, not {part_index!r}")
        if batch_size is None:
            size = length // num_parts
            self._indices = np.arange(part_index * size, (part_index + 1) * size)
        else:
            group = num_parts * batch_size
            starts = np.arange(length // group) * group + part_index * batch_size
            self._indices = (starts[:, None] + np.arange(batch_size)).reshape(-1)
        self._shuffle = bool(shuffle)

    def __iter__(self):
        indices = np.random.permutation(self._indices) if self._shuffle else self._indices
        return iter(indices.tolist())

    def __len__(self):
        return len(self._indices)

"""mx->image (mx->img): Python mxnet's image API, called AI::MXNet's way.

What differs from Python mxnet 1.9.1: imdecode takes a Perl string of the image's bytes (bytes, or `str` when
every byte is below 0x80) or an array of any dtype (read as bytes); ImageIter takes AI::MXNet's `kwargs => {...}`
(the augmenters' arguments as one hash) and augmenters that return a list of one image, as AI::MXNet's did. An
augmenter called from Perl returns [image], as AI::MXNet's code refs did (bridge/handles/objects.py).
"""
import mxnet as mx
import numpy as np

from ..arrays import pdl
from ..perl.args import perl_bytes


def imdecode(buf, flag=1, to_rgb=1, out=None):
    """An image's bytes decoded (libmxnet's OpenCV) into an NDArray of height x width x channels, uint8: flag 1
    colour, 0 grey; to_rgb 1 red-green-blue, 0 OpenCV's blue-green-red. Bytes that are no image raise one line."""
    if isinstance(buf, pdl.PDL):
        buf = buf.numpy()
    if isinstance(buf, mx.nd.NDArray):
        buf = buf if buf.dtype == np.uint8 else buf.astype(np.uint8)
    elif isinstance(buf, np.ndarray):
        buf = mx.nd.array(buf.reshape(-1), dtype=np.uint8)
    else:
        buf = mx.nd.array(np.frombuffer(perl_bytes(buf, "imdecode"), dtype=np.uint8), dtype=np.uint8)
    return mx.nd._internal._cvimdecode(buf, flag=flag, to_rgb=to_rgb, out=out)


class ImageIter(mx.image.ImageIter):
    """mx->img->ImageIter(batch_size => 32, data_shape => [3, 224, 224], path_imgrec => 'data.rec',
    kwargs => {rand_crop => 1, rand_mirror => 1}, ...): Python mxnet's ImageIter; AI::MXNet's `kwargs` hash
    holds the arguments of CreateAugmenter, as Python's **kwargs do."""

    perl_class = "AI::MXNet::ImageIter"

    def __init__(self, batch_size, data_shape, label_width=1, path_imgrec=None, path_imglist=None, path_root=None,
                 path_imgidx=None, shuffle=False, part_index=0, num_parts=1, aug_list=None, imglist=None,
                 data_name="data", label_name="softmax_label", dtype="float32", last_batch_handle="pad",
                 kwargs=None, **augmenter_args):
        super().__init__(batch_size, tuple(data_shape), label_width=label_width, path_imgrec=path_imgrec,
                         path_imglist=path_imglist, path_root=path_root, path_imgidx=path_imgidx,
                         shuffle=bool(shuffle), part_index=part_index, num_parts=num_parts, aug_list=aug_list,
                         imglist=imglist, data_name=data_name, label_name=label_name, dtype=dtype,
                         last_batch_handle=last_batch_handle, **{**(kwargs or {}), **augmenter_args})

    def augmentation_transform(self, data):
        """Each augmenter in turn; one that returns a list (AI::MXNet's returned [image]) gives its one image."""
        for augmenter in self.auglist:
            data = augmenter(data)
            if isinstance(data, (list, tuple)):
                if len(data) != 1:
                    raise ValueError("ImageIter: an augmenter returned %d images; it takes one" % len(data))
                data = data[0]
        return data


FUNCTIONS = {"imdecode": imdecode, "ImageIter": ImageIter}

"""A numpy-backed mirror of a PDL 2.081 ndarray, so Python code prints exactly what Perl's PDL prints.

Only what the bridge needs: PDL's stringification, a few accessors, sum/max/min, and
PDL::LinearAlgebra's mnorm (through the system LAPACK, as PDL does, when one can be loaded).
"""
import ctypes
import ctypes.util
import math
import os
import shutil
import subprocess

import numpy as np

# PDL 2.081 type name -> numpy dtype.
PDL_TYPES = {
    "byte": np.dtype(np.uint8),
    "sbyte": np.dtype(np.int8),
    "short": np.dtype(np.int16),
    "ushort": np.dtype(np.uint16),
    "long": np.dtype(np.int32),
    "ulong": np.dtype(np.uint32),
    "indx": np.dtype(np.int64),
    "longlong": np.dtype(np.int64),
    "ulonglong": np.dtype(np.uint64),
    "float": np.dtype(np.float32),
    "double": np.dtype(np.float64),
}



def pdl_dtype(pdl_type):
    """The numpy dtype of a PDL type's data; complex PDLs (cfloat, cdouble, ...) have none mxnet could take."""
    try:
        return PDL_TYPES[pdl_type]
    except KeyError:
        raise TypeError("a PDL of type %s cannot become an NDArray: MXNet has no such dtype (PDL types it "
                        "reads: %s)" % (pdl_type, ", ".join(PDL_TYPES))) from None


# mxnet dtype name -> PDL type name (what AI::MXNet's aspdl gives).
MX_TO_PDL = {
    "float32": "float",
    "float64": "double",
    "float16": "float",
    "uint8": "byte",
    "int32": "long",
    "int64": "longlong",
    "int8": "sbyte",
    "bool": "byte",
}

# numpy dtype name -> default PDL type name (reverse of PDL_TYPES; int64 -> longlong).
_NP_TO_PDL = {
    "uint8": "byte", "int8": "sbyte", "int16": "short", "uint16": "ushort",
    "int32": "long", "uint32": "ulong", "int64": "longlong", "uint64": "ulonglong",
    "float32": "float", "float64": "double", "float16": "float", "bool": "byte",
}

# $PDL::floatformat, $PDL::doubleformat, $PDL::indxformat and $PDL::toolongtoprint.
_TYPE_FORMATS = {"float": "%7g", "double": "%10.8g", "indx": "%12d"}
# $PDL::toolongtoprint as AI::MXNet sets it when it loads (PDL's own default is 10000).
TOO_LONG_TO_PRINT = 1_000_000_000

# sumover's output type ("int+": at least long).
_SUM_TYPES = {"byte": "long", "sbyte": "long", "short": "long", "ushort": "long"}


def _nv_str(x):
    """Perl's string for a number held as an NV (double): %.15g, "0" for either zero, Inf/-Inf/NaN."""
    if x != x:
        return "NaN"
    if x == 0:
        return "0"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return "%.15g" % x


def _perl_sprintf(fmt, x, s):
    """Perl's sprintf(fmt, $t) for an element with value x and default string s (fmt: %Ns, %Nd or %W.Pg).
    %s prints the string; the numeric formats use the value itself (so -0.0 prints "-0")."""
    conv = fmt[-1]
    if conv == "s":
        return s.rjust(int(fmt[1:-1]))
    if conv == "d":
        return fmt % x
    if x != x or math.isinf(x):
        return _nv_str(x).rjust(int(fmt[1:-1].split(".")[0]))
    return fmt % x


def _py_scalars(arr, ptype):
    """Elements as Perl hands them to Perl code: ints, floats widened to double, ulonglong as a signed IV."""
    if ptype == "ulonglong":
        arr = arr.view(np.int64)
    elif ptype == "float":
        arr = arr.astype(np.float64)
    return arr.tolist()


class PDL:
    """A PDL ndarray of one PDL type; dims are the numpy shape reversed, data in PDL (= numpy C) order."""

    def __init__(self, array, type=None):
        arr = array._data if isinstance(array, PDL) else np.asarray(array)
        if type is None:
            try:
                type = _NP_TO_PDL[arr.dtype.name]
            except KeyError:
                raise ValueError("no PDL type for numpy dtype %s" % arr.dtype.name) from None
        if type not in PDL_TYPES:
            raise ValueError("unknown PDL type %r" % (type,))
        with np.errstate(all="ignore"):
            self._data = arr.astype(PDL_TYPES[type], order="C")
        self.type = type
        self._bad = False  # a 0-dim BAD value (max/min of an empty ndarray)

    @classmethod
    def from_mx(cls, ndarray):
        """A PDL of an mxnet NDArray's data, with the PDL type AI::MXNet gives its dtype (MX_TO_PDL)."""
        arr = ndarray.asnumpy()
        try:
            ptype = MX_TO_PDL[arr.dtype.name]
        except KeyError:
            raise ValueError("no PDL type for mxnet dtype %s" % arr.dtype.name) from None
        return cls(arr, ptype)

    @classmethod
    def _bad_scalar(cls, ptype):
        """A 0-dim BAD ndarray holding PDL's default bad value for ptype (what max/min of nothing give)."""
        dt = PDL_TYPES[ptype]
        if dt.kind == "f":
            value = -np.finfo(dt).max
        else:
            value = np.iinfo(dt).max if dt.kind == "u" else np.iinfo(dt).min
        out = cls(np.array(value, dtype=dt), ptype)
        out._bad = True
        return out

    # -- shape and data -----------------------------------------------------------------------------------
    def dims(self):
        """PDL's dims: the numpy shape reversed (first dim varies fastest)."""
        return list(reversed(self._data.shape))

    def ndims(self):
        return self._data.ndim

    def nelem(self):
        return int(self._data.size)

    def numpy(self):
        """A copy of the data as a numpy array (numpy shape = dims reversed)."""
        return self._data.copy()

    def list(self):
        """PDL's list: all elements flat in memory order."""
        if self._bad:
            return ["BAD"]
        return _py_scalars(self._data.reshape(-1), self.type)

    def unpdl(self):
        """PDL's unpdl: nested lists, outermost over the last dim; a 0-dim gives [x], an empty one []."""
        if self._bad:
            return ["BAD"]
        if self._data.size == 0:
            return []
        if self._data.ndim == 0:
            return self.list()
        return _py_scalars(self._data, self.type)

    def at(self, *idx):
        """PDL's at: the element at PDL indices (fastest dim first; negative counts from the end)."""
        dims = self.dims()
        if len(idx) < len(dims):
            raise IndexError("at: need %d indices, got %d" % (len(dims), len(idx)))
        pos = []
        for i, n in zip(idx, dims + [1] * (len(idx) - len(dims))):
            j = i + n if i < 0 else i
            if not 0 <= j < n:
                raise IndexError("at: position %r out of range for dims %s" % (idx, dims))
            pos.append(j)
        if self._bad:
            return "BAD"
        return _py_scalars(self._data[tuple(reversed(pos[:len(dims)]))], self.type)

    def sclr(self):
        """PDL::sclr: the single element as a Python number (multielement dies, as in PDL 2.081)."""
        if self._data.size > 1:
            raise ValueError("multielement ndarray in 'sclr' call")
        if self._data.size == 0:
            raise IndexError("Position out of range")
        return _py_scalars(self._data.reshape(-1), self.type)[0]

    # -- slicing and assignment (PDL's slice strings and .=) -------------------------------------------
    def slice(self, spec):
        """PDL's slice('1:2,(0),:') as a view that shares this PDL's data: one part per dim, fastest dim first;
        ':' or '' all, 'n' the index n (dim kept), '(n)' the index n (dim dropped), 'a:b' or 'a:b:s' inclusive;
        negative indices count from the end; missing parts are ':'."""
        dims = self.dims()
        parts = [p.strip() for p in spec.split(",")] if spec.strip() else []
        if len(parts) > len(dims):
            raise IndexError("slice: %d parts for %d dims" % (len(parts), len(dims)))
        index = [slice(None)] * len(dims)
        for d, part in enumerate(parts):
            if part not in ("", ":"):
                index[d] = _slice_part(part, dims[d])
        view = PDL.__new__(type(self))
        view._data, view.type, view._bad = self._data[tuple(reversed(index))], self.type, False
        return view

    def set(self, value):
        """PDL's `.=`: assign a number or a PDL (broadcast, converted to this type) into this PDL or view."""
        with np.errstate(all="ignore"):
            self._data[...] = value._data if isinstance(value, PDL) else value
        return self

    # -- reductions (each a 0-dim PDL, as in PDL 2.081) -------------------------------------------------
    def sum(self):
        """PDL's sum: a 0-dim PDL (long for types narrower than long), summed in order in that type."""
        otype = _SUM_TYPES.get(self.type, self.type)
        dt = PDL_TYPES[otype]
        flat = self._data.reshape(-1).astype(dt)
        if flat.size == 0:
            return PDL(np.array(0, dtype=dt), otype)
        with np.errstate(all="ignore"):
            total = np.cumsum(flat, dtype=dt)[-1]  # sequential, like sumover; np.sum is pairwise
        return PDL(np.array(total, dtype=dt), otype)

    def max(self):
        """PDL's max: a 0-dim PDL of the same type; NaNs skipped (all NaN gives NaN); empty gives BAD."""
        return self._extreme(np.fmax, np.max)

    def min(self):
        """PDL's min: a 0-dim PDL of the same type; NaNs skipped (all NaN gives NaN); empty gives BAD."""
        return self._extreme(np.fmin, np.min)

    def _extreme(self, float_ufunc, int_func):
        if self._data.size == 0:
            return PDL._bad_scalar(self.type)
        flat = self._data.reshape(-1)
        value = float_ufunc.reduce(flat) if flat.dtype.kind == "f" else int_func(flat)
        return PDL(np.array(value, dtype=flat.dtype), self.type)

    # -- printing ----------------------------------------------------------------------------------------
    def _cells(self):
        """(value, default string) of every element, as listref_c hands them to str1D/str2D; data's shape."""
        flat = _py_scalars(self._data.reshape(-1), self.type)
        to_str = _nv_str if self._data.dtype.kind == "f" else str
        out = np.empty(len(flat), dtype=object)
        for i, x in enumerate(flat):
            out[i] = (x, to_str(x))
        return out.reshape(self._data.shape)

    def __str__(self):
        """Byte-identical to "$pdl" in Perl (PDL 2.081 PDL::string with the default formats)."""
        if self._data.size > TOO_LONG_TO_PRINT:
            return "TOO LONG TO PRINT"
        if self._data.ndim == 0:
            return "BAD" if self._bad else self._cells()[()][1]
        if self._data.size == 0:
            return "Empty[" + "x".join(str(d) for d in self.dims()) + "]"
        cells = self._cells()
        if cells.ndim == 1:
            return self._str1d(cells)
        return self._strnd(cells, 0)

    __repr__ = __str__

    def _str1d(self, cells):
        fmt = _TYPE_FORMATS.get(self.type)
        texts = [_perl_sprintf(fmt, x, t) if fmt and len(t) > 7 else t for x, t in cells]
        return "[" + " ".join(texts) + "]"

    def _strnd(self, cells, level):
        if cells.ndim == 2:
            return self._str2d(cells, level)
        ret = "\n" + " " * level + "["
        for sub in cells:
            ret += self._strnd(sub, level + 1)[:-1]
        return ret + "\n" + " " * level + "]\n"

    def _str2d(self, cells, level):
        flat = list(cells.reshape(-1))
        width = max(len(t) for _, t in flat)
        fmt = "%" + str(width) + "s"
        if width > 7 and self.type in _TYPE_FORMATS:
            fmt = _TYPE_FORMATS[self.type]
        texts = [_perl_sprintf(fmt, x, t) for x, t in flat]
        width = max(len(c) for c in texts)
        texts = [c.rjust(width) for c in texts]
        ncol = cells.shape[1]
        inner = " " * (level + 1)
        rows = [inner + "[" + " ".join(texts[r:r + ncol]) + "]\n" for r in range(0, len(texts), ncol)]
        return "\n" + " " * level + "[\n" + "".join(rows) + " " * level + "]\n"


def _slice_part(part, size):
    """One part of a PDL slice string as a numpy index for a dim of this size."""
    def position(text):
        i = int(text)
        if not -size <= i < size:
            raise IndexError("slice: %s out of range for a dim of size %d" % (text, size))
        return i + size if i < 0 else i
    if part.startswith("(") and part.endswith(")"):
        return position(part[1:-1])
    bits = part.split(":")
    begin = position(bits[0]) if bits[0] else 0
    end = position(bits[1]) if len(bits) > 1 and bits[1] else (size - 1 if len(bits) > 1 else begin)
    step = abs(int(bits[2])) if len(bits) > 2 and bits[2] else 1
    if begin <= end:
        return slice(begin, end + 1, step)
    return slice(begin, end - 1 if end > 0 else None, -step)  # PDL runs backwards when begin > end


class PDLMatrix(PDL):
    """What asmpdl gives, a PDL::Matrix: the same matrix as the PDL of aspdl, printed the same way (a 1-D one
    as a column), with dims in (row, column, ...) order: the first two PDL dims swapped."""

    def dims(self):
        dims = super().dims()
        return dims[1::-1] + dims[2:] if len(dims) >= 2 else dims

    def __str__(self):
        if self._data.ndim == 1:
            column = PDL.__new__(PDL)
            column._data, column.type, column._bad = self._data.reshape(-1, 1), self.type, False
            return str(column)
        return super().__str__()

    __repr__ = __str__


# -- PDL::LinearAlgebra::mnorm ------------------------------------------------------------------------------
_NORMS = {"inf": "0", "one": "1", "two": "2", "fro": "3"}
_NORM_CHAR = {"0": b"O", "1": b"I", "3": b"F"}  # mnorm's ord -> ?lange's norm on PDL's column-major data
_LAPACK = None


def _system_paths(name):
    """Full paths of the system's lib<name> (by path: a bare soname could bind mxnet's bundled OpenBLAS)."""
    found = ctypes.util.find_library(name)
    if not found:
        return []
    if os.path.isabs(found):
        return [found]
    try:
        listing = subprocess.run([shutil.which("ldconfig") or "/sbin/ldconfig", "-p"], capture_output=True,
                                 text=True, env={"LC_ALL": "C"}, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.rsplit("=> ", 1)[1].strip() for line in listing.splitlines()
            if line.strip().startswith(found + " ") and "=> " in line]


def _lapack():
    """The system LAPACK, looked for as PDL::LinearAlgebra's build does (OpenBLAS, else -llapack),
    so results match PDL's to the last bit; False when none loads (numpy is used instead)."""
    global _LAPACK
    if _LAPACK is None:
        _LAPACK = False
        for path in _system_paths("openblas") + _system_paths("lapack"):
            try:
                lib = ctypes.CDLL(path)
                for func, restype in (("slange_", ctypes.c_float), ("dlange_", ctypes.c_double),
                                      ("sgesvd_", None), ("dgesvd_", None)):
                    getattr(lib, func).restype = restype
            except (OSError, AttributeError):
                continue
            _LAPACK = lib
            break
    return _LAPACK


def _lange(a, norm):
    """?lange on one matrix a (numpy shape (n, m) = Fortran m x n column-major), in a's dtype."""
    lib = _lapack()
    m, n = a.shape[1], a.shape[0]
    if lib:
        ct = ctypes.c_float if a.dtype == np.float32 else ctypes.c_double
        fn = lib.slange_ if a.dtype == np.float32 else lib.dlange_
        buf = np.ascontiguousarray(a)
        work = np.zeros(max(1, m), dtype=a.dtype)
        i = ctypes.c_int
        r = fn(ctypes.c_char_p(norm), ctypes.byref(i(m)), ctypes.byref(i(n)),
               buf.ctypes.data_as(ctypes.POINTER(ct)), ctypes.byref(i(max(1, m))),
               work.ctypes.data_as(ctypes.POINTER(ct)), ctypes.c_size_t(1))
        return a.dtype.type(r)
    absa = np.abs(a)
    if norm == b"O":  # max Fortran column sum = max row sum of the printed matrix
        return absa.sum(axis=1, dtype=a.dtype).max()
    if norm == b"I":
        return absa.sum(axis=0, dtype=a.dtype).max()
    return np.sqrt(np.sum(a * a, dtype=a.dtype))


def _svd_max(a):
    """Largest singular value of one matrix via ?gesvd (jobu=jobvt='N', workspace query), as PDL's msvd."""
    lib = _lapack()
    if not lib:
        return np.linalg.svd(a, compute_uv=False)[0]
    m, n = a.shape[1], a.shape[0]
    ct = ctypes.c_float if a.dtype == np.float32 else ctypes.c_double
    fn = lib.sgesvd_ if a.dtype == np.float32 else lib.dgesvd_
    buf = np.array(a, order="C", copy=True)
    s = np.zeros(max(1, min(m, n)), dtype=a.dtype)
    u = np.zeros(1, dtype=a.dtype)
    vt = np.zeros(1, dtype=a.dtype)
    info = ctypes.c_int(0)
    i = ctypes.c_int
    ptr = lambda x: x.ctypes.data_as(ctypes.POINTER(ct))

    def call(work, lwork):
        fn(ctypes.c_char_p(b"N"), ctypes.c_char_p(b"N"), ctypes.byref(i(m)), ctypes.byref(i(n)),
           ptr(buf), ctypes.byref(i(max(1, m))), ptr(s), ptr(u), ctypes.byref(i(1)), ptr(vt),
           ctypes.byref(i(1)), ptr(work), ctypes.byref(i(lwork)), ctypes.byref(info),
           ctypes.c_size_t(1), ctypes.c_size_t(1))

    query = np.zeros(1, dtype=a.dtype)
    call(query, -1)
    lwork = max(1, int(query[0]))
    call(np.zeros(lwork, dtype=a.dtype), lwork)
    if info.value:
        raise ValueError("mnorm: SVD algorithm did not converge for matrix (info %d)" % info.value)
    return s[0]


def mnorm(p, ord=None):
    """PDL::LinearAlgebra::mnorm: ord 0|'inf' max row sum, 1|'one' max column sum (of the printed matrix),
    3|'fro' Frobenius, else the largest singular value; 1-D is a row; broadcasts; float or double."""
    if hasattr(p, "aspdl") and not isinstance(p, PDL):
        p = p.aspdl()
    if not isinstance(p, PDL):
        p = PDL(p)
    ptype = p.type if p.type in ("float", "double") else "double"
    a = p._data.astype(PDL_TYPES[ptype])
    if a.ndim == 0 or a.size == 0:
        raise ValueError("mnorm: need a non-empty matrix, got dims %s" % p.dims())
    if a.ndim == 1:
        a = a.reshape(1, -1)
    # Perl looks ord up as a hash key, i.e. by its string
    if ord is None or isinstance(ord, str):
        key = "2" if ord is None else ord
    else:
        key = _nv_str(ord) if isinstance(ord, float) else str(int(ord))
    norm = _NORM_CHAR.get(_NORMS.get(key, key))
    mats = a.reshape((-1,) + a.shape[-2:])
    if norm is not None:
        out = np.array([_lange(x, norm) for x in mats], dtype=a.dtype)
        return PDL(out.reshape(a.shape[:-2]), ptype)
    out = np.array([_svd_max(x) for x in mats], dtype=a.dtype)
    # PDL: $sv->slice('(0)')->reshape(-1), which also drops every extra dim of size 1
    return PDL(out.reshape(tuple(d for d in a.shape[:-2] if d != 1)), ptype)


def sclr(p):
    """PDL::sclr as a function: a mirror's single element as a Python number; a number is returned as is."""
    if isinstance(p, (int, float)):
        return p
    if isinstance(p, np.generic):
        return p.item()
    if hasattr(p, "aspdl") and not isinstance(p, PDL):
        p = p.aspdl()
    return p.sclr()

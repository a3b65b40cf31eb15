"""Python twin of ndarray_crash_course.pl: the same names through the bridge, the same printed lines."""
from bridge import mx, nd

mx.random.seed(1)

# Creating arrays: from nested lists, filled with ones, random, filled with a value.
xx = nd.array([[1, 2, 3], [5, 6, 7]])
print(xx.aspdl(), end="")
zz = nd.ones([2, 3])
print(zz.aspdl(), end="")
yy = nd.random.uniform(-1, 1, [2, 3])
print(yy.aspdl(), end="")
zz = nd.full([2, 3], 2.0)
print(zz.aspdl(), end="")

# Shape, size and type.
print(" ".join(map(str, zz.shape)), zz.size, zz.dtype)

# Operations: elementwise product, exponential, matrix product with a transpose.
print((zz * yy).aspdl(), end="")
print(yy.exp().aspdl(), end="")
print(nd.dot(zz, yy.T).aspdl(), end="")

# Indexing: one element, a range of columns (end included), assignment through a slice.
print(yy.slice(1, 2).aspdl(), end="")
print(yy.slice('X', [1, 2]).aspdl(), end="")
yy.slice('X', [1, 2]).set(2)
print(yy.aspdl(), end="")
yy.slice(1, [0, 1]).set(4)
yy.slice(1, 2).set(7)
print(yy.aspdl(), end="")
yy.slice(0).set(14)
print(yy.aspdl(), end="")

# Converting to PDL and back: edit a slice of the PDL, then make an NDArray of it again.
pdl = yy.aspdl()
print(pdl.slice('1:2,:'), end="")
pdl.slice('1:2,:').set(3)
back = nd.array(pdl)
print(" ".join(map(str, back.shape)), back.dtype)
print(back.aspdl(), end="")
print(yy.aspdl(), end="")

"""Python twin of gluon_create_network.pl: the crash course's "Create a neural network" through the bridge."""
from bridge import gluon, mx, nd

nn = gluon.nn


# A Block written in Python: its children are set in __init__ (Gluon registers them), forward says what it
# computes.
class MixMLP(gluon.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.blk = nn.Sequential()
            with self.blk.name_scope():
                self.blk.add(nn.Dense(3, activation='relu'))
                self.blk.add(nn.Dense(4, activation='relu'))
            self.dense = nn.Dense(5)

    def forward(self, x):
        y = nd.relu(self.blk(x))
        print("hidden:\n" + str(y.aspdl()), end="")
        return self.dense(y)


mx.random.seed(1)

# A layer: a Dense layer with 2 outputs. Its input size is found on the first call (deferred initialization).
layer = nn.Dense(2)
print(layer)
layer.initialize()
x = nd.random.uniform(-1, 1, (3, 4))
print(layer(x).aspdl(), end="")
print(layer.weight.data().aspdl(), end="")

# A network: LeNet, two convolutions each followed by max pooling, then three dense layers.
net = nn.Sequential()
with net.name_scope():
    net.add(nn.Conv2D(channels=6, kernel_size=5, activation='relu'),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=3, activation='relu'),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Flatten(),
            nn.Dense(120, activation='relu'),
            nn.Dense(84, activation='relu'),
            nn.Dense(10))
print(net)
net.initialize()
x = nd.random.uniform(shape=(4, 1, 28, 28))
y = net(x)
print("output shape:", *y.shape)
print("first layer weight:", *net[0].weight.data().shape)
print("sixth layer bias:", *net[5].bias.data().shape)
print("layers:", len(net))

# A Block written in Python, used like any other.
mix = MixMLP()
print(mix)
mix.initialize()
x = nd.random.uniform(shape=(2, 2))
print("output:\n" + str(mix(x).aspdl()), end="")
print("second hidden layer weight:\n" + str(mix.blk[1].weight.data().aspdl()), end="")

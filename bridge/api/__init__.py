"""AI::MXNet's API families beyond the array itself, one module each: autograd, random, engine, runtime,
symbol (attribute scopes), datasets (MNIST and FashionMNIST from local files), trainer (Gluon's Trainer with
a direct update)."""

"""AI::MXNet's mx->runtime: Features(), one object whose `features` maps each of libmxnet's compile-time
features to 1 or 0, with `is_enabled` (dies for a name libmxnet does not know) and AI::MXNet's string."""
import mxnet as mx


class Features:
    """The features libmxnet was built with, as AI::MXNet::RunTime gave them (always the same object)."""

    perl_class = "AI::MXNet::RunTime"
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
            cls._instance.features = {f.name: int(f.enabled) for f in mx.runtime.feature_list()}
        return cls._instance

    def is_enabled(self, feature):
        if feature not in self.features:
            raise RuntimeError(f"Feature {feature} does not exist")
        return self.features[feature]

    def __repr__(self):
        return "[%s]" % ", ".join("%s %s" % ("\u2714" if self.features[name] else "\u2716", name)
                                  for name in sorted(self.features))


FUNCTIONS = {"Features": Features}

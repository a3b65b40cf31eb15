"""Tools around the bridge: the cross-language parity runner (parity.py, the bridge-parity script)."""

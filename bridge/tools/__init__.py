"""Tools around the bridge: the cross-language parity runner (parity.py, the bridge-parity script) and the
launcher of distributed jobs (launch.py, the bridge-launch script)."""

"""make demo: run each examples/NAME.pl and its NAME.py twin, show their output side by side, and say
whether they agree. Exit status 1 if any pair differs or fails."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAIRS = ["autograd_basic", "autograd_control_flow", "gluon_create_network", "gluon_train", "gluon_predict"]


def run(cmd):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return proc.returncode, proc.stdout, proc.stderr


def main():
    failed = 0
    for name in PAIRS:
        perl = run(["perl", "-Iperl_shim/lib", f"examples/{name}.pl"])
        python = run([sys.executable, f"examples/{name}.py"])
        left, right = perl[1].splitlines(), python[1].splitlines()
        width = max([len(l) for l in left] + [len("Perl")]) + 4
        print(f"== {name}: examples/{name}.pl | examples/{name}.py")
        print("Perl".ljust(width) + "Python")
        for i in range(max(len(left), len(right))):
            l = left[i] if i < len(left) else ""
            r = right[i] if i < len(right) else ""
            print(l.ljust(width) + r)
        ok = perl[0] == 0 and python[0] == 0 and perl[1] == python[1]
        for label, result in (("perl", perl), ("python", python)):
            if result[0] != 0:
                print(f"{label} exited {result[0]}:\n{result[2]}")
        print(f"-> {'AGREE' if ok else 'DIFFER'}: byte-identical output\n" if ok else "-> DIFFER\n")
        failed += not ok
    print(f"{len(PAIRS) - failed} of {len(PAIRS)} pairs agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

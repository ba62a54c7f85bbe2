"""`python -m tools.deploy [generate | check | install-kustomize --bin DIR | lambda-zip [--out PATH]]`.

generate (the default): write deploy/base/generated/ from config/timeout.json (the ConfigMap's copy of it and
the fleet's replicas). check: write nothing; exit 1 naming each stale file. install-kustomize: the pinned
kustomize into DIR, built from the Go module proxy unless already there. lambda-zip: build dist/lambda.zip.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.deploy import generated, kustomize, lambda_zip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.deploy", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("generate", help="write deploy/base/generated/ from config/timeout.json")
    sub.add_parser("check", help="exit 1 naming each stale file of deploy/base/generated/")
    install = sub.add_parser("install-kustomize", help=f"kustomize {kustomize.VERSION} into --bin")
    install.add_argument("--bin", type=Path, required=True, help="the directory to put kustomize in")
    zipped = sub.add_parser("lambda-zip", help="build the Lambda's zip")
    zipped.add_argument("--out", type=Path, default=lambda_zip.OUT, help=f"default {lambda_zip.OUT}")
    args = parser.parse_args(argv)
    try:
        if args.command == "install-kustomize":
            print(f"tools.deploy: kustomize {kustomize.VERSION} at {kustomize.install(args.bin)}")
            return 0
        if args.command == "lambda-zip":
            out = lambda_zip.build(args.out)
            print(f"tools.deploy: {out} ({out.stat().st_size // 1024} KiB), handler {lambda_zip.HANDLER}")
            return 0
        wanted = generated.files()
    except (generated.FleetError, kustomize.KustomizeError) as error:
        print(f"tools.deploy: {error}", file=sys.stderr)
        return 1
    if args.command == "check":
        stale = generated.stale(wanted)
        for path in stale:
            print(f"stale: {path.relative_to(generated.REPO)} (run `python -m tools.deploy`)", file=sys.stderr)
        return 1 if stale else 0
    for path in generated.write(wanted):
        print(f"tools.deploy: wrote {path.relative_to(generated.REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

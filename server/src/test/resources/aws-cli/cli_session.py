"""Runs AWS CLI commands one after another in this one Python process, as the `aws` command runs each.

The `aws` command is `sys.exit(awscli.clidriver.main())`: a Python start and the import of awscli and
botocore (about a second here) before a call of a few milliseconds. This script imports them once and
then, for each request on stdin, calls the same driver: `create_clidriver().main(args)`, with a fresh
driver (so a fresh botocore session, credentials read from the environment again), the request's
environment, and stdout and stderr captured. Requests and answers are one JSON line each:

    {"args": ["sqs", "list-queues", ...], "env": {"AWS_ACCESS_KEY_ID": "..."}}
    {"exit": 0, "out": "<base64 of stdout>", "err": "<base64 of stderr>"}

The first line it writes is {"ready": "<awscli version>"}. It ends when stdin ends.
"""
import base64
import io
import json
import os
import sys

import awscli
from awscli.clidriver import create_clidriver

channel = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
requests = sys.stdin
base_environment = dict(os.environ)


def run(args, environment):
    os.environ.clear()
    os.environ.update(base_environment)
    os.environ.update(environment)
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", write_through=True)
    saved = sys.stdin, sys.stdout, sys.stderr
    # A command that reads stdin reads nothing (as with `aws ... < /dev/null`), never the requests.
    sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    sys.stdout, sys.stderr = out, err
    try:
        code = create_clidriver().main(args)
    except SystemExit as e:  # argparse's errors, --version
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # what would have ended the `aws` process with a traceback
        import traceback
        traceback.print_exc(file=err)
        code = 1
    finally:
        out.flush()
        err.flush()
        sys.stdin, sys.stdout, sys.stderr = saved
    return code, out_bytes.getvalue(), err_bytes.getvalue()


def answer(message):
    channel.write(json.dumps(message) + "\n")
    channel.flush()


answer({"ready": awscli.__version__})
for line in requests:
    if not line.strip():
        continue
    request = json.loads(line)
    code, out, err = run(request["args"], request.get("env", {}))
    answer({"exit": code if code is not None else 0,
            "out": base64.b64encode(out).decode("ascii"),
            "err": base64.b64encode(err).decode("ascii")})

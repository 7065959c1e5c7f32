"""Schemathesis hooks for `cargo xtask fuzz` (see fuzz.rs): keep most sync requests' envelope
acceptable, so that their mutations reach the sync protocol instead of stopping at the first
check.

The OpenAPI document cannot say what a push's envelope must hold beyond its types: the one
protocol the server speaks, seqs that follow on from the client's last one (a new client id
starts at 1), every mutation in the request's client id, a record schema the server accepts,
and an area the caller may write. Four requests in five are made so; the fifth is left as
generated, so the refusals are fuzzed too. `cargo xtask fuzz` asks the server for the
protocol and schema versions and passes them, with the demo organiser's areas, in the
environment.
"""

import os
import random

import schemathesis

PROTOCOL = int(os.environ["ORGANISE_FUZZ_PROTOCOL"])
SCHEMA = int(os.environ["ORGANISE_FUZZ_SCHEMA"])
AREAS = [area for area in os.environ["ORGANISE_FUZZ_AREAS"].split(",") if area]
SYNC = ("/api/sync/push", "/api/sync/pull")


@schemathesis.hook
def map_body(context, body):
    operation = context.operation
    if operation is None or operation.path not in SYNC or not isinstance(body, dict):
        return body
    if random.random() < 0.2:
        return body
    body["protocol"] = PROTOCOL
    mutations = body.get("mutations")
    if operation.path == "/api/sync/push" and isinstance(mutations, list):
        body["acknowledged"] = 0
        for seq, mutation in enumerate(mutations, start=1):
            if not isinstance(mutation, dict):
                continue
            mutation["seq"] = seq
            mutation["client_id"] = body.get("client_id")
            mutation["schema_version"] = SCHEMA
            op = mutation.get("op")
            if AREAS and isinstance(op, dict) and op.get("op") == "create":
                op["area"] = random.choice(AREAS)
    return body

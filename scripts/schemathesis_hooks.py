"""Schemathesis hooks for `npm run schemathesis` (scripts/schemathesis-api.ts loads this module).

Generated idempotency keys shrink to the same few values ("0", "00"), so every generated start after the first
reused a key with another body and was answered 422: the idempotency contract, but never a new payment. A valid
generated key gets a suffix that makes it unique, so starts reach the API's happy path; a key that breaks the
header's rule is left as generated, so negative cases stay negative.
"""

import itertools
import re

import schemathesis

_SEQUENCE = itertools.count(1)
# The header's rules: a payment's Idempotency-Key, and a batch's (no ".", at most 40 characters).
_PAYMENT_KEY = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_BATCH_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = case.headers or {}
    rule = _BATCH_KEY if case.path == "/v1/batches" else _PAYMENT_KEY
    for name, value in list(headers.items()):
        if name.lower() != "idempotency-key" or not isinstance(value, str) or not rule.match(value):
            continue
        unique = f"{value[:28]}-{next(_SEQUENCE)}"
        if rule.match(unique):
            headers[name] = unique

#!/usr/bin/env python3
"""Calls every operation of the OpenAPI document on the running sensor with
an admin token and checks that each is served: not 405, not the router's
own 404 ("no route ..."), and answered with a status (and, for a body, a
media type) that the document lists for that operation.

    openapi_routes.py OPENAPI_JSON BASE_URL ADMIN_TOKEN POLICY_YAML ALERT_ID

Harmless calls only: PUT /api/v1/policy puts back the policy that runs,
learn/start is followed by learn/stop, the alert stream is closed once its
headers arrived.
"""
import json
import sys
import urllib.error
import urllib.request

doc_path, base, token, policy_path, alert_id = sys.argv[1:6]
doc = json.load(open(doc_path))
policy = open(policy_path, "rb").read()

# learn/start before learn/stop before the proposal; the rest in document order.
ORDER = {"/api/v1/learn/start": 1, "/api/v1/learn/stop": 2, "/api/v1/learn/proposal": 3}
ops = [(p, m, op) for p, item in doc["paths"].items() for m, op in item.items()
       if m in ("get", "put", "post", "delete", "patch")]
ops.sort(key=lambda o: ORDER.get(o[0], 0))

failures = []
for path, method, op in ops:
    url = base + path.replace("{alert_id}", alert_id)
    body = policy if method in ("put", "post") and op.get("requestBody") else None
    req = urllib.request.Request(url, data=body, method=method.upper())
    req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "application/yaml")
    try:
        # urlopen returns once the headers are in: enough for the stream.
        resp = urllib.request.urlopen(req, timeout=10)
        status, ctype = resp.status, resp.headers.get("Content-Type", "")
        text = b"" if path.endswith("/stream") else resp.read()
        resp.close()
    except urllib.error.HTTPError as e:
        status, ctype, text = e.code, e.headers.get("Content-Type", ""), e.read()
    message = ""
    if status >= 400:
        try:
            message = json.loads(text).get("message", "")
        except ValueError:
            message = text[:200].decode(errors="replace")
    listed = op.get("responses", {})
    line = f"{method.upper()} {path}: {status} {ctype}" + (f" ({message})" if message else "")
    print(line)
    if status == 405 or (status == 404 and message.startswith("no route")):
        failures.append(f"{line}: listed in the document but not served")
    elif str(status) not in listed and "default" not in listed:
        failures.append(f"{line}: status not in the document's responses {sorted(listed)}")
    else:
        content = listed.get(str(status), {}).get("content")
        media = ctype.split(";")[0].strip()
        if content and media not in content:
            failures.append(f"{line}: media type {media!r} not in {sorted(content)}")

for f in failures:
    print("FAIL:", f, file=sys.stderr)
print(f"{len(ops)} operations, {len(failures)} failures")
sys.exit(1 if failures else 0)

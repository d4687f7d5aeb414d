"""A scripted flow through python-requests' requests.Session, the reference client.

Usage: /usr/bin/python3 requests_flow.py < flow.json   (requestsFlow.ts writes the flow)

The flow: {"base": "http://127.0.0.1:PORT", "sessionCookie": "JSESSIONID", "conflictCookie":
"JSESSIONID", "requests": [{"step", "method", "path", "headers"?, "form"?, "json"?, "login"?}]}.
A header or form value is a string, or is taken when the step is sent: {"field": "_csrf"} the
hidden input of the last page that had one, {"cookie": NAME} the jar's NAME at Path=/,
{"json": KEY} the newest KEY of the JSON bodies so far. Redirects are followed (requests' default).

Prints one JSON object: per step the final status, the redirect statuses, the cookies of the final
request's Cookie header in order ("NAME PATH"), the jar after it ("NAME PATH", sorted) and a 2xx
JSON body ("token" replaced); whether the session cookie at Path=/ changed at the login step; and
whether s.cookies[conflictCookie] raises CookieConflictError at the end.
"""
import json
import re
import sys

import requests

flow = json.load(sys.stdin)
s = requests.Session()
last_field = ""
json_values = {}
steps = []
rotated_at_login = False


def resolve(value):
    if isinstance(value, str):
        return value
    if "field" in value:
        return last_field
    if "cookie" in value:
        return s.cookies.get(value["cookie"], path="/") or ""
    return str(json_values.get(value["json"], ""))


def jar_paths():
    return {(c.name, c.value): c.path for c in s.cookies}


for request in flow["requests"]:
    kwargs = {"headers": {name: resolve(v) for name, v in request.get("headers", {}).items()}}
    if "form" in request:
        kwargs["data"] = {name: resolve(v) for name, v in request["form"].items()}
    if "json" in request:
        kwargs["json"] = request["json"]
    session_before = s.cookies.get(flow["sessionCookie"], path="/")
    known = jar_paths()
    response = s.request(request["method"], flow["base"] + request["path"], **kwargs)
    known.update(jar_paths())
    session_after = s.cookies.get(flow["sessionCookie"], path="/")
    if request.get("login"):
        rotated_at_login = session_before is not None and session_after is not None and session_before != session_after

    sent = []
    for pair in filter(None, (response.request.headers.get("Cookie") or "").split("; ")):
        name, _, value = pair.partition("=")
        sent.append(f"{name} {known.get((name, value), '?')}")
    record = {
        "step": request["step"],
        "status": response.status_code,
        "redirects": [hop.status_code for hop in response.history],
        "sent": sent,
        "cookies": sorted(f"{c.name} {c.path}" for c in s.cookies),
    }
    content_type = response.headers.get("Content-Type", "")
    if content_type.startswith("text/html"):
        field = re.search(r'<input[^>]*name="_csrf"[^>]*value="([^"]*)"', response.text)
        if field:
            last_field = field.group(1)
    if content_type.startswith("application/json") and response.text:
        body = response.json()
        if isinstance(body, dict):
            json_values.update(body)
            if 200 <= response.status_code < 300:
                record["body"] = {k: ("<token>" if k == "token" else v) for k, v in body.items()}
    steps.append(record)

try:
    s.cookies[flow["conflictCookie"]]
    conflict = False
except requests.cookies.CookieConflictError:
    conflict = True

print(json.dumps({"steps": steps, "rotatedAtLogin": rotated_at_login, "conflict": conflict}))

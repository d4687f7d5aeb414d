"""The classic Spring login flow with python-requests' requests.Session, as a reference client.

Usage: /usr/bin/python3 requests_flow.py http://127.0.0.1:PORT
Prints one JSON object: each step's final status, redirect statuses and the cookies in the jar
("NAME PATH", sorted) after it, whether JSESSIONID changed at login, and whether two JSESSIONIDs
(Path=/ and Path=/app) make s.cookies['JSESSIONID'] ambiguous.
"""
import json
import re
import sys

import requests

base = sys.argv[1]
s = requests.Session()
steps = []


def record(step, response):
    steps.append({
        "step": step,
        "status": response.status_code,
        "redirects": [hop.status_code for hop in response.history],
        "cookies": sorted(f"{c.name} {c.path}" for c in s.cookies),
    })
    return response


def xsrf_header():
    return {"X-XSRF-TOKEN": s.cookies.get("XSRF-TOKEN", path="/")}


page = record("GET /login", s.get(base + "/login"))
csrf = re.search(r'name="_csrf" type="hidden" value="([^"]*)"', page.text).group(1)
before = s.cookies.get("JSESSIONID", path="/")
record("POST /login", s.post(base + "/login", data={"username": "user", "password": "password", "_csrf": csrf}))
after = s.cookies.get("JSESSIONID", path="/")
me = record("GET /api/me", s.get(base + "/api/me")).json()
record("POST /api/notes", s.post(base + "/api/notes", json={"text": "hi"}, headers=xsrf_header()))
record("GET /api/admin", s.get(base + "/api/admin"))
record("POST /logout", s.post(base + "/logout", headers=xsrf_header()))
record("GET /api/me", s.get(base + "/api/me"))
record("GET /app/login", s.get(base + "/app/login"))
try:
    s.cookies["JSESSIONID"]
    conflict = False
except requests.cookies.CookieConflictError:
    conflict = True

print(json.dumps({
    "steps": steps,
    "me": me,
    "jsessionidRotatedAtLogin": before is not None and after is not None and before != after,
    "jsessionidConflict": conflict,
}))

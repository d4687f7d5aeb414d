#!/usr/bin/env python3
"""constructs.http as a requests.Session script, exported by HTTP Session.

Environment: dev.

Set these environment variables first (private values are never written here):
    secret  (private value from http-client.private.env.json)
    HOME  ($processEnv)
"""

import getpass
import json
import os
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests


def cookie_value(jar, name, url):
    """The cookie `name` the jar sends to `url`: domain and path matched, the longest path first.
    (jar[name] raises CookieConflictError when two paths hold the name, e.g. two JSESSIONIDs.)"""
    parts = urlsplit(url)
    host, path = parts.hostname or "", parts.path or "/"
    best = None
    for cookie in jar:
        domain = cookie.domain.lstrip(".")
        if cookie.name != name or not (host == domain or (cookie.domain_specified and host.endswith("." + domain))):
            continue
        if not (path == cookie.path or path.startswith(cookie.path.rstrip("/") + "/")):
            continue
        if best is None or len(cookie.path) > len(best.path):
            best = cookie
    return best.value if best else None


class HttpSession(requests.Session):
    """A requests.Session that sends the CSRF token the way HTTP Session does: on unsafe methods, the
    XSRF-TOKEN cookie as X-XSRF-TOKEN, unless the request sends its own header or a form with
    _csrf. Pass csrf=False to a request to leave it out. Spring Security 6+ masks the token it
    renders in pages (a new value per render) and, with its default handler, refuses the raw cookie value
    in the header: such apps need the form's masked _csrf or the SPA handler (csrf.spa())."""

    SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

    def request(self, method, url, csrf=True, **kwargs):
        self._csrf = csrf
        return super().request(method, url, **kwargs)

    def prepare_request(self, request):
        prepared = super().prepare_request(request)
        if not getattr(self, "_csrf", True) or prepared.method in self.SAFE_METHODS or "X-XSRF-TOKEN" in prepared.headers:
            return prepared
        body = prepared.body.decode("latin-1") if isinstance(prepared.body, bytes) else prepared.body or ""
        if "form-urlencoded" in prepared.headers.get("Content-Type", "") and "_csrf" in parse_qs(body):
            return prepared
        token = cookie_value(self.cookies, "XSRF-TOKEN", prepared.url)
        if token:
            prepared.headers["X-XSRF-TOKEN"] = token
        return prepared


def form_field(page, name):
    """The value of the form field `name` in an HTML page (<input name=…> or <meta name=…>), as
    {{request.response.csrf}} reads it."""

    class Finder(HTMLParser):
        value = None

        def handle_starttag(self, tag, attrs):
            fields = dict(attrs)
            if self.value is None and tag in ("input", "meta") and fields.get("name") == name:
                self.value = fields.get("value", fields.get("content"))

    finder = Finder()
    finder.feed(page)
    if finder.value is None:
        raise LookupError("no form field " + repr(name) + " in the page")
    return finder.value


def as_text(value):
    """A JSON value as HTTP Session substitutes it: strings as they are, the rest as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def dotenv(name):
    """A value from the .env file next to this script (KEY=value lines, # comments)."""
    for line in (HERE / ".env").read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and not key.startswith("#") and key.strip() == name:
            return value.strip().strip("\"'")
    raise KeyError(name + " is not in " + str(HERE / ".env"))


def report(response):
    """One line per request: status, method and URL."""
    print(response.status_code, response.request.method, response.url)
    return response


HERE = Path(__file__).resolve().parent
HOST = "https://api.example.test"
USER = "ada"
SECRET = os.environ["secret"]
BASE = f"{HOST}/api"
PROCESS_ENV_HOME = os.environ["HOME"]
DOTENV_API_KEY = dotenv("API_KEY")

session = HttpSession()

# Named session "admin" (# @session admin): cookies of its own.
admin_session = HttpSession()

# Login page
login_page = report(
    session.get(
        f"{HOST}/login",
    )
)

# Log in
login_page_csrf = form_field(login_page.text, "_csrf")
login = report(
    session.post(
        f"{HOST}/login",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
        },
        data={"username": USER, "password": SECRET, "_csrf": login_page_csrf, "note": "a b c"},
    )
)

# JSON from an earlier response, a header and a cookie
login_user_ids_0 = as_text(login.json()["user"]["ids"][0])
login_token = as_text(login.json()["token"])
login_x_trace = login.headers["X-Trace"]
login_jsessionid = cookie_value(session.cookies, "JSESSIONID", login.url)
uuid_value = str(uuid.uuid4())
request_id = uuid_value
profile = report(
    session.get(
        f"{BASE}/profile?id={login_user_ids_0}",
        headers={
            "Authorization": f"Bearer {login_token}",
            "X-Trace": login_x_trace,
            "X-Session": login_jsessionid,
            "X-Request-Id": request_id,
        },
        allow_redirects=False,
        timeout=5,
    )
)

# A JSONPath that is not a simple path
profile_items_id_1_name = ""  # TODO: JSONPath $..items[?(@.id>1)].name of profile.json() — not a simple path; take the value by hand
response = report(
    session.get(
        f"{BASE}/items?first={profile_items_id_1_name}",
    )
)

# JSON body written out, CSRF off for this one
response = report(
    session.put(
        f"{BASE}/settings",
        headers={
            "Content-Type": "application/json",
        },
        json={
            "theme": "dark",
            "beta": True,
            "limit": None,
            "tags": [
                "a",
                "b",
            ],
        },
        csrf=False,
    )
)

# Text with variables and a non-ASCII literal
timestamp = str(int(time.time()))
response = report(
    session.post(
        f"{BASE}/notes",
        headers={
            "Content-Type": "text/plain",
        },
        data=f"Grüße from {USER} at {timestamp} ({PROCESS_ENV_HOME}, {DOTENV_API_KEY})".encode("utf-8"),
    )
)

# A file as the body
# @no-cookie-jar: sent outside the session (no cookies in or out).
response = report(
    requests.request(
        "POST",
        f"{BASE}/upload",
        headers={
            "Content-Type": "application/octet-stream",
        },
        data=(HERE / "data/payload.bin").read_bytes(),
    )
)

# Multipart with a field and a file
response = report(
    session.post(
        f"{BASE}/files",
        data={"title": f"Quarterly {USER}"},
        files={"file": ("report.csv", (HERE / "data/report.csv").read_bytes(), "text/csv")},
    )
)

# In a named session, with a response handler
response = report(
    admin_session.delete(
        f"{BASE}/cache",
    )
)
# TODO: a JetBrains response handler was not exported; it reads:
#
#     client.global.set("cleared", response.body.ok);
#

# Asks for its values, like the extension
order_id = input("The order to fetch: ")
password = getpass.getpass("password: ")
response = report(
    session.get(
        f"{BASE}/orders/{order_id}?pin={password}",
    )
)

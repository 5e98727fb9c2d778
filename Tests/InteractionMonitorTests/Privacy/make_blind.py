#!/usr/bin/env python3
"""Blind PII/secret corpus A -> pii-blind.jsonl (deterministic).

Written WITHOUT reading the scrubber's sources or the existing corpora; the
shapes come from public documentation (cookie names of common frameworks, CLI
credential flags, webhook URL formats, check-digit algorithms).

Each line: {"category": ..., "text": ..., "secrets": [...]}
  positives: every string in "secrets" is an exact substring of "text" and must
             not survive scrubbing;
  negatives: category starts with NEG_PREFIX ("negative:", the prefix that
             measure_corpus.py and PIIScrubberTests.swift recognise), secrets
             is [] and the text must come back byte-identical.

  python3 make_blind.py            # writes pii-blind.jsonl next to this file
"""
import base64
import collections
import hashlib
import json
import os
import random
import string
import sys
import uuid

SEED = 0xB11D_A
NEG_PREFIX = "negative:"
R = random.Random(SEED)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii-blind.jsonl")

ROWS = []


def pos(cat, text, secrets):
    ROWS.append({"category": cat, "text": text, "secrets": list(secrets)})


def neg(kind, text):
    ROWS.append({"category": NEG_PREFIX + kind, "text": text, "secrets": []})


# ----------------------------------------------------------------- primitives
LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIG = string.digits
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"


def rs(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def pick(seq):
    return R.choice(seq)


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def b64u_nopad(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def ruuid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def ts_iso():
    return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23),
                                                    R.randint(0, 59), R.randint(0, 59), R.randint(0, 999))


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
HOSTS = ["web-01", "web-03", "api-2", "worker-7", "ip-10-0-3-17", "build-agent-4", "bastion", "ci-runner-12",
         "app-prod-eu1", "db-proxy", "k8s-node-5", "edge-lb-2"]


def syslog_ts():
    return "%s %2d %02d:%02d:%02d" % (pick(MONTHS), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59),
                                      R.randint(0, 59))


def prefix():
    """A random log-line prefix that carries no personal data."""
    k = R.randint(0, 8)
    if k == 0:
        return ""
    if k == 1:
        return "%s INFO  [%s] %s - " % (ts_iso(), pick(["main", "http-nio-8080-exec-3", "pool-2-thread-1",
                                                        "worker-4"]),
                                        pick(["c.e.auth.SessionFilter", "o.a.h.c.RequestLogger",
                                              "com.acme.deploy.Runner", "app.http.client"]))
    if k == 2:
        return "%s %s %s[%d]: " % (syslog_ts(), pick(HOSTS), pick(["app", "deploy", "sshd", "cron", "nginx",
                                                                   "gunicorn", "node"]), R.randint(200, 65000))
    if k == 3:
        return "[%s] %s in %s: " % (ts_iso().replace("T", " ")[:23], pick(["WARNING", "ERROR", "INFO", "DEBUG"]),
                                    pick(["auth", "views", "tasks", "client", "settings"]))
    if k == 4:
        return "I%02d%02d %02d:%02d:%02d.%06d %7d %s:%d] " % (
            R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59),
            R.randint(0, 999999), R.randint(1, 99), pick(["server.go", "client.go", "handler.go", "main.go"]),
            R.randint(20, 900))
    if k == 5:
        return "%s %s " % (ts_iso(), pick(["DEBUG", "TRACE", "WARN", "ERROR"]))
    if k == 6:
        return "+ "  # shell xtrace
    if k == 7:
        return "%s | " % pick(["ci", "deploy-job", "step 4/9", "runner", "build"])
    return "%s [%s] " % (ts_iso(), pick(["debug", "info", "warn"]))


FIRST = ["alice", "olivia", "liam", "priya", "mateo", "sophie", "hiroshi", "fatima", "lukas", "ingrid", "chen",
         "amara", "dmitri", "isabel", "noah", "yuki", "kwame", "elena", "rahul", "zoe", "marek", "leila", "tomas",
         "aisha", "jonas", "camille", "diego", "hannah", "omar", "svetlana", "kenji", "maria"]
LAST = ["nguyen", "kowalski", "garcia", "tanaka", "schmidt", "okafor", "johansson", "dubois", "rossi", "patel",
        "murphy", "novak", "silva", "yilmaz", "fischer", "moreau", "haddad", "larsen", "kim", "oconnor",
        "petrov", "mendes", "achterberg", "whitfield"]
DOMAINS = ["example.com", "mail.example.org", "acme-corp.io", "globex.co.uk", "initech.de", "contoso.com",
           "umbrella-labs.dev", "fastmail.fm", "gmail.com", "outlook.com", "proton.me", "yahoo.co.jp",
           "web.de", "orange.fr", "students.uni-example.edu", "hooli.xyz"]
APPS = ["billing", "checkout", "portal", "admin", "shop", "crm", "intranet", "wiki", "dashboard", "support"]
SITES = ["app.example.com", "shop.acme-corp.io", "portal.contoso.com", "admin.globex.co.uk", "www.initech.de",
         "dashboard.hooli.xyz", "intranet.umbrella-labs.dev", "crm.example.org", "staging.example.net",
         "api.example.com"]


def uname():
    k = R.randint(0, 5)
    f, l = pick(FIRST), pick(LAST)
    if k == 0:
        return f
    if k == 1:
        return f[0] + l
    if k == 2:
        return f + "." + l
    if k == 3:
        return f + l[0]
    if k == 4:
        return f + str(R.randint(2, 99))
    return f + "_" + l


def email():
    f, l = pick(FIRST), pick(LAST)
    k = R.randint(0, 6)
    local = [f + "." + l, f[0] + l, f + l[0] + str(R.randint(1, 99)), f + "+" + pick(["news", "shop", "test",
                                                                                    "billing"]),
             f + "_" + l, l + "." + f, (f + "." + l).upper()][k]
    return local + "@" + pick(DOMAINS)


def password(symbols=True, n=None):
    n = n or R.randint(10, 20)
    alphabet = ALNUM + ("!@#%^&*_-+=?." if symbols else "")
    while True:
        p = rs(alphabet, n)
        if any(c.isdigit() for c in p) and any(c.isalpha() for c in p):
            return p


def human_password():
    words = ["Summer", "Winter", "Tiger", "Falcon", "Maple", "Orange", "Purple", "Rocket", "Dragon", "Coffee",
             "Harbor", "Silver", "Monkey", "Sunset", "Pirate", "Meadow"]
    return pick(words) + pick(["", "_", "!", "#", "."]) + str(R.randint(10, 2099)) + pick(["!", "", "$", "?", "#"])


def any_password():
    return human_password() if R.random() < 0.35 else password()


# ------------------------------------------------------------- check digits
def luhn_ok(num):
    d = [int(c) for c in num if c.isdigit()]
    s = 0
    for i, x in enumerate(reversed(d)):
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        s += x
    return s % 10 == 0


def luhn_complete(partial):
    for c in DIG:
        if luhn_ok(partial + c):
            return partial + c
    raise AssertionError


def iban_make(cc, bban):
    rearr = bban + cc + "00"
    n = int("".join(str(int(ch, 36)) for ch in rearr))
    return cc + "%02d" % (98 - n % 97) + bban


def iban_ok(s):
    s = s.replace(" ", "")
    rearr = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in rearr)) % 97 == 1


def ean_complete(partial):  # EAN-13 / ISBN-13 (12 digits in), UPC-A (11 in), EAN-8 (7 in)
    total = 0
    for i, c in enumerate(reversed(partial)):
        total += int(c) * (3 if i % 2 == 0 else 1)
    return partial + str((10 - total % 10) % 10)


def ean_ok(code):
    d = [int(c) for c in code if c.isdigit()]
    total = sum(x * (3 if i % 2 == 1 else 1) for i, x in enumerate(reversed(d)))
    return total % 10 == 0


def isbn10_complete(partial9):
    s = sum((10 - i) * int(c) for i, c in enumerate(partial9))
    c = (11 - s % 11) % 11
    return partial9 + ("X" if c == 10 else str(c))


def isbn10_ok(code):
    c = code.replace("-", "")
    s = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(c))
    return s % 11 == 0


CHECKS = []  # (description, value, predicate) validated at the end


def checked(desc, value, pred):
    CHECKS.append((desc, value, pred))
    return value


# --------------------------------------------------------------- PII values
def phone():
    k = R.randint(0, 15)
    d = lambda n: rs(DIG, n)
    nz = lambda: str(R.randint(2, 9))
    if k == 0:
        return "+1 %s%s-%s%s-%s" % (nz(), d(2), nz(), d(2), d(4))
    if k == 1:
        return "+1 (%s%s) %s%s-%s" % (nz(), d(2), nz(), d(2), d(4))
    if k == 2:
        return "+1.%s%s.%s%s.%s" % (nz(), d(2), nz(), d(2), d(4))
    if k == 3:
        return "+44 20 %s %s" % (nz() + d(3), d(4))
    if k == 4:
        return "+44 7%s %s" % (d(3), d(6))
    if k == 5:
        return "+49 30 %s" % d(8)
    if k == 6:
        return "+49 151 %s" % d(8)
    if k == 7:
        return "+33 %d %s %s %s %s" % (R.choice([1, 6, 7]), d(2), d(2), d(2), d(2))
    if k == 8:
        return "+81 %s-%s-%s" % (pick(["3", "90", "80", "6"]), d(4), d(4))
    if k == 9:
        return "+91 %s %s" % (pick(["98", "97", "91", "88"]) + d(3), d(5))
    if k == 10:
        return "+61 4%s %s %s" % (d(2), d(3), d(3))
    if k == 11:
        return "+55 11 9%s-%s" % (d(4), d(4))
    if k == 12:
        return "+34 6%s %s %s %s" % (d(2), d(2), d(2), d(2))
    if k == 13:
        return "+31 6 %s" % d(8)
    if k == 14:
        return "0044 %s %s %s" % (pick(["161", "121", "113"]), d(3), d(4))
    return "+%s%s" % (pick(["1", "44", "49", "33", "61"]), nz() + d(9))


def public_ipv4():
    while True:
        a = R.choice([23, 31, 37, 45, 46, 52, 54, 62, 77, 78, 81, 82, 85, 88, 91, 93, 94, 104, 109, 134, 141, 142,
                      145, 151, 158, 162, 176, 178, 185, 188, 193, 194, 195, 203, 212, 213, 217])
        b, c, d = R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)
        if a == 203 and b == 0 and c == 113:
            continue
        return "%d.%d.%d.%d" % (a, b, c, d)


def public_ipv6():
    head = pick(["2a00:1450", "2606:4700", "2a02:%x" % R.randint(0x100, 0xfff), "2001:67c", "2a01:4f8",
                 "2607:f8b0", "2a03:2880", "2600:1f18", "2c0f:fb50", "2401:%x" % R.randint(0x1000, 0xffff)])
    groups = ["%x" % R.randint(0, 0xffff) for _ in range(R.randint(2, 6))]
    if R.random() < 0.5:
        return head + ":" + ":".join(groups[:2]) + "::" + ":".join(groups[2:] or ["%x" % R.randint(1, 0xffff)])
    while len(groups) < 6:
        groups.append("%x" % R.randint(0, 0xffff))
    return head + ":" + ":".join(groups)


def card():
    k = R.randint(0, 6)
    if k in (0, 1):
        pre, n = "4" + rs(DIG, 5), 16
    elif k == 2:
        pre, n = str(R.randint(51, 55)) + rs(DIG, 4), 16
    elif k == 3:
        pre, n = str(R.randint(2221, 2720)) + rs(DIG, 2), 16
    elif k == 4:
        pre, n = pick(["34", "37"]) + rs(DIG, 4), 15
    elif k == 5:
        pre, n = "6011" + rs(DIG, 2), 16
    else:
        pre, n = str(R.randint(3528, 3589)) + rs(DIG, 2), 16
    num = luhn_complete(pre + rs(DIG, n - len(pre) - 1))
    checked("luhn card", num, luhn_ok)
    style = R.randint(0, 2)
    if n == 15:
        parts = [num[:4], num[4:10], num[10:]]
    else:
        parts = [num[i:i + 4] for i in range(0, 16, 4)]
    return [" ".join(parts), "-".join(parts), num][style]


IBAN_SPECS = [  # country, bban builder
    ("DE", lambda: rs(DIG, 8) + rs(DIG, 10)),
    ("GB", lambda: pick(["NWBK", "BARC", "MIDL", "LOYD", "HBUK"]) + rs(DIG, 6) + rs(DIG, 8)),
    ("FR", lambda: rs(DIG, 5) + rs(DIG, 5) + rs(DIG, 11) + rs(DIG, 2)),
    ("ES", lambda: rs(DIG, 20)),
    ("IT", lambda: pick(UPPER) + rs(DIG, 10) + rs(DIG, 12)),
    ("NL", lambda: pick(["ABNA", "INGB", "RABO", "TRIO"]) + rs(DIG, 10)),
    ("BE", lambda: rs(DIG, 12)),
    ("CH", lambda: rs(DIG, 5) + rs(DIG, 12)),
    ("AT", lambda: rs(DIG, 16)),
    ("PL", lambda: rs(DIG, 24)),
    ("IE", lambda: pick(["AIBK", "BOFI"]) + rs(DIG, 6) + rs(DIG, 8)),
    ("SE", lambda: rs(DIG, 20)),
    ("NO", lambda: rs(DIG, 11)),
    ("DK", lambda: rs(DIG, 14)),
]


def iban():
    cc, f = pick(IBAN_SPECS)
    v = iban_make(cc, f())
    checked("iban mod97", v, iban_ok)
    if R.random() < 0.5:
        return " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    return v


def ssn():
    while True:
        area = R.randint(1, 899)
        if area != 666:
            break
    return "%03d-%02d-%04d" % (area, R.randint(1, 99), R.randint(1, 9999))


def jwt():
    alg = pick(["HS256", "RS256", "ES256", "HS512"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg in ("RS256", "ES256") and R.random() < 0.7:
        hdr = {"alg": alg, "kid": rs(B64URL, 20), "typ": "JWT"}
    now = R.randint(1_700_000_000, 1_730_000_000)
    body = {"sub": pick([ruuid(), str(R.randint(10000, 999999)), "auth0|" + rs(HEX, 24)]),
            "iat": now, "exp": now + pick([300, 900, 3600, 86400])}
    if R.random() < 0.6:
        body["iss"] = pick(["https://auth.example.com/", "https://login.contoso.com/v2.0",
                            "https://accounts.acme-corp.io"])
    if R.random() < 0.5:
        body["scope"] = pick(["openid profile", "read:orders write:orders", "admin"])
    sig_len = {"HS256": 32, "HS512": 64, "RS256": 256, "ES256": 64}[alg]
    return ".".join([b64u_nopad(json.dumps(hdr, separators=(",", ":")).encode()),
                     b64u_nopad(json.dumps(body, separators=(",", ":")).encode()),
                     b64u_nopad(rbytes(sig_len))])


def opaque_token():
    k = R.randint(0, 5)
    if k == 0:
        return rs(ALNUM, R.randint(32, 48))
    if k == 1:
        return rs(HEX, 64)
    if k == 2:
        return "ya29.a0" + rs(B64URL, R.randint(120, 180))
    if k == 3:
        return "EwB" + rs(B64, R.randint(90, 140)) + "=="
    if k == 4:
        return rs(B64URL, 43)
    return "at_" + rs(ALNUM, 40)


def url_host():
    return pick(["api.example.com", "files.acme-corp.io", "git.initech.de", "ftp.globex.co.uk", "repo.contoso.com",
                 "proxy.corp.example.net", "svn.hooli.xyz", "nexus.umbrella-labs.dev", "registry.example.org"])


# ======================================================== POSITIVE: cookies
def connect_sid():
    sig = base64.b64encode(rbytes(32)).decode().rstrip("=").replace("+", "%2B").replace("/", "%2F")
    return "s%3A" + rs(B64URL, 32) + "." + sig


def laravel_cookie():
    payload = {"iv": base64.b64encode(rbytes(16)).decode(), "value": base64.b64encode(rbytes(R.choice([48, 64,
                                                                                                         80]))).decode(),
               "mac": rs(HEX, 64), "tag": ""}
    return base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().replace("=", "%3D")


def nextauth_jwe():
    return "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.." + b64u_nopad(rbytes(12)) + "." + \
        b64u_nopad(rbytes(R.randint(180, 320))) + "." + b64u_nopad(rbytes(16))


def rails_cookie():
    return base64.b64encode(rbytes(R.randint(90, 150))).decode().replace("=", "%3D").replace("+", "%2B").replace(
        "/", "%2F") + "--" + rs(HEX, 40)


COOKIE_MAKERS = [
    ("connect.sid", connect_sid),
    ("PHPSESSID", lambda: rs("0123456789abcdefghijklmnopqrstuv", 26)),
    ("PHPSESSID", lambda: rs(LOWER + DIG, 32)),
    ("ASP.NET_SessionId", lambda: rs("abcdefghijklmnopqrstuvwxyz012345", 24)),
    ("_session_id", lambda: rs(HEX, 32)),
    ("sessionid", lambda: rs(LOWER + DIG, 32)),
    ("JSESSIONID", lambda: rs("0123456789ABCDEF", 32)),
    ("JSESSIONID", lambda: rs("0123456789ABCDEF", 32) + pick([".node1", ".worker2", ".jvm-app-03"])),
    ("JSESSIONID", lambda: "node0" + rs(LOWER + DIG, 26) + str(R.randint(1, 999))),
    ("laravel_session", laravel_cookie),
    ("__Host-session", lambda: rs(B64URL, 43)),
    ("__Host-sid", lambda: rs(HEX, 64)),
    ("__Secure-next-auth.session-token", nextauth_jwe),
    ("__Secure-authjs.session-token", nextauth_jwe),
    ("__Secure-session", lambda: rs(B64URL, 48)),
    ("_%s_session" % "shop", rails_cookie),
    ("_gitlab_session", lambda: rs(HEX, 32)),
    ("SESSION", lambda: base64.b64encode(ruuid().encode()).decode()),  # Spring Session
]
OTHER_COOKIES = ["_ga=GA1.2.%d.%d" % (1000000000 + i * 7919, 1700000000 + i) for i in range(5)] + [
    "theme=dark", "lang=en-US", "i18n_redirected=de", "cookieconsent_status=dismiss", "tz=Europe%2FBerlin",
    "sidebar_collapsed=false", "_gid=GA1.2.7700112.1712000000", "locale=fr_FR", "ab_variant=B"]


def cookie_pair():
    name, f = pick(COOKIE_MAKERS)
    return name, f()


def cookie_header_line(name, value):
    before = R.sample(OTHER_COOKIES, R.randint(0, 2))
    after = R.sample(OTHER_COOKIES, R.randint(0, 2))
    return "; ".join(before + ["%s=%s" % (name, value)] + after)


def gen_cookies():
    for i in range(24):
        name, v = cookie_pair()
        site = pick(SITES)
        t = R.randint(0, 5)
        c = cookie_header_line(name, v)
        if t == 0:
            text = prefix() + "Cookie: " + c
        elif t == 1:
            text = "> GET /%s HTTP/1.1\n> Host: %s\n> User-Agent: curl/8.5.0\n> Cookie: %s\n> Accept: */*" % (
                pick(["account", "api/me", "cart", "admin/users"]), site, c)
        elif t == 2:
            text = prefix() + "request headers: Host=%s; Cookie=\"%s\"; Accept=application/json" % (site, c)
        elif t == 3:
            text = "%s %s GET /%s headers={'host': '%s', 'cookie': '%s', 'accept-encoding': 'gzip'}" % (
                ts_iso(), pick(["DEBUG", "INFO"]), pick(["dashboard", "orders", "settings"]), site, c)
        elif t == 4:
            text = "cookie: " + c
        else:
            text = '{"level":"debug","msg":"incoming request","path":"/%s","headers":{"Cookie":"%s"}}' % (
                pick(["login/callback", "graphql", "api/v2/cart"]), c)
        pos("session_cookie_header", text, [v])

    for i in range(22):
        name, v = cookie_pair()
        attrs = ["Path=/"]
        if R.random() < 0.6:
            attrs.append("Expires=%s, %02d %s 2025 %02d:%02d:%02d GMT" % (pick(DAYS), R.randint(1, 28), pick(MONTHS),
                                                                          R.randint(0, 23), R.randint(0, 59),
                                                                          R.randint(0, 59)))
        if R.random() < 0.5:
            attrs.append("Max-Age=%d" % pick([1800, 3600, 86400, 1209600]))
        if not name.startswith("__Host-") and R.random() < 0.4:
            attrs.append("Domain=.%s" % pick(SITES).split(".", 1)[1])
        attrs += R.sample(["HttpOnly", "Secure", "SameSite=Lax", "SameSite=Strict"], R.randint(1, 3))
        sc = "%s=%s; %s" % (name, v, "; ".join(attrs))
        t = R.randint(0, 4)
        if t == 0:
            text = prefix() + "Set-Cookie: " + sc
        elif t == 1:
            text = "< HTTP/2 302\n< location: /dashboard\n< set-cookie: %s\n< content-length: 0" % sc
        elif t == 2:
            text = prefix() + "response %d headers: set-cookie=[%s]" % (pick([200, 302, 303]), sc)
        elif t == 3:
            text = "header(\"Set-Cookie: %s\")" % sc if R.random() < 0.5 else "Set-Cookie: " + sc
        else:
            text = '{"status":200,"response_headers":{"Set-Cookie":"%s","Content-Type":"text/html"}}' % sc
        pos("session_set_cookie", text, [v])

    for i in range(22):
        name, v = cookie_pair()
        site = pick(SITES)
        path = pick(["api/v1/me", "admin/export.csv", "account/orders", "graphql", "internal/metrics"])
        t = R.randint(0, 6)
        if t == 0:
            text = "curl -b '%s=%s' https://%s/%s" % (name, v, site, path)
        elif t == 1:
            text = "curl -sS --cookie \"%s=%s\" -H 'Accept: application/json' https://%s/%s" % (name, v, site, path)
        elif t == 2:
            text = "curl -X POST -b \"%s\" -d '{}' https://%s/%s" % (cookie_header_line(name, v), site, path)
        elif t == 3:
            text = "wget --header=\"Cookie: %s=%s\" https://%s/%s -O out.json" % (name, v, site, path)
        elif t == 4:
            text = "http GET https://%s/%s 'Cookie:%s=%s'" % (site, path, name, v)
        elif t == 5:
            text = "$ curl -v -b %s=%s https://%s/%s" % (name, v, site, path)
        else:
            text = "ab -n 500 -c 20 -C '%s=%s' https://%s/%s" % (name, v, site, path)
        pos("session_cookie_cli", prefix() + text if R.random() < 0.3 else text, [v])

    for i in range(22):
        name, v = cookie_pair()
        site = pick(SITES)
        t = R.randint(0, 4)
        if t == 0:
            text = json.dumps({"url": "https://%s/" % site, "cookies": {name: v, "theme": "dark"}})
        elif t == 1:
            text = json.dumps({"cookies": [{"name": name, "value": v, "domain": "." + site.split(".", 1)[1],
                                            "path": "/", "httpOnly": True, "secure": True}]})
        elif t == 2:
            text = json.dumps({"log": {"entries": [{"request": {"method": "GET", "url": "https://%s/api" % site,
                                                                "cookies": [{"name": name, "value": v}]}}]}})
        elif t == 3:
            text = prefix() + "context.add_cookies([{'name': '%s', 'value': '%s', 'url': 'https://%s'}])" % (
                name, v, site)
        else:
            text = json.dumps({"event": "session_restore", "cookies": {name: v}, "ok": True}, indent=None)
        pos("session_cookie_json", text, [v])

    for i in range(22):
        name, v = cookie_pair()
        t = R.randint(0, 6)
        if t == 0:
            text = "%s=%s reused from a different device, forcing logout" % (name, v)
        elif t == 1:
            text = "Customer pasted their %s=%s into the support chat, please rotate" % (name, v)
        elif t == 2:
            text = "session fixation attempt: %s=%s presented before login" % (name, v)
        elif t == 3:
            text = "copied %s %s from devtools to reproduce the bug on staging" % (name, v)
        elif t == 4:
            text = "WARN stale session %s=%s (idle 3h) rejected" % (name, v)
        elif t == 5:
            text = "repro: log in, grab %s (was %s), replay against /api/export" % (name, v)
        else:
            text = "the %s cookie value %s appears in two concurrent sessions" % (name, v)
        pos("session_cookie_text", prefix() + text, [v])


# =============================================== POSITIVE: next-argument creds
def aws_secret():
    return rs(ALNUM + "+/", 40)


def aws_key_id():
    return pick(["AKIA", "ASIA"]) + rs(UPPER + "234567", 16)


def aws_session_token():
    return "IQoJb3JpZ2luX2Vj" + rs(B64, R.randint(280, 420)) + pick(["", "=", "=="])


def gen_next_arg():
    for i in range(22):
        t = R.randint(0, 5)
        prof = pick(["", " --profile prod", " --profile %s" % pick(["staging", "ci", "billing", "sandbox"])])
        if t <= 2:
            v = aws_secret()
            text = "aws configure set aws_secret_access_key %s%s" % (v, prof)
            secrets = [v]
        elif t == 3:
            v = aws_session_token()
            text = "aws configure set aws_session_token %s%s" % (v, prof)
            secrets = [v]
        elif t == 4:
            v = aws_secret()
            text = "aws configure set %s.aws_secret_access_key %s" % (pick(["default", "prod", "deploy"]), v)
            secrets = [v]
        else:
            k, v = aws_key_id(), aws_secret()
            text = "aws configure set aws_access_key_id %s%s && aws configure set aws_secret_access_key %s%s" % (
                k, prof, v, prof)
            secrets = [k, v]
        pos("cli_aws_configure", prefix() + text, secrets)

    for i in range(24):
        v = any_password()
        db = pick(["shop", "wordpress", "app_prod", "analytics", "crm"])
        host = pick(["db.internal", "mysql-primary", "10.20.0.5", "rds-main.cluster-abc.eu-west-1.rds.amazonaws.com",
                     "127.0.0.1"])
        user = pick(["root", "admin", "app", "backup", "wp_user"])
        t = R.randint(0, 7)
        if t == 0:
            text = "mysql -u %s -p%s %s" % (user, v, db)
        elif t == 1:
            text = "mysql -h %s -u %s -p'%s' %s" % (host, user, v, db)
        elif t == 2:
            text = "mysql -u %s -p\"%s\" -e 'SHOW DATABASES'" % (user, v)
        elif t == 3:
            text = "mysqldump --single-transaction -u%s -p%s %s > %s.sql" % (user, v, db, db)
        elif t == 4:
            text = "mysql --user=%s --password=%s --host=%s %s" % (user, v, host, db)
        elif t == 5:
            text = "mysqladmin -u root password %s" % v
        elif t == 6:
            text = "mysql -u %s --password %s -h %s" % (user, v, host)
        else:
            text = "mariadb -u%s -p'%s' -h %s -D %s" % (user, v, host, db)
        pos("cli_mysql", prefix() + text, [v])

    for i in range(26):
        v = any_password()
        tok = opaque_token()
        t = R.randint(0, 13)
        if t == 0:
            text, s = "helm repo add charts https://charts.example.com --username ci --password %s" % v, v
        elif t == 1:
            text, s = "az login -u svc-deploy -p %s" % v, v
        elif t == 2:
            text, s = "oc login -u developer -p %s https://api.ocp.example.com:6443" % v, v
        elif t == 3:
            text, s = "cf login -a https://api.run.example.com -u deployer -p %s" % v, v
        elif t == 4:
            text, s = "kubectl --token %s get pods -n payments" % tok, tok
        elif t == 5:
            text, s = "argocd login argocd.example.com --username admin --password %s --grpc-web" % v, v
        elif t == 6:
            text, s = "consul kv get -token %s service/config" % ruuid(), None
            s = text.split(" ")[4]
        elif t == 7:
            text, s = "rabbitmqctl add_user metrics %s" % v, v
        elif t == 8:
            text, s = "mongosh \"mongodb://db-0.internal:27017\" --username admin --password %s" % v, v
        elif t == 9:
            text, s = "influx config create -n prod -u https://influx.example.com --token %s" % tok, tok
        elif t == 10:
            text, s = "gitlab-runner register --url https://gitlab.example.com --registration-token %s" % (
                "GR1348941" + rs(B64URL, 20)), None
            s = text.split(" ")[-1]
        elif t == 11:
            text, s = "ldapsearch -x -H ldaps://ldap.example.com -D cn=admin,dc=example,dc=com -w %s" % v, v
        elif t == 12:
            text, s = "keytool -importkeystore -srckeystore app.p12 -srcstorepass %s -deststorepass %s" % (v, v), v
        else:
            text, s = "redis-cli -h cache.internal -a %s --no-auth-warning PING" % v, v
        pos("cli_flag_value", prefix() + text, [s])

    for i in range(22):
        v = any_password()
        t = R.randint(0, 6)
        host = pick(["pg-main.internal", "db.example.com", "10.1.4.22", "postgres", "pgbouncer"])
        if t == 0:
            text = "PGPASSWORD=%s psql -h %s -U app -d appdb -c 'select 1'" % (v, host)
        elif t == 1:
            text = "PGPASSWORD='%s' pg_dump -h %s -U postgres -Fc appdb > appdb.dump" % (v, host)
        elif t == 2:
            text = "env PGPASSWORD=\"%s\" psql \"host=%s dbname=reports user=reporter\"" % (v, host)
        elif t == 3:
            text = "MYSQL_PWD=%s mysql -h %s -u app shop" % (v, host)
        elif t == 4:
            text = "export PGPASSWORD=%s; pg_restore -h %s -U app -d appdb latest.dump" % (v, host)
        elif t == 5:
            text = "REDISCLI_AUTH=%s redis-cli -h %s INFO" % (v, host)
        else:
            text = "PGPASSWORD=%s pgbench -h %s -U bench -i -s 10" % (v, host)
        pos("cli_env_password", prefix() + text, [v])

    for i in range(24):
        v = any_password()
        t = R.randint(0, 7)
        reg = pick(["registry.example.com", "ghcr.io", "docker.io", "harbor.internal:8443", "quay.io"])
        if t == 0:
            text = "docker login -u ci-bot -p %s %s" % (v, reg)
        elif t == 1:
            text = "docker login --username deploy --password %s %s" % (v, reg)
        elif t == 2:
            text = "podman login -u builder -p '%s' %s" % (v, reg)
        elif t == 3:
            text = "htpasswd -b /etc/nginx/.htpasswd %s %s" % (uname(), v)
        elif t == 4:
            text = "htpasswd -bc /etc/apache2/.htpasswd admin '%s'" % v
        elif t == 5:
            text = "sshpass -p %s ssh -o StrictHostKeyChecking=no deploy@%s" % (v, pick(["bastion.example.com",
                                                                                      "10.0.8.14"]))
        elif t == 6:
            text = "sshpass -p '%s' scp build.tar.gz ops@%s:/srv/releases/" % (v, pick(["app-01.example.com",
                                                                                     "172.20.1.9"]))
        else:
            text = "echo '%s' | docker login -u ci --password-stdin %s" % (v, reg)
        pos("cli_tool_password", prefix() + text, [v])

    for i in range(22):
        v = pick([password(True, R.randint(10, 18)),
                  pick(["P@ss!w0rd#", "S3cr3t!", "Adm1n$", "Qw3rty#", "W3lc0me!", "Ch@ngeIt"]) +
                  str(R.randint(10, 9999)) + pick(["", "!", "#", "%"]),
                  rs("!@#$%^&*", 2) + password(False, 10) + rs("!#%&*?", 2)])
        if not any(c in v for c in "!@#$%^&*?+=-_."):
            v = v + "#!"
        t = R.randint(0, 6)
        if t == 0:
            text = "mysql -uadmin -p%s -h db.internal shop" % v
        elif t == 1:
            text = "7z x -p%s backup-2024-03.7z -o/srv/restore" % v
        elif t == 2:
            text = "unrar x -p%s invoices.rar" % v
        elif t == 3:
            text = "mysqldump -u root -p%s --all-databases" % v
        elif t == 4:
            text = "sqlcmd -S sql01.corp.example.com -U sa -P%s -Q \"SELECT @@VERSION\"" % v
        elif t == 5:
            text = "zip -P%s -r reports.zip reports/" % v
        else:
            text = "mysqlcheck -u maint -p%s --auto-repair --all-databases" % v
        pos("cli_short_flag_symbols", prefix() + text, [v])

    for i in range(26):
        v = aws_secret()
        k = aws_key_id()
        t = R.randint(0, 15)
        if t == 0:
            text, s = "aws_secret_access_key = %s" % v, [v]
        elif t == 1:
            text, s = "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = eu-west-1" % (k, v), [k, v]
        elif t == 2:
            text, s = "export AWS_SECRET_ACCESS_KEY=\"%s\"" % v, [v]
        elif t == 3:
            text, s = "AWS_SECRET_ACCESS_KEY=%s" % v, [v]
        elif t == 4:
            text, s = json.dumps({"Credentials": {"AccessKeyId": k, "SecretAccessKey": v,
                                                  "Expiration": "2024-06-01T12:00:00Z"}}), [k, v]
        elif t == 5:
            text, s = "secretAccessKey: %s" % v, [v]
        elif t == 6:
            text, s = "docker run -e AWS_ACCESS_KEY_ID=%s -e AWS_SECRET_ACCESS_KEY=%s amazon/aws-cli s3 ls" % (k, v), [k, v]
        elif t == 7:
            text, s = "aws_secret_key: %s" % v, [v]
        elif t == 8:
            text, s = "<SecretAccessKey>%s</SecretAccessKey>" % v, [v]
        elif t == 9:
            text, s = "-Dfs.s3a.secret.key=%s" % v, [v]
        elif t == 10:
            text, s = "spark.hadoop.fs.s3a.secret.key %s" % v, [v]
        elif t == 11:
            text, s = "s3cmd --access_key=%s --secret_key=%s ls s3://backups" % (k, v), [k, v]
        elif t == 12:
            text, s = "new S3Client({ region: 'us-east-1', credentials: { accessKeyId: '%s', secretAccessKey: '%s' } })" % (
                k, v), [k, v]
        elif t == 13:
            text, s = "AWS secret access key: %s (rotated 2024-02-11)" % v, [v]
        elif t == 14:
            text, s = "rclone config create s3backup s3 provider AWS access_key_id %s secret_access_key %s" % (k, v), [k, v]
        else:
            text, s = "aws.secretKey=%s" % v, [v]
        pos("aws_secret_key", prefix() + text if "\n" not in text else text, s)


# ==================================================== POSITIVE: URL-path secrets
def slack_ids():
    return "T" + rs(UPPER + DIG, R.choice([8, 10])), "B" + rs(UPPER + DIG, R.choice([8, 10, 11]))


def gen_webhooks():
    for i in range(22):
        t_id, b_id = slack_ids()
        sec = rs(ALNUM, 24)
        url = "https://hooks.slack.com/services/%s/%s/%s" % (t_id, b_id, sec)
        t = R.randint(0, 6)
        if t == 5:
            url = "https://hooks.slack.com/workflows/%s/A%s/%d/%s" % (t_id, rs(UPPER + DIG, 10),
                                                                      R.randint(10 ** 17, 10 ** 18), sec)
        if t == 6:
            sec = rs(HEX, 32)
            url = "https://hooks.slack.com/triggers/%s/%d/%s" % (t_id, R.randint(10 ** 12, 10 ** 13), sec)
        u = R.randint(0, 5)
        if u == 0:
            text = "SLACK_WEBHOOK_URL=%s" % url
        elif u == 1:
            text = "curl -X POST -H 'Content-type: application/json' --data '{\"text\":\"deploy finished\"}' %s" % url
        elif u == 2:
            text = "requests.exceptions.HTTPError: 404 Client Error: Not Found for url: %s" % url
        elif u == 3:
            text = json.dumps({"notifications": {"slack": {"webhook_url": url, "channel": "#alerts"}}})
        elif u == 4:
            text = prefix() + "POST %s -> 403 invalid_token" % url
        else:
            text = "  slack_api_url: '%s'" % url
        pos("webhook_slack", text, [sec])

    for i in range(22):
        wid = str(R.randint(10 ** 17, 2 * 10 ** 18))
        tok = rs(B64URL, 68)
        host = pick(["discord.com", "discordapp.com", "canary.discord.com", "ptb.discord.com"])
        url = "https://%s/api/webhooks/%s/%s%s" % (host, wid, tok, pick(["", "", "?wait=true", "/slack", "/github"]))
        if R.random() < 0.2:
            url = url.replace("/api/webhooks/", "/api/v10/webhooks/")
        u = R.randint(0, 5)
        if u == 0:
            text = "DISCORD_WEBHOOK=%s" % url
        elif u == 1:
            text = "curl -H \"Content-Type: application/json\" -d '{\"content\":\"build #%d failed\"}' \"%s\"" % (
                R.randint(100, 999), url)
        elif u == 2:
            text = prefix() + "discord notify failed: 429 Too Many Requests (%s)" % url
        elif u == 3:
            text = json.dumps({"webhooks": [{"name": "alerts", "url": url}]})
        elif u == 4:
            text = "webhook = DiscordWebhook(url='%s', content='nightly ok')" % url
        else:
            text = "Error: POST %s returned 401 Unauthorized" % url
        pos("webhook_discord", text, [tok])

    for i in range(22):
        g1, g2, g3 = ruuid(), ruuid(), ruuid()
        hx = rs(HEX, 32)
        t = R.randint(0, 3)
        tenant = pick(["contoso", "fabrikam", "acmecorp", "northwindtraders", "globex"])
        if t == 0:
            url = "https://%s.webhook.office.com/webhookb2/%s@%s/IncomingWebhook/%s/%s" % (tenant, g1, g2, hx, g3)
            secrets = [hx]
        elif t == 1:
            v2 = "V2" + rs(B64URL, 43)
            url = "https://%s.webhook.office.com/webhookb2/%s@%s/IncomingWebhook/%s/%s/%s" % (tenant, g1, g2, hx, g3,
                                                                                              v2)
            secrets = [hx, v2]
        elif t == 2:
            url = "https://outlook.office.com/webhook/%s@%s/IncomingWebhook/%s/%s" % (g1, g2, hx, g3)
            secrets = [hx]
        else:
            sig = rs(B64URL, 43)
            url = ("https://prod-%02d.%s.logic.azure.com:443/workflows/%s/triggers/manual/paths/invoke"
                   "?api-version=2016-06-01&sp=%%2Ftriggers%%2Fmanual%%2Frun&sv=1.0&sig=%s") % (
                R.randint(1, 99), pick(["westeurope", "eastus", "northeurope", "westus2"]), hx, sig)
            secrets = [sig]
        u = R.randint(0, 4)
        if u == 0:
            text = "TEAMS_WEBHOOK_URL=%s" % url
        elif u == 1:
            text = "Invoke-RestMethod -Method Post -ContentType 'application/json' -Body $card -Uri \"%s\"" % url
        elif u == 2:
            text = prefix() + "teams connector responded 400 for %s" % url
        elif u == 3:
            text = json.dumps({"alerting": {"msteams": {"webhook_url": url}}})
        else:
            text = "  - name: teams\n    url: %s" % url
        pos("webhook_teams", text, secrets)

    for i in range(20):
        hid = rs(LOWER + DIG, 26)
        host = pick(["mattermost.example.com", "chat.acme-corp.io", "mm.internal.initech.de", "team.hooli.xyz"])
        url = "https://%s/hooks/%s" % (host, hid)
        u = R.randint(0, 4)
        if u == 0:
            text = "MATTERMOST_WEBHOOK_URL=%s" % url
        elif u == 1:
            text = "curl -i -X POST -H 'Content-Type: application/json' -d '{\"text\": \"backup done\"}' %s" % url
        elif u == 2:
            text = prefix() + "mattermost: POST %s failed: 500" % url
        elif u == 3:
            text = json.dumps({"mattermost": {"url": url, "username": "ci-bot"}})
        else:
            text = "notify --mattermost %s --channel town-square" % url
        pos("webhook_mattermost", text, [hid])

    for i in range(20):
        t = R.randint(0, 2)
        if t == 0:
            space = "AAAA" + rs(ALNUM + "_-", 7)
            key = "AIza" + rs(B64URL, 35)
            tok = rs(B64URL, 43) + "%3D"
            url = "https://chat.googleapis.com/v1/spaces/%s/messages?key=%s&token=%s" % (space, key, tok)
            secrets = [key, tok]
        elif t == 1:
            a, b = rs(ALNUM, 17), rs(ALNUM, 48)
            url = "https://rocket.%s/hooks/%s/%s" % (pick(["example.com", "acme-corp.io"]), a, b)
            secrets = [b]
        else:
            tok = rs(ALNUM, 32)
            url = "https://zulip.example.com/api/v1/external/grafana?api_key=%s&stream=alerts" % tok
            secrets = [tok]
        u = R.randint(0, 2)
        text = ["CHAT_WEBHOOK=%s" % url, prefix() + "sending alert to %s" % url,
                json.dumps({"receiver": "chat", "url": url})][u]
        pos("webhook_other_chat", text, secrets)

    for i in range(22):
        bot_id = str(R.randint(10 ** 8, 8 * 10 ** 9))
        sec = "AA" + rs(B64URL, 33)
        tok = bot_id + ":" + sec
        meth = pick(["sendMessage?chat_id=-100%d&text=Deploy%%20ok" % R.randint(10 ** 9, 10 ** 10),
                     "getUpdates", "setWebhook?url=https://bot.example.com/tg", "sendDocument", "getMe"])
        url = "https://api.telegram.org/bot%s/%s" % (tok, meth)
        if R.random() < 0.15:
            url = "https://api.telegram.org/file/bot%s/documents/file_%d.pdf" % (tok, R.randint(1, 99))
        u = R.randint(0, 4)
        if u == 0:
            text = "curl -s \"%s\"" % url
        elif u == 1:
            text = prefix() + "telegram API error 409 Conflict for %s" % url
        elif u == 2:
            text = "urllib.error.HTTPError: HTTP Error 401: Unauthorized (url=%s)" % url
        elif u == 3:
            text = "GET %s HTTP/1.1\" 200" % url
        else:
            text = "TELEGRAM_NOTIFY_URL=%s" % url
        pos("telegram_bot_url", text, [sec])

    for i in range(22):
        t = R.randint(0, 5)
        if t == 0:
            tok = "glptt-" + rs(HEX, 40)
            url = "https://gitlab.com/api/v4/projects/%d/trigger/pipeline?token=%s&ref=main" % (R.randint(1000, 9 * 10 ** 7), tok)
        elif t == 1:
            tok = "glptt-" + rs(HEX, 40)
            url = "https://gitlab.example.com/api/v4/projects/%d/ref/%s/trigger/pipeline?token=%s" % (
                R.randint(10, 999), pick(["main", "release-2.4", "develop"]), tok)
        elif t == 2:
            tok = rs(ALNUM, R.randint(16, 32))
            url = "https://jenkins.example.com/job/%s/build?token=%s" % (pick(["deploy-prod", "nightly", "backend"]), tok)
        elif t == 3:
            tok = rs(ALNUM, R.randint(16, 32))
            url = "http://jenkins.internal:8080/job/%s/buildWithParameters?token=%s&ENV=prod&cause=webhook" % (
                pick(["release", "db-migrate", "frontend"]), tok)
        elif t == 4:
            tok = rs(ALNUM, 24)
            url = "https://ci.acme-corp.io/buildByToken/build?job=%s&token=%s" % (pick(["deploy", "smoke-tests"]), tok)
        else:
            tok = rs(ALNUM, 32)
            url = "https://ci.acme-corp.io/generic-webhook-trigger/invoke?token=%s" % tok
        u = R.randint(0, 3)
        if u == 0:
            text = "curl -X POST \"%s\"" % url
        elif u == 1:
            text = prefix() + "triggered downstream build via %s" % url
        elif u == 2:
            text = "wget -q -O- '%s'" % url
        else:
            text = json.dumps({"hooks": [{"url": url, "events": ["push"]}]})
        pos("ci_trigger_token_url", text, [tok])


# ============================================ POSITIVE: percent-encoded PII
def pct(s, plus_for_space=False):
    out = []
    for ch in s:
        if ch.isalnum() or ch in "-._~":
            out.append(ch)
        elif ch == " " and plus_for_space:
            out.append("+")
        else:
            out.append("".join("%%%02X" % b for b in ch.encode()))
    return "".join(out)


def gen_pct():
    for i in range(22):
        p = phone()
        enc = pct(p, plus_for_space=R.random() < 0.4)
        if R.random() < 0.2:
            enc = enc.replace("%2B", "%2b")  # lower-case hex escapes are legal too
        t = R.randint(0, 5)
        if t == 0:
            text = "GET /api/v1/contacts/lookup?phone=%s&country=%s HTTP/1.1" % (enc, pick(["US", "GB", "DE", "FR"]))
        elif t == 1:
            text = prefix() + "POST /signup body: first_name=%s&phone=%s&consent=1" % (pick(FIRST).title(), enc)
        elif t == 2:
            text = "%s - - [%02d/%s/2024:%02d:%02d:%02d +0000] \"GET /sms/verify?to=%s&code_len=6 HTTP/1.1\" 200 41" % (
                "10.0.%d.%d" % (R.randint(0, 255), R.randint(1, 254)), R.randint(1, 28), pick(MONTHS), R.randint(0, 23),
                R.randint(0, 59), R.randint(0, 59), enc)
        elif t == 3:
            text = "redirect to https://%s/callback?mobile=%s&state=%s" % (pick(SITES), enc, rs(HEX, 12))
        elif t == 4:
            text = "webhook payload (form-encoded): From=%s&Body=STOP&NumMedia=0" % enc
        else:
            text = "https://%s/order/track?tel=%s&ref=email" % (pick(SITES), enc)
        pos("pct_encoded_phone", text, [enc])

    for i in range(22):
        e = email()
        enc = pct(e)
        if R.random() < 0.15:
            enc = enc.replace("%", "%25")  # double-encoded inside another URL
        t = R.randint(0, 5)
        if t == 0:
            text = "GET /unsubscribe?email=%s&list=weekly HTTP/1.1" % enc
        elif t == 1:
            text = prefix() + "login failed for username=%s&password=******** from web form" % enc
        elif t == 2:
            text = "https://%s/invite/accept?token_id=%d&email=%s" % (pick(SITES), R.randint(1000, 99999), enc)
        elif t == 3:
            text = "POST /newsletter body=name=%s+%s&email=%s&source=footer" % (pick(FIRST).title(), pick(LAST).title(), enc)
        elif t == 4:
            text = "redirect_uri=https%%3A%%2F%%2F%s%%2Fdone%%3Fuser%%3D%s" % (pick(SITES), enc.replace("%", "%25"))
            enc = enc.replace("%", "%25")
        else:
            text = "%s \"GET /api/users/search?q=%s&limit=10 HTTP/2.0\" 200 512" % (ts_iso(), enc)
        pos("pct_encoded_email", text, [enc])


# ============================================================= POSITIVE: keys
def crc24(data):
    crc = 0xB704CE
    for b in data:
        crc ^= b << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def ssh_str(b):
    return len(b).to_bytes(4, "big") + b


def ssh_blob(kind, rest):
    return base64.b64encode(ssh_str(kind) + rest).decode()


def wrap(s, n):
    return [s[i:i + n] for i in range(0, len(s), n)]


def pgp_private_block():
    raw = bytes([0x95, 0x03, 0x98, 0x04]) + rbytes(R.choice([180, 260, 340, 420]))
    body = base64.b64encode(raw).decode()
    lines = wrap(body, 64)
    cks = "=" + base64.b64encode(crc24(raw).to_bytes(3, "big")).decode()
    return lines, cks


def openssh_private_key():
    if R.random() < 0.6:
        kt = b"ssh-ed25519"
        pub = ssh_str(kt) + ssh_str(rbytes(32))
        priv_body = ssh_str(kt) + ssh_str(pub[-32:]) + ssh_str(rbytes(32) + pub[-32:])
    else:
        kt = b"ssh-rsa"
        n = b"\x00" + bytes([0xc0 | R.getrandbits(6)]) + rbytes(255)
        pub = ssh_str(kt) + ssh_str(b"\x01\x00\x01") + ssh_str(n)
        priv_body = (ssh_str(kt) + ssh_str(n) + ssh_str(b"\x01\x00\x01") + ssh_str(b"\x00" + rbytes(255)) +
                     ssh_str(b"\x00" + rbytes(128)) + ssh_str(b"\x00" + rbytes(128)) + ssh_str(b"\x00" + rbytes(128)))
    check = rbytes(4)
    priv = check + check + priv_body + ssh_str(pick([b"", b"ci-deploy", b"backup-key"]))
    pad = 1
    while len(priv) % 8:
        priv += bytes([pad])
        pad += 1
    return (b"openssh-key-v1\x00" + ssh_str(b"none") + ssh_str(b"none") + ssh_str(b"") + (1).to_bytes(4, "big") +
            ssh_str(pub) + ssh_str(priv))


def gen_keys():
    for i in range(20):
        lines, cks = pgp_private_block()
        hdr = pick(["", "Version: GnuPG v2\n", "Comment: https://gnupg.org\n", "Version: OpenPGP.js v4.10.10\n"])
        block = "-----BEGIN PGP PRIVATE KEY BLOCK-----\n%s\n%s\n%s\n-----END PGP PRIVATE KEY BLOCK-----" % (
            hdr, "\n".join(lines), cks)
        t = R.randint(0, 3)
        if t == 0:
            text = block
        elif t == 1:
            text = json.dumps({"signing_key": block})  # newlines become the two characters \\n
        elif t == 2:
            text = "GPG_PRIVATE_KEY=" + block.replace("\n", "\\n")
        else:
            text = "gpg --import <<'EOF'\n" + block + "\nEOF"
        pos("pgp_private_key", text, lines)

    for i in range(22):
        kind = R.randint(0, 3)
        if kind == 0:
            raw = openssh_private_key()
            lines = wrap(base64.b64encode(raw).decode(), 70)
            beg, end = "-----BEGIN OPENSSH PRIVATE KEY-----", "-----END OPENSSH PRIVATE KEY-----"
        elif kind == 1:
            raw = bytes.fromhex("308204a40201000282010100") + rbytes(1180)
            lines = wrap(base64.b64encode(raw).decode(), 64)
            beg, end = "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----"
        elif kind == 2:
            raw = bytes.fromhex("30770201010420") + rbytes(112)
            lines = wrap(base64.b64encode(raw).decode(), 64)
            beg, end = "-----BEGIN EC PRIVATE KEY-----", "-----END EC PRIVATE KEY-----"
        else:
            raw = bytes.fromhex("308204be020100300d06092a864886f70d0101010500048204a8") + rbytes(1190)
            lines = wrap(base64.b64encode(raw).decode(), 64)
            beg, end = "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----"
        t = R.randint(0, 4)
        if t == 0:
            text = "\n".join([beg] + lines + [end])
        elif t == 1:
            text = json.dumps({"ssh_key": "\n".join([beg] + lines + [end]) + "\n", "host": "deploy"})
        elif t == 2:
            text = "DEPLOY_KEY=\"" + "\\n".join([beg] + lines + [end]) + "\""
        elif t == 3:
            text = "key=" + " ".join([beg] + lines + [end])
        else:
            text = "tls:\n  private_key: |\n" + "\n".join("    " + l for l in [beg] + lines + [end])
        # The first line of an OpenSSH key is the same for every key of one type (magic, cipher "none",
        # key type), so it is not listed; every line that carries key material is.
        pos("private_key_block", text, lines[1:] if kind == 0 else lines)


# ========================================================= POSITIVE: basics
def gen_basics():
    for i in range(24):
        e = email()
        t = R.randint(0, 9)
        text = [
            prefix() + "User %s logged in from mobile app" % e,
            "To: %s %s <%s>" % (pick(FIRST).title(), pick(LAST).title(), e),
            json.dumps({"event": "password_reset", "email": e, "ok": True}),
            "mailto:%s?subject=Invoice%%20%d" % (e, R.randint(1000, 9999)),
            "%d,%s,%s,active" % (R.randint(100, 99999), pick(LAST).title(), e),
            prefix() + "smtp: 550 5.1.1 <%s>: Recipient address rejected" % e,
            "Reply-To: " + e,
            "notify(recipient=\"%s\", template=\"welcome\")" % e,
            prefix() + "duplicate account for %s, merging" % e,
            "<email>%s</email>" % e][t]
        pos("email", text, [e])

    for i in range(24):
        p = phone()
        t = R.randint(0, 8)
        text = [
            prefix() + "SMS sent to %s (template=otp)" % p,
            json.dumps({"name": pick(FIRST).title(), "phone": p}),
            "tel:%s" % p.replace(" ", ""),
            "Call back requested at %s between 2-4pm" % p,
            "Mobile: %s" % p,
            "%s,%s,%s" % (pick(LAST).title(), p, pick(["DE", "US", "FR", "GB"])),
            prefix() + "twilio: delivery failed to %s: 30003 Unreachable" % p,
            "<phone type=\"mobile\">%s</phone>" % p,
            "contact_number=%s" % p][t]
        secret = p.replace(" ", "") if t == 2 else p
        pos("phone", text, [secret])

    for i in range(24):
        c = card()
        t = R.randint(0, 7)
        exp = "%02d/%02d" % (R.randint(1, 12), R.randint(25, 31))
        text = [
            prefix() + "payment declined for card %s exp %s" % (c, exp),
            json.dumps({"card_number": c, "exp": exp, "amount": R.randint(100, 99999) / 100}),
            "PAN=%s CVV=*** " % c,
            "Customer read their card number over chat: %s" % c,
            "<CardNumber>%s</CardNumber>" % c,
            "cc=%s&exp=%s" % (c.replace(" ", ""), exp.replace("/", "")),
            prefix() + "tokenize request with number %s" % c,
            "card: %s" % c][t]
        secret = c.replace(" ", "") if t == 5 else c
        pos("credit_card", text, [secret])

    for i in range(24):
        ib = iban()
        t = R.randint(0, 6)
        text = [
            "IBAN: %s" % ib,
            json.dumps({"payout": {"iban": ib, "bic": pick(["DEUTDEFF", "NWBKGB2L", "BNPAFRPP", "INGBNL2A"])}}),
            prefix() + "SEPA transfer to %s scheduled" % ib,
            "Bitte überweisen Sie auf %s (Verwendungszweck %d)" % (ib, R.randint(10000, 99999)),
            "beneficiary_account=%s" % ib.replace(" ", ""),
            "<IBAN>%s</IBAN>" % ib.replace(" ", ""),
            "refund to account %s failed: account closed" % ib][t]
        secret = ib.replace(" ", "") if t in (4, 5) else ib
        pos("iban", text, [secret])

    for i in range(26):
        v6 = R.random() < 0.4
        ip = public_ipv6() if v6 else public_ipv4()
        t = R.randint(0, 7)
        if t == 0:
            text = "%s sshd[%d]: Failed password for invalid user admin from %s port %d ssh2" % (
                syslog_ts(), R.randint(1000, 60000), ip, R.randint(1024, 65535))
        elif t == 1:
            text = prefix() + "client %s connected" % ip
        elif t == 2:
            text = json.dumps({"remote_addr": ip, "path": "/login", "status": 401})
        elif t == 3:
            text = "Connection from %s port %d on 10.0.0.4 port 22" % (ip, R.randint(1024, 65535))
        elif t == 4:
            text = "[%s]:%d" % (ip, R.randint(1024, 65535)) if v6 else "%s:%d" % (ip, R.randint(1024, 65535))
            text = prefix() + "peer " + text + " closed connection"
        elif t == 5:
            text = "fail2ban.actions: NOTICE [sshd] Ban %s" % ip
        elif t == 6:
            text = "geoip lookup for %s -> %s" % (ip, pick(["DE", "US", "BR", "IN", "NL"]))
        else:
            text = "remote_ip=%s user_agent=\"Mozilla/5.0\"" % ip
        pos("ip_address", text, [ip])

    for i in range(22):
        j = jwt()
        t = R.randint(0, 6)
        text = [
            "id_token=%s" % j,
            json.dumps({"access_token": j, "token_type": "Bearer", "expires_in": 3600}),
            prefix() + "JWT verification failed (kid mismatch): %s" % j,
            "GET /ws?access_token=%s HTTP/1.1" % j,
            "Set-Cookie: auth=%s; Path=/; HttpOnly" % j,
            "jwt: %s" % j,
            "X-Auth-Token: %s" % j][t]
        pos("jwt", text, [j])

    for i in range(24):
        tok = opaque_token()
        t = R.randint(0, 7)
        text = [
            "Authorization: Bearer %s" % tok,
            "authorization: bearer %s" % tok,
            "curl -H 'Authorization: Bearer %s' https://%s/v1/reports" % (tok, pick(SITES)),
            json.dumps({"headers": {"Authorization": "Bearer " + tok, "Accept": "application/json"}}),
            "Authorization: Token %s" % tok,
            prefix() + "upstream request headers={'Authorization': 'Bearer %s'}" % tok,
            "-H \"authorization: Bearer %s\"" % tok,
            "Proxy-Authorization: Bearer %s" % tok][t]
        pos("bearer_token", text, [tok])

    for i in range(22):
        s = ssn()
        t = R.randint(0, 6)
        text = [
            "SSN: %s" % s,
            json.dumps({"applicant": {"ssn": s, "state": pick(["CA", "TX", "NY", "WA"])}}),
            prefix() + "W-9 received, social security number %s" % s,
            "<SSN>%s</SSN>" % s,
            "taxpayer_id=%s" % s,
            "Employee SSN %s on file" % s,
            "ssn=%s&dob_year=19%02d" % (s, R.randint(50, 99))][t]
        pos("ssn", text, [s])

    for i in range(24):
        u = uname().replace(".", "")
        p = password(symbols=False) if R.random() < 0.6 else pct(password(), False)
        t = R.randint(0, 7)
        host = url_host()
        text = [
            "git clone https://%s:%s@%s/team/app.git" % (u, p, host),
            "ftp://%s:%s@%s/incoming/" % (u, p, host),
            "http_proxy=http://%s:%s@proxy.corp.example.net:3128" % (u, p),
            prefix() + "fetching https://%s:%s@%s/artifacts/app-1.4.2.tgz" % (u, p, host),
            "ldap://%s:%s@ldap.example.com:389/dc=example,dc=com" % (u, p),
            "sftp://%s:%s@%s:22/upload" % (u, p, host),
            "pip install --index-url https://%s:%s@%s/simple/ internal-lib" % (u, p, host),
            "remote: origin  https://%s:%s@%s/ops/infra.git (fetch)" % (u, p, host)][t]
        pos("url_credentials", text, [p])

    for i in range(24):
        u = pick(FIRST) + pick(["", ".%s" % pick(LAST), pick(LAST)[0], str(R.randint(1, 9))])
        t = R.randint(0, 8)
        text = [
            "  File \"/home/%s/projects/api/app/views.py\", line %d, in post" % (u, R.randint(10, 400)),
            "    at Object.<anonymous> (/Users/%s/dev/web/src/index.js:%d:%d)" % (u, R.randint(1, 200), R.randint(1, 40)),
            "   at App.Program.Main(String[] args) in C:\\Users\\%s\\source\\repos\\App\\Program.cs:line %d" % (
                u, R.randint(5, 90)),
            "error: could not open '/home/%s/.config/app/settings.toml': permission denied" % u,
            "Loading config from C:\\Users\\%s\\AppData\\Roaming\\Tool\\config.json" % u,
            "warning: unused variable at /Users/%s/Code/ios-app/Sources/Feed/FeedView.swift:%d:9" % (u, R.randint(3, 300)),
            "cwd=/home/%s/work/monorepo" % u,
            "Traceback: C:/Users/%s/Desktop/report.xlsx is locked by another process" % u,
            "npm ERR! A complete log of this run can be found in: /Users/%s/.npm/_logs/2024-03-11T09_14_22_123Z-debug-0.log" % u][t]
        pos("home_path", text, [u])


# ================================================================ NEGATIVES
def gen_negatives():
    loop = ["127.0.0.1", "127.3.4.5", "0.0.0.0", "::1", "[::1]:8443", "localhost:8080", "127.0.0.53", "::",
            "127.0.1.1", "[::]:80", "0.0.0.0:9090", "localhost:5432"]
    loop_t = [
        "listening on http://{x}/", "bind {x}", "connect() to {x} failed (111: Connection refused)",
        "health check GET http://{x}/healthz -> 200", "nameserver {x}", "{x} localhost", "server_name _; listen {x};",
        "Redis bound to {x}, protected-mode yes", "DNS stub listener on {x}", "ping -c1 {x}: 0% packet loss",
        "upstream backend {{ server {x}; }}", "Serving on {x} (Press CTRL+C to quit)"]
    for i in range(18):
        neg("loopback", prefix() + pick(loop_t).format(x=loop[i % len(loop)]))

    tokens = [("mscorlib", "4.0.0.0", "b77a5c561934e089"), ("System.Drawing", "4.0.0.0", "b03f5f7f11d50a3a"),
              ("System.Web.Extensions", "4.0.0.0", "31bf3856ad364e35"),
              ("System.Private.CoreLib", "8.0.0.0", "7cec85d7bea7798e"), ("netstandard", "2.1.0.0", "cc7b13ffcd2ddd51"),
              ("Newtonsoft.Json", "13.0.0.0", "30ad4fe6b2a6aeed"),
              ("Microsoft.Extensions.Logging", "8.0.0.0", "adb9793829ddae60"),
              ("System.Runtime", "7.0.0.0", "b03f5f7f11d50a3a"), ("PresentationFramework", "4.0.0.0", "31bf3856ad364e35"),
              ("System.Xml", "4.0.0.0", "b77a5c561934e089")]
    for i in range(17):
        n, v, tkn = tokens[i % len(tokens)]
        t = i % 4
        if t == 0:
            text = "%s, Version=%s, Culture=neutral, PublicKeyToken=%s" % (n, v, tkn)
        elif t == 1:
            text = "<assemblyIdentity name=\"%s\" publicKeyToken=\"%s\" culture=\"neutral\" />" % (n, tkn)
        elif t == 2:
            text = ("System.IO.FileNotFoundException: Could not load file or assembly '%s, Version=%s, "
                    "Culture=neutral, PublicKeyToken=%s'. The system cannot find the file specified.") % (n, v, tkn)
        else:
            text = "type=\"%s.Handler, %s, Version=%s, Culture=neutral, PublicKeyToken=%s\"" % (n, n, v, tkn)
        neg("dotnet_strong_name", text)

    passwd = ["passwd: password updated successfully", "passwd: all authentication tokens updated successfully.",
              "Changing password for root.", "pam_unix(passwd:chauthtok): password changed for root",
              "chpasswd: password changed", "Password changed.", "New password: ", "Retype new password: ",
              "BAD PASSWORD: The password is shorter than 8 characters",
              "passwd: Authentication token manipulation error", "Current password: ",
              "smbpasswd: Password changed for user backup", "passwd: password expiry information changed.",
              "Changing password for user www-data.", "passwd: password for root is unchanged",
              "You are required to change your password immediately (administrator enforced)",
              "Password: "]
    for i in range(17):
        neg("passwd_output", prefix() + passwd[i % len(passwd)])

    kw = ["password reset requested for account #%d" % R.randint(1000, 99999), "token expired, refreshing",
          "invalid password", "secret rotation scheduled for Sunday 02:00 UTC", "api key missing from request",
          "Authorization header missing", "password must be at least 12 characters",
          "WARNING! Using --password via the CLI is insecure. Use --password-stdin.",
          "refresh token revoked by user", "session expired, please sign in again",
          "JWT signature verification failed", "no credentials found in environment",
          "private key permissions 0644 are too open", "bearer token required", "cookie consent banner shown",
          "password complexity policy updated", "ssn field is optional for non-US applicants",
          "Enter passphrase for key: ", "webhook delivery retried 3 times"]
    for i in range(19):
        neg("keyword_no_value", prefix() + kw[i])

    ph = ["password=********", "token: <redacted>", "DB_PASSWORD=${DB_PASSWORD}", "Authorization: Bearer $TOKEN",
          "'password': '%(password)s'", "secret: {{ secret }}", "password: [REDACTED]", "api_key=<YOUR_API_KEY>",
          "docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD $CI_REGISTRY",
          "mysql -u root -p${MYSQL_ROOT_PASSWORD}", "aws configure set aws_secret_access_key $AWS_SECRET_ACCESS_KEY",
          "NPM_TOKEN: ${{ secrets.NPM_TOKEN }}", "set PGPASSWORD=%PGPASSWORD%", "Cookie: PHPSESSID=<redacted>",
          "SLACK_WEBHOOK_URL=${SLACK_WEBHOOK_URL}", "--token \"$(cat /run/secrets/api_token)\"",
          "password: <hidden>", "client_secret = os.environ[\"CLIENT_SECRET\"]", "-p \"$SSHPASS\""]
    for i in range(19):
        neg("placeholder", prefix() + ph[i])

    vers = ["nginx/1.25.3", "OpenSSL 3.0.13 30 Jan 2024", "Python 3.11.7", "Linux 6.5.0-1014-aws x86_64",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.129 Safari/537.36",
            "Microsoft Windows [Version 10.0.22631.3296]", "go version go1.22.1 linux/amd64",
            "Swift version 5.10 (swift-5.10-RELEASE)", "PostgreSQL 16.2 on x86_64-pc-linux-gnu",
            "Apache/2.4.58 (Ubuntu)", "node v20.11.1", "kernel: Linux version 5.15.0-97-generic",
            "Xcode 15.3 Build version 15E204a", "FileVersion 6.3.9600.17415", "firmware version 2.4.1.12 installed",
            "Docker version 25.0.3, build 4debf41", "OpenSSH_9.6p1, LibreSSL 3.3.6"]
    for i in range(17):
        neg("version", prefix() + vers[i])

    sem = ["1.4.0-rc.2+build.5", "v2.62.0", "3.0.0-beta.1", "0.9.12", "v10.4.1-alpha.3+sha.5114f85",
           "18.2.0", "4.17.21", "2.0.0+20240311", "1.0.0-0.3.7", "v0.31.2", "5.3.1-pre", "12.6.4", "0.0.1-SNAPSHOT",
           "1.2.3-x.7.z.92", "7.1.0-canary.44", "v3.11.0-rc1", "2.2.2"]
    sem_t = ["bumped version to {v}", "\"version\": \"{v}\"", "released {v} to npm", "Successfully installed pkg-{v}",
             "tag {v} pushed", "dependency acme-ui@{v} resolved", "helm upgrade app --version {v}"]
    for i in range(17):
        neg("semver", prefix() + sem_t[i % len(sem_t)].format(v=sem[i]))

    for i in range(17):
        u = ruuid()
        t = i % 6
        text = ["GET /api/v2/projects/%s/tasks HTTP/1.1" % u, json.dumps({"request_id": u, "status": "ok"}),
                "X-Request-ID: %s" % u, "deleted bucket object %s" % u, "trace_id=%s span=%s" % (u.replace("-", ""),
                                                                                                   rs(HEX, 16)),
                "workflow run %s completed in 41s" % u][t]
        neg("uuid_resource_id", prefix() + text)

    for i in range(17):
        sha = rs(HEX, 40)
        t = i % 6
        text = ["commit %s" % sha, "HEAD is now at %s Fix flaky test" % sha[:7],
                "Merge pull request #%d from org/feature (%s)" % (R.randint(10, 9999), sha[:12]),
                "git checkout %s" % sha, "build source revision: %s" % sha,
                "%s..%s  main -> main" % (rs(HEX, 7), sha[:7])][t]
        neg("git_sha", prefix() + text)

    for i in range(17):
        t = i % 7
        text = [ts_iso(), "2024-03-%02dT%02d:%02d:%02d+01:00" % (R.randint(1, 28), R.randint(0, 23), R.randint(0, 59),
                                                                R.randint(0, 59)),
                "created_at=%d" % R.randint(1_600_000_000, 1_740_000_000),
                "%s, %02d %s 2024 %02d:%02d:%02d GMT" % (pick(DAYS), R.randint(1, 28), pick(MONTHS), R.randint(0, 23),
                                                          R.randint(0, 59), R.randint(0, 59)),
                "2024%02d%02dT%02d%02d%02dZ" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59),
                                              R.randint(0, 59)),
                "last_modified: 2023-11-%02d %02d:%02d:%02d.%06d" % (R.randint(1, 30), R.randint(0, 23),
                                                                     R.randint(0, 59), R.randint(0, 59),
                                                                     R.randint(0, 999999)),
                "epoch_ms=%d" % R.randint(1_600_000_000_000, 1_740_000_000_000)][t]
        neg("timestamp", "job finished at " + text if t in (0, 1, 3) else text)

    for i in range(17):
        t = i % 8
        text = ["took %dh%02dm%02d.%ds" % (R.randint(0, 3), R.randint(0, 59), R.randint(0, 59), R.randint(0, 9)),
                "timeout PT%dM" % R.randint(1, 60), "elapsed=00:%02d:%02d.%03d" % (R.randint(0, 59), R.randint(0, 59),
                                                                                  R.randint(0, 999)),
                "p99=%dms p50=%dms" % (R.randint(100, 2000), R.randint(5, 90)), "retry in %ds" % R.randint(1, 120),
                "Finished in %d.%02d seconds" % (R.randint(0, 600), R.randint(0, 99)),
                "uptime 23 days, %d:%02d" % (R.randint(0, 23), R.randint(0, 59)),
                "GC pause %d.%03dms" % (R.randint(0, 90), R.randint(0, 999))][t]
        neg("duration", prefix() + text)

    st = ["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found", "HTTP/2 301", "HTTP/1.1 503 Service Unavailable",
          "HTTP/1.0 401 Unauthorized", "HTTP/1.1 429 Too Many Requests", "HTTP/2 204", "HTTP/1.1 302 Found",
          "status=500 Internal Server Error", "HTTP/1.1 101 Switching Protocols", "HTTP/1.1 403 Forbidden",
          "< HTTP/2 200", "HTTP/1.1 418 I'm a teapot", "HTTP/1.1 304 Not Modified", "HTTP/1.1 422 Unprocessable Entity",
          "HTTP/1.1 307 Temporary Redirect", "HTTP/1.1 502 Bad Gateway"]
    for i in range(17):
        neg("http_status_line", st[i])

    for i in range(17):
        b = R.randint(1000, 9_999_999_999)
        t = i % 6
        text = ["Downloaded %s bytes (%.2f MiB)" % (format(b, ","), b / 1048576),
                "Content-Length: %d" % b, "uploaded %d bytes in %d chunks" % (b, R.randint(1, 64)),
                "size=%.1fG used=%d%%" % (b / 1e9, R.randint(1, 99)),
                "-rw-r--r-- 1 root root %d Mar %2d 10:14 app.log" % (b, R.randint(1, 28)),
                "disk quota %d KB of 52428800 KB" % (b // 1024)][t]
        neg("file_size", prefix() + text)

    ports = ["listening on :8443", "psql -h db.internal -p 5432 -U app -d appdb", "docker run -p 8080:80 nginx:1.25",
             "redis-cli -h cache.internal -p 6380 PING", "mysql -h db.internal -P 3306 -u app shop",
             "EXPOSE 8080/tcp", "ssh -p 2222 bastion.example.com", "port 5432 is already in use", "ports: [\"3000:3000\"]",
             "kubectl port-forward svc/api 8080:80", "iptables -A INPUT -p tcp --dport 443 -j ACCEPT",
             "nc -zv db.internal 5432", "Connection to proxy.example.net 3128 port [tcp/*] succeeded!",
             "server.port=9090", "-p 4000:4000 -p 9229:9229", "Forwarding from [::]:8080 -> 80", "LISTEN 0 511 *:443"]
    for i in range(17):
        neg("port", ports[i])

    for i in range(17):
        t = i % 5
        if t == 0:
            v = ean_complete("978" + rs(DIG, 9))
            checked("isbn13", v, ean_ok)
            text = "ISBN %s-%s-%s-%s-%s" % (v[:3], v[3], v[4:7], v[7:12], v[12])
        elif t == 1:
            v = isbn10_complete(rs(DIG, 9))
            checked("isbn10", v, isbn10_ok)
            text = "ISBN-10: %s" % v
        elif t == 2:
            v = ean_complete(pick(["400", "500", "590", "640", "800", "871"]) + rs(DIG, 9))
            checked("ean13", v, ean_ok)
            text = "scanned barcode EAN %s" % v
        elif t == 3:
            v = ean_complete(rs(DIG, 11))
            checked("upca", v, ean_ok)
            text = json.dumps({"sku": "SKU-%d" % R.randint(1000, 9999), "upc": v})
        else:
            v = ean_complete(rs(DIG, 7))
            checked("ean8", v, ean_ok)
            text = "gtin8=%s qty=%d" % (v, R.randint(1, 20))
        neg("barcode", prefix() + text)

    for i in range(17):
        t = i % 5
        if t == 0:
            text = "ssh-ed25519 " + ssh_blob(b"ssh-ed25519", ssh_str(rbytes(32)))
        elif t == 1:
            text = ("github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
                    if i == 1 else "%s ssh-ed25519 %s" % (pick(["gitlab.com", "bitbucket.org", "git.example.com",
                                                                 "[ssh.github.com]:443"]),
                                                           ssh_blob(b"ssh-ed25519", ssh_str(rbytes(32)))))
        elif t == 2:
            raw = bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100") + rbytes(262)
            text = "-----BEGIN PUBLIC KEY-----\n" + "\n".join(wrap(base64.b64encode(raw).decode(), 64)) + \
                   "\n-----END PUBLIC KEY-----"
        elif t == 3:
            text = "ecdsa-sha2-nistp256 " + ssh_blob(b"ecdsa-sha2-nistp256", ssh_str(b"nistp256") +
                                                     ssh_str(b"\x04" + rbytes(64)))
        else:
            text = "authorized key added: ssh-rsa " + ssh_blob(b"ssh-rsa", ssh_str(b"\x01\x00\x01") +
                                                               ssh_str(b"\x00" + bytes([0xc0 | R.getrandbits(6)]) +
                                                                       rbytes(383)))
        neg("public_key", text)

    for i in range(17):
        t = i % 6
        text = ["Build ID: %s" % rs(HEX, 40), "BuildId=0x%s" % rs(HEX, 8), "build-id %s" % rs(HEX, 32),
                "Go BuildID=%s/%s" % (rs(B64URL, 20), rs(B64URL, 20)),
                "sha256sum app-linux-amd64: %s" % rs(HEX, 64), "artifact md5=%s" % rs(HEX, 32)][t]
        neg("hex_build_id", prefix() + text)

    for i in range(17):
        t = i % 8
        text = ["order #A-2024-%06d shipped" % R.randint(1, 999999), "order_id=ORD-%s" % rs(UPPER + DIG, 8),
                "invoice INV-2024-%06d paid" % R.randint(1, 999999),
                "created object %s" % ("01H" + rs("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 23)),
                "charge ch_%s succeeded" % rs(ALNUM, 24), "customer cus_%s updated" % rs(ALNUM, 14),
                "ticket OPS-%d reopened" % R.randint(100, 9999), "shipment tracking 1Z%s" % rs(UPPER + DIG, 16)][t]
        neg("order_object_id", prefix() + text)

    for i in range(17):
        d = rs(HEX, 64)
        t = i % 5
        text = ["nginx@sha256:%s" % d, "Digest: sha256:%s" % d, "image: ghcr.io/acme/api@sha256:%s" % d,
                "Pulling fs layer sha256:%s" % d, "\"config\": {\"digest\": \"sha256:%s\"}" % d][t]
        neg("docker_digest", prefix() + text)

    cn = ["cookie 'connect.sid' missing from request", "server.servlet.session.cookie.name=JSESSIONID",
          "SESSION_COOKIE_NAME = 'sessionid'", "Set-Cookie: PHPSESSID=; Max-Age=0; Path=/",
          "'cookie' => env('SESSION_COOKIE', 'laravel_session'),", "no ASP.NET_SessionId cookie, new session",
          "cookie prefix __Host- requires Secure and Path=/", "dropping __Secure-next-auth.session-token on logout",
          "session.name = PHPSESSID", "Rails.application.config.session_store :cookie_store, key: '_session_id'",
          "expected cookie JSESSIONID not present", "csrf check skipped: sessionid cookie absent",
          "Set-Cookie: __Host-session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure",
          "clearCookie('connect.sid')", "cookies: []", "Cookie header empty", "sessionCookieName: \"SESSION\""]
    for i in range(17):
        neg("cookie_name_only", prefix() + cn[i])

    urls = ["https://docs.github.com/en/rest/actions/workflows", "https://api.example.com/v2/items?page=3&limit=50",
            "https://discord.com/developers/docs/resources/webhook", "https://core.telegram.org/bots/api#sendmessage",
            "https://gitlab.com/gitlab-org/gitlab/-/pipelines/%d" % R.randint(10 ** 8, 10 ** 9),
            "https://jenkins.example.com/job/deploy/%d/console" % R.randint(1, 999),
            "https://example.com/search?q=swift+concurrency&lang=en", "https://cdn.example.net/assets/app.3f9a2c.js",
            "https://api.slack.com/messaging/webhooks", "https://learn.microsoft.com/en-us/microsoftteams/platform/",
            "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", "https://pkg.go.dev/net/http#Cookie",
            "https://www.example.org/blog/2024/03/release-notes?utm_source=newsletter&utm_medium=email",
            "https://status.example.com/incidents/%s" % rs(LOWER + DIG, 12),
            "https://s3.eu-west-1.amazonaws.com/public-assets/logo.png",
            "https://mattermost.com/blog/", "https://hooks.slack.com/"]
    for i in range(17):
        neg("url_without_secret", prefix() + "GET " + urls[i] if i % 3 == 0 else urls[i])


# ================================================================ validation
def validate():
    problems = []
    texts = collections.Counter(r["text"] for r in ROWS)
    for r in ROWS:
        neg_row = r["category"].startswith(NEG_PREFIX)
        if neg_row and r["secrets"]:
            problems.append("negative with secrets: %r" % r)
        if not neg_row:
            if not r["secrets"]:
                problems.append("positive without secrets: %r" % r)
            for s in r["secrets"]:
                if s not in r["text"]:
                    problems.append("secret not in text: %r / %r" % (s, r["text"]))
                if len(s) < 4:
                    problems.append("secret too short: %r" % s)
                if s in ("REDACTED", "redacted", "********"):
                    problems.append("secret looks like a redaction marker: %r" % s)
        if texts[r["text"]] > 1:
            problems.append("duplicate text: %r" % r["text"][:80])
    for desc, v, pred in CHECKS:
        if not pred(v):
            problems.append("check digit failed (%s): %s" % (desc, v))
    return problems


def main():
    gen_cookies()
    gen_next_arg()
    gen_webhooks()
    gen_pct()
    gen_keys()
    gen_basics()
    gen_negatives()
    problems = validate()
    if problems:
        for p in problems[:50]:
            print("PROBLEM:", p, file=sys.stderr)
        sys.exit("%d problems" % len(problems))
    with open(OUT, "w", encoding="utf-8") as f:
        for r in ROWS:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = collections.Counter(r["category"] for r in ROWS)
    npos = sum(v for k, v in counts.items() if not k.startswith(NEG_PREFIX))
    nneg = sum(v for k, v in counts.items() if k.startswith(NEG_PREFIX))
    for k in sorted(counts, key=lambda c: (c.startswith(NEG_PREFIX), c)):
        print("%-34s %4d" % (k, counts[k]))
    print("positives %d, negatives %d, check-digit values verified %d -> %s" % (npos, nneg, len(CHECKS), OUT))
    assert npos >= 500 and nneg >= 300, (npos, nneg)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Deterministic generator for the HELD-OUT PII corpus (pii-holdout.jsonl).

Written blind (without looking at the scrubber implementation or at the tuning
corpus) so that it measures the scrubber on text it was never tuned on.

Line format (one JSON object per line):
  positives: {"category": "email", "text": "...", "secrets": ["must not survive", ...]}
  negatives: {"category": "negative:KIND", "text": "...", "secrets": []}
A positive leaks if any secret survives as a substring of the scrubbed text;
a negative is damaged if its scrubbed text differs from the input at all.

All data is fictional (documentation IP ranges where practical, random keys,
random but checksum-valid card numbers / IBANs).

Usage: python3 make_holdout.py [output-path]
"""
import base64
import json
import os
import random
import re
import string
import sys

SEED = 0x5EED_4_0D  # fixed: output must be byte-identical run to run
R = random.Random(SEED)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "pii-holdout.jsonl")

PER_CATEGORY = 22
PER_NEG_KIND = 9

ALNUM = string.ascii_letters + string.digits
UPPER_NUM = string.ascii_uppercase + string.digits
HEX = "0123456789abcdef"
B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"


def rs(n, alphabet=ALNUM):
    return "".join(R.choice(alphabet) for _ in range(n))


def pick(seq):
    return R.choice(seq)


# ----------------------------------------------------------------- shared bits
FIRST = ["jane", "oluwaseun", "mei", "lukas", "sofia", "arjun", "chloe", "kenji",
         "anna", "mateus", "fatima", "dmitri", "ingrid", "rafael", "priya", "tomasz",
         "aiko", "emeka", "lucia", "henrik", "yusuf", "camille", "nadia", "bjorn"]
LAST = ["doe", "adeyemi", "lin", "mueller", "hernandez", "patel", "dubois", "watanabe",
        "kowalska", "silva", "alrashid", "volkov", "johansson", "oliveira", "nair",
        "wisniewski", "tanaka", "okafor", "romano", "lindqvist", "demir", "laurent",
        "haddad", "eriksen"]
DOMAINS = ["example.com", "example.org", "example.net", "mail.example.co.uk",
           "corp.example.de", "acme-corp.com", "contoso.io", "fabrikam.fr",
           "northwind.com.br", "initech.co.jp", "globex.example", "umbrella-labs.dev"]
HOSTS = ["api-gw-03", "web-1", "worker-7", "ingest-2", "checkout-svc", "auth-0", "edge-eu-1"]
SERVICES = ["checkout", "billing", "auth", "search", "notifications", "profile", "ingest"]
LEVELS = ["INFO", "WARN", "ERROR", "DEBUG"]


def ts():
    return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
        R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59),
        R.randint(0, 59), R.randint(0, 999))


def prefix():
    """A log-line prefix that itself contains no PII."""
    style = R.randint(0, 3)
    if style == 0:
        return "%s %s [%s] " % (ts(), pick(LEVELS), pick(SERVICES))
    if style == 1:
        return "%s %s %s[%d]: " % (pick(["Mar", "Apr", "Nov"]) + " %2d" % R.randint(1, 28),
                                   "%02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
                                   pick(HOSTS), R.randint(100, 65000))
    if style == 2:
        return "level=%s ts=%s svc=%s msg=" % (pick(LEVELS).lower(), ts(), pick(SERVICES))
    return ""


def user():
    return pick(FIRST), pick(LAST)


# ----------------------------------------------------------------- checksums
def luhn_ok(num):
    s = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return s % 10 == 0


def luhn_complete(prefix_digits, length):
    body = prefix_digits + "".join(R.choice(string.digits) for _ in range(length - len(prefix_digits) - 1))
    for c in string.digits:
        if luhn_ok(body + c):
            return body + c
    raise AssertionError


def luhn_invalid(prefix_digits, length):
    while True:
        n = prefix_digits + "".join(R.choice(string.digits) for _ in range(length - len(prefix_digits)))
        if not luhn_ok(n):
            return n


def iban_check(country, bban):
    rearranged = bban + country + "00"
    num = "".join(str(int(c, 36)) for c in rearranged)
    return "%02d" % (98 - int(num) % 97)


def iban_valid(s):
    s = s.replace(" ", "")
    r = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in r)) % 97 == 1


IBAN_FORMATS = {  # country: list of (count, alphabet)
    "DE": [(18, "d")], "GB": [(4, "A"), (14, "d")], "FR": [(10, "d"), (11, "d"), (2, "d")],
    "NL": [(4, "A"), (10, "d")], "ES": [(20, "d")], "IT": [(1, "A"), (22, "d")],
    "CH": [(17, "d")], "BE": [(12, "d")], "PL": [(24, "d")], "AT": [(16, "d")],
    "SE": [(20, "d")], "NO": [(11, "d")], "IE": [(4, "A"), (14, "d")], "PT": [(21, "d")],
    "DK": [(14, "d")],
}


def make_iban(country):
    bban = ""
    for count, kind in IBAN_FORMATS[country]:
        alphabet = string.digits if kind == "d" else string.ascii_uppercase
        bban += "".join(R.choice(alphabet) for _ in range(count))
    iban = country + iban_check(country, bban) + bban
    assert iban_valid(iban)
    return iban


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


# ----------------------------------------------------------------- positives
def gen_email():
    f, l = user()
    d = pick(DOMAINS)
    local = pick([f + "." + l, f[0] + l, f + "_" + l, f + "+alerts", l + str(R.randint(1, 99)),
                  f.capitalize() + "." + l.capitalize(), f + "-" + l[:3] + ".ops"])
    e = local + "@" + d
    t = R.randint(0, 17)
    if t == 0:
        return prefix() + "password reset requested for " + e, [e]
    if t == 1:
        return '{"event":"signup","email":"%s","plan":"pro","ts":%d}' % (e, R.randint(1700000000, 1730000000)), [e]
    if t == 2:
        return 'From: "%s %s" <%s>' % (f.capitalize(), l.capitalize(), e), [e]
    if t == 3:
        return "GET /api/v1/users/lookup?email=%s HTTP/1.1" % e.replace("@", "%40"), [e.replace("@", "%40")]
    if t == 4:
        return prefix() + "SMTP 550 5.1.1 <%s>: Recipient address rejected: User unknown" % e, [e]
    if t == 5:
        return "ERROR:  duplicate key value violates unique constraint \"users_email_key\" DETAIL:  Key (email)=(%s) already exists." % e, [e]
    if t == 6:
        return "git commit --author=\"%s %s <%s>\" -m 'fix flaky test'" % (f.capitalize(), l.capitalize(), e), [e]
    if t == 7:
        return "mailto:%s?subject=Invoice%%20%d" % (e, R.randint(1000, 9999)), [e]
    if t == 8:
        return "User %s logged in from app v4.2.1" % e.upper(), [e.upper()]
    if t == 9:
        return "contact: %s, role=admin, tenant=t-%04d" % (e, R.randint(0, 9999)), [e]
    if t == 10:
        return "ValidationError: 'email' -> value '%s' already registered (code=E_DUP)" % e, [e]
    if t == 11:
        return "Bitte kontaktieren Sie %s für Rückfragen." % e, [e]
    if t == 12:
        return "[notifications] queued message id=%s to=%s template=weekly_digest" % (rs(12, HEX), e), [e]
    if t == 13:
        return "kubectl create secret generic smtp --from-literal=username=%s" % e, [e]
    if t == 14:
        return "送信先: %s (再試行 3/5)" % e, [e]
    if t == 15:
        return "  File \"app/mailer.py\", line 88, in send: SMTPRecipientsRefused({'%s': (550, b'mailbox unavailable')})" % e, [e]
    if t == 16:
        return "audit actor=%s action=role.grant target=billing-admins" % e, [e]
    return "https://app.example.com/invite/accept?token=%s&email=%s" % (rs(10, HEX), e), [e]


def gen_phone():
    t = R.randint(0, 21)
    d = lambda n: "".join(R.choice(string.digits) for _ in range(n))
    if t == 0:
        p = "+1 (%s) 555-%s" % (R.choice(["415", "212", "646", "312", "617"]), d(4))
    elif t == 1:
        p = "(%s) 555-%s" % (R.choice(["415", "206", "503", "720"]), d(4))
    elif t == 2:
        p = "+1-%s-555-%s" % (R.choice(["303", "512", "919"]), d(4))
    elif t == 3:
        p = "%s.555.%s" % (R.choice(["404", "713", "305"]), d(4))
    elif t == 4:
        p = "+44 20 7946 %s" % d(4)
    elif t == 5:
        p = "07700 900%s" % d(3)
    elif t == 6:
        p = "+44 7700 900%s" % d(3)
    elif t == 7:
        p = "+49 30 %s %s" % (d(4), d(4))
    elif t == 8:
        p = "030 %s%s" % (d(3), d(4))
    elif t == 9:
        p = "+49 151 %s%s" % (d(4), d(4))
    elif t == 10:
        p = "+33 1 %s %s %s %s" % (d(2), d(2), d(2), d(2))
    elif t == 11:
        p = "06 %s %s %s %s" % (d(2), d(2), d(2), d(2))
    elif t == 12:
        p = "+91 98%s %s" % (d(3), d(5))
    elif t == 13:
        p = "+81 3-%s-%s" % (d(4), d(4))
    elif t == 14:
        p = "090-%s-%s" % (d(4), d(4))
    elif t == 15:
        p = "+55 11 9%s-%s" % (d(4), d(4))
    elif t == 16:
        p = "+61 2 %s %s" % (d(4), d(4))
    elif t == 17:
        p = "04%s %s %s" % (d(2), d(3), d(3))
    elif t == 18:
        p = "+14155550%s" % d(3)
    elif t == 19:
        p = "+34 6%s %s %s" % (d(2), d(3), d(3))
    elif t == 20:
        p = "+31 6 %s %s" % (d(4), d(4))
    else:
        p = "+48 5%s %s %s" % (d(2), d(3), d(3))
    c = R.randint(0, 13)
    if c == 0:
        txt = prefix() + "sms delivery failed to %s: carrier timeout" % p
    elif c == 1:
        txt = '{"customer":{"phone":"%s","country":"%s"}}' % (p, pick(["US", "GB", "DE", "FR", "IN", "JP"]))
    elif c == 2:
        txt = "Tel.: %s (Mo-Fr 9-17 Uhr)" % p
    elif c == 3:
        txt = "call me back at %s please, order still missing" % p
    elif c == 4:
        txt = "twilio: 21211 Invalid 'To' Phone Number: %s" % p
    elif c == 5:
        txt = "contact_phone=%s&consent=true&source=web" % p.replace(" ", "%20")
        p = p.replace(" ", "%20")
    elif c == 6:
        txt = "電話番号: %s までご連絡ください" % p
    elif c == 7:
        txt = "2FA code sent via SMS to %s (attempt 2)" % p
    elif c == 8:
        txt = "UPDATE customers SET phone = '%s' WHERE id = 88213; -- ERROR: value too long for type character varying(12)" % p
    elif c == 9:
        txt = "Téléphone : %s" % p
    elif c == 10:
        txt = "tel:%s" % p.replace(" ", "")
        p = p.replace(" ", "")
    elif c == 11:
        txt = "[support] ticket #48213 caller=%s duration=00:04:12" % p
    elif c == 12:
        txt = "WhatsApp opt-in recorded for %s" % p
    else:
        txt = "user entered phone \"%s\" in free-text field 'notes'" % p
    return txt, [p]


def card_number():
    net = R.randint(0, 9)
    if net == 0:
        return luhn_complete("4" + rs(3, string.digits), 16), "visa"
    if net == 1:
        return luhn_complete(str(R.randint(51, 55)), 16), "mc"
    if net == 2:
        return luhn_complete(str(R.randint(2221, 2720)), 16), "mc2"
    if net == 3:
        return luhn_complete(pick(["34", "37"]), 15), "amex"
    if net == 4:
        return luhn_complete(pick(["6011", "65"]), 16), "discover"
    if net == 5:
        return luhn_complete(str(R.randint(3528, 3589)), 16), "jcb"
    if net == 6:
        return luhn_complete(pick(["36", "38"]), 14), "diners"
    if net == 7:
        return luhn_complete("62" + rs(2, string.digits), pick([16, 19])), "unionpay"
    if net == 8:
        return luhn_complete(pick(["6759", "5018", "6304"]), pick([16, 19])), "maestro"
    return luhn_complete("4" + rs(3, string.digits), 16), "visa"


def group_card(n, sep):
    if len(n) == 15:
        parts = [n[:4], n[4:10], n[10:]]
    elif len(n) == 14:
        parts = [n[:4], n[4:10], n[10:]]
    else:
        parts = [n[i:i + 4] for i in range(0, len(n), 4)]
    return sep.join(parts)


def gen_card():
    n, _ = card_number()
    sep = pick(["", "", " ", "-", " "])
    c = group_card(n, sep) if sep else n
    t = R.randint(0, 11)
    if t == 0:
        txt = prefix() + "payment failed card_number=%s exp=08/27 reason=insufficient_funds" % c
    elif t == 1:
        txt = '{"event":"checkout","card":"%s","amount":129.99,"currency":"EUR"}' % c
    elif t == 2:
        txt = "Your card number %s was declined. (decline_code=do_not_honor)" % c
    elif t == 3:
        txt = "POST /v1/payments HTTP/1.1 body=pan=%s&exp_month=11&exp_year=2027" % c.replace(" ", "+")
        c = c.replace(" ", "+")
    elif t == 4:
        txt = "search query: \"%s\" returned 0 results" % c
    elif t == 5:
        txt = "Kartennummer %s abgelehnt, bitte andere Karte verwenden" % c
    elif t == 6:
        txt = "ValidationError: field 'cc' value '%s' does not match expected pattern" % c
    elif t == 7:
        txt = "INSERT INTO payments (pan, amount) VALUES ('%s', 42.00); ERROR 1142 (42000): INSERT command denied" % c
    elif t == 8:
        txt = "txn=%d card=%s auth=0A12F3 status=approved" % (R.randint(10000, 99999), c)
    elif t == 9:
        txt = "[checkout-web] clipboard paste into coupon field: %s" % c
    elif t == 10:
        txt = "note from customer: please charge %s instead, thanks" % c
    else:
        txt = "numéro de carte : %s (exp 03/26)" % c
    return txt, [c]


def gen_ipv4():
    ip = pick([
        "203.0.113.%d" % R.randint(1, 254), "198.51.100.%d" % R.randint(1, 254),
        "192.0.2.%d" % R.randint(1, 254), "%d.%d.%d.%d" % (R.randint(11, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
        "10.%d.%d.%d" % (R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
        "192.168.%d.%d" % (R.randint(0, 255), R.randint(1, 254)),
        "172.%d.%d.%d" % (R.randint(16, 31), R.randint(0, 255), R.randint(1, 254)),
    ])
    t = R.randint(0, 13)
    if t == 0:
        txt = '%s - - [15/Mar/2024:12:30:45 +0000] "GET /api/v1/orders?page=2 HTTP/1.1" 200 5123 "-" "curl/8.4.0"' % ip
    elif t == 1:
        txt = "X-Forwarded-For: %s, 10.0.3.7" % ip if not ip.startswith("10.0.3.") else "X-Forwarded-For: %s" % ip
    elif t == 2:
        txt = "Error: connect ECONNREFUSED %s:5432" % ip
    elif t == 3:
        txt = "sshd[2231]: Failed password for invalid user admin from %s port %d ssh2" % (ip, R.randint(1024, 65000))
    elif t == 4:
        txt = '{"client_ip":"%s","path":"/login","status":401}' % ip
    elif t == 5:
        txt = "    inet %s/24 brd 192.0.2.255 scope global eth0" % ip
    elif t == 6:
        txt = "Endpoints:         %s:8080" % ip
    elif t == 7:
        txt = '            "IPAddress": "%s",' % ip
    elif t == 8:
        txt = prefix() + "rate limit exceeded for %s (120 req/min)" % ip
    elif t == 9:
        txt = "upstream timed out (110: Connection timed out) while connecting to upstream, client: %s, server: api.example.com" % ip
    elif t == 10:
        txt = "curl: (7) Failed to connect to %s port 443 after 2003 ms: Couldn't connect to server" % ip
    elif t == 11:
        txt = "http://%s:9200/_cluster/health returned 503" % ip
    elif t == 12:
        txt = "PING %s (%s) 56(84) bytes of data." % (ip, ip)
    else:
        txt = "geoip lookup ip=%s country=DE asn=3320" % ip
    return txt, [ip]


def gen_ipv6():
    h = lambda: "%x" % R.randint(1, 0xffff)
    t = R.randint(0, 8)
    extra = []
    if t == 0:
        ip = ":".join("%04x" % R.randint(0, 0xffff) for _ in range(8))
        ip = "2001:0db8:" + ip[10:]
    elif t == 1:
        ip = "2001:db8::%s" % h()
    elif t == 2:
        ip = "2001:db8:%s:%s::%s:%s" % (h(), h(), h(), h())
    elif t == 3:
        ip = "fe80::%s:%s:%s:%s" % (h(), h(), h(), h())
        zone = pick(["%eth0", "%en0", "%wlan0", "%25eth0"])
        return pick([
            "    inet6 %s%s prefixlen 64 scopeid 0x20<link>" % (ip, zone),
            "ping6 -c 3 %s%s" % (ip, zone),
            "neighbor %s%s lladdr 52:54:00:12:34:56 REACHABLE" % (ip, zone),
        ]), [ip]
    elif t == 4:
        v4 = "%d.%d.%d.%d" % (R.randint(11, 223), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))
        ip = pick(["::ffff:", "::FFFF:"]) + v4
        extra = [v4]
    elif t == 5:
        ip = "2a02:%s:%s:%s:%s:%s:%s:%s" % (h(), h(), h(), h(), h(), h(), h())
    elif t == 6:
        ip = ("2606:4700:%s::%s" % (h(), h())).upper()
    elif t == 7:
        ip = "2001:db8:%s::" % h()
        ip = "2001:db8:%s:%s::%s" % (h(), h(), h())
    else:
        ip = "2604:a880:%s:%s::%s:%s" % (h(), h(), h(), h())
    c = R.randint(0, 9)
    if c == 0:
        txt = "https://[%s]:8443/healthz" % ip
    elif c == 1:
        txt = "remoteAddress: '%s', remotePort: %d" % (ip, R.randint(1024, 65000))
    elif c == 2:
        txt = '%s - - [02/Apr/2024:08:01:17 +0200] "POST /graphql HTTP/2.0" 200 931' % ip
    elif c == 3:
        txt = prefix() + "new session from %s (ua=Mozilla/5.0)" % ip
    elif c == 4:
        txt = '{"peer":"[%s]:51234","proto":"h2","tls":"1.3"}' % ip
    elif c == 5:
        txt = "dial tcp [%s]:443: connect: network is unreachable" % ip
    elif c == 6:
        txt = "client %s blocked by WAF rule 942100" % ip
    elif c == 7:
        txt = "AAAA record for api.example.com -> %s (ttl 300)" % ip
    elif c == 8:
        txt = "X-Real-IP: %s" % ip
    else:
        txt = "Accepted publickey for deploy from %s port 50122 ssh2" % ip
    return txt, [ip] + extra


def gen_ssn():
    while True:
        a = R.randint(1, 899)
        if a != 666:
            break
    g, s = R.randint(1, 99), R.randint(1, 9999)
    t = R.randint(0, 3)
    if t <= 1:
        ssn = "%03d-%02d-%04d" % (a, g, s)
    elif t == 2:
        ssn = "%03d %02d %04d" % (a, g, s)
    else:
        ssn = "%03d%02d%04d" % (a, g, s)
    c = R.randint(0, 10)
    if c == 0:
        txt = prefix() + "kyc check failed ssn=%s reason=name_mismatch" % ssn
    elif c == 1:
        txt = '{"applicant":{"ssn":"%s","dob":"1988-04-12"}}' % ssn
    elif c == 2:
        txt = "SSN: %s" % ssn
    elif c == 3:
        txt = "Social Security Number %s provided in notes field" % ssn
    elif c == 4:
        txt = "ERROR: new row for relation \"employees\" violates check constraint \"ssn_format\" DETAIL: Failing row contains (4821, %s, null)." % ssn
    elif c == 5:
        txt = "form field tax_id (SSN) = '%s' rejected by validator" % ssn
    elif c == 6:
        txt = "W-9 upload parsed: name=<redacted> ssn %s" % ssn
    elif c == 7:
        txt = "customer said their social is %s, please verify" % ssn
    elif c == 8:
        txt = "payroll export row 17: ssn=%s; state=CA; status=active" % ssn
    elif c == 9:
        txt = "GET /v2/identity/verify?ssn=%s&last_name=x HTTP/1.1" % ssn
    else:
        txt = "[hr-sync] mismatch for SSN %s between ADP and Workday" % ssn
    return txt, [ssn]


def gen_iban():
    country = pick(sorted(IBAN_FORMATS))
    iban = make_iban(country)
    spaced = R.random() < 0.5
    s = " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if spaced else iban
    c = R.randint(0, 10)
    if c == 0:
        txt = prefix() + "payout failed iban=%s reason=account_closed" % s
    elif c == 1:
        txt = '{"beneficiary":{"iban":"%s","bic":"DEUTDEFF"}}' % s
    elif c == 2:
        txt = "IBAN: %s" % s
    elif c == 3:
        txt = "Überweisung an %s fehlgeschlagen (Code 4012)" % s
    elif c == 4:
        txt = "SEPA mandate created for %s, creditor id DE98ZZZ09999999999" % s
    elif c == 5:
        txt = "Please update my bank details to %s thanks" % s
    elif c == 6:
        txt = "stripe: sepa_debit.iban=%s last4 check failed" % s
    elif c == 7:
        txt = "virement refusé vers le compte %s" % s
    elif c == 8:
        txt = "UPDATE vendors SET iban='%s' WHERE id=91; Query OK, 1 row affected (0.01 sec)" % s
    elif c == 9:
        txt = "bank_account=%s&holder=acme" % s.replace(" ", "+")
        s = s.replace(" ", "+")
    else:
        txt = "rekeningnummer %s is ongeldig volgens de bank" % s
    return txt, [s]


def make_jwt():
    f, l = user()
    header = {"alg": pick(["HS256", "RS256", "ES256"]), "typ": "JWT"}
    if R.random() < 0.4:
        header["kid"] = rs(8, HEX)
    payload = {"sub": str(R.randint(10000, 999999)), "email": "%s.%s@%s" % (f, l, pick(DOMAINS)),
               "iat": R.randint(1700000000, 1720000000), "exp": R.randint(1720000000, 1740000000)}
    if R.random() < 0.5:
        payload["scope"] = "read:orders write:cart"
    h = b64url(json.dumps(header, separators=(",", ":")).encode())
    p = b64url(json.dumps(payload, separators=(",", ":")).encode())
    sig = b64url(bytes(R.randint(0, 255) for _ in range(pick([32, 64]))))
    return h + "." + p + "." + sig, p, sig


def gen_jwt():
    tok, p, sig = make_jwt()
    c = R.randint(0, 9)
    if c == 0:
        txt = prefix() + "token verification failed: signature mismatch for %s" % tok
    elif c == 1:
        txt = '{"access_token":"%s","token_type":"Bearer","expires_in":3600}' % tok
    elif c == 2:
        txt = "GET /callback?id_token=%s&state=af0ifjsldkj HTTP/1.1" % tok
    elif c == 3:
        txt = "Cookie: theme=dark; jwt=%s; lang=en" % tok
    elif c == 4:
        txt = "jsonwebtoken.TokenExpiredError: jwt expired (token=%s)" % tok
    elif c == 5:
        txt = "decoded claims for %s -> sub=?, exp in past" % tok
    elif c == 6:
        txt = "export ID_TOKEN=%s" % tok
    elif c == 7:
        txt = "ws://realtime.example.com/socket?auth=%s&vsn=2.0.0" % tok
    elif c == 8:
        txt = "grpc metadata: x-session=%s" % tok
    else:
        txt = "user pasted %s into chat" % tok
    return txt, [p, sig]


def gen_auth():
    c = R.randint(0, 12)
    opaque = rs(R.randint(32, 48), ALNUM + "-._")
    if c in (0, 1, 2, 3):
        f, l = user()
        raw = "%s%s:%s" % (f, pick(["", "." + l]), rs(12, ALNUM + "!#$%"))
        secret = base64.b64encode(raw.encode()).decode()
        txt = pick([
            "Authorization: Basic %s",
            '"headers": {"Authorization": "Basic %s", "Accept": "application/json"}',
            "> Proxy-Authorization: Basic %s",
            "curl -v -H 'Authorization: Basic %s' https://registry.example.com/v2/_catalog",
        ]) % secret
        return txt, [secret]
    if c == 4:
        tok, p, sig = make_jwt()
        return "Authorization: Bearer %s" % tok, [p, sig]
    forms = [
        "Authorization: Bearer %s",
        "authorization: bearer %s",
        "curl -sS -H \"Authorization: Bearer %s\" https://api.example.com/v2/items?limit=50",
        "> Authorization: Bearer %s",
        "headers={'Authorization': 'Bearer %s', 'User-Agent': 'python-requests/2.31.0'}",
        "Authorization: Token token=\"%s\"",
        "Authorization: token %s",
        "HTTP request failed: 401 Unauthorized (Authorization=Bearer %s)",
        prefix() + "outgoing request GET https://billing.internal/v1/invoices Authorization: Bearer %s",
        '{"method":"POST","url":"/v1/charges","headers":{"authorization":"Bearer %s"}}',
    ]
    return pick(forms) % opaque, [opaque]


def gen_apikey():
    c = R.randint(0, 9)
    if c == 0:
        k = "AKIA" + rs(16, string.ascii_uppercase + "234567")
    elif c == 1:
        k = "ghp_" + rs(36)
    elif c == 2:
        k = "github_pat_" + rs(22, UPPER_NUM) + "_" + rs(59)
    elif c == 3:
        k = pick(["xoxb-", "xoxp-", "xoxa-2-", "xoxs-"]) + "%d-%d-%s" % (R.randint(10**10, 10**11), R.randint(10**11, 10**12), rs(24))
    elif c == 4:
        k = "sk_live_" + rs(pick([24, 34, 99]))
    elif c == 5:
        k = "rk_live_" + rs(pick([24, 34]))
    elif c == 6:
        k = "AIza" + rs(35, ALNUM + "-_")
    elif c == 7:
        k = "gho_" + rs(36)
    elif c == 8:
        k = "ASIA" + rs(16, string.ascii_uppercase + "234567")
    else:
        k = "ghs_" + rs(36)
    t = R.randint(0, 11)
    forms = [
        prefix() + "using credentials %s for upload",
        "aws configure set aws_access_key_id %s",
        "git clone https://github.com/acme/infra.git (auth via %s) failed: 403",
        '{"key":"%s","created":"2024-02-02"}',
        "remote: Invalid username or token %s. Password authentication is not supported.",
        "SLACK_BOT=%s",
        "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=%s",
        "stripe.error.AuthenticationError: Invalid API Key provided: %s",
        "found hard-coded key %s in config/settings.py line 12",
        "The security token included in the request is invalid. (key %s)",
        "DEBUG client init key=%s region=eu-west-1",
        "echo %s | docker login ghcr.io -u ci --password-stdin",
    ]
    return forms[t] % k, [k]


def gen_pem():
    kind = pick(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY"])
    if kind == "OPENSSH PRIVATE KEY":
        start = "b3BlbnNzaC1rZXktdjEAAAAA"
    elif kind == "EC PRIVATE KEY":
        start = "MHcCAQEEI"
    else:
        start = "MIIE" + pick(["vQIBADANBgkqhkiG9w0BAQEFAASC", "owIBAAKCAQEA", "pAIBAAKCAQEA"])
    n_lines = R.randint(2, 6)
    body = start + rs(64 * n_lines - len(start) + R.randint(16, 40), B64)
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    if len(lines[-1]) < 16:
        lines[-1] = lines[-1] + rs(16, B64)
    sep = pick(["\\n", "\\n", " ", "", "\\r\\n"])
    tail = pick(["", "", "=", "=="])
    lines[-1] += tail
    joined = sep.join(lines)
    block = "-----BEGIN %s-----%s%s%s-----END %s-----" % (kind, sep if sep else "", joined, sep if sep else "", kind)
    c = R.randint(0, 6)
    if c == 0:
        txt = '{"type":"service_account","private_key":"%s","client_email":"svc@proj.iam.example"}' % block
    elif c == 1:
        txt = prefix() + "loaded key material: %s" % block
    elif c == 2:
        txt = "TLS_KEY=%s" % block
    elif c == 3:
        txt = "error parsing key %s: asn1: structure error" % block
    elif c == 4:
        txt = "ssh_private_key: \"%s\"" % block
    elif c == 5:
        txt = block
    else:
        txt = "kubectl get secret tls-cert -o jsonpath={.data} => tls.key=%s" % block
    secrets = [lines[0], lines[-1].rstrip("=")]
    if len(lines) > 2:
        secrets.append(lines[len(lines) // 2])
    return txt, secrets


def password():
    return pick([rs(R.randint(10, 20), ALNUM + "!#$%^*-_"),
                 pick(["Winter", "Summer", "Falcon", "Maple", "Orion"]) + "%d" % R.randint(2000, 2030) + pick(["!", "#", "$", ""]),
                 rs(R.randint(12, 24), ALNUM)])


def gen_urlcred():
    f, l = user()
    u = pick([f, f + "_" + l, "svc-" + l, "app_user", "deploy", "replicator"])
    pw = password()
    enc = pw.replace("%", "%25").replace("#", "%23").replace("^", "%5E").replace("$", "%24")
    host = pick(["db.internal", "10.1.4.20", "pg-primary.prod.svc.cluster.local", "cache.example.net",
                 "cluster0.ab12c.mongodb.example", "mq.internal", "git.example.com", "ftp.example.org"])
    scheme, port, path = pick([("postgres", 5432, "/orders"), ("postgresql", 5432, "/app?sslmode=require"),
                               ("mysql", 3306, "/shop"), ("redis", 6379, "/0"), ("mongodb+srv", None, "/admin"),
                               ("amqp", 5672, "/vhost"), ("https", None, "/acme/infra.git"),
                               ("ftp", 21, "/pub/exports"), ("sftp", 22, "/upload")])
    hp = host + (":%d" % port if port else "")
    url = "%s://%s:%s@%s%s" % (scheme, u, enc, hp, path)
    c = R.randint(0, 9)
    if c == 0:
        txt = prefix() + "connecting to %s" % url
    elif c == 1:
        txt = "DATABASE_URL=%s" % url
    elif c == 2:
        txt = 'sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) could not connect to server [SQL: %s]' % url
    elif c == 3:
        txt = "fatal: unable to access '%s/': Could not resolve host" % url
    elif c == 4:
        txt = '{"broker_url":"%s","pool":10}' % url
    elif c == 5:
        txt = "redis.exceptions.ConnectionError: Error 111 connecting to %s. Connection refused." % url
    elif c == 6:
        txt = "  - name: SPRING_DATASOURCE_URL\\n    value: %s" % url
    elif c == 7:
        txt = "docker run -e MONGO_URI=%s acme/api:1.8.2" % url
    elif c == 8:
        txt = "wget %s/latest.tar.gz" % url
    else:
        txt = "celery worker: consumer: Cannot connect to %s: [Errno 111] Connection refused." % url
    return txt, [enc]


def gen_secretkv():
    pw = password()
    tok = rs(R.randint(24, 40), ALNUM)
    hexkey = rs(32, HEX)
    c = R.randint(0, 19)
    forms = [
        ("login attempt user=jsmith password=%s result=fail", pw),
        ('{"username":"svc-backup","password":"%s"}', pw),
        ('"api_key": "%s",', hexkey),
        ("secret: %s", tok),
        ("POST /oauth/token grant_type=refresh_token&token=%s&client_id=web", tok),
        ("grant_type=client_credentials&client_id=acme-web&client_secret=%s", tok),
        ("DB_PASSWORD=%s", pw),
        ("passwd: %s", pw),
        ("PGPASSWORD=%s psql -h db.internal -U app -d orders -c 'select 1'", pw),
        ("mysqladmin --user=root --password='%s' status", pw),
        ("Server=tcp:sql01,1433;Database=Sales;User Id=sa;Password=%s;Encrypt=True;", pw.replace(";", "")),
        ("aws_secret_access_key = %s", rs(40, ALNUM + "/+")),
        ("GET /v1/export?access_token=%s&format=csv HTTP/1.1", tok),
        ("{'user': 'etl', 'password': '%s', 'host': 'warehouse'}", pw),
        ("X-API-Key: %s", hexkey),
        ("  password: \"%s\"", pw),
        ("SECRET_KEY=%s", tok),
        ('"client_secret":"%s","redirect_uri":"https://app.example.com/cb"', tok),
        ("Passwort=%s (Benutzer admin)", pw),
        ("smtp auth failed: session_token=%s expired", tok),
    ]
    f, val = forms[c]
    return prefix() * (R.random() < 0.3) + f % val, [val]


HOME_USERS = ["jdoe", "maria.garcia", "JSmith", "akowalska", "oadeyemi", "kwatanabe", "lmuller",
              "sofia.h", "priya-nair", "tomasz.w", "Henrik Lindqvist", "emeka_okafor", "camille",
              "dvolkov", "fatima.ar", "rafa.oliveira", "bjorn.e", "nadiah", "yusufd", "ingridj",
              "aiko.t", "lucia.romano"]


def gen_homepath():
    u = pick(HOME_USERS)
    if " " in u and R.random() < 0.7:
        u = u.replace(" ", "")
    c = R.randint(0, 13)
    if c == 0:
        txt = 'File "/home/%s/projects/billing/app.py", line 42, in handle_request' % u
    elif c == 1:
        txt = "/Users/%s/Library/Developer/Xcode/DerivedData/App-abc/Build/Products/Debug/App.app" % u
    elif c == 2:
        txt = "Log written to C:\\Users\\%s\\AppData\\Local\\Temp\\setup_20240315.log" % u
    elif c == 3:
        txt = '{"path":"C:\\\\Users\\\\%s\\\\Documents\\\\report-q1.xlsx","size":48213}' % u
    elif c == 4:
        txt = "fatal: not a git repository (or any parent up to mount point /home): /home/%s/src/api/.git" % u
    elif c == 5:
        txt = "/Users/%s/Developer/App/Sources/App/Model.swift:123: Fatal error: Unexpectedly found nil" % u
    elif c == 6:
        txt = "opening file:///Users/%s/Downloads/invoice-2024-03.pdf" % u
    elif c == 7:
        txt = "Permission denied (publickey). key file /home/%s/.ssh/id_ed25519 not accessible" % u
    elif c == 8:
        txt = "Error: ENOENT: no such file or directory, open 'C:/Users/%s/project/node_modules/.bin/tsc'" % u
    elif c == 9:
        txt = "    at Object.<anonymous> (/home/%s/work/server/index.js:17:11)" % u
    elif c == 10:
        txt = prefix() + "config loaded from /Users/%s/.config/tool/config.toml" % u
    elif c == 11:
        txt = "cp: cannot stat '/home/%s/backup.tar.gz': No such file or directory" % u
    elif c == 12:
        txt = "PS C:\\Users\\%s> .\\deploy.ps1 -Env prod" % u
    else:
        txt = "thread 'main' panicked at /home/%s/.cargo/registry/src/index.crates.io-6f17d22bba15001f/serde-1.0.197/src/de.rs:42:9" % u
    return txt, [u]


def gen_mac():
    b = [R.randint(0, 255) for _ in range(6)]
    b[0] &= 0xfe
    c = R.randint(0, 9)
    if c in (0, 1, 2):
        m = ":".join("%02x" % x for x in b)
    elif c in (3, 4):
        m = ":".join("%02X" % x for x in b)
    elif c in (5, 6):
        m = "-".join("%02X" % x for x in b)
    elif c == 7:
        m = "%02x%02x.%02x%02x.%02x%02x" % tuple(b)
    else:
        m = "-".join("%02x" % x for x in b)
    t = R.randint(0, 9)
    forms = [
        "        ether %s  txqueuelen 1000  (Ethernet)",
        "    link/ether %s brd ff:ff:ff:ff:ff:ff",
        "   Physical Address. . . . . . . . . : %s",
        '{"device":{"mac":"%s","model":"TP-4000"}}',
        prefix() + "DHCPACK on 192.0.2.44 to %s via eth1",
        "Device %s Connected: yes",
        "  10    %s    DYNAMIC     Gi1/0/12",
        "wifi: associated with BSSID %s on channel 36",
        "arp -a: ? at %s on en0 ifscope [ethernet]",
        "wol: sending magic packet to %s",
    ]
    return forms[t] % m, [m]


POSITIVES = [
    ("email", gen_email), ("phone", gen_phone), ("card", gen_card), ("ipv4", gen_ipv4),
    ("ipv6", gen_ipv6), ("ssn", gen_ssn), ("iban", gen_iban), ("jwt", gen_jwt),
    ("auth", gen_auth), ("apikey", gen_apikey), ("pem", gen_pem), ("urlcred", gen_urlcred),
    ("secretkv", gen_secretkv), ("homepath", gen_homepath), ("mac", gen_mac),
]


# ----------------------------------------------------------------- negatives
def n_version():
    return pick([
        lambda: "upgraded %s from v%d.%d.%d to v%d.%d.%d" % (pick(SERVICES), R.randint(0, 5), R.randint(0, 20), R.randint(0, 30), R.randint(0, 5), R.randint(0, 20), R.randint(0, 30)),
        lambda: "Python %d.%d.%d (main, Jan 17 2024) [GCC 12.2.0] on linux" % (3, R.randint(8, 12), R.randint(0, 15)),
        lambda: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36" % R.randint(110, 125),
        lambda: "Microsoft Windows [Version 10.0.%d.%d]" % (R.randint(19041, 22631), R.randint(1000, 4000)),
        lambda: "Chrome/%d.0.%d.%d" % (R.randint(110, 125), R.randint(5000, 6400), R.randint(50, 250)),
        lambda: "app_version=%d.%d.%d-beta.%d+build.%d" % (R.randint(1, 9), R.randint(0, 30), R.randint(0, 9), R.randint(1, 9), R.randint(100, 9999)),
        lambda: "iOS %d.%d.%d (21E%d) iPhone15,2" % (R.randint(15, 17), R.randint(0, 6), R.randint(0, 3), R.randint(100, 300)),
        lambda: "assembly version v%d.%d.%d.%d loaded" % (R.randint(1, 9), R.randint(0, 12), R.randint(0, 9), R.randint(0, 99)),
        lambda: "node v%d.%d.%d, npm %d.%d.%d" % (R.randint(16, 21), R.randint(0, 12), R.randint(0, 3), R.randint(8, 10), R.randint(0, 9), R.randint(0, 3)),
        lambda: "FileVersion %d.%d.%d.%d" % (R.randint(1, 30), R.randint(0, 9), R.randint(1000, 9999), R.randint(0, 999)),
        lambda: "OpenSSL %d.%d.%d 30 Jan 2024 (Library: OpenSSL %d.%d.%d)" % ((3, 0, 13) * 2),
    ])()


def n_timestamp():
    return pick([
        lambda: "%s INFO server started" % ts(),
        lambda: "2024-%02d-%02d %02d:%02d:%02d,%03d WARN pool exhausted" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(0, 999)),
        lambda: "[%02d/Mar/2024:%02d:%02d:%02d +0100] request completed" % (R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
        lambda: "Mar %2d %02d:%02d:%02d systemd[1]: Started Daily apt upgrade." % (R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
        lambda: "created_at=%d updated_at=%d" % (R.randint(1600000000, 1730000000), R.randint(1600000000, 1730000000)),
        lambda: '{"ts":%d,"event":"heartbeat"}' % R.randint(1600000000000, 1730000000000),
        lambda: "Fri, %02d Mar 2024 %02d:%02d:%02d GMT" % (R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
        lambda: "2024-%02d-%02dT%02d:%02d:%02d+05:30 job finished" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
    ])()


def n_date():
    return pick([
        lambda: "Stichtag: %02d.%02d.2024" % (R.randint(1, 28), R.randint(1, 12)),
        lambda: "report for 2024-%02d-%02d generated" % (R.randint(1, 12), R.randint(1, 28)),
        lambda: "due %02d/%02d/2025" % (R.randint(1, 12), R.randint(1, 28)),
        lambda: "échéance le %d mars 2024" % R.randint(1, 28),
        lambda: "2024年%d月%d日 のバックアップ完了" % (R.randint(1, 12), R.randint(1, 28)),
        lambda: "valid_from=2024-%02d-01 valid_to=2025-%02d-31" % (R.randint(1, 12), R.randint(1, 12)),
        lambda: "week 2024-W%02d rollup" % R.randint(1, 52),
    ])()


def n_duration():
    return pick([
        lambda: "request completed in %dms" % R.randint(1, 99999),
        lambda: "took %dh%02dm%02ds" % (R.randint(0, 9), R.randint(0, 59), R.randint(0, 59)),
        lambda: "elapsed 00:%02d:%02d.%03d" % (R.randint(0, 59), R.randint(0, 59), R.randint(0, 999)),
        lambda: "timeout after %d.%ds (retry %d/5)" % (R.randint(1, 60), R.randint(0, 9), R.randint(1, 5)),
        lambda: "ttl=P%dDT%dH" % (R.randint(1, 30), R.randint(0, 23)),
        lambda: "p50=%.1fms p99=%.1fms" % (R.random() * 50, R.random() * 900),
        lambda: "uptime %d days, %d:%02d" % (R.randint(1, 400), R.randint(0, 23), R.randint(0, 59)),
    ])()


def n_order():
    n16 = luhn_invalid(pick(["4", "5", "3", "6", "1", "2"]), 16)
    return pick([
        lambda: "order %s shipped" % n16,
        lambda: "invoice_no=%s" % luhn_invalid("20", 16),
        lambda: "Bestellnummer %s" % n16,
        lambda: "ref %s" % "-".join(n16[i:i + 4] for i in range(0, 16, 4)),
        lambda: "tracking %s in transit" % luhn_invalid("9", 20),
        lambda: "order_id=%s amount=19.99" % luhn_invalid(pick(["4", "5"]), 16),
    ])()


def n_numeric_id():
    return pick([
        lambda: "tweet id %s" % luhn_invalid("17", 19),
        lambda: "user_id=%d" % R.randint(10**8, 10**9 - 1),
        lambda: "account %d not found" % R.randint(10**9, 10**10 - 1),
        lambda: "processed %s records" % "{:,}".format(R.randint(10**5, 10**9)),
        lambda: "snowflake=%s" % luhn_invalid("1", 18),
        lambda: "rows affected: %d" % R.randint(0, 10**7),
        lambda: "inode %d" % R.randint(10**6, 10**9),
        lambda: "batch %d of %d" % (R.randint(1, 500), R.randint(500, 1000)),
    ])()


def uuid():
    h = rs(32, HEX)
    return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], pick("89ab"), h[17:20], h[20:32])


def n_uuid():
    return pick([
        lambda: "request_id=%s" % uuid(),
        lambda: '{"id":"%s","status":"queued"}' % uuid(),
        lambda: "GET /api/v1/documents/%s HTTP/1.1" % uuid(),
        lambda: "correlation %s" % uuid().upper(),
        lambda: "session %s expired" % uuid(),
    ])()


def n_git():
    return pick([
        lambda: "commit %s" % rs(40, HEX),
        lambda: "HEAD is now at %s fix: handle empty cart" % rs(7, HEX),
        lambda: "Merge %s into %s" % (rs(40, HEX), rs(40, HEX)),
        lambda: "build from git sha %s (dirty=false)" % rs(12, HEX),
        lambda: "  %s..%s  main -> main" % (rs(7, HEX), rs(7, HEX)),
    ])()


def n_route():
    return pick([
        lambda: "GET /api/v1/users/:id 200",
        lambda: "route registered: POST /api/v%d/accounts/:accountId/invoices" % R.randint(1, 3),
        lambda: "PUT /users/{userId}/orders/{orderId} -> 204",
        lambda: "GET /api/v2/orders?page=%d&per_page=50&sort=-created_at HTTP/1.1" % R.randint(1, 99),
        lambda: "redirecting to /home",
        lambda: "GET https://app.example.com/home/feed?tab=%s HTTP/2" % pick(["latest", "top"]),
        lambda: "matched route /settings/profile/edit in %dms" % R.randint(1, 30),
        lambda: "404 Not Found: /static/js/main.%s.chunk.js" % rs(8, HEX),
    ])()


def n_path():
    return pick([
        lambda: "exec /usr/local/bin/node --max-old-space-size=%d server.js" % pick([2048, 4096]),
        lambda: "tail -f /var/log/nginx/error.log",
        lambda: "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        lambda: "Installing to /opt/homebrew/Cellar/openssl@3/3.2.1",
        lambda: "C:\\Program Files\\Common Files\\System\\ado\\msado15.dll loaded",
        lambda: "mkdir: cannot create directory '/home': Permission denied",
        lambda: "mounted tmpfs on /run/user/%d" % R.randint(1000, 1010),
        lambda: "writing cache to /var/lib/app/cache/%s.bin" % rs(8, HEX),
        lambda: "/usr/lib/python3.11/site-packages/requests/adapters.py:519: ConnectionError",
        lambda: "  at com.example.billing.InvoiceService.render(InvoiceService.java:%d)" % R.randint(10, 900),
        lambda: "shared assets in /Users/Shared/Library/Application Support",
    ])()


def n_error_code():
    return pick([
        lambda: "error[E0%d]: mismatched types" % R.randint(100, 800),
        lambda: "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod'",
        lambda: "ORA-%05d: table or view does not exist" % R.randint(900, 1000),
        lambda: "SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry",
        lambda: "HRESULT 0x%08X" % R.randint(0x80000000, 0x8007FFFF),
        lambda: "connect failed errno=%d (ECONNRESET)" % R.randint(100, 130),
        lambda: "Error Domain=NSURLErrorDomain Code=-%d \"The request timed out.\"" % R.randint(1000, 1020),
        lambda: "EXC_BAD_ACCESS (code=1, address=0x%x)" % R.randint(0, 4096),
        lambda: "exit status %d" % R.randint(1, 255),
        lambda: "pq: SQLSTATE 40P01 deadlock detected",
    ])()


def n_hex_id():
    return pick([
        lambda: "0x%012x in ?? ()" % R.randint(0x7ff000000000, 0x7fffffffffff),
        lambda: "trace_id=%s span_id=%s" % (rs(32, HEX), rs(16, HEX)),
        lambda: "container %s exited with code 137" % rs(12, HEX),
        lambda: "sha256:%s" % rs(64, HEX),
        lambda: "etag W/\"%s\"" % rs(20, HEX),
        lambda: "object %s not found in pack" % rs(40, HEX),
        lambda: "#%d 0x%016x in main ()" % (R.randint(0, 20), R.randint(0x100000000, 0xffffffffff)),
    ])()


def n_http_status():
    return pick([
        lambda: "HTTP/1.1 %d %s" % pick([(404, "Not Found"), (503, "Service Unavailable"), (201, "Created"), (429, "Too Many Requests")]),
        lambda: "upstream responded status=%d in %dms" % (pick([200, 502, 504]), R.randint(1, 3000)),
        lambda: "POST /v1/checkout -> %d" % pick([200, 400, 409, 422]),
        lambda: "retrying after %d (attempt %d)" % (pick([429, 503]), R.randint(1, 5)),
    ])()


def n_port():
    return pick([
        lambda: "listening on :%d" % R.randint(1024, 65535),
        lambda: "connect to localhost:%d failed" % pick([5432, 6379, 27017, 3306]),
        lambda: "ports: [\"%d:%d/tcp\"]" % (pick([8080, 3000]), pick([80, 3000])),
        lambda: "Service api exposes port %d/TCP, targetPort %d" % (pick([80, 443]), pick([8080, 8443])),
        lambda: "http://localhost:%d/healthz ok" % R.randint(3000, 9999),
    ])()


def n_bytes():
    return pick([
        lambda: "heap %dMB/%dMB" % (R.randint(100, 2000), 2048),
        lambda: "uploaded %.1f GiB in %d parts" % (R.random() * 10, R.randint(1, 200)),
        lambda: "Content-Length: %d" % R.randint(0, 10**7),
        lambda: "disk usage 412G of 1.8T (%d%%)" % R.randint(1, 99),
        lambda: "read %d bytes" % R.randint(0, 10**6),
    ])()


def n_percent():
    return pick([
        lambda: "CPU %.1f%% mem %.1f%%" % (R.random() * 100, R.random() * 100),
        lambda: "uptime SLO 99.95%% (budget remaining %d%%)" % R.randint(0, 100),
        lambda: "progress: %d%% (%d/%d)" % (R.randint(0, 100), R.randint(0, 500), 500),
        lambda: "cache hit ratio 0.%03d" % R.randint(0, 999),
    ])()


def n_semver_range():
    return pick([
        lambda: '"dependencies": {"react": "^18.%d.0", "zod": "~3.%d.%d"}' % (R.randint(0, 3), R.randint(20, 23), R.randint(0, 9)),
        lambda: "requires numpy>=1.24,<2.0 and pandas==2.%d.%d" % (R.randint(0, 2), R.randint(0, 3)),
        lambda: "gem 'rails', '~> 7.%d.%d'" % (R.randint(0, 1), R.randint(0, 9)),
        lambda: "peer dep >=16.8.0 <19.0.0 not satisfied",
        lambda: ".package(url: \"https://github.com/apple/swift-log.git\", from: \"1.5.%d\")" % R.randint(0, 4),
        lambda: "npm ERR! Could not resolve dependency: peer @types/node@\"^20.%d.0\"" % R.randint(0, 11),
        lambda: "installed @angular/core@17.%d.%d and lodash@4.17.21" % (R.randint(0, 3), R.randint(0, 9)),
    ])()


def k8s_suffix():
    return rs(R.choice([9, 10]), "bcdfghjklmnpqrstvwxz2456789") + "-" + rs(5, "bcdfghjklmnpqrstvwxz2456789")


def n_k8s():
    return pick([
        lambda: "pod/%s-%s   1/1     Running   0          3d4h" % (pick(SERVICES), k8s_suffix()),
        lambda: "deployment.apps/%s-v%d configured" % (pick(SERVICES), R.randint(1, 4)),
        lambda: "Back-off restarting failed container %s in pod %s-%s_default" % (pick(SERVICES), pick(SERVICES), k8s_suffix()),
        lambda: "Successfully assigned prod/%s-%s to node-pool-a-%s" % (pick(SERVICES), k8s_suffix(), rs(4, "bcdfghjklmnpqrstvwxz2456789")),
        lambda: "docker: Error response from daemon: Conflict. The container name \"/%s_%s_1\" is already in use." % (pick(SERVICES), pick(["db", "web"])),
        lambda: "Image: registry.example.com/acme/%s:%d.%d.%d" % (pick(SERVICES), R.randint(0, 4), R.randint(0, 20), R.randint(0, 9)),
    ])()


def n_identifier():
    return pick([
        lambda: "thread 'tokio-runtime-worker' panicked at tokio::runtime::Runtime::block_on",
        lambda: "called `Result::unwrap()` on an `Err` value: db::Error::PoolTimedOut",
        lambda: "std::collections::HashMap<String, Vec<u8>>::insert",
        lambda: "terminate called after throwing an instance of 'std::out_of_range'",
        lambda: "Fatal error in Foundation::JSONDecoder::decode(_:from:)",
        lambda: "at App\\Http\\Controllers\\OrderController->store()",
        lambda: "serde_json::Error(\"missing field `id`\", line: 1, column: %d)" % R.randint(1, 200),
        lambda: "sqlx::pool::inner: acquire timed out after %ds" % R.randint(1, 30),
        lambda: "<fn> core::ops::function::FnOnce::call_once",
        lambda: "github.com/acme/api/internal/cache.(*Store).Get",
    ])()


def n_time():
    return pick([
        lambda: "scheduled at %02d:%02d:%02d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59)),
        lambda: "cron 0 %d * * * next run %02d:%02d" % (R.randint(0, 23), R.randint(0, 23), R.randint(0, 59)),
        lambda: "opening hours 09:00-17:30",
        lambda: "maintenance window %02d:00–%02d:00 UTC" % (R.randint(0, 11), R.randint(12, 23)),
        lambda: "t=%02d:%02d:%02d.%06d" % (R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), R.randint(0, 999999)),
    ])()


def n_ratio():
    return pick([
        lambda: "aspect ratio 16:9 at 1920x1080",
        lambda: "replication 3:1",
        lambda: "score %d:%d" % (R.randint(0, 9), R.randint(0, 9)),
        lambda: "ratio=%d:%d" % (R.randint(1, 20), R.randint(1, 20)),
        lambda: "resized %dx%d -> %dx%d" % (R.randint(100, 4000), R.randint(100, 4000), R.randint(100, 800), R.randint(100, 800)),
    ])()


def n_coords():
    return pick([
        lambda: "lat=%.4f lon=%.4f accuracy=%dm" % (R.uniform(-80, 80), R.uniform(-180, 180), R.randint(5, 100)),
        lambda: '{"location":[%.6f,%.6f]}' % (R.uniform(-80, 80), R.uniform(-180, 180)),
        lambda: "geo: %.4f,%.4f" % (R.uniform(-80, 80), R.uniform(-180, 180)),
        lambda: "bbox=%.2f,%.2f,%.2f,%.2f" % (R.uniform(-10, 10), R.uniform(40, 50), R.uniform(10, 20), R.uniform(50, 60)),
    ])()


def n_build():
    return pick([
        lambda: "Build %d.%d" % (R.randint(20240101, 20241231), R.randint(1, 30)),
        lambda: "build #%d passed" % R.randint(100, 99999),
        lambda: "CFBundleVersion %d" % R.randint(1, 9999),
        lambda: "macOS 14.4 (build 23E%d)" % R.randint(100, 300),
        lambda: "pipeline %d job %d artifact app-%d.ipa" % (R.randint(10**5, 10**6), R.randint(10**6, 10**7), R.randint(1000, 9999)),
    ])()


def n_prose():
    return pick([
        lambda: "Password reset link sent; expires in 30 minutes",
        lambda: "token refresh scheduled in %ds" % R.randint(60, 3600),
        lambda: "Invalid API key format (expected 32 characters)",
        lambda: "secret rotation completed for %d keys" % R.randint(1, 20),
        lambda: "Authorization header missing",
        lambda: "Bearer token expired, re-authenticating",
        lambda: "password must be at least 12 characters long",
        lambda: "user clicked 'Forgot password?' on /login",
        lambda: "JWT validation disabled in dev mode",
        lambda: "IBAN field left empty",
        lambda: "Phone number verification pending",
    ])()


def n_sql():
    return pick([
        lambda: "ERROR:  relation \"order_items\" does not exist at character %d" % R.randint(10, 300),
        lambda: "ERROR 1213 (40001): Deadlock found when trying to get lock; try restarting transaction",
        lambda: "ERROR: duplicate key value violates unique constraint \"orders_pkey\" DETAIL: Key (id)=(%d) already exists." % R.randint(1, 10**6),
        lambda: "SELECT id, status FROM jobs WHERE created_at > now() - interval '%d hours' LIMIT 100" % R.randint(1, 48),
        lambda: "sqlite3.OperationalError: database is locked",
    ])()


def n_config():
    return pick([
        lambda: "max_connections=%d shared_buffers=%dMB work_mem=4MB" % (R.randint(50, 500), R.randint(128, 4096)),
        lambda: "LOG_LEVEL=info PORT=%d NODE_ENV=production" % R.randint(3000, 9000),
        lambda: "replicas: %d, strategy: RollingUpdate, maxSurge: 25%%" % R.randint(1, 12),
        lambda: "feature_flags={\"new_checkout\":true,\"dark_mode\":false}",
        lambda: "password_min_length=12 token_ttl=3600 secret_rotation_days=90",
    ])()


NEGATIVES = [
    ("version", n_version), ("timestamp", n_timestamp), ("date", n_date), ("duration", n_duration),
    ("order_number", n_order), ("numeric_id", n_numeric_id), ("uuid", n_uuid), ("git_sha", n_git),
    ("route", n_route), ("path", n_path), ("error_code", n_error_code), ("hex_id", n_hex_id),
    ("http_status", n_http_status), ("port", n_port), ("byte_size", n_bytes), ("percentage", n_percent),
    ("semver_range", n_semver_range), ("k8s_name", n_k8s), ("identifier", n_identifier), ("time", n_time),
    ("ratio", n_ratio), ("coordinates", n_coords), ("build_number", n_build), ("prose", n_prose),
    ("sql", n_sql), ("config", n_config),
]


def main():
    rows = []
    for cat, gen in POSITIVES:
        seen = set()
        made = 0
        while made < PER_CATEGORY:
            text, secrets = gen()
            if text in seen:
                continue
            seen.add(text)
            assert "\n" not in text and "\r" not in text, text
            for s in secrets:
                assert s and s in text, (cat, s, text)
                assert len(s) >= 4, (cat, s)
            rows.append({"category": cat, "text": text, "secrets": secrets})
            made += 1
    for kind, gen in NEGATIVES:
        seen = set()
        made = 0
        tries = 0
        while made < PER_NEG_KIND and tries < 500:
            tries += 1
            text = gen()
            if text in seen:
                continue
            seen.add(text)
            assert "\n" not in text and "\r" not in text, text
            rows.append({"category": "negative:" + kind, "text": text, "secrets": []})
            made += 1
    # Coordinates under a geolocation key name (`lat=`/`lon=`, `geo:`, `"location":`) are personal
    # data: those lines are geolocation positives, their coordinate values the secrets (they were
    # look-alikes once). A map's bounding box (`bbox=`) names no one's position and stays a negative.
    for r in rows:
        if r["category"] == "negative:coordinates" and not r["text"].startswith("bbox="):
            r["category"] = "geolocation"
            r["secrets"] = re.findall(r"-?\d+\.\d+", r["text"])
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    npos = sum(1 for r in rows if not r["category"].startswith("negative:"))
    print("wrote %s: %d positives, %d negatives" % (OUT, npos, len(rows) - npos))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Blind PII/secret corpus B ("beyond") -> pii-blind-beyond.jsonl (deterministic).

Written WITHOUT reading the scrubber's sources or the existing corpora. Covers
provider credentials by their documented prefix/shape, passwords inside
connection strings and credential files, personal data recognisable by its key
name (birth dates, addresses, geolocation, national ids with valid check digits,
passports, driving licences, advertising ids, IMEIs), obfuscated e-mail
addresses and client IPs in server-log positions.

Each line: {"category": ..., "text": ..., "secrets": [...]}
  positives: every string in "secrets" is an exact substring of "text" and must
             not survive scrubbing;
  negatives: category starts with NEG_PREFIX ("negative:", the prefix that
             measure_corpus.py and PIIScrubberTests.swift recognise), secrets
             is [] and the text must come back byte-identical.

  python3 make_blind_beyond.py     # writes pii-blind-beyond.jsonl next to this file
"""
import base64
import collections
import json
import os
import random
import string
import sys
import uuid
from urllib.parse import quote, quote_plus

SEED = 0xBE_70_2D
NEG_PREFIX = "negative:"
R = random.Random(SEED)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii-blind-beyond.jsonl")
ROWS = []


def pos(cat, text, secrets):
    ROWS.append({"category": cat, "text": text, "secrets": list(secrets)})


def neg(kind, text):
    ROWS.append({"category": NEG_PREFIX + kind, "text": text, "secrets": []})


LOWER, UPPER, DIG = string.ascii_lowercase, string.ascii_uppercase, string.digits
ALNUM = string.ascii_letters + DIG
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"


def rs(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def pick(seq):
    return R.choice(seq)


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def ruuid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
HOSTS = ["web-01", "api-3", "worker-2", "ip-10-0-1-23", "runner-7", "edge-1", "batch-04", "svc-gw"]


def ts_iso():
    return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23),
                                                    R.randint(0, 59), R.randint(0, 59), R.randint(0, 999))


def prefix():
    k = R.randint(0, 7)
    if k == 0:
        return ""
    if k == 1:
        return "%s INFO  [%s] %s - " % (ts_iso(), pick(["main", "exec-7", "scheduler-1"]),
                                        pick(["c.a.config.Loader", "o.s.b.SpringApplication", "app.clients.Http"]))
    if k == 2:
        return "%s %2d %02d:%02d:%02d %s %s[%d]: " % (pick(MONTHS), R.randint(1, 28), R.randint(0, 23),
                                                      R.randint(0, 59), R.randint(0, 59), pick(HOSTS),
                                                      pick(["app", "deploy", "env-dump", "node", "python3"]),
                                                      R.randint(100, 65000))
    if k == 3:
        return "%s %s " % (ts_iso(), pick(["DEBUG", "WARN", "ERROR", "INFO"]))
    if k == 4:
        return "[%s] " % pick(["config", "env", "bootstrap", "ci", "secrets-check"])
    if k == 5:
        return "+ "
    if k == 6:
        return "%s | " % pick(["build", "deploy", "job 41", "step 3/7"])
    return "level=debug ts=%s caller=%s msg=" % (ts_iso(), pick(["main.go:88", "config.go:41", "client.go:203"]))


FIRST = ["alice", "olivia", "liam", "priya", "mateo", "sophie", "hiroshi", "fatima", "lukas", "ingrid", "chen",
         "amara", "dmitri", "isabel", "noah", "yuki", "kwame", "elena", "rahul", "zoe", "marek", "leila", "tomas"]
LAST = ["nguyen", "kowalski", "garcia", "tanaka", "schmidt", "okafor", "johansson", "dubois", "rossi", "patel",
        "murphy", "novak", "silva", "yilmaz", "fischer", "moreau", "haddad", "larsen", "kim", "petrov"]


def password(symbols=True, n=None):
    n = n or R.randint(10, 22)
    alphabet = ALNUM + ("!#%^*_-+=.~" if symbols else "")
    while True:
        p = rs(alphabet, n)
        if any(c.isdigit() for c in p) and any(c.isalpha() for c in p):
            return p


def human_password():
    return pick(["Summer", "Winter", "Falcon", "Maple", "Rocket", "Harbor", "Silver", "Sunset", "Meadow", "Tundra",
                 "Quartz", "Bramble"]) + pick(["", "_", "!", "#", "."]) + str(R.randint(10, 2099)) + pick(["", "!", "#"])


def url_password():
    k = R.randint(0, 9)
    if k == 0:
        return pick(["changeme", "hunter22", "s3cr3tpass", "letmein99", "Welcome2024"])
    if k <= 3:
        return quote(human_password(), safe="")
    if k <= 5:
        return quote(password(True), safe="")
    return password(False)


# ------------------------------------------------------------ check digits
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


VD = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
      [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
      [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
VP = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
      [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
      [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_ok(n):
    c = 0
    for i, x in enumerate(reversed(n)):
        c = VD[c][VP[i % 8][int(x)]]
    return c == 0


def verhoeff_complete(n):
    c = 0
    for i, x in enumerate(reversed(n)):
        c = VD[c][VP[(i + 1) % 8][int(x)]]
    return n + str(VINV[c])


def steuer_check(d10):
    p = 10
    for c in d10:
        t = (int(c) + p) % 10
        if t == 0:
            t = 10
        p = (t * 2) % 11
    k = 11 - p
    return 0 if k == 10 else k


def steuer_ok(s):
    s = s.replace(" ", "")
    counts = collections.Counter(s[:10])
    multi = [d for d, n in counts.items() if n > 1]
    return (len(s) == 11 and s[0] != "0" and len(multi) == 1 and counts[multi[0]] in (2, 3)
            and steuer_check(s[:10]) == int(s[10]))


def cpf_ok(s):
    d = [int(c) for c in s if c.isdigit()]
    if len(set(d)) == 1:
        return False
    for n in (9, 10):
        r = sum(d[i] * (n + 1 - i) for i in range(n)) * 10 % 11
        if r == 10:
            r = 0
        if r != d[n]:
            return False
    return True


DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni_ok(s):
    s = s.replace("-", "")
    num = s[:-1]
    if num[0] in "XYZ":
        num = str("XYZ".index(num[0])) + num[1:]
    return DNI_LETTERS[int(num) % 23] == s[-1]


def bsn_ok(s):
    d = [int(c) for c in s if c.isdigit()]
    return len(d) == 9 and (sum(d[i] * (9 - i) for i in range(8)) - d[8]) % 11 == 0


CF_ODD = dict(zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                  [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12,
                   14, 16, 10, 22, 25, 24, 23]))


def cf_char(s15):
    t = 0
    for i, c in enumerate(s15):
        t += CF_ODD[c] if i % 2 == 0 else (int(c) if c.isdigit() else ord(c) - 65)
    return chr(65 + t % 26)


def cf_ok(s):
    return cf_char(s[:15]) == s[15]


def nir_ok(s):
    d = s.replace(" ", "")
    return 97 - int(d[:13]) % 97 == int(d[13:])


def nino_ok(s):
    s = s.replace(" ", "")
    bad_first, bad_second = "DFIQUV", "DFIOQUV"
    return (len(s) == 9 and s[0] not in bad_first and s[1] not in bad_second and s[:2] not in
            ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ") and s[2:8].isdigit() and s[8] in "ABCD")


CHECKS = []


def checked(desc, value, pred):
    CHECKS.append((desc, value, pred))
    return value


def ean_complete(partial):
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(partial)))
    return partial + str((10 - total % 10) % 10)


def ean_ok(code):
    d = [int(c) for c in code if c.isdigit()]
    return sum(x * (3 if i % 2 == 1 else 1) for i, x in enumerate(reversed(d))) % 10 == 0


# ==================================================== provider credentials
def openai_key():
    k = R.randint(0, 3)
    if k == 0:
        return "sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20)
    if k == 1:
        return "sk-proj-" + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)
    if k == 2:
        return "sk-svcacct-" + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)
    return "sk-proj-" + rs(ALNUM, 48)


def anthropic_key():
    return pick(["sk-ant-api03-", "sk-ant-api03-", "sk-ant-admin01-"]) + rs(B64URL, 93) + "AA"


def hf_token():
    return "hf_" + rs(string.ascii_letters, 34)


def gen_ai():
    for i in range(21):
        t = R.randint(0, 2)
        key = [openai_key, anthropic_key, hf_token][t]()
        u = R.randint(0, 7)
        if t == 0:
            text = ["OPENAI_API_KEY=%s" % key, "Authorization: Bearer %s" % key,
                    "openai.api_key = \"%s\"" % key, "client = OpenAI(api_key='%s')" % key,
                    json.dumps({"provider": "openai", "api_key": key, "model": "gpt-4o-mini"}),
                    "curl https://api.openai.com/v1/models -H \"Authorization: Bearer %s\"" % key,
                    "export OPENAI_API_KEY='%s'" % key,
                    "openai.AuthenticationError: Error code: 401 - invalid key %s" % key][u]
        elif t == 1:
            text = ["ANTHROPIC_API_KEY=%s" % key, "x-api-key: %s" % key,
                    "curl https://api.anthropic.com/v1/messages -H 'x-api-key: %s' -H 'anthropic-version: 2023-06-01'" % key,
                    "client = anthropic.Anthropic(api_key=\"%s\")" % key,
                    json.dumps({"llm": {"vendor": "anthropic", "key": key}}),
                    "headers: {'x-api-key': '%s', 'content-type': 'application/json'}" % key,
                    "export ANTHROPIC_API_KEY=%s" % key, "anthropic_api_key: %s" % key][u]
        else:
            text = ["HF_TOKEN=%s" % key, "huggingface-cli login --token %s" % key,
                    "git clone https://user:%s@huggingface.co/acme/private-model" % key,
                    "Authorization: Bearer %s" % key, "login(token=\"%s\")" % key,
                    json.dumps({"hub_token": key}), "HUGGING_FACE_HUB_TOKEN=%s" % key,
                    "from_pretrained('acme/llm-7b', token='%s')" % key][u]
        pos("cred_ai_platform", prefix() + text, [key])


def gen_pkg():
    for i in range(20):
        t = R.randint(0, 3)
        if t == 0:
            key = "npm_" + rs(ALNUM, 36)
            text = pick(["//registry.npmjs.org/:_authToken=%s", "NPM_TOKEN=%s",
                         "npm config set //registry.npmjs.org/:_authToken %s", "NODE_AUTH_TOKEN: %s",
                         "echo \"//npm.pkg.github.com/:_authToken=%s\" >> .npmrc"]) % key
        elif t == 1:
            key = pick(["pypi-AgEIcHlwaS5vcmcC", "pypi-AgENdGVzdC5weXBpLm9yZwIk"]) + rs(B64URL, R.randint(140, 190))
            text = pick(["[pypi]\n  username = __token__\n  password = %s", "TWINE_PASSWORD=%s",
                         "twine upload -u __token__ -p %s dist/*", "uv publish --token %s",
                         "poetry config pypi-token.pypi %s"]) % key
        elif t == 2:
            key = "rubygems_" + rs(HEX, 48)
            text = pick(["GEM_HOST_API_KEY=%s", "---\n:rubygems_api_key: %s"]) % key
        else:
            key = "oy2" + rs(LOWER + DIG, 43)
            text = pick(["dotnet nuget push pkg.1.2.0.nupkg --api-key %s --source https://api.nuget.org/v3/index.json",
                         "NUGET_API_KEY=%s"]) % key
        pos("cred_package_registry", prefix() + text if "\n" not in text else text, [key])


def gen_vcs():
    for i in range(22):
        t = R.randint(0, 7)
        if t <= 4:
            p = ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"][t]
            key = p + rs(ALNUM, 36)
        elif t == 5:
            key = "github_pat_" + rs(ALNUM, 22) + "_" + rs(ALNUM, 59)
        elif t == 6:
            key = "glpat-" + rs(B64URL, 20)
        else:
            key = "ATBB" + rs(ALNUM, 24) + rs("0123456789ABCDEF", 8)
        if t == 6:
            text = pick(["PRIVATE-TOKEN: %s", "git clone https://oauth2:%s@gitlab.com/acme/infra.git",
                         "GITLAB_TOKEN=%s", "glab auth login --token %s --hostname gitlab.example.com",
                         "curl --header \"PRIVATE-TOKEN: %s\" https://gitlab.example.com/api/v4/projects"]) % key
        elif t == 7:
            text = pick(["curl -u jdoe-ci:%s https://api.bitbucket.org/2.0/repositories/acme",
                         "BITBUCKET_APP_PASSWORD=%s",
                         "git remote set-url origin https://ci-bot:%s@bitbucket.org/acme/web.git"]) % key
        else:
            text = pick(["GITHUB_TOKEN=%s", "Authorization: token %s",
                         "git clone https://x-access-token:%s@github.com/acme/api.git",
                         "gh auth login --with-token <<< %s", "GH_TOKEN: %s",
                         "Authorization: Bearer %s", json.dumps({"github": {"token": "%s"}}),
                         "remote: https://%s@github.com/acme/site.git"]) % key
        pos("cred_vcs_token", prefix() + text, [key])


def discord_bot_token():
    uid = str(R.randint(10 ** 17, 1_300_000_000_000_000_000))
    return base64.b64encode(uid.encode()).decode().rstrip("=") + "." + rs(B64URL, 6) + "." + rs(B64URL, 38)


def gen_chat():
    for i in range(22):
        t = R.randint(0, 5)
        if t == 0:
            key = "xoxb-%d-%d-%s" % (R.randint(10 ** 10, 10 ** 12), R.randint(10 ** 11, 10 ** 13), rs(ALNUM, 24))
            sec = [key]
        elif t == 1:
            key = "xoxp-%d-%d-%d-%s" % (R.randint(10 ** 10, 10 ** 12), R.randint(10 ** 10, 10 ** 12),
                                        R.randint(10 ** 11, 10 ** 13), rs(HEX, 32))
            sec = [key]
        elif t == 2:
            key = "xapp-1-A%s-%d-%s" % (rs(UPPER + DIG, 10), R.randint(10 ** 12, 10 ** 13), rs(HEX, 64))
            sec = [key]
        elif t == 3:
            key = discord_bot_token()
            sec = [key]
        else:
            bot_id = str(R.randint(10 ** 8, 8 * 10 ** 9))
            s = "AA" + rs(B64URL, 33)
            key = bot_id + ":" + s
            sec = [s]
        if t <= 2:
            text = pick(["SLACK_BOT_TOKEN=%s", "Authorization: Bearer %s", "app = App(token=\"%s\")",
                         "SLACK_APP_TOKEN=%s", "curl -H 'Authorization: Bearer %s' https://slack.com/api/auth.test",
                         "slack_token: %s"]) % key
        elif t == 3:
            text = pick(["Authorization: Bot %s", "DISCORD_TOKEN=%s", "client.run('%s')",
                         json.dumps({"discord": {"bot_token": "%s"}})]) % key
        else:
            text = pick(["TELEGRAM_BOT_TOKEN=%s", "bot = telebot.TeleBot(\"%s\")", "Application.builder().token('%s')",
                         "telegram: {token: %s, chat_id: -1001234567890}"]) % key
        pos("cred_chat_bot", prefix() + text, sec)


def gen_payments():
    for i in range(22):
        t = R.randint(0, 7)
        if t == 0:
            key = "sk_live_" + pick([rs(ALNUM, 24), "51" + rs(ALNUM, 97)])
            text = pick(["STRIPE_SECRET_KEY=%s", "Stripe.api_key = '%s'", "curl https://api.stripe.com/v1/charges -u %s:",
                         "stripe.api_key = \"%s\"", "Authorization: Bearer %s"]) % key
        elif t == 1:
            key = "rk_live_" + pick([rs(ALNUM, 24), "51" + rs(ALNUM, 97)])
            text = pick(["STRIPE_RESTRICTED_KEY=%s", "stripe listen --api-key %s", json.dumps({"stripe_key": "%s"})]) % key
        elif t == 2:
            key = "EAAA" + rs(B64URL, 60)
            text = pick(["SQUARE_ACCESS_TOKEN=%s", "Authorization: Bearer %s", "square.Client(access_token='%s')"]) % key
        elif t == 3:
            key = pick(["sq0atp-" + rs(B64URL, 22), "sq0csp-" + rs(B64URL, 43)])
            text = pick(["square_access_token: %s", "SQUARE_APP_SECRET=%s", json.dumps({"square": {"secret": "%s"}})]) % key
        else:
            p = ["shpat_", "shpss_", "shpca_", "shppa_"][t - 4]
            key = p + rs(HEX, 32)
            text = pick(["X-Shopify-Access-Token: %s", "SHOPIFY_API_SECRET=%s",
                         "curl -H 'X-Shopify-Access-Token: %s' https://acme-store.myshopify.com/admin/api/2024-01/orders.json",
                         "shopify_token = \"%s\"", json.dumps({"shop": "acme-store.myshopify.com", "token": "%s"})]) % key
        pos("cred_payments_commerce", prefix() + text, [key])


def gen_messaging():
    for i in range(22):
        t = R.randint(0, 5)
        if t == 0:
            sid, tok = "AC" + rs(HEX, 32), rs(HEX, 32)
            text = pick(["client = Client(\"%s\", \"%s\")", "TWILIO_ACCOUNT_SID=%s TWILIO_AUTH_TOKEN=%s",
                         "curl -X POST https://api.twilio.com/2010-04-01/Accounts/{0}/Messages.json -u {0}:{1}"])
            text = text.format(sid, tok) if "{0}" in text else text % (sid, tok)
            sec = [sid, tok]
        elif t == 1:
            sk, sec_ = "SK" + rs(HEX, 32), rs(ALNUM, 32)
            text = "twilio api:core:messages:list --api-key %s --api-secret %s" % (sk, sec_) if R.random() < 0.5 else \
                "TWILIO_API_KEY=%s\nTWILIO_API_SECRET=%s" % (sk, sec_)
            sec = [sk, sec_]
        elif t == 2:
            key = "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43)
            text = pick(["SENDGRID_API_KEY=%s", "Authorization: Bearer %s", "sg = SendGridAPIClient('%s')",
                         "smtp password: %s (user apikey)"]) % key
            sec = [key]
        elif t == 3:
            key = "key-" + rs(HEX, 32)
            text = pick(["curl -s --user 'api:%s' https://api.mailgun.net/v3/mg.example.com/messages",
                         "MAILGUN_API_KEY=%s", "mailgun: {api_key: %s, domain: mg.example.com}"]) % key
            sec = [key]
        else:
            key = rs(HEX, 32) + "-us" + str(R.randint(1, 21))
            text = pick(["MAILCHIMP_API_KEY=%s", "curl --user \"anystring:%s\" https://%s.api.mailchimp.com/3.0/lists",
                         "mailchimp.setConfig({ apiKey: '%s', server: '%s' })"])
            text = text % ((key,) if text.count("%s") == 1 else (key, key.rsplit("-", 1)[1]))
            sec = [key]
        pos("cred_messaging_email", prefix() + text if "\n" not in text else text, sec)


def pem_body(prefix_hex, n):
    raw = bytes.fromhex(prefix_hex) + rbytes(n)
    b = base64.b64encode(raw).decode()
    return [b[i:i + 64] for i in range(0, len(b), 64)]


def gen_google():
    for i in range(20):
        t = R.randint(0, 3)
        if t == 0:
            key = "AIza" + rs(B64URL, 35)
            text = pick(["https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=%s",
                         "GOOGLE_API_KEY=%s", "const firebaseConfig = { apiKey: \"%s\", projectId: \"acme-prod\" };",
                         "curl 'https://generativelanguage.googleapis.com/v1beta/models?key=%s'",
                         "YOUTUBE_API_KEY: %s"]) % key
            sec = [key]
        elif t == 1:
            key = "GOCSPX-" + rs(B64URL, 28)
            cid = "%d-%s.apps.googleusercontent.com" % (R.randint(10 ** 11, 10 ** 12), rs(LOWER + DIG, 32))
            text = pick([json.dumps({"web": {"client_id": cid, "client_secret": key,
                                             "auth_uri": "https://accounts.google.com/o/oauth2/auth"}}),
                         "GOOGLE_CLIENT_SECRET=%s" % key,
                         "oauth: {client_id: %s, client_secret: %s}" % (cid, key)])
            sec = [key]
        else:
            kid = rs(HEX, 40)
            lines = pem_body("308204bd020100300d06092a864886f70d0101010500048204a7", 1190)
            pk = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n"
            proj = pick(["acme-prod", "analytics-3141", "billing-eu", "ml-sandbox-22"])
            doc = {"type": "service_account", "project_id": proj, "private_key_id": kid, "private_key": pk,
                   "client_email": "%s@%s.iam.gserviceaccount.com" % (pick(["ci-deployer", "bq-reader", "uploader"]),
                                                                      proj),
                   "client_id": str(R.randint(10 ** 20, 10 ** 21)), "token_uri": "https://oauth2.googleapis.com/token"}
            if R.random() < 0.5:
                text = json.dumps(doc)
            else:
                text = "GOOGLE_APPLICATION_CREDENTIALS_JSON=" + json.dumps(doc, separators=(",", ":"))
            sec = [kid] + lines
        pos("cred_google_cloud", text if t == 2 else prefix() + text, sec)


def aws_key_id():
    return pick(["AKIA", "AKIA", "ASIA"]) + rs(UPPER + "234567", 16)


def gen_aws():
    for i in range(20):
        k = aws_key_id()
        t = R.randint(0, 6)
        if t == 6:
            sig = rs(HEX, 64)
            text = ("Authorization: AWS4-HMAC-SHA256 Credential=%s/2024%02d%02d/%s/s3/aws4_request, "
                    "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s") % (
                k, R.randint(1, 12), R.randint(1, 28), pick(["us-east-1", "eu-central-1", "ap-southeast-2"]), sig)
            pos("cred_aws_key_id", text, [k, sig])
            continue
        text = ["aws_access_key_id = %s", "AWS_ACCESS_KEY_ID=%s", json.dumps({"AccessKeyId": "%s", "Status": "Active"}),
                "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: key %s",
                "accessKeyId: '%s'", "aws iam delete-access-key --access-key-id %s --user-name ci"][t] % k
        pos("cred_aws_key_id", prefix() + text, [k])


def gen_signed_urls():
    for i in range(22):
        t = R.randint(0, 2)
        if t == 0:
            k, sig = aws_key_id(), rs(HEX, 64)
            tok = ""
            sec = [sig]
            if k.startswith("ASIA"):
                st = "IQoJb3JpZ2luX2Vj" + rs(B64, 200)
                tok = "&X-Amz-Security-Token=" + quote(st, safe="")
                sec.append(quote(st, safe=""))
            url = ("https://%s.s3.%s.amazonaws.com/%s?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%s%%2F2024%02d%02d"
                   "%%2F%s%%2Fs3%%2Faws4_request&X-Amz-Date=2024%02d%02dT%02d%02d%02dZ&X-Amz-Expires=%d%s"
                   "&X-Amz-SignedHeaders=host&X-Amz-Signature=%s") % (
                pick(["acme-uploads", "invoices-prod", "ml-artifacts"]), pick(["eu-west-1", "us-east-1"]),
                pick(["reports/2024/q1.pdf", "exports/users.csv", "model.bin"]), k, R.randint(1, 12),
                R.randint(1, 28), pick(["eu-west-1", "us-east-1"]), R.randint(1, 12), R.randint(1, 28),
                R.randint(0, 23), R.randint(0, 59), R.randint(0, 59), pick([300, 900, 3600, 604800]), tok, sig)
            sec.insert(0, k)
        elif t == 1:
            sig = rs(HEX, 512)
            url = ("https://storage.googleapis.com/%s/%s?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Credential="
                   "%s%%40%s.iam.gserviceaccount.com%%2F2024%02d%02d%%2Fauto%%2Fstorage%%2Fgoog4_request"
                   "&X-Goog-Date=2024%02d%02dT%02d%02d00Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host"
                   "&X-Goog-Signature=%s") % (
                pick(["acme-media", "backups-eu"]), pick(["video.mp4", "dump.sql.gz", "photo.jpg"]),
                pick(["signer", "cdn-uploader"]), pick(["acme-prod", "media-443"]), R.randint(1, 12), R.randint(1, 28),
                R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), sig)
            sec = [sig]
        else:
            raw_sig = base64.b64encode(rbytes(32)).decode()
            sig = quote(raw_sig, safe="")
            url = ("https://%s.blob.core.windows.net/%s/%s?sv=2022-11-02&ss=bfqt&srt=sco&sp=%s&se=2025-%02d-%02dT23:59:59Z"
                   "&st=2024-%02d-%02dT00:00:00Z&spr=https&sig=%s") % (
                pick(["acmeprodstore", "mediaeu01", "logsarchive"]), pick(["uploads", "backups", "$web"]),
                pick(["a.csv", "db.bak", "index.html"]), pick(["r", "rw", "rwdlacupiytfx"]), R.randint(1, 12),
                R.randint(1, 28), R.randint(1, 12), R.randint(1, 28), sig)
            sec = [sig]
        u = R.randint(0, 3)
        text = [url, "GET %s HTTP/1.1" % url, prefix() + "presigned url generated: %s" % url,
                json.dumps({"download_url": url, "expires_in": 900})][u]
        pos("cred_signed_url", text, sec)


def gen_azure():
    for i in range(18):
        t = R.randint(0, 3)
        if t <= 1:
            key = base64.b64encode(rbytes(64)).decode()  # 88 chars ending ==
            acct = pick(["acmeprodstore", "mediaeu01", "logsarchive", "tfstate4821"])
            cs = "DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s;EndpointSuffix=core.windows.net" % (acct, key)
            text = pick(["AZURE_STORAGE_CONNECTION_STRING=\"%s\"" % cs, cs,
                         "az storage blob list --account-name %s --account-key %s -c backups" % (acct, key),
                         json.dumps({"ConnectionStrings": {"Storage": cs}})])
        elif t == 2:
            key = base64.b64encode(rbytes(32)).decode()  # 44 chars ending =
            text = ("Endpoint=sb://%s.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
                    "SharedAccessKey=%s") % (pick(["acme-bus", "orders-ns", "iot-hub-eu"]), key)
        else:
            key = base64.b64encode(rbytes(32)).decode()
            text = "HostName=%s.azure-devices.net;DeviceId=sensor-%d;SharedAccessKey=%s" % (
                pick(["factory-hub", "acme-iot"]), R.randint(1, 999), key)
        pos("cred_azure_key", prefix() + text, [key])


def gen_infra():
    for i in range(24):
        t = R.randint(0, 7)
        if t == 0:
            key = pick(["dop_v1_", "doo_v1_", "dor_v1_"]) + rs(HEX, 64)
            text = pick(["DIGITALOCEAN_TOKEN=%s", "doctl auth init --access-token %s", "Authorization: Bearer %s"]) % key
        elif t == 1:
            key = pick([ruuid(), "HRKU-" + rs(B64URL, 60)])
            text = pick(["HEROKU_API_KEY=%s", "heroku_api_key: %s", "machine api.heroku.com\n  login ci@acme.dev\n  password %s"]) % key
        elif t == 2:
            key = pick(["hvs." + rs(ALNUM, 24), "hvs.CAESI" + rs(B64URL, 86), "hvb.AAAAAQ" + rs(B64URL, 130)])
            text = pick(["VAULT_TOKEN=%s", "X-Vault-Token: %s", "vault login %s", "vault_token: %s"]) % key
        elif t == 3:
            key = rs(ALNUM, 14) + ".atlasv1." + rs(ALNUM, 67)
            text = pick([json.dumps({"credentials": {"app.terraform.io": {"token": "%s"}}}), "TF_TOKEN_app_terraform_io=%s",
                         "credentials \"app.terraform.io\" {\n  token = \"%s\"\n}"]) % key
        elif t == 4:
            key = pick(["dp.pt.", "dp.st.prd.", "dp.sa.", "dp.ct."]) + rs(ALNUM, 43)
            text = pick(["DOPPLER_TOKEN=%s", "doppler configure set token %s --scope /", "doppler run --token %s -- ./start.sh"]) % key
        elif t == 5:
            key = "dapi" + rs(HEX, 32) + pick(["", "-2", "-3"])
            text = pick(["DATABRICKS_TOKEN=%s", "[DEFAULT]\nhost = https://adb-%d.7.azuredatabricks.net\ntoken = %%s" % R.randint(10 ** 15, 10 ** 16),
                         "curl -H 'Authorization: Bearer %s' https://dbc-a1b2.cloud.databricks.com/api/2.0/clusters/list"]) % key
        elif t == 6:
            key = "pul-" + rs(HEX, 40)
            text = pick(["PULUMI_ACCESS_TOKEN=%s", "pulumi login --access-token %s"]) % key  # Pulumi
        else:
            key = "FlyV1 fm2_" + rs(B64URL, 120)
            text = pick(["FLY_API_TOKEN=\"%s\"", "Authorization: %s"]) % key  # Fly.io
            key = key.split(" ", 1)[1]
        pos("cred_infra_token", text if "\n" in text else prefix() + text, [key])


def gen_observability():
    for i in range(22):
        t = R.randint(0, 5)
        if t == 0:
            key = rs(HEX, 32)
            text = pick(["DD-API-KEY: %s", "DD_API_KEY=%s", "api_key: %s  # datadog.yaml",
                         "curl -X POST https://api.datadoghq.eu/api/v2/series -H \"DD-API-KEY: %s\""]) % key
            sec = [key]
        elif t == 1:
            a, b = rs(HEX, 32), rs(HEX, 40)
            text = "curl -H \"DD-API-KEY: %s\" -H \"DD-APPLICATION-KEY: %s\" https://api.datadoghq.com/api/v1/monitor" % (a, b)
            sec = [a, b]
        elif t == 2:
            key = "NRAK-" + rs(UPPER + DIG, 27)
            text = pick(["API-Key: %s", "NEW_RELIC_API_KEY=%s", "newrelic profile add --apiKey %s --region us"]) % key
            sec = [key]
        elif t == 3:
            key = rs(HEX, 36) + "NRAL"
            text = pick(["NEW_RELIC_LICENSE_KEY=%s", "license_key: %s", "newrelic.license_key = %s"]) % key
            sec = [key]
        else:
            key = rs(HEX, 32)
            host = pick(["o%d.ingest.sentry.io" % R.randint(10 ** 5, 10 ** 7),
                         "o%d.ingest.us.sentry.io" % R.randint(10 ** 5, 10 ** 7),
                         "o%d.ingest.de.sentry.io" % R.randint(10 ** 5, 10 ** 7), "sentry.acme-corp.io"])
            if t == 5 and R.random() < 0.5:
                secret = rs(HEX, 32)
                dsn = "https://%s:%s@sentry.io/%d" % (key, secret, R.randint(10 ** 5, 10 ** 7))
                sec = [key, secret]
            else:
                dsn = "https://%s@%s/%d" % (key, host, R.randint(10 ** 5, 10 ** 7))
                sec = [key]
            text = pick(["SENTRY_DSN=%s", "Sentry.init({ dsn: \"%s\", tracesSampleRate: 0.2 })",
                         "sentry_sdk.init(dsn='%s')", json.dumps({"sentry": {"dsn": "%s"}}),
                         "raven: DSN %s"]) % dsn
        pos("cred_observability", prefix() + text, sec)


def gen_productivity():
    for i in range(22):
        t = R.randint(0, 4)
        if t == 0:
            key = "PMAK-" + rs(HEX, 24) + "-" + rs(HEX, 34)
            text = pick(["X-Api-Key: %s", "POSTMAN_API_KEY=%s", "postman login --with-api-key %s"]) % key
        elif t == 1:
            key = "lin_api_" + rs(ALNUM, 40)
            text = pick(["Authorization: %s", "LINEAR_API_KEY=%s", "new LinearClient({ apiKey: \"%s\" })"]) % key
        elif t == 2:
            key = pick(["secret_" + rs(ALNUM, 43), "ntn_" + rs(DIG, 11) + rs(ALNUM, 35)])
            text = pick(["Authorization: Bearer %s", "NOTION_TOKEN=%s", "Client(auth=\"%s\")"]) % key
        elif t == 3:
            key = "ATATT3xFfGF0" + rs(B64URL, 170) + "=" + rs("0123456789ABCDEF", 8)
            text = pick(["curl -u ci@acme.dev:%s https://acme.atlassian.net/rest/api/3/myself", "JIRA_API_TOKEN=%s",
                         "confluence: {user: ci-bot, api_token: %s}"]) % key
        else:
            key = "xkeysib-" + rs(HEX, 64) + "-" + rs(ALNUM, 16)
            text = pick(["BREVO_API_KEY=%s", "api-key: %s"]) % key  # Brevo/Sendinblue
        pos("cred_productivity_saas", prefix() + text, [key])


# =================================================== connection strings
DB_HOSTS = ["db.internal", "pg-primary.prod.svc.cluster.local", "orders.c9akciq32xyz.eu-west-1.rds.amazonaws.com",
            "10.20.3.14", "mysql-0.mysql", "sql-prod-01", "analytics-db.acme-corp.io"]


def gen_conn():
    for i in range(24):
        p = url_password()
        u = pick(["app", "admin", "svc_orders", "reporting", "root", "django", "metabase"])
        t = R.randint(0, 7)
        if t == 0:
            url = "postgres://%s:%s@%s:5432/%s" % (u, p, pick(DB_HOSTS), pick(["app", "orders", "warehouse"]))
        elif t == 1:
            url = "postgresql://%s:%s@%s/%s?sslmode=require" % (u, p, pick(DB_HOSTS), pick(["app", "billing"]))
        elif t == 2:
            url = "mysql://%s:%s@%s:3306/%s" % (u, p, pick(DB_HOSTS), pick(["shop", "wordpress"]))
        elif t == 3:
            url = "mongodb+srv://%s:%s@cluster0.%s.mongodb.net/%s?retryWrites=true&w=majority" % (
                u, p, rs(LOWER + DIG, 5), pick(["prod", "events"]))
        elif t == 4:
            url = "redis://:%s@%s:6379/0" % (p, pick(["cache.internal", "redis-master", "10.0.4.8"]))
        elif t == 5:
            url = "rediss://default:%s@redis-%d.c1.us-east-1-2.ec2.cloud.redislabs.com:%d" % (
                p, R.randint(10000, 19999), R.randint(10000, 19999))
        elif t == 6:
            url = "amqp://%s:%s@rabbitmq.internal:5672/%s" % (u, p, pick(["%2F", "orders", "events"]))
        else:
            url = "amqps://%s:%s@b-%s.mq.eu-west-1.amazonaws.com:5671" % (u, p, ruuid())
        k = R.randint(0, 5)
        text = ["DATABASE_URL=%s" % url, prefix() + "connecting to %s" % url,
                json.dumps({"db": {"url": url, "pool": R.randint(5, 50)}}), "  url: \"%s\"" % url,
                "connection failed after 3 retries (timeout 5s): %s" % url,
                "REDIS_URL=%s" % url if url.startswith("redis") else "CELERY_BROKER_URL=%s" % url][k]
        pos("conn_string_url", text, [p])

    for i in range(24):
        p = pick([password(True), human_password(), "changeme", password(False)])
        t = R.randint(0, 7)
        host = pick(DB_HOSTS)
        if t == 0:
            text = "Server=tcp:%s.database.windows.net,1433;Initial Catalog=%s;Persist Security Info=False;User ID=%s;Password=%s;MultipleActiveResultSets=False;Encrypt=True;" % (
                pick(["acme-sql", "orders-srv"]), pick(["appdb", "crm"]), pick(["sqladmin", "app"]), p)
        elif t == 1:
            text = "Data Source=%s;Initial Catalog=Sales;User Id=sa;Password='%s';TrustServerCertificate=true" % (host, p)
        elif t == 2:
            text = "Driver={ODBC Driver 18 for SQL Server};Server=%s;Database=erp;UID=etl;PWD=%s;" % (host, p)
        elif t == 3:
            text = "DRIVER={PostgreSQL Unicode};SERVER=%s;PORT=5432;DATABASE=dw;UID=bi;PWD={%s}" % (host, p)
        elif t == 4:
            text = "jdbc:mysql://%s:3306/shop?user=%s&password=%s&useSSL=true" % (host, pick(["shop", "app"]), quote(p, safe=""))
            p = quote(p, safe="")
        elif t == 5:
            text = "jdbc:postgresql://%s:5432/app?user=app&password=%s&ssl=true" % (host, quote(p, safe=""))
            p = quote(p, safe="")
        elif t == 6:
            text = "jdbc:sqlserver://%s:1433;databaseName=hr;user=hr_app;password=%s;encrypt=true" % (host, p.replace(";", ""))
            p = p.replace(";", "")
        else:
            text = "Host=%s;Port=5432;Database=events;Username=writer;Password=%s;SSL Mode=Require" % (host, p)
        k = R.randint(0, 3)
        text = [text, "ConnectionStrings__Default=\"%s\"" % text, json.dumps({"ConnectionStrings": {"Default": text}}),
                prefix() + "using connection string: %s" % text][k]
        pos("conn_string_kv", text, [p])

    for i in range(24):
        p = pick([password(False), human_password(), password(True)])
        t = R.randint(0, 6)
        if t == 0:
            u = pick(["scott", "system", "hr", "app_owner"])
            text = "sqlplus %s/%s@//%s:1521/ORCLPDB1" % (u, p, pick(["oradb01.corp.example.com", "10.8.1.20"]))
        elif t == 1:
            text = "expdp system/%s@PROD schemas=HR directory=DATA_PUMP_DIR dumpfile=hr.dmp" % p
        elif t == 2:
            text = "machine %s login %s password %s" % (pick(["api.github.com", "artifactory.example.com",
                                                              "ftp.example.org"]), pick(["ci-bot", "deploy", "mirror"]), p)
        elif t == 3:
            text = "machine %s\n    login %s\n    password %s" % (pick(["nexus.internal", "pypi.acme-corp.io"]),
                                                                  pick(["builder", "release"]), p)
        elif t == 4:
            pp = p.replace(":", "")
            text = "%s:%d:%s:%s:%s" % (pick(["db.internal", "localhost", "*", "pg-replica-2"]), pick([5432, 6432]),
                                       pick(["appdb", "*", "reports"]), pick(["app", "replicator", "postgres"]), pp)
            p = pp
        elif t == 5:
            text = "curl -u %s:%s https://%s/api/v1/status" % (pick(["admin", "ops", "ci"]), p, pick(
                ["jenkins.example.com", "grafana.internal", "registry.acme-corp.io"]))
        else:
            text = "curl --user '%s:%s' -X PUT https://artifactory.example.com/libs-release/app-1.2.jar -T app-1.2.jar" % (
                pick(["deployer", "release-bot"]), p)
        pos("credential_file_or_cli", prefix() + text if "\n" not in text else text, [p])


# ======================================================= personal fields
OTHER_FIELDS = [("id", lambda: R.randint(1000, 999999)), ("plan", lambda: pick(["free", "pro", "team"])),
                ("locale", lambda: pick(["en-GB", "de-DE", "fr-FR", "es-ES"])), ("verified", lambda: R.random() < 0.5),
                ("status", lambda: pick(["active", "pending", "review"]))]


def render(key, value, quote_numbers=True):
    """Render one personal field in a random container; returns (text, secret as written in the text)."""
    k = R.randint(0, 7)
    others = R.sample(OTHER_FIELDS, 2)
    if k == 0:
        d = {others[0][0]: others[0][1](), key: value, others[1][0]: others[1][1]()}
        return json.dumps(d, ensure_ascii=False), str(value) if not isinstance(value, str) else value
    if k == 1:
        return "<customer><id>%d</id><%s>%s</%s></customer>" % (R.randint(1000, 99999), key, value, key), str(value)
    if k == 2:
        enc = quote_plus(str(value))
        return "GET /api/v1/profile?user_id=%d&%s=%s&lang=en HTTP/1.1" % (R.randint(1000, 99999), key, enc), enc
    if k == 3:
        return prefix() + "%s: %s" % (key, value), str(value)
    if k == 4:
        v = str(value)
        shown = "\"%s\"" % v if " " in v else v
        return "level=info msg=\"profile updated\" user=%d %s=%s" % (R.randint(1000, 99999), key, shown), v
    if k == 5:
        return "customer:\n  id: %d\n  %s: %s\n  plan: pro" % (R.randint(1000, 99999), key, value), str(value)
    if k == 6:
        enc = quote_plus(str(value))
        return "POST /kyc/submit body: ref=%s&%s=%s&consent=true" % (rs(HEX, 8), key, enc), enc
    return "%s=%s" % (key, value), str(value)


def key_variants(*bases):
    out = []
    for b in bases:
        parts = b.split("_")
        out += ["_".join(parts), parts[0] + "".join(p.title() for p in parts[1:]), "-".join(parts)]
    return out


def dob():
    y, m, d = R.randint(1940, 2006), R.randint(1, 12), R.randint(1, 28)
    return pick(["%04d-%02d-%02d" % (y, m, d), "%02d/%02d/%04d" % (d, m, y), "%02d/%02d/%04d" % (m, d, y),
                 "%s %d, %d" % (["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"][m - 1], d, y),
                 "%02d.%02d.%04d" % (d, m, y), "%04d%02d%02d" % (y, m, d)])


STREETS = [("221B Baker Street", "NW1 6XE", "London", "GB"), ("1600 Amphitheatre Parkway", "94043", "Mountain View", "US"),
           ("Hauptstraße 12", "10115", "Berlin", "DE"), ("12 Rue de Rivoli", "75001", "Paris", "FR"),
           ("742 Evergreen Terrace", "97403", "Springfield", "US"), ("Calle de Alcalá 48", "28014", "Madrid", "ES"),
           ("Via Roma 15", "10121", "Torino", "IT"), ("Keizersgracht 123", "1015 CJ", "Amsterdam", "NL"),
           ("4 Privet Drive", "RG12 9FG", "Little Whinging", "GB"), ("350 Fifth Avenue, Apt 12B", "10118", "New York", "US"),
           ("Drottninggatan 71", "111 36", "Stockholm", "SE"), ("Rua Augusta 1500", "01304-001", "São Paulo", "BR"),
           ("88 Collins Street", "3000", "Melbourne", "AU"), ("Schillerstraße 7a", "80336", "München", "DE")]


def street():
    s, z, c, cc = pick(STREETS)
    num = str(R.randint(2, 399))
    s2 = s.split(" ", 1)
    if s2[0][0].isdigit():
        s = num + pick(["", "A", "B"]) + " " + s2[1]
    elif s[-1].isdigit() or s[-1] in "ab":
        s = s.rsplit(" ", 1)[0] + " " + num
    return s, z, c, cc


CITIES = [(52.5200, 13.4050), (48.8566, 2.3522), (51.5074, -0.1278), (40.7128, -74.0060), (37.7749, -122.4194),
          (35.6762, 139.6503), (-33.8688, 151.2093), (19.4326, -99.1332), (-23.5505, -46.6333), (59.3293, 18.0686),
          (41.9028, 12.4964), (28.6139, 77.2090)]


def coord_pair():
    la, lo = pick(CITIES)
    dec = R.randint(4, 7)
    fmt = "%%.%df" % dec
    return fmt % (la + R.uniform(-0.08, 0.08)), fmt % (lo + R.uniform(-0.08, 0.08))


def nino():
    while True:
        a, b = pick("ABCEGHJKLMNOPRSTWXYZ"), pick("ABCEGHJKLMNPRSTWXYZ")
        if a + b not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ"):
            break
    d = rs(DIG, 6)
    v = a + b + d + pick("ABCD")
    checked("nino", v, nino_ok)
    return pick([v, "%s %s %s %s %s" % (v[:2], v[2:4], v[4:6], v[6:8], v[8])])


def steuer_id():
    while True:
        digits = list(DIG)
        R.shuffle(digits)
        nine = digits[:9]
        dup = pick(nine)
        ten = nine + [dup]
        R.shuffle(ten)
        if ten[0] != "0":
            break
    s = "".join(ten)
    v = s + str(steuer_check(s))
    checked("steuer-id", v, steuer_ok)
    return pick([v, "%s %s %s %s" % (v[:2], v[2:5], v[5:8], v[8:])])


def nir():
    sex = pick("12")
    yy, mm = "%02d" % R.randint(40, 99), "%02d" % R.randint(1, 12)
    dept = "%02d" % pick([1, 6, 13, 31, 33, 44, 59, 67, 69, 75, 92, 93])
    n13 = sex + yy + mm + dept + "%03d" % R.randint(1, 990) + "%03d" % R.randint(1, 999)
    v = n13 + "%02d" % (97 - int(n13) % 97)
    checked("nir", v, nir_ok)
    return pick([v, "%s %s %s %s %s %s %s" % (v[0], v[1:3], v[3:5], v[5:7], v[7:10], v[10:13], v[13:])])


def dni():
    if R.random() < 0.25:
        p = pick("XYZ")
        num = rs(DIG, 7)
        v = p + num + DNI_LETTERS[int(str("XYZ".index(p)) + num) % 23]
    else:
        num = "%08d" % R.randint(1000000, 99999999)
        v = num + DNI_LETTERS[int(num) % 23]
    checked("dni/nie", v, dni_ok)
    return v


IT_PEOPLE = [("Rossi", "Mario", "M"), ("Bianchi", "Giulia", "F"), ("Esposito", "Luca", "M"), ("Romano", "Chiara", "F"),
             ("Colombo", "Francesco", "M"), ("Ricci", "Sofia", "F"), ("Marino", "Alessandro", "M"),
             ("Greco", "Martina", "F"), ("Conti", "Lorenzo", "M"), ("De Luca", "Federica", "F")]
BELFIORE = ["H501", "F205", "L219", "A662", "G273", "D612", "F839", "C351", "L736", "A944"]


def cf_part(s, is_name):
    s = s.upper().replace(" ", "")
    cons = [c for c in s if c not in "AEIOU"]
    vows = [c for c in s if c in "AEIOU"]
    if is_name and len(cons) >= 4:
        return cons[0] + cons[2] + cons[3]
    return "".join((cons + vows + ["X"] * 3)[:3])


def codice_fiscale():
    sur, name, sex = pick(IT_PEOPLE)
    y, m, d = R.randint(1940, 2004), R.randint(1, 12), R.randint(1, 28)
    s15 = cf_part(sur, False) + cf_part(name, True) + "%02d" % (y % 100) + "ABCDEHLMPRST"[m - 1] + \
        "%02d" % (d + (40 if sex == "F" else 0)) + pick(BELFIORE)
    v = s15 + cf_char(s15)
    checked("codice fiscale", v, cf_ok)
    return v


def bsn():
    while True:
        d = [R.randint(0, 9) for _ in range(8)]
        last = sum(d[i] * (9 - i) for i in range(8)) % 11
        if last < 10:
            v = "".join(map(str, d)) + str(last)
            break
    checked("bsn 11-proef", v, bsn_ok)
    return pick([v, "%s.%s.%s" % (v[:4], v[4:6], v[6:])])


def personnummer():
    y, m, d = R.randint(1940, 2005), R.randint(1, 12), R.randint(1, 28)
    base = "%02d%02d%02d%03d" % (y % 100, m, d, R.randint(0, 999))
    full = luhn_complete(base)
    checked("personnummer luhn", full, luhn_ok)
    sep = "+" if y < 1924 else "-"
    return pick(["%s%s%s" % (full[:6], sep, full[6:]), "%d%s-%s" % (y // 100, full[:6], full[6:])])


def aadhaar():
    n = str(R.randint(2, 9)) + rs(DIG, 10)
    v = verhoeff_complete(n)
    checked("aadhaar verhoeff", v, verhoeff_ok)
    return pick([v, "%s %s %s" % (v[:4], v[4:8], v[8:])])


def cpf():
    while True:
        d = [R.randint(0, 9) for _ in range(9)]
        if len(set(d)) > 1:
            break
    for n in (9, 10):
        r = sum(d[i] * (n + 1 - i) for i in range(n)) * 10 % 11
        d.append(0 if r == 10 else r)
    v = "".join(map(str, d))
    checked("cpf", v, cpf_ok)
    return pick([v, "%s.%s.%s-%s" % (v[:3], v[3:6], v[6:9], v[9:])])


def sin():
    v = luhn_complete(pick("1234567") + rs(DIG, 7))
    checked("sin luhn", v, luhn_ok)
    return pick([v, "%s %s %s" % (v[:3], v[3:6], v[6:]), "%s-%s-%s" % (v[:3], v[3:6], v[6:])])


NATIONAL = [("uk_nino", ["national_insurance_number", "ni_number", "nino"], nino),
            ("de_steuer_id", ["steuer_id", "tax_id", "steuerliche_identifikationsnummer"], steuer_id),
            ("fr_nir", ["numero_securite_sociale", "nir", "social_security_number"], nir),
            ("es_dni", ["dni", "nie_number", "documento_identidad"], dni),
            ("it_codice_fiscale", ["codice_fiscale", "tax_code", "fiscal_code"], codice_fiscale),
            ("nl_bsn", ["bsn", "burgerservicenummer", "citizen_service_number"], bsn),
            ("se_personnummer", ["personnummer", "personal_identity_number", "national_id"], personnummer),
            ("in_aadhaar", ["aadhaar", "aadhaar_number", "uid_number"], aadhaar),
            ("br_cpf", ["cpf", "cpf_number", "tax_id"], cpf),
            ("ca_sin", ["sin", "social_insurance_number", "sin_number"], sin)]


def passport():
    k = R.randint(0, 5)
    if k == 0:
        return pick(["5", "A", "E"]) + rs(DIG, 8)
    if k == 1:
        return rs(DIG, 9)
    if k == 2:
        return pick("CFGHJK") + rs("CFGHJKLMNPRTVWXYZ0123456789", 8)
    if k == 3:
        return rs(DIG, 2) + rs(UPPER, 2) + rs(DIG, 5)
    if k == 4:
        return pick(UPPER) + rs(DIG, 7)
    return rs(UPPER, 2) + rs(DIG, 6)


def driver_license():
    k = R.randint(0, 5)
    if k == 0:
        return pick(UPPER) + rs(DIG, 7)  # California
    if k == 1:
        return "%s %s %s" % (rs(DIG, 3), rs(DIG, 3), rs(DIG, 3))  # New York
    if k == 2:
        return "%s%s-%s-%s-%s-%s" % (pick(UPPER), rs(DIG, 3), rs(DIG, 3), rs(DIG, 2), rs(DIG, 3), rs(DIG, 1))  # Florida
    if k == 3:
        return "%s%s-%s-%s" % (pick(UPPER), rs(DIG, 3), rs(DIG, 4), rs(DIG, 4))  # Illinois
    if k == 4:  # UK DVLA: surname(5) decade month day year initials 9 check
        sur = (pick(LAST).upper() + "99999")[:5]
        y, m, d = R.randint(1950, 2004), R.randint(1, 12), R.randint(1, 28)
        mm = m + (50 if R.random() < 0.5 else 0)
        return "%s%d%02d%02d%d%s9%s" % (sur, (y // 10) % 10, mm, d, y % 10, rs(UPPER, 2), rs(UPPER + DIG, 2))
    return rs(DIG, 8)  # Texas


def imei():
    tac = pick(["35", "35", "86", "01", "99"]) + rs(DIG, 6)
    v = luhn_complete(tac + rs(DIG, 6))
    checked("imei luhn", v, luhn_ok)
    return pick([v, v, "%s-%s-%s-%s" % (v[:2], v[2:8], v[8:14], v[14]), "%s %s %s %s" % (v[:2], v[2:8], v[8:14], v[14])])


def gen_personal():
    for i in range(22):
        key = pick(key_variants("date_of_birth", "birth_date") + ["dob", "DOB", "birthdate", "birthday"])
        v = dob()
        text, sec = render(key, v)
        pos("date_of_birth", text, [sec])

    for i in range(22):
        s, z, c, cc = street()
        t = R.randint(0, 5)
        if t == 0:
            key = pick(key_variants("street_address", "address_line1", "address_line_1"))
            text, sec = render(key, s)
            secs = [sec]
        elif t == 1:
            text = json.dumps({"street": s, "postalCode": z, "city": c, "country": cc},
                              ensure_ascii=False)
            secs = [s]
        elif t == 2:
            text = "<address><streetAddress>%s</streetAddress><postalCode>%s</postalCode><locality>%s</locality></address>" % (s, z, c)
            secs = [s]
        elif t == 3:
            full = "%s, %s %s" % (s, z, c)
            text = prefix() + "shipping_address: %s" % full
            secs = [full]
        elif t == 4:
            enc = quote_plus(s)
            text = "POST /checkout address_line1=%s&postal_code=%s&city=%s" % (enc, quote_plus(z), quote_plus(c))
            secs = [enc]
        else:
            text = "billing:\n  address-line1: %s\n  postal-code: \"%s\"\n  city: %s" % (s, z, c)
            secs = [s]
        pos("postal_address", text, secs)

    for i in range(22):
        la, lo = coord_pair()
        t = R.randint(0, 7)
        text = [json.dumps({"user_id": R.randint(1000, 99999), "lat": float(la), "lng": float(lo)}).replace(
                    repr(float(la)), la).replace(repr(float(lo)), lo),
                "geo: \"%s,%s\"" % (la, lo),
                "GET /api/nearby?lat=%s&lon=%s&radius=500 HTTP/1.1" % (la, lo),
                "<location><latitude>%s</latitude><longitude>%s</longitude></location>" % (la, lo),
                prefix() + "location update latitude=%s longitude=%s accuracy=%dm" % (la, lo, R.randint(3, 60)),
                json.dumps({"type": "Point", "coordinates": [0, 0]}).replace("[0, 0]", "[%s, %s]" % (lo, la)),
                "last_known_location: %s, %s" % (la, lo),
                "X-Geo-Position: %s;%s" % (la, lo)][t]
        pos("geolocation", text, [la, lo])

    for i in range(40):
        name, keys, f = NATIONAL[i % len(NATIONAL)]
        key = pick(key_variants(pick(keys)))
        v = f()
        text, sec = render(key, v)
        pos("national_id", text, [sec])

    for i in range(20):
        key = pick(key_variants("passport_number", "passport_no") + ["passportNumber", "passport"])
        text, sec = render(key, passport())
        pos("passport_number", text, [sec])

    for i in range(20):
        key = pick(key_variants("drivers_license", "driver_license_number", "dl_number") + ["driverLicense",
                                                                                           "licence_number"])
        text, sec = render(key, driver_license())
        pos("drivers_license", text, [sec])

    for i in range(20):
        t = R.randint(0, 5)
        u = ruuid()
        if t in (0, 1):
            u = u.upper()
        key = ["idfa", "IDFA", "gaid", "adid", "advertisingId", "advertising_id"][t]
        k = R.randint(0, 3)
        if k == 0:
            text = json.dumps({"event": "install", key: u, "platform": "ios" if "idfa" in key.lower() else "android"})
        elif k == 1:
            text = "GET /v1/attribution?app_id=%d&%s=%s&os=%s HTTP/1.1" % (R.randint(100, 9999), key, u,
                                                                           pick(["ios", "android"]))
        elif k == 2:
            text = prefix() + "%s=%s ad tracking enabled" % (key, u)
        else:
            text = "<device><%s>%s</%s></device>" % (key, u, key)
        pos("advertising_id", text, [u])

    for i in range(20):
        key = pick(["imei", "IMEI", "device_imei", "deviceImei", "imei-number"])
        text, sec = render(key, imei())
        pos("imei", text, [sec])


def gen_obfuscated_email():
    for i in range(22):
        f, l = pick(FIRST), pick(LAST)
        local = pick([f, f + "." + l, f[0] + l, f + "_" + l])
        dom, tld = pick([("example", "com"), ("acme-corp", "io"), ("globex", "co.uk"), ("initech", "de"),
                         ("gmail", "com"), ("proton", "me"), ("uni-example", "edu")])
        t = R.randint(0, 5)
        if t == 0:
            o = "%s[at]%s[dot]%s" % (local, dom, tld.replace(".", "[dot]"))
        elif t == 1:
            o = "%s (at) %s (dot) %s" % (local, dom, tld.replace(".", " (dot) "))
        elif t == 2:
            o = "%s at %s dot %s" % (local, dom, tld.replace(".", " dot "))
        elif t == 3:
            o = "%s{at}%s{dot}%s" % (local, dom, tld.replace(".", "{dot}"))
        elif t == 4:
            o = "%s AT %s DOT %s" % (local, dom, tld.replace(".", " DOT "))
        else:
            o = "%s [at] %s [dot] %s" % (local, dom, tld.replace(".", " [dot] "))
        ctx = pick(["Contact: %s", "Questions? Email me at %s", "Reach our DPO at %s.", "Kontakt: %s",
                    "maintainer: %s", "Send your CV to %s", "For support write to %s or call the hotline",
                    "bug reports -> %s"])
        pos("obfuscated_email", ctx % o, [o])


def public_ipv4():
    while True:
        a = R.choice([23, 31, 37, 45, 46, 52, 62, 77, 81, 82, 85, 88, 91, 94, 104, 109, 141, 151, 176, 178, 185, 188,
                      193, 195, 212, 217])
        return "%d.%d.%d.%d" % (a, R.randint(0, 255), R.randint(0, 255), R.randint(1, 254))


def public_ipv6():
    head = pick(["2a00:1450", "2606:4700", "2a02:%x" % R.randint(0x100, 0xfff), "2a01:4f8", "2607:f8b0", "2600:1f18"])
    return head + ":" + ":".join("%x" % R.randint(0, 0xffff) for _ in range(2)) + "::" + "%x" % R.randint(1, 0xffff)


def clf_date():
    return "%02d/%s/2024:%02d:%02d:%02d +0000" % (R.randint(1, 28), pick(MONTHS), R.randint(0, 23), R.randint(0, 59),
                                                   R.randint(0, 59))


UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
      "curl/8.4.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15", "python-requests/2.31.0"]


def gen_server_ips():
    for i in range(26):
        t = R.randint(0, 8)
        a, b = public_ipv4(), public_ipv4()
        if t == 0:
            text, sec = "X-Forwarded-For: %s, %s" % (a, b), [a, b]
        elif t == 1:
            text, sec = "X-Forwarded-For: %s, 10.0.%d.%d" % (a, R.randint(0, 255), R.randint(1, 254)), [a]
        elif t == 2:
            v6 = public_ipv6()
            text, sec = pick([("Forwarded: for=%s;proto=https;by=%s" % (a, b), [a, b]),
                              ("Forwarded: for=\"[%s]:%d\";proto=https" % (v6, R.randint(1024, 65535)), [v6])])
        elif t == 3:
            text = "%s - - [%s] \"GET /%s HTTP/1.1\" %d %d \"-\" \"%s\"" % (
                a, clf_date(), pick(["", "login", "api/v1/items?page=2", "favicon.ico"]), pick([200, 301, 404, 499]),
                R.randint(0, 90000), pick(UA))
            sec = [a]
        elif t == 4:
            text = json.dumps({"time": ts_iso(), "client_ip": a, "method": "POST", "path": "/api/login", "status": 401})
            sec = [a]
        elif t == 5:
            text = "remoteAddress: '::ffff:%s', remotePort: %d" % (a, R.randint(1024, 65535))
            sec = [a]
        elif t == 6:
            text = "%s haproxy[%d]: %s:%d [%s] fe_https~ be_app/app%d 0/0/1/%d/%d 200 %d - - ---- 12/12/0/0/0 0/0 \"GET /health HTTP/1.1\"" % (
                pick(HOSTS), R.randint(100, 9999), a, R.randint(1024, 65535), clf_date().split(" ")[0],
                R.randint(1, 4), R.randint(1, 90), R.randint(2, 200), R.randint(100, 9000))
            sec = [a]
        elif t == 7:
            text = "%s: %s" % (pick(["X-Real-IP", "CF-Connecting-IP", "True-Client-IP", "X-Client-IP"]), a)
            sec = [a]
        else:
            text = "https 2024-%02d-%02dT%02d:%02d:%02d.%06dZ app/prod-alb/%s %s:%d 10.0.1.%d:8080 0.001 0.034 0.000 200 200 312 1024 \"GET https://api.example.com:443/v1/orders HTTP/1.1\"" % (
                R.randint(1, 12), R.randint(1, 28), R.randint(0, 23), R.randint(0, 59), R.randint(0, 59),
                R.randint(0, 999999), rs(HEX, 16), a, R.randint(1024, 65535), R.randint(2, 250))
            sec = [a]
        pos("ip_in_server_log", text, sec)


# ================================================================ NEGATIVES
def gen_negatives():
    ph = ["password=********", "token: <redacted>", "API_KEY=${API_KEY}", "Authorization: Bearer $TOKEN",
          "'password': '%(password)s'", "OPENAI_API_KEY=<YOUR_API_KEY>", "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxx",
          "mongodb+srv://<username>:<password>@cluster0.example.mongodb.net/", "Password=<your_password>;",
          "postgres://app:${DB_PASSWORD}@db.internal:5432/app", "GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
          "export STRIPE_SECRET_KEY=\"sk_live_...\"", "aws_secret_access_key = YOUR_SECRET_KEY",
          "\"dob\": \"[REDACTED]\"", "ssn: ***-**-****", "passport_number: <hidden>", "token = os.getenv(\"HF_TOKEN\")",
          "DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/DB"]
    for i, p in enumerate(ph):
        neg("placeholder", prefix() + p)

    for i in range(15):
        t = i % 5
        if t == 0:
            v = ean_complete(pick(["400", "590", "871", "761"]) + rs(DIG, 9))
            text = json.dumps({"gtin": v, "qty": R.randint(1, 9)})
        elif t == 1:
            v = ean_complete(rs(DIG, 11))
            text = "<upc>%s</upc>" % v
        elif t == 2:
            v = ean_complete("978" + rs(DIG, 9))
            text = "isbn=%s" % v
        elif t == 3:
            v = ean_complete(pick(["0", "1"]) + rs(DIG, 12))
            text = "GTIN-14 %s scanned at dock %d" % (v, R.randint(1, 9))
        else:
            v = ean_complete("20" + rs(DIG, 10))
            text = "barcode: %s (in-store EAN)" % v
        checked("ean/upc", v, ean_ok)
        neg("barcode", prefix() + text)

    pubs = []
    for i in range(16):
        t = i % 8
        if t == 0:
            text = "STRIPE_PUBLISHABLE_KEY=pk_live_" + pick([rs(ALNUM, 24), "51" + rs(ALNUM, 97)])
        elif t == 1:
            text = "Stripe('pk_test_%s')" % rs(ALNUM, 24)
        elif t == 2:
            text = "SQUARE_APPLICATION_ID=sq0idp-%s" % rs(B64URL, 22)
        elif t == 3:
            text = "client_id: %d-%s.apps.googleusercontent.com" % (R.randint(10 ** 11, 10 ** 12), rs(LOWER + DIG, 32))
        elif t == 4:
            raw = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + rbytes(32)
            text = "ssh-ed25519 " + base64.b64encode(raw).decode()
        elif t == 5:
            lines = pem_body("30820122300d06092a864886f70d01010105000382010f003082010a0282010100", 262)
            text = json.dumps({"kid": rs(B64URL, 16), "public_key": "-----BEGIN PUBLIC KEY-----\n" + "\n".join(lines) +
                               "\n-----END PUBLIC KEY-----\n"})
        elif t == 6:
            text = "PublicKey = %s" % base64.b64encode(rbytes(32)).decode()  # WireGuard [Peer]
        else:
            text = "age recipient: age1%s" % rs("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)
        neg("public_key", text)

    for i in range(18):
        t = i % 9
        text = ["arn:aws:iam::%d:role/%s" % (R.randint(10 ** 11, 10 ** 12 - 1), pick(["deploy", "ci-runner", "lambda-exec"])),
                "arn:aws:lambda:eu-west-1:%d:function:resize-images" % R.randint(10 ** 11, 10 ** 12 - 1),
                "projects/%s/locations/us-central1/functions/ingest" % pick(["acme-prod", "analytics-3141"]),
                "/subscriptions/%s/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/acmeprod" % ruuid(),
                "order_id=ORD-%d-%s" % (R.randint(2020, 2024), rs(UPPER + DIG, 6)),
                json.dumps({"request_id": ruuid(), "status": 200}),
                "x-amz-request-id: %s" % rs("0123456789ABCDEF", 16),
                "instance %s in vpc-%s (sg-%s)" % ("i-0" + rs(HEX, 16), rs(HEX, 17), rs(HEX, 17)),
                "cf-ray: %s-%s" % (rs(HEX, 16), pick(["FRA", "LHR", "SJC", "NRT"]))][t]
        neg("resource_id", prefix() + text)

    for i in range(14):
        sha = rs(HEX, 40)
        t = i % 5
        text = ["commit %s" % sha, "deployed revision %s" % sha[:12], "GIT_COMMIT=%s" % sha,
                "Merge %s into %s" % (rs(HEX, 7), sha[:7]), "\"head_sha\": \"%s\"" % sha][t]
        neg("git_sha", prefix() + text)

    for i in range(15):
        t = i % 5
        text = ["sha256:%s" % rs(HEX, 64), "\"integrity\": \"sha512-%s==\"" % rs(B64, 86),
                "ETag: \"%s\"" % rs(HEX, 32), "<script src=\"app.js\" integrity=\"sha384-%s\"></script>" % rs(B64, 64),
                "checksum (SHA-1): %s" % rs(HEX, 40)][t]
        neg("digest", prefix() + text)

    conns = ["postgres://db.internal:5432/app", "postgresql://pg-primary:5432/orders?sslmode=require",
             "mysql://mysql-0.mysql:3306/shop", "mongodb://mongo-0.mongo:27017,mongo-1.mongo:27017/?replicaSet=rs0",
             "redis://cache.internal:6379/0", "amqp://rabbitmq.internal:5672/%2F",
             "Server=tcp:sql-prod-01,1433;Database=app;Integrated Security=True;",
             "jdbc:mysql://mysql-0.mysql:3306/shop?useSSL=true&serverTimezone=UTC",
             "Driver={ODBC Driver 18 for SQL Server};Server=sql-prod-01;Database=erp;Trusted_Connection=yes;",
             "rediss://redis-master:6380", "jdbc:postgresql://pg-replica-2:5432/reports?ssl=true",
             "host=db.internal port=5432 dbname=app sslmode=verify-full", "sqlite:///var/lib/app/app.db",
             "mongodb+srv://cluster0.ab1cd.mongodb.net/?authMechanism=MONGODB-AWS"]
    for i, c in enumerate(conns):
        neg("conn_string_no_password", prefix() + pick(["DATABASE_URL=%s", "connecting to %s", "%s"]) % c)

    for i in range(16):
        y, m, d = R.randint(2019, 2024), R.randint(1, 12), R.randint(1, 28)
        iso = "%04d-%02d-%02d" % (y, m, d)
        t = i % 8
        text = [json.dumps({"created_at": iso + "T%02d:%02d:00Z" % (R.randint(0, 23), R.randint(0, 59))}),
                "deployed on %s by pipeline #%d" % (iso, R.randint(100, 9999)), "\"updated\": \"%02d/%02d/%04d\"" % (d, m, y),
                "release_date: %s" % iso, "valid_until=%s" % iso, "<invoiceDate>%s</invoiceDate>" % iso,
                "certificate notAfter=%s %2d 12:00:00 %d GMT" % (pick(MONTHS), d, y + 1), "expires: %s" % iso][t]
        neg("non_birth_date", prefix() + text)

    vc = ["Chrome/124.0.6367.91", "cuda 12.4, driver 550.54.14", "numpy==1.26.4 scipy==1.12.0",
          "OID 1.2.840.113549.1.1.11 (sha256WithRSAEncryption)", "Firefox ESR 52.5.2", "load average: 1.22, 0.98, 0.87",
          "kernel 5.15.133.1-microsoft-standard-WSL2", "zoom=12.5 bearing=-37.7 pitch=45.0",
          "cpu=37.77% mem=52.52%", "scale=0.5220 offset=-13.4049 (calibration)", "\"minSdkVersion\": 21, \"targetSdkVersion\": 34",
          "api-version=2023-05-01", "p50=48.8566ms p99=122.4194ms", "version 52.52.0 -> 52.53.1"]
    for i, v in enumerate(vc):
        neg("version_or_metric_numbers", prefix() + v)

    lo = ["X-Forwarded-For: 127.0.0.1", "Forwarded: for=127.0.0.1;proto=http", "remoteAddress: '::ffff:127.0.0.1'",
          json.dumps({"client_ip": "127.0.0.1", "path": "/healthz"}),
          "127.0.0.1 - - [%s] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\"" % clf_date(),
          "::1 - - [%s] \"GET /metrics HTTP/1.1\" 200 5120 \"-\" \"Prometheus/2.50.1\"" % clf_date(),
          "X-Real-IP: ::1", "listening on 0.0.0.0:8080", "upstream: http://[::1]:3000", "Forwarded: for=\"[::1]:51234\"",
          "redis://localhost:6379/0", "bind-address: 127.0.0.1"]
    for i, l in enumerate(lo):
        neg("loopback", prefix() + l)

    ev = [json.dumps({"password": ""}), "api_key=", json.dumps({"dob": None}), "<dob/>", "<dateOfBirth></dateOfBirth>",
          "passport_number: ~", "AWS_SECRET_ACCESS_KEY=", "X-Api-Key: -", json.dumps({"idfa": "00000000-0000-0000-0000-000000000000"}),
          "advertisingId=00000000-0000-0000-0000-000000000000 (limit ad tracking)", json.dumps({"token": None}),
          "drivers_license: \"\"", json.dumps({"street_address": "", "postalCode": ""}), json.dumps({"lat": None, "lng": None}),
          "DATABASE_URL=", "SENTRY_DSN=", "imei: unknown", "national_id: null"]
    for i, e in enumerate(ev):
        neg("empty_value", prefix() + e)


# ================================================================ validation
def self_test_checks():
    assert steuer_ok("86095742719") and cpf_ok("529.982.247-25") and dni_ok("12345678Z") and bsn_ok("111222333")
    assert luhn_ok("8112289874") and verhoeff_ok("2363") and luhn_ok("046454286") and cf_ok("RSSMRA85T10A562S")
    assert nir_ok("255081416802538")


def validate():
    problems = []
    texts = collections.Counter(r["text"] for r in ROWS)
    for r in ROWS:
        is_neg = r["category"].startswith(NEG_PREFIX)
        if is_neg and r["secrets"]:
            problems.append("negative with secrets: %r" % r)
        if not is_neg:
            if not r["secrets"]:
                problems.append("positive without secrets: %r" % r)
            for s in r["secrets"]:
                if s not in r["text"]:
                    problems.append("secret not in text: %r / %r" % (s, r["text"]))
                if len(s) < 5:
                    problems.append("secret too short: %r" % s)
        if texts[r["text"]] > 1:
            problems.append("duplicate text: %r" % r["text"][:80])
    for desc, v, pred in CHECKS:
        if not pred(v):
            problems.append("check digit failed (%s): %s" % (desc, v))
    return problems


def main():
    self_test_checks()
    for g in (gen_ai, gen_pkg, gen_vcs, gen_chat, gen_payments, gen_messaging, gen_google, gen_aws, gen_signed_urls,
              gen_azure, gen_infra, gen_observability, gen_productivity, gen_conn, gen_personal, gen_obfuscated_email,
              gen_server_ips, gen_negatives):
        g()
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
    assert npos >= 300 and nneg >= 120, (npos, nneg)


if __name__ == "__main__":
    main()

import Testing

@testable import InteractionMonitor

/// Behaviour of ``PIIScrubber`` for each kind of personal data and credential it must remove, and for
/// the look-alikes it must keep byte for byte.
///
/// Each positive example states the exact output: the detected value is replaced by its category's
/// placeholder, and the key, scheme or host around it stays so the line still says what happened.
struct ScrubCategoryTests {
    let scrubber = PIIScrubber()

    /// Session cookies under their usual names, in headers, `curl -b`, JSON and prose.
    @Test(arguments: [
        ("Cookie: theme=dark; PHPSESSID=7hmpd4q69hlisf169tslq95ned; lang=en", "Cookie: theme=[SECRET]"),
        (
            "curl -b 'connect.sid=s%3AQm9vZm9vYmFy.abcDEF123' https://app.example.com/me",
            "curl -b 'connect.sid=[SECRET]' https://app.example.com/me"
        ),
        (
            "{\"cookies\": {\"sessionid\": \"k2j3h4g5f6d7s8a9q0w1e2r3\"}}",
            "{\"cookies\": {\"sessionid\": \"[SECRET]\"}}"
        ),
        (
            "the ASP.NET_SessionId cookie value c4djeh25y24apw0avk05xdq2 was reused",
            "the ASP.NET_SessionId cookie value [SECRET] was reused"
        ),
        (
            "Set-Cookie: __Host-session=Zx81Hq0LmB2kS9; Path=/; Secure",
            "Set-Cookie: __Host-session=[SECRET]; Path=/; Secure"
        ),
    ])
    func sessionCookies(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Credentials given as the next argument or glued to a short option.
    @Test(arguments: [
        (
            "aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "aws configure set aws_secret_access_key [API_KEY]"
        ),
        ("mysql -uroot -pS3cr3t!x db", "mysql -uroot -p[SECRET] db"),
        ("deploy --password Hunter2Hunter2 --verbose", "deploy --password [SECRET] --verbose"),
        ("sshpass -p 'Tr0ub4dor&3' ssh admin@host", "sshpass -p '[SECRET]' ssh admin@host"),
        ("PGPASSWORD=Xy7!pQ2r psql -h db -U app", "PGPASSWORD=[SECRET] psql -h db -U app"),
        ("zip -P*#UPdbrHOGP2*& -r reports.zip reports/", "zip -P[SECRET] -r reports.zip reports/"),
        (
            "oc login -u developer -p F-KmE3yb?V https://api.example.com:6443",
            "oc login -u developer -p [SECRET] https://api.example.com:6443"
        ),
        ("htpasswd -b /etc/nginx/.htpasswd alice Lqbpw5t+rkAK", "htpasswd -b /etc/nginx/.htpasswd alice [SECRET]"),
    ])
    func commandLineCredentials(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Secrets in the path of webhook URLs.
    @Test(arguments: [
        (
            "POST https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefghijklmnop12345678",
            "POST https://hooks.slack.com/services/[SECRET]"
        ),
        (
            "https://discord.com/api/webhooks/123456789012345678/AbCdEf-GhIjKl_MnOpQrStUvWxYz0123456789",
            "https://discord.com/api/webhooks/[SECRET]"
        ),
    ])
    func webhookURLs(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Percent-encoded values are decoded and scanned with their key.
    @Test(arguments: [
        ("GET /signup?phone=%2B1%20202%20555%200143&plan=pro", "GET /signup?phone=[PHONE]&plan=pro"),
        ("GET /profile?birthdate=October+1%2C+1980&lang=en", "GET /profile?birthdate=[DOB]&lang=en"),
    ])
    func percentEncodedValues(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Private key blocks, PGP included, also inside a JSON-escaped field.
    @Test(arguments: [
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGN1\n-----END PGP PRIVATE KEY BLOCK-----", "[PRIVATE_KEY]"),
        ("key=-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA\\n-----END RSA PRIVATE KEY-----", "key=[PRIVATE_KEY]"),
    ])
    func privateKeys(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Provider credentials by their documented prefix or shape, and by the name of the key that holds them.
    @Test(arguments: [
        ("OPENAI_KEY sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab", "OPENAI_KEY [API_KEY]"),
        ("token github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW", "token [SECRET]"),
        (
            "https://api.twilio.com/2010-04-01/Accounts/AC57f43fd7f66ea33a0a999560fa11b121/Messages.json",
            "https://api.twilio.com/2010-04-01/Accounts/[API_KEY]/Messages.json"
        ),
        (
            "bot = telebot.TeleBot(\"2218820866:AAKnOb0r9rCmUxiR8uF5TxcUYjAFS3zfZTb\")",
            "bot = telebot.TeleBot(\"[API_KEY]\")"
        ),
        ("-H \"DD-APPLICATION-KEY: 76e41e77ae413f9ffea70a3b2f459f227e9071c5\"", "-H \"DD-APPLICATION-KEY: [SECRET]\""),
        ("NEW_RELIC_LICENSE_KEY=d3ba390391f8ace1589eaf5ebbed653257a6NRAL", "NEW_RELIC_LICENSE_KEY=[SECRET]"),
        (
            "TF_TOKEN_app_terraform_io=wMGtdvZJSS5k4u.atlasv1."
                + "S5vnpAqiqlyTGYzfZOlchiwHXnowTHacIuC3xsfRGJl7IoCfRDYUtfpiUUBAnVlQzhw",
            "TF_TOKEN_app_terraform_io=[SECRET]"
        ),
    ])
    func providerCredentials(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Passwords in connection strings (URL, key=value, JDBC).
    @Test(arguments: [
        ("mongodb+srv://app:Pa55w0rd@cluster0.example.net/db", "mongodb+srv://[CREDENTIALS]@cluster0.example.net/db"),
        (
            "Server=db;Database=app;User Id=sa;Password=Q8zr2!LmN;Encrypt=true",
            "Server=db;Database=app;User Id=sa;Password=[SECRET];Encrypt=true"
        ),
        (
            "jdbc:postgresql://db:5432/app?user=app&password=s3cretPW1",
            "jdbc:postgresql://db:5432/app?user=app&password=[SECRET]"
        ),
    ])
    func connectionStrings(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Credential files and command lines written into logs (`.netrc`, `.pgpass`, `curl -u`, Oracle logons).
    @Test(arguments: [
        (
            "machine api.example.com login alice password Zx9!kLm2Qw",
            "machine api.example.com login alice password [SECRET]"
        ),
        ("db.internal:5432:appdb:postgres:Jia8BzF5wE", "db.internal:5432:appdb:postgres:[SECRET]"),
        ("curl -u deploy:Pq7!xZ2m https://ci.example.com/api", "curl -u [CREDENTIALS] https://ci.example.com/api"),
        ("sqlplus scott/Tiger123@//db.example.com:1521/ORCL", "sqlplus scott/[SECRET]@//db.example.com:1521/ORCL"),
    ])
    func credentialFiles(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Personal fields by their key name, in snake, camel and kebab case, JSON, XML and query strings.
    @Test(arguments: [
        ("date_of_birth=1984-07-12", "date_of_birth=[DOB]"),
        ("{\"dateOfBirth\": \"1990-02-28\"}", "{\"dateOfBirth\": \"[DOB]\"}"),
        ("shipping_address: 221B Baker Street, London NW1 6XE", "shipping_address: [ADDRESS]"),
        ("GET /nearby?lat=35.683089&lon=139.663685&radius=500", "GET /nearby?lat=[GEO]&lon=[GEO]&radius=500"),
        (
            "{\"type\": \"Point\", \"coordinates\": [18.0416338, 59.3078856]}",
            "{\"type\": \"Point\", \"coordinates\": [GEO]}"
        ),
        ("burgerservicenummer=650734002", "burgerservicenummer=[ID_NUMBER]"),
        ("<nationalId>AB123456C</nationalId>", "<nationalId>[ID_NUMBER]</nationalId>"),
        ("Social Security Number 082560259 provided", "Social Security Number [SSN] provided"),
        ("passport-number: X12345678", "passport-number: [ID_NUMBER]"),
        ("driversLicense=D1234-56789-01234", "driversLicense=[ID_NUMBER]"),
        ("idfa=6D92078A-8246-4BA4-AE5B-76104861E7DC", "idfa=[DEVICE_ID]"),
        ("imei: 35 209900 176148 1", "imei: [DEVICE_ID]"),
    ])
    func personalFields(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// E-mail addresses written to defeat harvesters.
    @Test(arguments: [
        ("write to jane.doe[at]example[dot]com today", "write to [EMAIL] today"),
        ("Contact: lgarcia (at) gmail (dot) com", "Contact: [EMAIL]"),
        ("maintainer: alice at initech dot de", "maintainer: [EMAIL]"),
        ("Reach elena AT initech DOT de.", "Reach [EMAIL]."),
    ])
    func obfuscatedEmail(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// IP addresses where server logs put them.
    @Test(arguments: [
        (
            "203.0.113.9 - - [10/Oct/2024:13:55:36 +0000] \"GET / HTTP/1.1\" 200 612",
            "[IPV4] - - [10/Oct/2024:13:55:36 +0000] \"GET / HTTP/1.1\" 200 612"
        ),
        ("X-Forwarded-For: 198.51.100.23, 10.1.2.3", "X-Forwarded-For: [IPV4], [IPV4]"),
    ])
    func serverLogAddresses(input: String, expected: String) {
        #expect(scrubber.scrub(input) == expected)
    }

    /// Look-alikes that identify no one and must stay byte for byte: loopback and unspecified
    /// addresses, a .NET strong name's public key token, a tool's status line that names a password
    /// without giving one, placeholders, barcodes, public keys, resource ids, prose and map boxes.
    @Test(arguments: [
        "connect 127.0.0.1:5432 refused",
        "listening on 0.0.0.0:8080",
        "bind [::1]:8443 ok",
        "remote_addr=::1",
        "Culture=neutral, PublicKeyToken=b77a5c561934e089",
        "passwd: password updated successfully",
        "password=********",
        "token=<redacted>",
        "DB_PASSWORD=${DB_PASSWORD}",
        "api_key=$TOKEN",
        "'password': %(password)s",
        "scanned barcode 4006381333931",
        "-----BEGIN PUBLIC KEY-----",
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 deploy@ci",
        "arn:aws:iam::123456789012:role/Admin",
        "projects/acme-prod/locations/us-central1/functions/ingest",
        "order 550e8400-e29b-41d4-a716-446655440000",
        "look at example.com for details",
        "pam_unix(passwd:chauthtok): password changed for root",
        "bbox=-5.96,43.72,17.43,56.54",
        "location: /api/v1/users",
        "ERROR:1234:module:func:detail",
    ])
    func lookAlikeIsKept(input: String) {
        #expect(scrubber.scrub(input) == input)
    }
}

/// Classifies key names (metadata keys and `key=value` keys found in text).
///
/// Key names are compared after normalisation: ASCII case, `-`, `_`, `.` and
/// spaces are ignored, so `X-Api-Key`, `x_api_key` and `X.API.KEY` are equal.
/// Suffix rules make `DB_PASSWORD`, `github_token` or `stripe.secret_key`
/// sensitive, while `token_count`, `max_tokens`, `password_policy` or
/// `session_id` are not.
enum PIIKeyClassifier {
    /// What a key name says about its value.
    enum Kind: Equatable {
        /// A secret: the whole value is replaced by `[SECRET]`.
        case secret
        /// A short, ambiguous name (`auth`, `session`, `sid`, `pass`) that is also a logger, module or
        /// word in prose: a secret when the value is quoted, joined by `=`, or credential-shaped.
        case weakSecret
        /// `pwd`: a password (ODBC `PWD=`) unless the value is a path (shell `PWD=/home/…`).
        case secretUnlessPath
        /// An AWS secret access key: the value is replaced by `[API_KEY]`.
        case awsSecret
        /// An `Authorization`-style header: the scheme is kept, the credential replaced.
        case authorization
        /// A cookie header: the whole value, up to the end of the line, is a secret.
        case cookie
        /// A phone-number field: an unformatted digit string value is a phone number.
        case phone
        /// A social-security-number field: a bare 9-digit value is an SSN.
        case ssn
        /// A personal field (birth date, address, location, identity number, device id): the value
        /// is replaced by the category's placeholder.
        case personal(PIICategory)

        /// Whether a metadata value under such a key must be redacted as a whole.
        var redactsWholeValue: Bool {
            switch self {
            case .secret, .weakSecret, .awsSecret, .authorization, .cookie, .personal: true
            // A metadata `pwd` is far more often the working directory than an ODBC password;
            // its value is still text-scrubbed (home directories lose the user name).
            case .secretUnlessPath, .phone, .ssn: false
            }
        }
    }

    @inline(__always) static func isSeparator(_ c: UInt8) -> Bool {
        c == 0x2D || c == 0x5F || c == 0x2E || c == 0x20
    }

    /// The last three significant characters of the key in `start..<end` (separators skipped,
    /// lowercased), packed as `c1 << 16 | c2 << 8 | c3`; `0` when the key has fewer than three.
    @inline(__always) static func tail(_ b: PIIBytes, _ start: Int, _ end: Int) -> UInt32 {
        var k = end &- 1
        var packed: UInt32 = 0
        var count: UInt32 = 0
        while count < 3 && k >= start {
            let c = b[k]
            if !isSeparator(c) {
                packed |= UInt32(PIIASCII.lower(c)) << (8 &* count)
                count &+= 1
            }
            k &-= 1
        }
        return count == 3 ? packed : 0
    }

    /// Whether a rule of ``classify(_:_:_:)`` or ``personal(_:_:_:)`` can match a key with this
    /// ``tail(_:_:_:)``: the last three characters of every name the rules compare against. Most
    /// words in text end otherwise, so this one switch rejects them before any rule runs. A test
    /// classifies every name of the rules, which fails if one is missing here.
    static func hasRuleTail(_ tail: UInt32) -> Bool {
        switch tail {
        case
            0x616172 /* aar */, 0x616964 /* aid */, 0x616C65 /* ale */, 0x616C73 /* als */,
            0x617365 /* ase */, 0x617373 /* ass */, 0x617465 /* ate */, 0x626572 /* ber */,
            0x62736E /* bsn */, 0x637066 /* cpf */, 0x646164 /* dad */, 0x646179 /* day */,
            0x646661 /* dfa */, 0x646676 /* dfv */, 0x646964 /* did */, 0x646E69 /* dni */,
            0x646F62 /* dob */, 0x656574 /* eet */, 0x656964 /* eid */, 0x656C6C /* ell */,
            0x656E6F /* eno */, 0x657373 /* ess */, 0x666178 /* fax */, 0x67656F /* geo */,
            0x676964 /* gid */, 0x677073 /* gps */, 0x686172 /* har */, 0x686474 /* hdt */,
            0x69616C /* ial */, 0x696572 /* ier */, 0x696661 /* ifa */, 0x696C65 /* ile */,
            0x696E65 /* ine */, 0x696E6F /* ino */, 0x696E74 /* int */, 0x696F6E /* ion */,
            0x697376 /* isv */, 0x6B656E /* ken */, 0x6B6579 /* key */, 0x6B6965 /* kie */,
            0x6C6174 /* lat */, 0x6C6964 /* lid */, 0x6C6E67 /* lng */, 0x6C6E6F /* lno */,
            0x6C6F6E /* lon */, 0x6D6569 /* mei */, 0x6D6572 /* mer */, 0x6E6365 /* nce */,
            0x6E6531 /* ne1 */, 0x6E6532 /* ne2 */, 0x6E6964 /* nid */, 0x6E6965 /* nie */,
            0x6E6966 /* nif */, 0x6E696E /* nin */, 0x6E6972 /* nir */, 0x6E7365 /* nse */,
            0x6E756D /* num */, 0x6F6465 /* ode */, 0x6F6E65 /* one */, 0x6F6E67 /* ong */,
            0x6F7264 /* ord */, 0x6F7274 /* ort */, 0x707764 /* pwd */, 0x726473 /* rds */,
            0x726574 /* ret */, 0x726964 /* rid */, 0x727468 /* rth */, 0x73646E /* sdn */,
            0x73656C /* sel */, 0x736964 /* sid */, 0x736967 /* sig */, 0x73696E /* sin */,
            0x737365 /* sse */, 0x73736E /* ssn */, 0x737764 /* swd */, 0x74656C /* tel */,
            0x746573 /* tes */, 0x746964 /* tid */, 0x74696E /* tin */, 0x746E6F /* tno */,
            0x756465 /* ude */, 0x757265 /* ure */, 0x757270 /* urp */, 0x757468 /* uth */,
            0x786964 /* xid */, 0x796964 /* yid */:
            return true
        default:
            return false
        }
    }

    /// Classifies the key in `start..<end` of `b`, or returns `nil` for an ordinary key.
    static func classify(_ b: PIIBytes, _ start: Int, _ end: Int) -> Kind? {
        guard end > start else { return nil }
        var last = end - 1
        while last >= start && isSeparator(b[last]) { last -= 1 }
        guard last >= start else { return nil }
        // Dispatch on the last significant character so that only the few rules that can
        // match are tried (keys are classified for every `key=` / `key:` in the text).
        func suffix(_ literal: StaticString) -> Bool { Self.suffix(b, start, end, literal) != nil }
        func exact(_ literal: StaticString) -> Bool { Self.exact(b, start, end, literal) }
        // Cookies named with the `__Host-` / `__Secure-` prefixes (RFC 6265bis) hold session state.
        if b[start] == UInt8(ascii: "_") && b[start + 1] == UInt8(ascii: "_")
            && (b.matchesCaseInsensitive("__host-", at: start) || b.matchesCaseInsensitive("__secure-", at: start))
        {
            return .secret
        }
        // Terraform's per-host credentials: `TF_TOKEN_app_terraform_io`.
        if (b[start] | 0x20) == UInt8(ascii: "t") && b.matchesCaseInsensitive("tf_token_", at: start) { return .secret }
        let keyTail = tail(b, start, end)
        guard hasRuleTail(keyTail) || hasIdentifierSuffix(keyTail) else { return nil }
        switch PIIASCII.lower(b[last]) {
        case UInt8(ascii: "y"):
            if suffix("secretaccesskey") || suffix("awssecretkey") { return .awsSecret }
            if suffix("apikey") || suffix("privatekey") || suffix("secretkey") || suffix("accesskey")
                || suffix("signingkey") || suffix("encryptionkey") || suffix("accountkey") || suffix("masterkey")
                || suffix("applicationkey") || suffix("appkey") || suffix("licensekey") || suffix("ingestkey")
            {
                return .secret
            }
        case UInt8(ascii: "t"):
            if exact("awssecret") { return .awsSecret }
            if suffix("secret") { return .secret }
            // Password in German key names.
            if suffix("passwort") || suffix("kennwort") { return .secret }
        case UInt8(ascii: "n"):
            // A .NET strong name's `PublicKeyToken=b77a5c561934e089` is a public assembly identity.
            if suffix("publickeytoken") { return nil }
            if suffix("token") { return .secret }
            if exact("session") { return .weakSecret }
            // Session cookies: `laravel_session`, `_myapp_session`, `rack.session`.
            if wordSuffix(b, start, end, "session", allowWhole: false) { return .secret }
            if suffix("authorization") { return .authorization }
            if suffix("msisdn") { return .phone }
            if exact("ssn") { return .ssn }
        case UInt8(ascii: "e"):
            if suffix("amzsignature") || suffix("googsignature") { return .secret }
            if suffix("cookie") { return .cookie }
            if suffix("passphrase") { return .secret }
            // Password in French key names.
            if suffix("motdepasse") { return .secret }
            if suffix("phone") || suffix("mobile") { return .phone }
        case UInt8(ascii: "d"):
            // Session cookies by their usual names (PHP, Java servlets, ASP.NET, Express, Django, Rails).
            if suffix("sessid") || exact("jsessionid") || exact("aspnetsessionid") || exact("connectsid")
                || exact("privatekeyid")
            {
                return .secret
            }
            if exact("sessionid") && (b[start] == UInt8(ascii: "_") || !containsSeparator(b, start, end)) {
                return .secret
            }
            if exact("sid") { return .weakSecret }
            if suffix("password") || suffix("passwd") || wordSuffix(b, start, end, "pwd", allowWhole: false)
                || suffix("wachtwoord")
            {
                return .secret
            }
            if exact("pwd") { return .secretUnlessPath }
        case UInt8(ascii: "l"):
            if suffix("credential") { return .secret }
            if exact("tel") || exact("cell") { return .phone }
        case UInt8(ascii: "s"):
            if exact("pass") { return .weakSecret }
            if suffix("credentials") || wordSuffix(b, start, end, "pass", allowWhole: false) || exact("requirepass")
                || exact("storepass") || exact("keypass") || exact("srcstorepass") || exact("deststorepass")
            {
                return .secret
            }
            if wordSuffix(b, start, end, "sess", allowWhole: false) { return .secret }
        case UInt8(ascii: "h"):
            if exact("auth") { return .weakSecret }
            if exact("masterauth") || wordSuffix(b, start, end, "auth", allowWhole: false) { return .secret }
        case UInt8(ascii: "r"):
            if suffix("phonenumber") { return .phone }
            if suffix("socialsecuritynumber") { return .ssn }
        case UInt8(ascii: "x"):
            if exact("fax") { return .phone }
        case UInt8(ascii: "g"):
            // Azure SAS and signed-URL signatures (`sig=`, `X-Amz-Signature=`, `X-Goog-Signature=`).
            if exact("sig") { return .secret }
        default:
            break
        }
        return personal(b, start, end).map { .personal($0) }
    }

    /// Personal fields by key name, in any case and separator style (`date_of_birth`, `dateOfBirth`,
    /// `birth-date`, `IDFA`, `imei-number`, `passportNo`).
    static func personal(_ b: PIIBytes, _ start: Int, _ end: Int) -> PIICategory? {
        var last = end - 1
        while last >= start && isSeparator(b[last]) { last -= 1 }
        guard last >= start else { return nil }
        if let stemEnd = identifierStemEnd(b, start, end), isIdentityNumberName(b, start, stemEnd) {
            return .identityNumber
        }
        func suffix(_ literal: StaticString) -> Bool { Self.suffix(b, start, end, literal) != nil }
        func exact(_ literal: StaticString) -> Bool { Self.exact(b, start, end, literal) }
        // Dispatch on the last significant character, as ``classify(_:_:_:)`` does.
        switch PIIASCII.lower(b[last]) {
        case UInt8(ascii: "b"):
            if exact("dob") { return .birthDate }
        case UInt8(ascii: "h"):
            if suffix("dateofbirth") { return .birthDate }
        case UInt8(ascii: "e"):
            if suffix("birthdate") { return .birthDate }
            if suffix("securitesociale") { return .identityNumber }
            if suffix("taxcode") { return .identityNumber }
            if suffix("fiscalcode") { return .identityNumber }
            if suffix("addressline") { return .postalAddress }
            if exact("postalcode") { return .postalAddress }
            if exact("postcode") { return .postalAddress }
            if exact("zipcode") { return .postalAddress }
            if exact("latitude") { return .geolocation }
            if exact("longitude") { return .geolocation }
            if exact("nie") { return .identityNumber }
            if suffix("codicefiscale") { return .identityNumber }
            if suffix("driverslicense") { return .identityNumber }
            if suffix("driverslicence") { return .identityNumber }
            if suffix("driverlicense") { return .identityNumber }
            if suffix("driverlicence") { return .identityNumber }
            if suffix("drivinglicense") { return .identityNumber }
            if suffix("drivinglicence") { return .identityNumber }
        case UInt8(ascii: "y"):
            if suffix("birthday") { return .birthDate }
        case UInt8(ascii: "t"):
            if suffix("birthdt") { return .birthDate }
            if exact("street") { return .postalAddress }
            if exact("lat") { return .geolocation }
            if exact("geopoint") { return .geolocation }
            if suffix("passport") { return .identityNumber }
        case UInt8(ascii: "s"):
            if exact("address") { return .postalAddress }
            if suffix("postaladdress") { return .postalAddress }
            if suffix("homeaddress") { return .postalAddress }
            if suffix("streetaddress") { return .postalAddress }
            if suffix("mailingaddress") { return .postalAddress }
            if suffix("billingaddress") { return .postalAddress }
            if suffix("shippingaddress") { return .postalAddress }
            if suffix("residentialaddress") { return .postalAddress }
            if suffix("deliveryaddress") { return .postalAddress }
            if exact("coordinates") { return .geolocation }
            if exact("coords") { return .geolocation }
            if exact("gps") { return .geolocation }
        case UInt8(ascii: "1"):
            if suffix("addressline1") { return .postalAddress }
        case UInt8(ascii: "2"):
            if suffix("addressline2") { return .postalAddress }
        case UInt8(ascii: "g"):
            if exact("lng") { return .geolocation }
            if exact("long") { return .geolocation }
            if exact("latlng") { return .geolocation }
        case UInt8(ascii: "n"):
            if exact("lon") { return .geolocation }
            // `last_known_location`, `deviceLocation`; the value must hold a coordinate (``PIIDetectors/KeyValue``).
            if suffix("location") { return .geolocation }
            if suffix("geolocation") { return .geolocation }
            if exact("latlon") { return .geolocation }
            if suffix("geoposition") { return .geolocation }
            if exact("location") { return .geolocation }
            if exact("position") { return .geolocation }
            if exact("nin") { return .identityNumber }
            if exact("sin") { return .identityNumber }
            if exact("bsn") { return .identityNumber }
            if exact("tin") { return .identityNumber }
        case UInt8(ascii: "o"):
            if exact("geo") { return .geolocation }
            if exact("nino") { return .identityNumber }
            if suffix("passportno") { return .identityNumber }
            if suffix("licenseno") { return .identityNumber }
            if suffix("licenceno") { return .identityNumber }
            if exact("dlno") { return .identityNumber }
        case UInt8(ascii: "d"):
            if suffix("nationalid") { return .identityNumber }
            if suffix("documentoidentidad") { return .identityNumber }
            if suffix("steuerid") { return .identityNumber }
            if exact("taxid") { return .identityNumber }
            if suffix("citizenid") { return .identityNumber }
            if suffix("passportid") { return .identityNumber }
            if suffix("taxpayerid") { return .identityNumber }
            if exact("gaid") { return .deviceID }
            if exact("adid") { return .deviceID }
            if exact("aaid") { return .deviceID }
            if exact("madid") { return .deviceID }
            if suffix("advertisingid") { return .deviceID }
            if exact("meid") { return .deviceID }
            if suffix("googleadid") { return .deviceID }
        case UInt8(ascii: "r"):
            if suffix("ninumber") { return .identityNumber }
            if suffix("burgerservicenummer") { return .identityNumber }
            if suffix("citizenservicenumber") { return .identityNumber }
            if suffix("aadhaar") { return .identityNumber }
            if suffix("aadhar") { return .identityNumber }
            if suffix("personnummer") { return .identityNumber }
            if suffix("idnumber") { return .identityNumber }
            if suffix("identitynumber") { return .identityNumber }
            if suffix("identificationnumber") { return .identityNumber }
            if suffix("socialinsurancenumber") { return .identityNumber }
            if suffix("nationalinsurancenumber") { return .identityNumber }
            if suffix("personalnumber") { return .identityNumber }
            if suffix("nir") { return .identityNumber }
            if suffix("passportnumber") { return .identityNumber }
            if suffix("licensenumber") { return .identityNumber }
            if suffix("licencenumber") { return .identityNumber }
            if exact("dlnumber") { return .identityNumber }
            if suffix("driverslicensenumber") { return .identityNumber }
            if suffix("adidentifier") { return .deviceID }
            if suffix("advertisingidentifier") { return .deviceID }
            if suffix("imeinumber") { return .deviceID }
        case UInt8(ascii: "l"):
            if exact("pesel") { return .identityNumber }
        case UInt8(ascii: "f"):
            if exact("cpf") { return .identityNumber }
            if exact("nif") { return .identityNumber }
        case UInt8(ascii: "p"):
            if exact("curp") { return .identityNumber }
        case UInt8(ascii: "i"):
            if exact("dni") { return .identityNumber }
            if suffix("imei") { return .deviceID }
        case UInt8(ascii: "m"):
            if suffix("passportnum") { return .identityNumber }
        case UInt8(ascii: "a"):
            if exact("idfa") { return .deviceID }
            if exact("ifa") { return .deviceID }
        case UInt8(ascii: "v"):
            if exact("idfv") { return .deviceID }
            if exact("imeisv") { return .deviceID }
        default:
            break
        }
        return nil
    }

    /// Whether a key with this ``tail(_:_:_:)`` ends in `no`, `nr` or `id` (`sin_no`, `dni-nr`,
    /// `cpf_id`): an identity-number name may precede such a suffix (see ``identifierStemEnd(_:_:_:)``).
    @inline(__always) static func hasIdentifierSuffix(_ tail: UInt32) -> Bool {
        let lastTwo = tail & 0xFFFF
        return lastTwo == 0x6E6F || lastTwo == 0x6E72 || lastTwo == 0x6964
    }

    /// The end of the key without a trailing `number`, `num`, `nummer`, `no`, `nr` or `id` word
    /// (`aadhaar_number`, `cpfNumber`, `nie-number`, `sin_no`), or `nil` when it has none. Only
    /// whole words count: the suffix follows a separator or starts a camel-case word.
    static func identifierStemEnd(_ b: PIIBytes, _ start: Int, _ end: Int) -> Int? {
        let at = suffix(b, start, end, "number") ?? suffix(b, start, end, "nummer") ?? suffix(b, start, end, "num")
            ?? suffix(b, start, end, "no") ?? suffix(b, start, end, "nr") ?? suffix(b, start, end, "id")
        guard let at else { return nil }
        var stem = at
        while stem > start && isSeparator(b[stem - 1]) { stem -= 1 }
        guard stem > start else { return nil }
        let boundary = stem < at || (PIIASCII.isUpper(b[at]) && PIIASCII.isLower(b[at - 1]))
        return boundary ? stem : nil
    }

    /// National identity and tax numbers named by their usual abbreviation or national name.
    static func isIdentityNumberName(_ b: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        func exact(_ literal: StaticString) -> Bool { Self.exact(b, start, end, literal) }
        switch end - start {
        case 3:
            return exact("nin") || exact("sin") || exact("bsn") || exact("tin") || exact("nie") || exact("nif")
                || exact("cpf") || exact("dni") || exact("rfc") || exact("pan") || exact("nir") || exact("cnp")
                || exact("rut") || exact("tfn") || exact("ahv") || exact("oib") || exact("egn") || exact("ssn")
                || exact("tax")
        case 4:
            return exact("nino") || exact("cnpj") || exact("curp") || exact("nric") || exact("cuit") || exact("jmbg")
        default:
            return exact("pesel") || exact("aadhaar") || exact("aadhar") || exact("personnummer") || exact("passport")
                || exact("national") || exact("taxpayer") || exact("identity") || exact("citizen") || exact("voter")
        }
    }

    /// True when the key in `start..<end` contains `-`, `_`, `.` or a space.
    static func containsSeparator(_ b: PIIBytes, _ start: Int, _ end: Int) -> Bool {
        var k = start
        while k < end {
            if isSeparator(b[k]) { return true }
            k += 1
        }
        return false
    }

    /// Matches `literal` (lowercase, no separators) against the end of the normalised key.
    /// Returns the index of the first key byte that took part in the match.
    static func suffix(_ b: PIIBytes, _ start: Int, _ end: Int, _ literal: StaticString) -> Int? {
        let p = literal.utf8Start
        var m = literal.utf8CodeUnitCount - 1
        var k = end - 1
        while m >= 0 {
            while k >= start && isSeparator(b[k]) { k -= 1 }
            guard k >= start, PIIASCII.lower(b[k]) == p[m] else { return nil }
            k -= 1
            m -= 1
        }
        return k + 1
    }

    /// True when the normalised key equals `literal`.
    static func exact(_ b: PIIBytes, _ start: Int, _ end: Int, _ literal: StaticString) -> Bool {
        guard let at = suffix(b, start, end, literal) else { return false }
        var k = start
        while k < at {
            if !isSeparator(b[k]) { return false }
            k += 1
        }
        return true
    }

    /// True when the key ends with `literal` as a separate word (`db_pass`, not `bypass`).
    /// With `allowWhole`, the key may also be exactly `literal`; without it (used for `pwd`,
    /// which alone is the shell's working-directory variable) a prefix word is required.
    static func wordSuffix(
        _ b: PIIBytes, _ start: Int, _ end: Int, _ literal: StaticString, allowWhole: Bool
    ) -> Bool {
        guard let at = suffix(b, start, end, literal) else { return false }
        var k = start
        while k < at && isSeparator(b[k]) { k += 1 }
        if k == at { return allowWhole }
        return isSeparator(b[at - 1])
    }

    /// The normalised form of a key: lowercase ASCII without `-`, `_`, `.` and spaces.
    static func normalize(_ key: String) -> String {
        var out = [UInt8]()
        out.reserveCapacity(key.utf8.count)
        for c in key.utf8 where !isSeparator(c) { out.append(PIIASCII.lower(c)) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The normalised form of the key in `start..<end` of `b`.
    static func normalize(_ b: PIIBytes, _ start: Int, _ end: Int) -> String {
        var out = [UInt8]()
        out.reserveCapacity(end - start)
        var k = start
        while k < end {
            let c = b[k]
            if !isSeparator(c) { out.append(PIIASCII.lower(c)) }
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

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

    /// The last six significant characters of the key in `start..<end` (separators skipped,
    /// lowercased), packed with the last character in the lowest byte, and how many there are (≤ 6).
    @inline(__always) static func tail(_ b: PIIBytes, _ start: Int, _ end: Int) -> (packed: UInt64, count: Int) {
        var k = end &- 1
        var packed: UInt64 = 0
        var count = 0
        while count < 6 && k >= start {
            let c = b[k]
            if !isSeparator(c) {
                packed |= UInt64(PIIASCII.lower(c)) << (8 &* UInt64(count))
                count &+= 1
            }
            k &-= 1
        }
        return (packed, count)
    }

    /// Whether a rule of ``classify(_:_:_:)`` or ``personal(_:_:_:)`` can match a key with this
    /// ``tail(_:_:_:)``: the key ends with one of the names the rules compare against (its last six
    /// characters, for longer names). Most words in text end otherwise (`connection`, `version`,
    /// `region`), so a few switches reject them before any rule runs. A test classifies every name
    /// of the rules, which fails if one is missing here.
    static func hasRuleEnding(_ tail: (packed: UInt64, count: Int)) -> Bool {
        let t = tail.packed
        if tail.count >= 3 && hasIdentifierSuffix(t) { return true }
        if tail.count >= 3 && endsWithThree(t & 0xFF_FFFF) { return true }
        if tail.count >= 4 && endsWithFour(t & 0xFFFF_FFFF) { return true }
        if tail.count >= 5 && endsWithFive(t & 0xFF_FFFF_FFFF) { return true }
        return tail.count >= 6 && endsWithSix(t)
    }

    private static func endsWithThree(_ t: UInt64) -> Bool {
        switch t {
        case
            0x62736E /* bsn */, 0x637066 /* cpf */, 0x646E69 /* dni */, 0x646F62 /* dob */,
            0x666178 /* fax */, 0x67656F /* geo */, 0x677073 /* gps */, 0x696661 /* ifa */,
            0x6C6174 /* lat */, 0x6C6E67 /* lng */, 0x6C6F6E /* lon */, 0x6E6965 /* nie */,
            0x6E6966 /* nif */, 0x6E696E /* nin */, 0x6E6972 /* nir */, 0x707764 /* pwd */,
            0x736964 /* sid */, 0x736967 /* sig */, 0x73696E /* sin */, 0x73736E /* ssn */,
            0x74656C /* tel */, 0x74696E /* tin */:
            return true
        default:
            return false
        }
    }

    private static func endsWithFour(_ t: UInt64) -> Bool {
        switch t {
        case
            0x61616964 /* aaid */, 0x61646964 /* adid */, 0x61757468 /* auth */, 0x63656C6C /* cell */,
            0x63757270 /* curp */, 0x646C6E6F /* dlno */, 0x67616964 /* gaid */, 0x69646661 /* idfa */,
            0x69646676 /* idfv */, 0x696D6569 /* imei */, 0x6C6F6E67 /* long */, 0x6D656964 /* meid */,
            0x6E696E6F /* nino */, 0x70617373 /* pass */, 0x73657373 /* sess */:
            return true
        default:
            return false
        }
    }

    private static func endsWithFive(_ t: UInt64) -> Bool {
        switch t {
        case
            0x6D61646964 /* madid */, 0x706573656C /* pesel */, 0x70686F6E65 /* phone */,
            0x7461786964 /* taxid */, 0x746F6B656E /* token */:
            return true
        default:
            return false
        }
    }

    private static func endsWithSix(_ t: UInt64) -> Bool {
        switch t {
        case
            0x616164686172 /* aadhar */, 0x616468616172 /* adhaar */, 0x616C636F6465 /* alcode */,
            0x6170696B6579 /* apikey */, 0x6170706B6579 /* appkey */, 0x6174656B6579 /* atekey */,
            0x6178636F6465 /* axcode */, 0x617965726964 /* ayerid */, 0x636174696F6E /* cation */,
            0x636F6F6B6965 /* cookie */, 0x636F6F726473 /* coords */, 0x646472657373 /* ddress */,
            0x656374736964 /* ectsid */, 0x656B65796964 /* ekeyid */, 0x656E63656E6F /* enceno */,
            0x656E73656E6F /* enseno */, 0x656E7469616C /* ential */, 0x657061737365 /* epasse */,
            0x657261757468 /* erauth */, 0x657373696F6E /* ession */, 0x6573736B6579 /* esskey */,
            0x6573746B6579 /* estkey */, 0x657565726964 /* euerid */, 0x657970617373 /* eypass */,
            0x666269727468 /* fbirth */, 0x676974756465 /* gitude */, 0x6963656E6365 /* icence */,
            0x6963656E7365 /* icense */, 0x696D65697376 /* imeisv */, 0x696E61746573 /* inates */,
            0x696E676B6579 /* ingkey */, 0x696F6E6B6579 /* ionkey */, 0x6970636F6465 /* ipcode */,
            0x697274686474 /* irthdt */, 0x697363616C65 /* iscale */, 0x697A656E6964 /* izenid */,
            0x6C61746C6E67 /* latlng */, 0x6C61746C6F6E /* latlon */, 0x6C6561646964 /* leadid */,
            0x6D6F62696C65 /* mobile */, 0x6D736973646E /* msisdn */, 0x6E6174757265 /* nature */,
            0x6E6E776F7274 /* nnwort */, 0x6E73656B6579 /* nsekey */, 0x6E7469616C73 /* ntials */,
            0x6E7469646164 /* ntidad */, 0x6E756D626572 /* number */, 0x6E756D6D6572 /* nummer */,
            0x6F6369616C65 /* ociale */, 0x6F6E616C6964 /* onalid */, 0x6F706F696E74 /* opoint */,
            0x6F72746E756D /* ortnum */, 0x706173737764 /* passwd */, 0x706872617365 /* phrase */,
            0x706F72746964 /* portid */, 0x706F72746E6F /* portno */, 0x726570617373 /* repass */,
            0x7265746B6579 /* retkey */, 0x727468646179 /* rthday */, 0x736563726574 /* secret */,
            0x736573736964 /* sessid */, 0x73696E676964 /* singid */, 0x73696F6E6964 /* sionid */,
            0x736974696F6E /* sition */, 0x736C696E6531 /* sline1 */, 0x736C696E6532 /* sline2 */,
            0x73736C696E65 /* ssline */, 0x7373706F7274 /* ssport */, 0x7373776F7264 /* ssword */,
            0x7373776F7274 /* sswort */, 0x7374636F6465 /* stcode */, 0x737472656574 /* street */,
            0x7465726B6579 /* terkey */, 0x746864617465 /* thdate */, 0x746966696572 /* tifier */,
            0x746974756465 /* titude */, 0x74776F6F7264 /* twoord */, 0x756E746B6579 /* untkey */,
            0x79746F6B656E /* ytoken */, 0x7A6174696F6E /* zation */:
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
        guard hasRuleEnding(tail(b, start, end)) else { return nil }
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

    /// Whether a key whose packed ``tail(_:_:_:)`` is `t` ends in `no`, `nr`, `id` or `num`
    /// (`sin_no`, `dni-nr`, `cpf_id`, `cpf_num`): an identity-number name may precede such a suffix
    /// (see ``identifierStemEnd(_:_:_:)``).
    @inline(__always) static func hasIdentifierSuffix(_ t: UInt64) -> Bool {
        let lastTwo = t & 0xFFFF
        return lastTwo == 0x6E6F || lastTwo == 0x6E72 || lastTwo == 0x6964 || t & 0xFF_FFFF == 0x6E_756D
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

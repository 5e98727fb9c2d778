/// A kind of personal or secret data recognised by ``PIIScrubber``.
///
/// Every category has a fixed, typed placeholder that replaces the detected
/// span in scrubbed text. For categories that keep surrounding structure
/// (``homePath``, ``urlCredentials``, ``secret``, ``credential``) only the
/// sensitive part of the match is replaced, e.g. `/home/[USER]/notes.txt`,
/// `https://[CREDENTIALS]@db.example.com`, `password=[SECRET]` or
/// `Authorization: Bearer [CREDENTIAL]`.
public enum PIICategory: String, Sendable, CaseIterable, Hashable {
    /// An e-mail address (`alice@example.com`, also `alice%40example.com` and written to defeat
    /// harvesters, `alice [at] example [dot] com`, `alice AT example DOT com`).
    case email
    /// A phone number in international or common national notation.
    case phone
    /// A Luhn-valid payment card number with 13–19 digits.
    case card
    /// An IPv4 address with valid octets.
    case ipv4
    /// An IPv6 address in full or compressed notation.
    case ipv6
    /// A US social security number (`123-45-6789` or `123 45 6789`).
    case ssn
    /// An IBAN whose mod-97 check digits are valid.
    case iban
    /// A JSON Web Token (three base64url segments, the first starting `eyJ`).
    case jwt
    /// The credential of an `Authorization` header or a `Bearer`/`Basic` token.
    case credential
    /// A well-known API key or access key id (AWS, GitHub, Slack, Stripe, Google, …).
    case apiKey
    /// A PEM private key block.
    case privateKey
    /// The user-info part (`user:password`) of a URL.
    case urlCredentials
    /// The value of a secret-looking key/value pair (`password=…`, `"token": "…"`).
    case secret
    /// The user name inside a home directory path.
    case homePath
    /// A MAC address (colon, dash or Cisco dotted notation).
    case mac
    /// A date of birth, as the value of a birth-date key (`dob`, `dateOfBirth`, `birth-date`).
    case birthDate
    /// A postal address, as the value of an address key (`address`, `street`, `shipping_address`).
    case postalAddress
    /// A geographic position: a decimal coordinate as the value of a location key (`lat`, `geo`,
    /// `coordinates`, `last_known_location`).
    case geolocation
    /// A government identity number: national id, tax id, passport or driving licence number.
    case identityNumber
    /// A device identifier: an advertising id (IDFA, GAID) or an IMEI.
    case deviceID

    /// The exact placeholder written in place of a detected span.
    public var placeholder: String {
        // String literals, so returning one neither allocates nor copies.
        switch self {
        case .email: "[EMAIL]"
        case .phone: "[PHONE]"
        case .card: "[CARD]"
        case .ipv4: "[IPV4]"
        case .ipv6: "[IPV6]"
        case .ssn: "[SSN]"
        case .iban: "[IBAN]"
        case .jwt: "[JWT]"
        case .credential: "[CREDENTIAL]"
        case .apiKey: "[API_KEY]"
        case .privateKey: "[PRIVATE_KEY]"
        case .urlCredentials: "[CREDENTIALS]"
        case .secret: "[SECRET]"
        case .homePath: "[USER]"
        case .mac: "[MAC]"
        case .birthDate: "[DOB]"
        case .postalAddress: "[ADDRESS]"
        case .geolocation: "[GEO]"
        case .identityNumber: "[ID_NUMBER]"
        case .deviceID: "[DEVICE_ID]"
        }
    }

    /// The placeholder as a static UTF-8 string, used on the hot path.
    var placeholderBytes: StaticString {
        switch self {
        case .email: "[EMAIL]"
        case .phone: "[PHONE]"
        case .card: "[CARD]"
        case .ipv4: "[IPV4]"
        case .ipv6: "[IPV6]"
        case .ssn: "[SSN]"
        case .iban: "[IBAN]"
        case .jwt: "[JWT]"
        case .credential: "[CREDENTIAL]"
        case .apiKey: "[API_KEY]"
        case .privateKey: "[PRIVATE_KEY]"
        case .urlCredentials: "[CREDENTIALS]"
        case .secret: "[SECRET]"
        case .homePath: "[USER]"
        case .mac: "[MAC]"
        case .birthDate: "[DOB]"
        case .postalAddress: "[ADDRESS]"
        case .geolocation: "[GEO]"
        case .identityNumber: "[ID_NUMBER]"
        case .deviceID: "[DEVICE_ID]"
        }
    }
}

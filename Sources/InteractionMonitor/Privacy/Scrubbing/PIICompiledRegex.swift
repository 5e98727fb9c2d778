/// Shares a compiled `Regex` between threads.
///
/// `Regex` is an immutable value; its only internal mutation is the lazily lowered
/// program, which the standard library publishes with an atomic compare-and-swap, and
/// which ``ExtraPattern/init(name:regex:)`` forces before the value is shared.
final class PIICompiledRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }
}

/// A detected byte range `start..<end` and the category whose placeholder replaces it.
struct PIISpan {
    var start: Int
    var end: Int
    var category: PIICategory

    init(_ start: Int, _ end: Int, _ category: PIICategory) {
        self.start = start
        self.end = end
        self.category = category
    }
}

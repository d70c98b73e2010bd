// Hooks for the tests and the benchmark: the index checked against a full scan.

extension FuzzyIndex {
  /// Every entry whose score reaches `minimumScore`, found by scoring all of them: the
  /// reference the index is tested against. Ordered like ``matches(for:minimumScore:limit:)``.
  public func _bruteForceScores(for query: String, minimumScore: Double) throws -> [(
    id: Int64, score: FuzzyScore
  )] {
    try scoredCandidates(
      for: analysedQuery(query), minimumScore: minimumScore, limit: Int.max, bruteForce: true
    )
    .map { (entries.id(at: $0.position), $0.score) }
  }

  /// Like ``matches(for:minimumScore:limit:)`` without building differences and suggestions.
  public func _indexedScores(
    for query: String, minimumScore: Double, limit: Int = Int.max
  ) throws -> [(id: Int64, score: FuzzyScore)] {
    try scoredCandidates(
      for: analysedQuery(query), minimumScore: minimumScore, limit: limit, bruteForce: false
    )
    .map { (entries.id(at: $0.position), $0.score) }
  }
}

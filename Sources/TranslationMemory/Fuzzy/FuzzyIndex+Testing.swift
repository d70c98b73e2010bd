import Foundation

// Hooks for the tests and the benchmark: the index checked against a full scan.

extension FuzzyIndex {
  /// Every entry whose score reaches `minimumScore`, found by scoring all of them: the
  /// reference the index is tested against. Ordered like ``matches(for:minimumScore:limit:)``.
  public func _bruteForceScores(for query: String, minimumScore: Double) throws -> [(
    id: Int64, score: FuzzyScore
  )] {
    try scoredEntries(
      for: analysedQuery(query), minimumScore: minimumScore, limit: Int.max, bruteForce: true
    )
    .map { ($0.id, $0.score) }
  }

  /// Like ``matches(for:minimumScore:limit:)`` without building differences and suggestions.
  public func _indexedScores(
    for query: String, minimumScore: Double, limit: Int = Int.max
  ) throws -> [(id: Int64, score: FuzzyScore)] {
    try scoredEntries(
      for: analysedQuery(query), minimumScore: minimumScore, limit: limit, bruteForce: false
    )
    .map { ($0.id, $0.score) }
  }
}

extension FuzzyIndex {
  /// ``writeMapped(to:signature:generation:)`` for the benchmark.
  public func _writeMapped(to url: URL, signature: String, generation: Int64) throws {
    try writeMapped(to: url, signature: signature, generation: generation)
  }

  /// ``openMapped(at:expectedSignature:fetch:)`` for the benchmark.
  public static func _openMapped(
    at url: URL, expectedSignature: String, fetch: @escaping @Sendable (Int64) -> FuzzyEntry?
  ) throws -> FuzzyIndex {
    try openMapped(at: url, expectedSignature: expectedSignature, fetch: fetch).index
  }
}

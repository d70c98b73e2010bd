// swift-tools-version:6.0
import PackageDescription

// Modules depend one way:
// CICU → ICUSupport → TextSegmentation → Alignment → TranslationMemory → AligntmServer → aligntm
// (TextSegmentation also uses CLibXML2 and ZIPFoundation for Word files).
let package = Package(
  name: "aligntm",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "aligntm", targets: ["aligntm"]),
    .library(name: "TextSegmentation", targets: ["TextSegmentation"]),
    .library(name: "Alignment", targets: ["Alignment"]),
    .library(name: "TranslationMemory", targets: ["TranslationMemory"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // Reads Word .docx files (ZIP archives) for TextSegmentation's Word reader.
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
  ],
  targets: [
    // System ICU 72 (libicu-dev) behind a C header of plain integers and opaque pointers; only
    // cicu.c includes ICU's headers, which clash with the copy Foundation carries. Only ICUSupport
    // sees it. The headers are in /usr/include on Linux (`pkg-config --cflags icu-uc` is empty);
    // everything called is in libicuuc.
    .target(name: "CICU", linkerSettings: [.linkedLibrary("icuuc")]),
    // System SQLite 3 (libsqlite3-dev) for the translation memory store.
    .systemLibrary(
      name: "CSQLite",
      pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"])]
    ),
    // System libxml2 (libxml2-dev): the streaming TMX reader.
    .systemLibrary(
      name: "CLibXML2",
      pkgConfig: "libxml-2.0",
      providers: [.apt(["libxml2-dev"])]
    ),
    // System libpq (libpq-dev): PostgreSQL's own client, for a memory shared by a team.
    .systemLibrary(
      name: "CLibPQ",
      pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"])]
    ),
    // System zlib (zlib1g-dev): reads dictzip'd dictionaries (gzip-compatible). Not named CZlib:
    // ZIPFoundation has a module of that name.
    .systemLibrary(
      name: "CSystemZlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    // Swift over ICU, without Foundation: the bottom layer needs only the standard library.
    .target(name: "ICUSupport", dependencies: ["CICU"]),
    // The Word reader opens .docx archives with ZIPFoundation and parses their XML with libxml2.
    .target(
      name: "TextSegmentation",
      dependencies: ["ICUSupport", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
    ),
    .target(name: "Alignment", dependencies: ["TextSegmentation", "CSystemZlib"]),
    .target(
      name: "TranslationMemory",
      dependencies: ["Alignment", "TextSegmentation", "CSQLite", "CLibXML2", "CLibPQ"]
    ),
    // `aligntm serve`: the HTTP server (amaGama/tmserver API and aligntm's own), over
    // TranslationMemory's public API only.
    .target(
      name: "AligntmServer",
      dependencies: [
        "TextSegmentation", "TranslationMemory", .product(name: "Hummingbird", package: "hummingbird"),
      ]
    ),
    .executableTarget(
      name: "aligntm",
      dependencies: [
        "TextSegmentation", "Alignment", "TranslationMemory", "AligntmServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Prints the figures the README quotes: `swift run -c release aligntm-bench`.
    .executableTarget(
      name: "aligntm-bench",
      dependencies: [
        "TextSegmentation", "Alignment", "TranslationMemory", "AligntmServer", "CSQLite", "CLibXML2",
      ],
      path: "Benchmarks/Sources/aligntm-bench"
    ),
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "ICUSupportTests", dependencies: ["ICUSupport"]),
    .testTarget(
      name: "TextSegmentationTests",
      dependencies: [
        "TextSegmentation", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]
    ),
    .testTarget(name: "AlignmentTests", dependencies: ["Alignment", "TestSupport"]),
    .testTarget(
      name: "TranslationMemoryTests", dependencies: ["TranslationMemory", "TestSupport"]),
    .testTarget(
      name: "AligntmServerTests", dependencies: ["AligntmServer", "TranslationMemory", "TestSupport"],
      exclude: ["weblate_tmserver.py"]  // run by WeblateTests with Weblate's Python
    ),
    .testTarget(
      name: "aligntmTests", dependencies: ["aligntm", "TestSupport"],
      exclude: ["Snapshots"]  // the expected `--help` texts, read by HelpSnapshotTests
    ),
  ]
)

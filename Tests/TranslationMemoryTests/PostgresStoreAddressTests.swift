import Foundation
import Testing

@testable import TranslationMemory

/// Where `--tm` and `$ALIGNTM_TM` point, and how a PostgreSQL URL is named: no server needed.
@Suite("PostgreSQL store address")
struct PostgresStoreAddressTests {
  let here = URL(fileURLWithPath: "/work/project")

  @Test(arguments: [
    "postgresql://tm@db:5432/un", "postgres://tm@db/un", "POSTGRESQL://tm@db/un", "postgresql:///un",
  ])
  func aPostgreSQLURLIsADatabase(_ value: String) {
    #expect(
      TranslationMemoryLocation.resolveAddress(explicitValue: value, environment: [:]) == .postgresql(value))
    #expect(
      TranslationMemoryLocation.resolveAddress(environment: ["ALIGNTM_TM": value]) == .postgresql(value))
  }

  @Test func anythingElseIsAPath() {
    #expect(
      TranslationMemoryLocation.resolveAddress(
        explicitValue: "team/postgresql.sqlite", environment: [:], currentDirectory: here)
        == .file(URL(fileURLWithPath: "/work/project/team/postgresql.sqlite")))
    #expect(
      TranslationMemoryLocation.resolveAddress(environment: [:], currentDirectory: here)
        == .file(URL(fileURLWithPath: "/work/project/tm/memory.sqlite")))
    // A file named like a scheme without `//` is a file.
    #expect(
      TranslationMemoryLocation.resolveAddress(
        explicitValue: "postgresql:memory", environment: [:], currentDirectory: here)
        == .file(URL(fileURLWithPath: "/work/project/postgresql:memory")))
  }

  @Test func theOptionWinsOverTheEnvironment() {
    let environment = ["ALIGNTM_TM": "postgresql://tm@db/un"]
    #expect(
      TranslationMemoryLocation.resolveAddress(
        explicitValue: "/tmp/own.sqlite", environment: environment, currentDirectory: here)
        == .file(URL(fileURLWithPath: "/tmp/own.sqlite")))
    #expect(
      TranslationMemoryLocation.resolveAddress(explicitValue: "", environment: environment)
        == .postgresql("postgresql://tm@db/un"))
  }

  @Test(arguments: [
    ("postgresql://tm:s3cret@db.example:5433/un", "postgresql://tm@db.example:5433/un"),
    ("postgresql://tm@db/un?password=s3cret&sslmode=require", "postgresql://tm@db/un?sslmode=require"),
    ("postgresql://tm:a:b@db/un?password=x", "postgresql://tm@db/un"),
    ("postgresql://tm@db/un", "postgresql://tm@db/un"),
    ("postgres://db/un", "postgres://db/un"),
  ])
  func theDisplayFormDropsThePassword(_ value: String, _ shown: String) {
    #expect(StoreAddress.postgresql(value).displayForm == shown)
    #expect(!StoreAddress.postgresql(value).description.contains("s3cret"))
  }

  @Test func derivedFilesGoToTheCachePerServerAndDatabase() {
    let environment = ["ALIGNTM_CACHE_DIR": "/var/cache/team"]
    #expect(
      StoreAddress.postgresql("postgresql://tm:pw@db.example:5433/un").localURL(environment: environment)
        == URL(fileURLWithPath: "/var/cache/team/postgresql/db.example-5433-un/memory"))
    #expect(
      StoreAddress.postgresql("postgresql://tm@db.example/un?port=6000").localURL(environment: environment)
        == URL(fileURLWithPath: "/var/cache/team/postgresql/db.example-6000-un/memory"))
    #expect(
      StoreAddress.postgresql("postgresql://tm@[::1]:5432/a%2Fb").localURL(environment: environment)
        == URL(fileURLWithPath: "/var/cache/team/postgresql/__1-5432-a_b/memory"))
    #expect(
      StoreAddress.postgresql("postgresql://tm@db/un").localURL(environment: ["HOME": "/home/ann"])
        == URL(fileURLWithPath: "/home/ann/.cache/aligntm/postgresql/db-5432-un/memory"))
    let file = URL(fileURLWithPath: "/tmp/memory.sqlite")
    #expect(StoreAddress.file(file).localURL(environment: environment) == file)
  }

  /// A migration written for one dialect only would leave a PostgreSQL memory and a SQLite one
  /// at different versions.
  @Test func bothDialectsHaveEveryMigration() {
    #expect(PostgresSchema.currentVersion == Schema.currentVersion)
  }
}

/// The store's schema, built by numbered migrations recorded in `PRAGMA user_version`.
///
/// Each migration runs once, in order, inside the transaction that opens the store. Never edit a
/// migration that has shipped: add a new one.
///
/// These are SQLite's. **A new migration is written for both dialects**: the same step goes into
/// ``PostgresSchema/migrations`` at the same version (PostgreSQL memories start at 8, made whole
/// by ``PostgresSchema/baseline``), and a test checks that both reach the same version.
enum Schema {
  /// Marks aligntm memories (`PRAGMA application_id`): "alTM".
  static let applicationID: Int64 = 0x616C_544D

  /// One schema step: SQL, or Swift for data moves SQL can't express simply.
  enum Migration: Sendable {
    case sql(String)
    case code(@Sendable (SQLiteConnection) throws -> Void)
  }

  static let migrations: [Migration] = [
    // 1: units, variants, properties, notes.
    .sql(
      """
      CREATE TABLE unit (
        id INTEGER PRIMARY KEY,
        tuid TEXT,
        source_language TEXT NOT NULL,
        -- A copy of the first x-document property, for listing and removing by document.
        document TEXT,
        creation_date INTEGER NOT NULL,
        creation_id TEXT,
        change_date INTEGER,
        change_id TEXT,
        usage_count INTEGER NOT NULL DEFAULT 1 CHECK (usage_count >= 0),
        -- A hash of the normalised variant texts: finds duplicates.
        content_key INTEGER NOT NULL
      );
      CREATE INDEX unit_by_content_key ON unit(content_key);
      CREATE INDEX unit_by_document ON unit(document);
      CREATE TABLE variant (
        unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        language TEXT NOT NULL,
        text TEXT NOT NULL,
        -- Inline codes, encoded by InlineCodeCoding; NULL when none.
        codes BLOB,
        PRIMARY KEY (unit_id, language)
      ) WITHOUT ROWID;
      CREATE TABLE property (
        unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        type TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (unit_id, position)
      ) WITHOUT ROWID;
      CREATE TABLE note (
        unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (unit_id, position)
      ) WITHOUT ROWID;
      """),
    // 2: aligntm's own properties (x-document … x-tool) in columns of the unit row: one row per
    // unit instead of seven. `document` already holds the first x-document.
    .code { connection in
      try connection.execute(
        """
        ALTER TABLE unit ADD COLUMN paragraph TEXT;
        ALTER TABLE unit ADD COLUMN score TEXT;
        ALTER TABLE unit ADD COLUMN source_file TEXT;
        ALTER TABLE unit ADD COLUMN target_file TEXT;
        ALTER TABLE unit ADD COLUMN tool TEXT;
        -- The order of the column properties among all properties when it isn't the columns' order
        -- (see PropertyColumns); NULL when it is.
        ALTER TABLE unit ADD COLUMN property_order INTEGER;
        """)
      try PropertyColumns.moveIntoColumns(connection)
    },
    // 3: a generation number, bumped by every write transaction, so that what is derived from
    // the memory (the fuzzy index file) can tell whether it is stale.
    .sql(
      """
      CREATE TABLE generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
      INSERT INTO generation (id, value) VALUES (1, 0);
      """),
    // 4: duplicate keys computed again. Before, the key's fast path wrote curly double quotes,
    // `‛` and `″` as they stand while the display form writes `"` and `'`, so `“yes”` and
    // `"yes"` got different keys unless the text held a letter that needed ICU.
    .code { connection in try ContentKey.recomputeStoredKeys(connection) },
    // 5: a random id, made once with the memory (or at this migration), so that what is derived
    // from the memory tells it from another memory at the same path: a memory deleted and made
    // again starts at the same generation. (IF NOT EXISTS: a test winds `user_version` back.)
    .sql(
      """
      CREATE TABLE IF NOT EXISTS identity (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);
      INSERT OR IGNORE INTO identity (id, value) VALUES (1, lower(hex(randomblob(16))));
      """),
    // 6: lossless TMX. Variants keep their order (`position`; two may share a language: OmegaT's
    // alternatives) and their own dates, ids, properties and notes (`variant_detail`); units keep
    // `segtype`, `datatype`, `creationtool(version)` and `lastusagedate`, and count the units
    // merged into them. Old variants get the order the old release gave back: source first, then
    // by language. Duplicate keys are computed again: texts exact, inline codes counted.
    // (Each step looks first whether it is done: a test winds `user_version` back.)
    .code { connection in
      if try !connection.hasColumn("segment_type", in: "unit") {
        try connection.execute(
          """
          ALTER TABLE unit ADD COLUMN segment_type TEXT;
          ALTER TABLE unit ADD COLUMN data_type TEXT;
          ALTER TABLE unit ADD COLUMN creation_tool TEXT;
          ALTER TABLE unit ADD COLUMN creation_tool_version TEXT;
          ALTER TABLE unit ADD COLUMN last_usage_date INTEGER;
          ALTER TABLE unit ADD COLUMN merged_count INTEGER NOT NULL DEFAULT 0;
          """)
      }
      if try !connection.hasColumn("position", in: "variant") {
        try connection.execute(
          """
          CREATE TABLE variant_v6 (
            unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            language TEXT NOT NULL,
            text TEXT NOT NULL,
            codes BLOB,
            creation_date INTEGER,
            creation_id TEXT,
            change_date INTEGER,
            change_id TEXT,
            PRIMARY KEY (unit_id, position)
          ) WITHOUT ROWID;
          INSERT INTO variant_v6 (unit_id, position, language, text, codes)
            SELECT variant.unit_id,
              row_number() OVER (
                PARTITION BY variant.unit_id
                ORDER BY variant.language != unit.source_language, variant.language) - 1,
              variant.language, variant.text, variant.codes
            FROM variant JOIN unit ON unit.id = variant.unit_id;
          DROP TABLE variant;
          ALTER TABLE variant_v6 RENAME TO variant;
          """)
      }
      try connection.execute(
        """
        -- A variant's <prop>s (type set) and <note>s (type NULL), in order.
        CREATE TABLE IF NOT EXISTS variant_detail (
          unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
          variant INTEGER NOT NULL,
          position INTEGER NOT NULL,
          type TEXT,
          value TEXT NOT NULL,
          PRIMARY KEY (unit_id, variant, position)
        ) WITHOUT ROWID;
        """)
      try ContentKey.recomputeExactKeys(connection)
    },
    // 7 (after the lossless TMX migration, 6): a log of the units whose variants changed, by the
    // generation that changed them, so that a fuzzy index made at generation G is brought up to
    // date from the units changed since G instead of being built again. `unit_change_start`
    // holds the generation the log starts at: an index older than that is built again.
    // Variants are inserted only with their unit and deleted only with it (the unit's triggers
    // log both), so only their updates have a trigger: one per variant would double an import.
    // (IF NOT EXISTS: the step stands alone, whatever its position.)
    .sql(
      """
      CREATE TABLE IF NOT EXISTS unit_change (
        generation INTEGER NOT NULL,
        unit_id INTEGER NOT NULL,
        PRIMARY KEY (generation, unit_id)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS unit_change_start (
        id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
      INSERT OR IGNORE INTO unit_change_start (id, generation)
        VALUES (1, (SELECT value FROM generation WHERE id = 1));
      CREATE TRIGGER IF NOT EXISTS unit_change_on_insert AFTER INSERT ON unit BEGIN
        INSERT OR IGNORE INTO unit_change VALUES ((SELECT value + 1 FROM generation WHERE id = 1), NEW.id);
      END;
      CREATE TRIGGER IF NOT EXISTS unit_change_on_delete AFTER DELETE ON unit BEGIN
        INSERT OR IGNORE INTO unit_change VALUES ((SELECT value + 1 FROM generation WHERE id = 1), OLD.id);
      END;
      CREATE TRIGGER IF NOT EXISTS unit_change_on_variant_update AFTER UPDATE ON variant BEGIN
        INSERT OR IGNORE INTO unit_change VALUES ((SELECT value + 1 FROM generation WHERE id = 1), OLD.unit_id);
        INSERT OR IGNORE INTO unit_change VALUES ((SELECT value + 1 FROM generation WHERE id = 1), NEW.unit_id);
      END;
      """),
    // 8: the document pairs `align --pairs` stored, with a hash of both files' contents, so that
    // a run again skips what is stored (a pair whose units all merged into another's leaves no
    // provenance of its own).
    .sql(
      """
      CREATE TABLE IF NOT EXISTS aligned_pair (
        source_file TEXT NOT NULL,
        target_file TEXT NOT NULL,
        content_hash INTEGER NOT NULL,
        unit_count INTEGER NOT NULL,
        document TEXT,
        aligned_date INTEGER NOT NULL,
        PRIMARY KEY (source_file, target_file)
      ) WITHOUT ROWID
      """),
    // 9 and later: also in PostgresSchema.migrations, in PostgreSQL's SQL.
  ]

  static var currentVersion: Int { migrations.count }

  /// The oldest schema a read-only open can read: from 6 on, every table and column the reading
  /// code uses exists (variant positions and metadata came with 6). Raise it when a migration
  /// adds something the reading code needs.
  static let oldestReadableVersion = 6

  /// Creates or upgrades the schema. Runs in one immediate transaction, so two processes opening
  /// a new memory at once don't both migrate it; a memory already up to date is only checked,
  /// under a read lock, so opening it does not wait for another process's write.
  static func migrate(_ connection: SQLiteConnection) throws {
    if try checkedVersion(connection) == currentVersion { return }
    try connection.inTransaction("BEGIN IMMEDIATE") {
      let version = try checkedVersionInTransaction(connection)
      for index in version..<currentVersion {
        switch migrations[index] {
        case .sql(let sql): try connection.execute(sql)
        case .code(let body): try body(connection)
        }
        try connection.execute("PRAGMA user_version = \(index + 1)")
      }
      if version < currentVersion {
        try connection.execute("PRAGMA application_id = \(applicationID)")
      }
    }
  }

  /// Checks, without writing anything, that a memory opened read-only can be read.
  ///
  /// - Throws: ``TranslationMemoryError/notAMemory(path:reason:)``,
  ///   ``TranslationMemoryError/newerSchema(path:version:supported:)`` or
  ///   ``TranslationMemoryError/needsUpgrade(path:version:readable:)``.
  static func checkReadable(_ connection: SQLiteConnection) throws {
    let version = try checkedVersion(connection)
    if version < oldestReadableVersion {
      throw TranslationMemoryError.needsUpgrade(
        path: connection.path, version: version, readable: oldestReadableVersion)
    }
  }

  /// ``checkedVersionInTransaction(_:)`` in a read transaction of its own.
  static func checkedVersion(_ connection: SQLiteConnection) throws -> Int {
    try connection.inTransaction("BEGIN DEFERRED") { try checkedVersionInTransaction(connection) }
  }

  /// The schema version, once the file is known to be an aligntm memory this version can open:
  /// 0 for a new, empty file.
  private static func checkedVersionInTransaction(_ connection: SQLiteConnection) throws -> Int {
    let version = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
    let application = try connection.scalarInt("PRAGMA application_id") ?? 0
    if version == 0 {
      let tables = try connection.scalarInt("SELECT count(*) FROM sqlite_master") ?? 0
      if tables > 0 {
        throw TranslationMemoryError.notAMemory(
          path: connection.path, reason: "it holds tables aligntm did not make")
      }
      return 0
    }
    return try checked(version: version, application: application, path: connection.path)
  }

  /// What both stores check of the version a memory records: that aligntm made it (its
  /// application id) and that this version can open its schema.
  ///
  /// - Throws: ``TranslationMemoryError/notAMemory(path:reason:)`` for another application's,
  ///   ``TranslationMemoryError/newerSchema(path:version:supported:)`` for a newer schema.
  static func checked(version: Int, application: Int64, supported: Int = currentVersion, path: String) throws
    -> Int
  {
    if application != applicationID {
      throw TranslationMemoryError.notAMemory(path: path, reason: "its application id is \(application)")
    }
    if version > supported {
      throw TranslationMemoryError.newerSchema(path: path, version: version, supported: supported)
    }
    return version
  }
}

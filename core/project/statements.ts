/** Prepared-statement cache: compiling SQL costs more than running it, and the store runs the same few. */
import type Database from 'better-sqlite3'

/** Prepares each distinct SQL text once per connection. */
export class StatementCache {
  private readonly cache = new Map<string, Database.Statement>()
  constructor(readonly db: Database.Database) {}

  /** The prepared statement for `sql`, compiled on first use. */
  get(sql: string): Database.Statement {
    let stmt = this.cache.get(sql)
    if (!stmt) {
      stmt = this.db.prepare(sql)
      this.cache.set(sql, stmt)
    }
    return stmt
  }
}

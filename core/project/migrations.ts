/**
 * The project file's schema as numbered migrations. `PRAGMA user_version` holds the number of the last
 * migration applied; opening a project applies the missing ones in one transaction, so a file is always at
 * a version some LabelLoop release wrote. Never edit a migration that has shipped: append a new one.
 */
import type Database from 'better-sqlite3'

/** Written to `PRAGMA application_id` (the file header) and to `meta.app`, so a LabelLoop file is recognised. */
export const APP_ID = 0x4c4c5031 // "LLP1"
/** The value of `meta.app` in every LabelLoop project. */
export const APP_MARKER = 'labelloop'

export interface Migration {
  /** 1-based, contiguous: migration N brings a file from user_version N-1 to N. */
  version: number
  /** What the migration adds, for logs and for the reader of this file. */
  description: string
  sql: string
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'meta, classes, images with their bytes, masks with append-only revisions, per-class pixels',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE classes (
        "index" INTEGER PRIMARY KEY CHECK ("index" BETWEEN 0 AND 254),
        name TEXT NOT NULL,
        color TEXT NOT NULL
      );
      CREATE TABLE images (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        rel_path TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        bands INTEGER NOT NULL,
        bit_depth INTEGER NOT NULL,
        format TEXT NOT NULL,
        byte_size INTEGER NOT NULL,
        added_at TEXT NOT NULL
      );
      CREATE INDEX images_name ON images (name COLLATE NOCASE, id);
      CREATE INDEX images_added ON images (added_at, id);
      -- Bytes live apart from the metadata so listing 10,000 images never walks blob overflow pages; the
      -- small thumbnail comes first in the row so the gallery reads it without walking the original.
      CREATE TABLE image_blobs (
        image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
        thumb_mime TEXT NOT NULL,
        display_mime TEXT NOT NULL,
        thumbnail BLOB NOT NULL,
        -- NULL when the original bytes are themselves browser-displayable (stored once, not twice).
        display BLOB,
        original BLOB NOT NULL
      );
      CREATE TABLE mask_revisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        png BLOB NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('human', 'pseudo-accepted', 'import')),
        created_at TEXT NOT NULL,
        labeled_fraction REAL NOT NULL,
        class_pixels TEXT NOT NULL
      );
      CREATE INDEX mask_revisions_image ON mask_revisions (image_id, id);
      CREATE TRIGGER mask_revisions_no_update BEFORE UPDATE ON mask_revisions
        BEGIN SELECT RAISE(ABORT, 'mask revisions are append-only'); END;
      CREATE TRIGGER mask_revisions_no_delete BEFORE DELETE ON mask_revisions
        WHEN EXISTS (SELECT 1 FROM images WHERE id = OLD.image_id)
        BEGIN SELECT RAISE(ABORT, 'mask revisions are append-only'); END;
      CREATE TABLE masks (
        image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
        revision_id INTEGER NOT NULL REFERENCES mask_revisions (id),
        labeled_fraction REAL NOT NULL,
        source TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX masks_fraction ON masks (labeled_fraction);
      CREATE TABLE image_class_pixels (
        image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        class_index INTEGER NOT NULL,
        pixels INTEGER NOT NULL CHECK (pixels > 0),
        source TEXT NOT NULL,
        PRIMARY KEY (image_id, class_index)
      ) WITHOUT ROWID;
      CREATE INDEX image_class_pixels_class ON image_class_pixels (class_index, image_id);
    `,
  },
  {
    version: 2,
    description: 'training runs and their checkpoints',
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        config TEXT NOT NULL,
        backend TEXT,
        epochs TEXT NOT NULL DEFAULT '[]',
        best_metric_name TEXT,
        best_metric REAL,
        error TEXT
      );
      CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        metric_name TEXT,
        metric_value REAL,
        is_best INTEGER NOT NULL DEFAULT 0,
        topology TEXT NOT NULL,
        weights BLOB NOT NULL
      );
      CREATE INDEX checkpoints_run ON checkpoints (run_id, epoch);
    `,
  },
  {
    version: 3,
    description: 'pseudo-labelling rounds and their per-image predictions awaiting review',
    sql: `
      CREATE TABLE rounds (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
        checkpoint_id INTEGER REFERENCES checkpoints (id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
        params TEXT NOT NULL DEFAULT '{}'
      );
      CREATE TABLE pseudo_labels (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
        image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
        mask_png BLOB NOT NULL,
        confidence_png BLOB,
        mean_confidence REAL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected', 'edited')),
        created_at TEXT NOT NULL,
        decided_at TEXT,
        decision_ms INTEGER,
        UNIQUE (round_id, image_id)
      );
      CREATE INDEX pseudo_labels_image ON pseudo_labels (image_id);
      CREATE INDEX pseudo_labels_status ON pseudo_labels (round_id, status);
    `,
  },
  {
    version: 4,
    description: 'training engine: the device a run used, optimizer state and loop state of each checkpoint',
    sql: `
      ALTER TABLE runs ADD COLUMN device TEXT;
      ALTER TABLE checkpoints ADD COLUMN optimizer BLOB;
      ALTER TABLE checkpoints ADD COLUMN state TEXT NOT NULL DEFAULT '{}';
    `,
  },
  {
    version: 5,
    description: 'self-supervised pretraining: a run is a training run or a pretraining run (whose checkpoint is an encoder)',
    sql: `
      ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'train' CHECK (kind IN ('train', 'pretrain'));
      CREATE INDEX runs_kind ON runs (kind, id);
    `,
  },
  {
    version: 6,
    description: 'review of pseudo-labels: scores, kept class pixels, the revisions accepting made and replaced, round rollback',
    sql: `
      ALTER TABLE pseudo_labels ADD COLUMN score REAL;
      ALTER TABLE pseudo_labels ADD COLUMN uncertainty REAL;
      ALTER TABLE pseudo_labels ADD COLUMN rare_content REAL;
      ALTER TABLE pseudo_labels ADD COLUMN kept_fraction REAL;
      ALTER TABLE pseudo_labels ADD COLUMN class_pixels TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE pseudo_labels ADD COLUMN accepted_revision_id INTEGER;
      ALTER TABLE pseudo_labels ADD COLUMN previous_revision_id INTEGER;
      ALTER TABLE rounds ADD COLUMN rolled_back_at TEXT;
      CREATE INDEX pseudo_labels_score ON pseudo_labels (round_id, score DESC);
    `,
  },
  {
    version: 7,
    description: 'linked originals: an original too large for a blob is kept by absolute path, size and modification time (its hash is images.content_hash)',
    sql: `
      -- A linked image keeps an empty image_blobs.original and always a display rendition of its own.
      CREATE TABLE image_links (
        image_id INTEGER PRIMARY KEY REFERENCES images (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        byte_size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL
      );
    `,
  },
  {
    version: 8,
    description: 'runs record their trainer process (pid and host name), so a run left running by a process that is gone can be told apart from one still training elsewhere',
    sql: `
      ALTER TABLE runs ADD COLUMN trainer_pid INTEGER;
      ALTER TABLE runs ADD COLUMN trainer_host TEXT;
    `,
  },
  {
    version: 9,
    description: 'runs keep a report (JSON): why the run stopped, how its budget was spent, the recipe race and the calibrated decision thresholds',
    sql: `
      ALTER TABLE runs ADD COLUMN report TEXT;
    `,
  },
  {
    version: 10,
    description: 'rounds record their owner process (pid and host name) and why a round failed, so a round left running by a killed process becomes failed with that reason on open',
    sql: `
      ALTER TABLE rounds ADD COLUMN owner_pid INTEGER;
      ALTER TABLE rounds ADD COLUMN owner_host TEXT;
      ALTER TABLE rounds ADD COLUMN error TEXT;
      ALTER TABLE rounds ADD COLUMN finished_at TEXT;
    `,
  },
]

/** The schema version this build writes and the newest it can open. */
export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version

/**
 * Applies every migration above the file's user_version, up to `target`, in one transaction: a failure
 * leaves the file at its old version. Returns the version the file is at afterwards.
 */
export function migrate(db: Database.Database, target: number = LATEST_SCHEMA_VERSION): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const pending = migrations.filter((m) => m.version > current && m.version <= target)
  if (pending.length === 0) return current
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }
  })()
  return pending[pending.length - 1].version
}

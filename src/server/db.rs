//! The SQLite database: WAL, foreign keys, migrations applied at start.
//!
//! Writes go through a pool of one connection so that two writers never
//! race for SQLite's lock ("database is locked"); reads use a wider pool
//! that WAL lets run beside the writer.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqlitePool};

use super::config::Config;

/// The two pools over the one database file.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: SqlitePool,
    pub write: SqlitePool,
}

impl Db {
    pub async fn open(config: &Config) -> Result<Self, sqlx::Error> {
        std::fs::create_dir_all(&config.data_dir).map_err(sqlx::Error::Io)?;
        let url = format!("sqlite://{}", config.database_path().display());
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // Migrations run on a connection of their own with foreign keys off:
        // SQLite changes a CHECK constraint only by rebuilding the table, and
        // dropping the old table with foreign keys on would cascade-delete
        // every row that refers to it. The migrations keep the ids, so the
        // references stay right.
        let mut migrating = options.clone().foreign_keys(false).connect().await?;
        sqlx::migrate!("./migrations").run(&mut migrating).await?;
        migrating.close().await?;
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        // Entries saved before the search column existed become findable.
        super::entries::backfill_search(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Self { read, write })
    }
}

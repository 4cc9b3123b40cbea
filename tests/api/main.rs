//! Integration tests: the real server over HTTP with a fresh SQLite file.

mod ballots;
mod concurrency;
mod contest;
mod helpers;
mod honors;
mod import_cli;
mod judging;
mod mail;
mod security;
mod whole_contest;
mod youth;

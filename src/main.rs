#![recursion_limit = "256"]
//! The `sangtao` binary: serves the app, or runs an admin task.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use leptos::prelude::LeptosOptions;
use sangtao::app::auth::Role;
use sangtao::domain::text::{Email, FullName};
use sangtao::server::config::Config;
use sangtao::server::db::Db;
use sangtao::server::{
    assignments, auth, demo, editions, entries_import, judges_import, results, results_xlsx,
    scores_import, serve, time,
};

#[derive(Parser)]
#[command(
    name = "sangtao",
    version,
    about = "Hội thi Sáng tạo kỹ thuật: đăng ký, chấm điểm, kết quả"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve,
    /// Create the database if needed and apply pending migrations.
    Migrate,
    /// Create an organizer account; the password is read from standard input.
    CreateOrganizer {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Ban tổ chức")]
        name: String,
    },
    /// Load the demo edition (safe to run twice) and print demo sign-ins.
    Demo,
    /// List editions: id, a tab, name.
    Editions,
    /// Import data from a spreadsheet.
    Import {
        #[command(subcommand)]
        kind: ImportKind,
    },
    /// Export data to a spreadsheet.
    Export {
        #[command(subcommand)]
        kind: ExportKind,
    },
}

#[derive(Subcommand)]
enum ImportKind {
    /// Import a youth contest's entries (one row per member) from .xlsx,
    /// .xls or .ods; they are recorded as submitted by the first organizer.
    Entries {
        #[arg(long)]
        edition: i64,
        file: PathBuf,
        /// Report what would be imported and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import an honors edition's nominations (one row per candidate).
    Nominations {
        #[arg(long)]
        edition: i64,
        file: PathBuf,
        /// Report what would be imported and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import an edition's judges from .xlsx, .xls or .ods.
    Judges {
        #[arg(long)]
        edition: i64,
        file: PathBuf,
        /// Report what would be imported and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import who scores what: one row per entry × judge ("Mã GP", "Mã GK");
    /// each listed entry is scored by exactly the judges listed for it.
    Assignments {
        #[arg(long)]
        edition: i64,
        file: PathBuf,
        /// The round's id; by default the latest round with entries.
        #[arg(long)]
        round: Option<i64>,
        /// Report what would be assigned and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import a council's paper score sheet: one row per entry × judge
    /// ("Mã GP", "Mã GK"), one column per criterion ("TC1"…).
    Scores {
        #[arg(long)]
        edition: i64,
        file: PathBuf,
        /// The round's id; by default the latest round with entries.
        #[arg(long)]
        round: Option<i64>,
        /// Report what would be imported and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ExportKind {
    /// Write an edition's results workbook (.xlsx).
    Results {
        #[arg(long)]
        edition: i64,
        #[arg(long)]
        output: PathBuf,
    },
}

fn leptos_options() -> LeptosOptions {
    leptos::prelude::get_configuration(None)
        .map(|conf| conf.leptos_options)
        .unwrap_or_else(|_| LeptosOptions::builder().output_name("sangtao").build())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_sessions=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = Config::from_env();
    match run(cli.command.unwrap_or(Command::Serve), config).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("lỗi: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> Result<ExitCode, Box<dyn std::error::Error>> {
    match command {
        // The address goes to standard output: tests and scripts read it.
        Command::Serve => {
            let announce = |bound| println!("listening on http://{bound}");
            serve::serve(config, leptos_options(), announce).await?
        }
        Command::Migrate => {
            Db::open(&config).await?;
            println!("database ready: {}", config.database_path().display());
        }
        Command::CreateOrganizer { email, name } => {
            create_organizer(&config, &email, &name).await?
        }
        Command::Demo => {
            let db = Db::open(&config).await?;
            let accounts = demo::load(&db.write, &config).await?;
            println!(
                "Demo editions loaded (technical, youth, honors). Sign in at {} with:",
                config.public_url
            );
            for account in accounts {
                println!(
                    "  {:<11} {:<28} {}",
                    account.role, account.email, account.password
                );
            }
        }
        Command::Editions => {
            let db = Db::open(&config).await?;
            for edition in editions::list(&db.read).await? {
                println!(
                    "{}\t{} lần thứ {} ({})",
                    edition.id, edition.name, edition.number, edition.year
                );
            }
        }
        Command::Import {
            kind:
                ImportKind::Judges {
                    edition,
                    file,
                    dry_run,
                },
        } => {
            let db = Db::open(&config).await?;
            editions::rules(&db.read, edition).await?;
            let mut report = judges_import::read(&file)?;
            judges_import::vet(&db.read, &mut report).await?;
            for problem in &report.rejections {
                println!("{problem}");
            }
            let counts = report.counts_json();
            if !dry_run {
                let outcome = judges_import::apply(
                    &db.write,
                    &sangtao::server::mail::Site::of(&config),
                    edition,
                    report,
                )
                .await?;
                for link in outcome.links {
                    eprintln!("set-password link for {}: {}", link.email, link.url);
                }
            }
            println!("{counts}");
        }
        Command::Import {
            kind:
                ImportKind::Assignments {
                    edition,
                    file,
                    round,
                    dry_run,
                },
        } => {
            let db = Db::open(&config).await?;
            let round = match round {
                Some(round) => round,
                None => scores_import::current_round(&db.read, edition).await?,
            };
            let actor = entries_import::first_organizer(&db.read).await?;
            let report =
                assignments::import(&db.write, actor, edition, round, &file, dry_run).await?;
            for problem in &report.rejections {
                println!("{problem}");
            }
            println!("{}", report.counts_json());
        }
        Command::Import {
            kind:
                ImportKind::Scores {
                    edition,
                    file,
                    round,
                    dry_run,
                },
        } => {
            let db = Db::open(&config).await?;
            let round = match round {
                Some(round) => round,
                None => scores_import::current_round(&db.read, edition).await?,
            };
            let report = scores_import::check(&db.write, edition, round, &file).await?;
            for problem in &report.rejections {
                println!("{problem}");
            }
            for note in &report.notes {
                eprintln!("note: {note}");
            }
            if !dry_run {
                scores_import::apply(&db.write, None, edition, &report).await?;
            }
            println!("{}", report.counts_json());
        }
        Command::Import {
            kind:
                ImportKind::Entries {
                    edition,
                    file,
                    dry_run,
                },
        } => {
            let db = Db::open(&config).await?;
            let rules = editions::youth_rules(&db.read, edition).await?;
            let (report, rows) = entries_import::read_youth(&file, &rules)?;
            print_report(&report);
            if !dry_run {
                let actor = entries_import::first_organizer(&db.read).await?;
                entries_import::apply_youth(&db.write, edition, actor, &rows, &file_label(&file))
                    .await?;
            }
            println!("{}", report.counts_json());
        }
        Command::Import {
            kind:
                ImportKind::Nominations {
                    edition,
                    file,
                    dry_run,
                },
        } => {
            let db = Db::open(&config).await?;
            let rules = editions::honor_rules(&db.read, edition).await?;
            let (report, rows) = entries_import::read_nominations(&file, &rules)?;
            print_report(&report);
            if !dry_run {
                let actor = entries_import::first_organizer(&db.read).await?;
                entries_import::apply_nominations(
                    &db.write,
                    edition,
                    actor,
                    &rows,
                    &file_label(&file),
                )
                .await?;
            }
            println!("{}", report.counts_json());
        }
        Command::Export {
            kind: ExportKind::Results { edition, output },
        } => {
            let db = Db::open(&config).await?;
            let results = results::compute(&db.read, edition).await?;
            let bytes = results_xlsx::build(&config.letterhead(), &results)?;
            std::fs::write(&output, bytes)?;
            println!("wrote {}", output.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints an entry import's problems, then its remarks on standard error.
fn print_report(report: &sangtao::app::entries::EntryImportReport) {
    for problem in &report.rejections {
        println!("{problem}");
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
}

fn file_label(file: &std::path::Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

async fn create_organizer(
    config: &Config,
    email: &str,
    name: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let email = Email::parse(email)?;
    let name = FullName::parse(name)?;
    let mut password = String::new();
    std::io::stdin().lock().read_line(&mut password)?;
    let password = password.trim_end_matches(['\r', '\n']);
    auth::check_new_password(password)?;
    let hash = auth::hash_password(password)?;
    let db = Db::open(config).await?;
    sqlx::query("INSERT INTO users (email, full_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)")
        .bind(email.as_str())
        .bind(name.as_str())
        .bind(Role::Organizer.as_db())
        .bind(hash)
        .bind(time::now_text())
        .execute(&db.write)
        .await?;
    println!("organizer {email} created");
    Ok(())
}

//! `kox`: the one binary — serve, migrate, user, token, demo, backup.

mod config;
mod demo;

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use kox_domain::access::{Group, Role};
use kox_store::members::NewMember;
use kox_store::{Caller, Store};

use crate::config::Config;

/// mimalloc instead of glibc's malloc: a request's rows are allocated on the SQLite
/// connection's thread and freed on the runtime's, and glibc serialises such frees on its arena
/// locks (a sixth of a list request's time went to waiting on them, under load).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "kox",
    version,
    about = "KOX — operations platform for KOL/KOC/KOE/KOS matrices"
)]
struct Cli {
    /// Configuration file (default: ./kox.toml if it exists).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API, the web UI and background tasks.
    Serve {
        /// Seed the demo workspace if the database is empty.
        #[arg(long)]
        demo: bool,
        /// Address to listen on (overrides KOX_BIND).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply database migrations (serve does this too).
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Seed the demo workspace (×N accounts with --scale, for benchmarks).
    Demo {
        #[arg(long, default_value_t = 1)]
        scale: usize,
    },
    /// Consistent online copy of the SQLite database to FILE.
    Backup { file: PathBuf },
    /// The job queue (deliveries, reminders): list queued or dead jobs, retry a dead one.
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
}

#[derive(Subcommand)]
enum JobsCommand {
    /// List jobs, newest first.
    List {
        /// queued, running, done, dead or cancelled (default: queued and dead)
        #[arg(long)]
        state: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u64,
    },
    /// Queue a dead job again now, its attempts reset.
    Retry { id: i64 },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user to a workspace (created if none exists). Password from stdin or a prompt.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, director, editor, planner, operator, analyst, media, viewer
        #[arg(long)]
        role: String,
        /// strategy, content_hub, operations, data_support (default from the role)
        #[arg(long)]
        group: Option<String>,
        /// Workspace id or name; a new workspace of that name is created if none matches.
        #[arg(long)]
        workspace: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
}

fn main() -> std::process::ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KOX_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into());
    // Logs go to stderr: stdout carries what commands print for scripts (tokens, versions).
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn open(cfg: &Config) -> Result<Store, String> {
    let store = Store::open(&cfg.database_url, cfg.durability)
        .await
        .map_err(|e| {
            format!(
                "cannot open the database {}: {e}",
                kox_store_redact(&cfg.database_url)
            )
        })?;
    let report = store
        .migrate(Some(&cfg.data_dir.join("backups")))
        .await
        .map_err(|e| format!("migration failed: {e}"))?;
    if let Some(b) = &report.backup {
        tracing::info!(backup = %b.display(), "backed up the database before migrating");
    }
    for (v, name) in &report.applied {
        tracing::info!(version = v, name, "applied migration");
    }
    Ok(store)
}

fn kox_store_redact(url: &str) -> String {
    kox_store::redact_url(url)
}

async fn run(cli: Cli) -> Result<(), String> {
    let cfg = Config::load(cli.config.as_deref())?;
    match cli.command {
        // Boxed: the server's future is large (clippy::large_futures).
        Command::Serve { demo, bind } => Box::pin(serve(&cfg, demo, bind)).await,
        Command::Migrate => {
            let store = open(&cfg).await?;
            println!(
                "schema version {}",
                store.schema_version().await.map_err(|e| e.to_string())?
            );
            Ok(())
        }
        Command::Demo { scale } => {
            let store = open(&cfg).await?;
            let s = Box::pin(demo::seed(&store, scale)).await?;
            println!(
                "seeded workspace {} with {} accounts",
                s.workspace, s.accounts
            );
            print_logins();
            Ok(())
        }
        Command::Jobs { command } => {
            let store = open(&cfg).await?;
            jobs_command(&store, command).await
        }
        Command::Backup { file } => {
            let store = open(&cfg).await?;
            store.backup_to(&file).await.map_err(|e| e.to_string())?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    group,
                    workspace,
                },
        } => {
            let store = open(&cfg).await?;
            add_user(
                &store,
                &email,
                &name,
                &role,
                group.as_deref(),
                workspace.as_deref(),
            )
            .await
        }
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => {
            let store = open(&cfg).await?;
            let user = store
                .find_credentials(&email)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no user with e-mail {email}"))?
                .user;
            let token = format!("{}{}", kox_server::TOKEN_PREFIX, kox_server::new_secret());
            store
                .create_token(
                    &Caller::system(),
                    user.id,
                    &name,
                    kox_server::hash_secret(&token),
                )
                .await
                .map_err(|e| e.to_string())?;
            println!("{token}");
            eprintln!("This token is shown once. Send it as: Authorization: Bearer <token>");
            Ok(())
        }
    }
}

async fn jobs_command(store: &Store, command: JobsCommand) -> Result<(), String> {
    use kox_domain::jobs::JobState;
    match command {
        JobsCommand::List { state, limit } => {
            let states = match state.as_deref() {
                Some(s) => vec![JobState::parse(s).ok_or_else(|| {
                    format!("unknown state {s:?}: queued, running, done, dead or cancelled")
                })?],
                None => vec![JobState::Queued, JobState::Dead],
            };
            println!(
                "{:>8}  {:<9} {:<17} {:>8}  {:<25} {:<32} last error",
                "id", "state", "kind", "attempts", "run at", "key"
            );
            for s in states {
                for j in store
                    .list_jobs(None, Some(s), limit)
                    .await
                    .map_err(|e| e.to_string())?
                {
                    println!(
                        "{:>8}  {:<9} {:<17} {:>4}/{:<3}  {:<25} {:<32} {}",
                        j.id,
                        j.state.as_str(),
                        j.kind.as_str(),
                        j.attempts,
                        j.max_attempts,
                        j.run_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        j.idempotency_key,
                        j.last_error.unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
        JobsCommand::Retry { id } => {
            let j = store.retry_job(None, id).await.map_err(|e| match e {
                kox_store::StoreError::NotFound => format!("no job {id}"),
                other => other.to_string(),
            })?;
            println!("job {} queued again ({})", j.id, j.kind.as_str());
            Ok(())
        }
    }
}

fn default_group(role: Role) -> Group {
    match role {
        Role::Editor | Role::Planner => Group::ContentHub,
        Role::Operator => Group::Operations,
        Role::Analyst | Role::Media => Group::DataSupport,
        Role::Admin | Role::Director | Role::Viewer => Group::Strategy,
    }
}

fn read_password() -> Result<String, String> {
    let pw = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?
    } else {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| e.to_string())?;
        s.lines().next().unwrap_or("").to_owned()
    };
    kox_domain::members::check_password(&pw).map_err(|e| e.message)?;
    Ok(pw)
}

async fn add_user(
    store: &Store,
    email: &str,
    name: &str,
    role: &str,
    group: Option<&str>,
    workspace: Option<&str>,
) -> Result<(), String> {
    let role = Role::parse(role).ok_or_else(|| format!("unknown role {role:?}"))?;
    let group = match group {
        Some(g) => Group::parse(g).ok_or_else(|| format!("unknown group {g:?}"))?,
        None => default_group(role),
    };
    let existing = store
        .find_credentials(email)
        .await
        .map_err(|e| e.to_string())?;
    let password_hash = if existing.is_none() {
        let pw = read_password()?;
        Some(
            kox_server::hash_password_bounded(&pw)
                .await
                .map_err(|e| format!("{e:?}"))?,
        )
    } else {
        None
    };
    let sys = Caller::system();
    let found = store
        .find_workspace(workspace)
        .await
        .map_err(|e| e.to_string())?;
    let ws = match (found, workspace) {
        (Some(ws), _) => ws,
        (None, None) if store.count_workspaces().await.map_err(|e| e.to_string())? > 0 => {
            return Err(
                "this installation has several workspaces; name one with --workspace ID_OR_NAME"
                    .into(),
            );
        }
        (None, name) => {
            store
                .create_workspace(&sys, name.unwrap_or("我的品牌"), "Asia/Shanghai")
                .await
                .map_err(|e| e.to_string())?
                .id
        }
    };
    let m = store
        .add_member(
            &sys,
            ws,
            NewMember {
                email,
                name,
                role,
                group,
                password_hash,
            },
        )
        .await
        .map_err(|e| match e {
            kox_store::StoreError::Invalid(f) => format!("{}: {}", f.field, f.message),
            other => other.to_string(),
        })?;
    println!(
        "{} <{}> is now {} in workspace {}",
        m.name,
        m.email,
        role.as_str(),
        ws
    );
    Ok(())
}

fn print_logins() {
    println!("Demo logins (password: {}):", demo::DEMO_PASSWORD);
    for (email, name, role, _) in demo::TEAM.iter().take(8) {
        println!("  {:<10} {email:<22} {name}", role.as_str());
    }
}

async fn serve(cfg: &Config, demo: bool, bind: Option<String>) -> Result<(), String> {
    let started = std::time::Instant::now();
    let store = open(cfg).await?;
    let empty = store.count_workspaces().await.map_err(|e| e.to_string())? == 0;
    if demo && empty {
        let s = Box::pin(demo::seed(&store, 1)).await?;
        tracing::info!(accounts = s.accounts, "seeded the demo workspace");
    }
    let bind = bind.unwrap_or_else(|| cfg.bind.clone());
    let shutdown = shutdown_signal();
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let settings = kox_server::Settings {
        secure_cookies: cfg.secure_cookies,
        trusted_proxies: cfg.trusted_proxies.clone(),
        allow_private_targets: cfg.allow_private_targets,
        public_url: cfg.public_url.clone(),
        job_lease: cfg.job_lease,
        ..Default::default()
    };
    if cfg.public_url.is_none() {
        tracing::info!(
            "public_url is not set: bot messages and e-mails will say that no link to KOX could be added"
        );
    }
    store.listen_for_changes();
    let state = kox_server::AppState::new(store.clone(), settings);
    if cfg.run_jobs {
        tokio::spawn(kox_server::jobs::run(state.clone()));
    } else {
        tracing::info!(
            "run_jobs is off: this node serves the API; another node sends notifications and runs reminders"
        );
    }
    let idle = state.settings.session_idle;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_hours(1));
        loop {
            tick.tick().await;
            if let Err(e) = store.purge_sessions(idle).await {
                tracing::warn!(error = %e, "purging expired sessions failed");
            }
        }
    });
    println!(
        "KOX is running at http://{bind}  (ready in {} ms)",
        started.elapsed().as_millis()
    );
    if demo {
        print_logins();
    } else if empty {
        println!(
            "No workspace yet. Create the first admin with:\n  kox user add --email you@example.com --name 你的名字 --role admin"
        );
    }
    kox_server::serve(listener, state, shutdown)
        .await
        .map_err(|e| e.to_string())
}

/// Resolves on SIGTERM or Ctrl-C. The handlers are registered when this is called, before the
/// server answers anything, not when the future is first polled (`serve` polls it in a task of
/// its own, which may run after the first answer): a service manager that stops a server it
/// has just seen answer must not find its SIGTERM ignored.
fn shutdown_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (term, int) = signals;
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! { () = wait(term) => {}, () = wait(int) => {} }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down");
    }
}

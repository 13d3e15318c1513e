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
    /// Import a file (a platform export of post data, or accounts): the same reading, preview
    /// and commit as the web's 导入, with a progress line.
    Import {
        file: PathBuf,
        /// The workspace (id or name; default: the only one).
        #[arg(long)]
        workspace: Option<String>,
        /// post_metrics or accounts.
        #[arg(long, default_value = "post_metrics")]
        kind: String,
        /// A preset: xiaohongshu_notes, douyin_works, weibo_posts, bilibili_videos,
        /// wechat_channels_posts.
        #[arg(long, conflicts_with = "mapping")]
        preset: Option<String>,
        /// A saved mapping of the workspace (its name or id) for this kind of file.
        #[arg(long)]
        mapping: Option<String>,
        /// The account every row is about (its id), for a per-account export.
        #[arg(long)]
        account: Option<i64>,
        /// Force the text encoding (utf-8, gbk, gb18030, utf-16).
        #[arg(long)]
        encoding: Option<String>,
        /// The day the counts are as of (YYYY-MM-DD; default: today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Preview only: counts and errors, nothing written.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows and leave out the invalid ones.
        #[arg(long)]
        skip_invalid: bool,
    },
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
    store.set_files_dir(cfg.data_dir.join("files"));
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
        Command::Import {
            file,
            workspace,
            kind,
            preset,
            mapping,
            account,
            encoding,
            as_of,
            dry_run,
            skip_invalid,
        } => {
            let store = open(&cfg).await?;
            let ws = store
                .find_workspace(workspace.as_deref())
                .await
                .map_err(|e| e.to_string())?
                .ok_or("no such workspace (give --workspace with its id or name)")?;
            let kind = kox_domain::imports::ImportKind::parse(&kind)
                .ok_or("--kind is post_metrics or accounts")?;
            let mapping_id = match mapping {
                Some(m) => {
                    let saved = store
                        .list_import_mappings(ws, Some(kind))
                        .await
                        .map_err(|e| e.to_string())?;
                    let found = saved
                        .iter()
                        .find(|x| x.name == m || x.id.to_string() == m)
                        .ok_or_else(|| format!("no saved {} mapping \"{m}\"", kind.as_str()))?;
                    Some(found.id)
                }
                None => None,
            };
            let options = kox_domain::imports::ImportOptions {
                preset,
                mapping_id,
                account_id: account,
                encoding,
                sheet: None,
                as_of,
            };
            import_command(&store, ws, kind, &file, options, dry_run, skip_invalid).await
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

/// `kox import`: upload, preview (its errors by row and column), commit with a progress line.
async fn import_command(
    store: &Store,
    ws: kox_domain::WorkspaceId,
    kind: kox_domain::imports::ImportKind,
    file: &std::path::Path,
    options: kox_domain::imports::ImportOptions,
    dry_run: bool,
    skip_invalid: bool,
) -> Result<(), String> {
    use kox_domain::imports::ImportKind;
    let caller = Caller::system();
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let started = std::time::Instant::now();
    let import = if kind == ImportKind::Accounts {
        let sheet = kox_domain::imports::sheet::read(&name, &bytes).map_err(|e| e.message)?;
        store
            .create_import_mapped(&caller, ws, kind, &name, sheet, options.mapping_id)
            .await
    } else {
        store
            .create_file_import(&caller, ws, kind, &name, bytes, options)
            .await
    }
    .map_err(|e| e.to_string())?;
    eprintln!(
        "{name}: {} rows (header on row {}, {}), import {}",
        import.total_rows,
        import.header_row,
        import.encoding.as_deref().unwrap_or("workbook"),
        import.id
    );
    // With --skip-invalid (and without --dry-run) the commit checks every row as it writes and
    // lists the refused ones: the file is read once.
    if skip_invalid && !dry_run && kind != ImportKind::Accounts {
        return commit_import(store, ws, &import, skip_invalid, started).await;
    }
    let preview = store
        .preview_import(&caller, ws, import.id, &import.mapping, &[])
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "preview: {} new, {} changed, {} unchanged, {} with errors",
        preview.creates, preview.updates, preview.unchanged, preview.invalid
    );
    if let Some(p) = &preview.posts {
        println!(
            "posts: {} by id or link, {} by title and time, {} weak, {} ambiguous, {} new",
            p.by_id, p.by_title, p.weak, p.ambiguous, p.new_posts
        );
    }
    for i in preview.issues.iter().take(50) {
        println!(
            "  row {} {} ({}): {} [{}] {:?}",
            i.row,
            i.column_letter.as_deref().unwrap_or("-"),
            i.header.as_deref().unwrap_or(&i.field),
            i.message,
            i.code,
            i.value
        );
    }
    if preview.issue_count > 50 {
        println!("  … {} more", preview.issue_count - 50);
    }
    if dry_run {
        return Ok(());
    }
    commit_import(store, ws, &import, skip_invalid, started).await
}

/// Commits an uploaded import with a progress line, then prints what it did and the rows it
/// left out.
async fn commit_import(
    store: &Store,
    ws: kox_domain::WorkspaceId,
    import: &kox_domain::imports::Import,
    skip_invalid: bool,
    started: std::time::Instant,
) -> Result<(), String> {
    use kox_domain::imports::{CommitRequest, ImportStatus};
    use std::io::Write as _;
    let caller = Caller::system();
    let req = CommitRequest {
        mapping: import.mapping.clone(),
        skip_invalid,
        resolutions: Vec::new(),
    };
    store
        .start_import(&caller, ws, import.id, &req)
        .await
        .map_err(|e| e.to_string())?;
    let runner = {
        let store = store.clone();
        let id = import.id;
        tokio::spawn(async move { store.run_import(&Caller::system(), ws, id, &req).await })
    };
    let total = u64::from(import.total_rows.max(1));
    while !runner.is_finished() {
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if let Ok(i) = store.get_import(ws, import.id).await {
            let pct = u64::from(i.done_rows) * 100 / total;
            let bar = "#".repeat((pct / 4) as usize);
            eprint!(
                "\r[{bar:<25}] {pct:>3}%  {}/{} rows",
                i.done_rows, import.total_rows
            );
            let _ = std::io::stderr().flush();
        }
    }
    eprintln!();
    let done = runner
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let r = done.result.unwrap_or_default();
    println!(
        "{}: {} new, {} changed, {} unchanged, {} skipped, {} new posts in {:.2} s",
        if done.status == ImportStatus::Done {
            "done"
        } else {
            "stopped"
        },
        r.created,
        r.updated,
        r.unchanged,
        r.skipped,
        r.new_posts,
        started.elapsed().as_secs_f64()
    );
    for i in r.issues.iter().take(50) {
        println!(
            "  left out row {} {} ({}): {} [{}] {:?}",
            i.row,
            i.column_letter.as_deref().unwrap_or("-"),
            i.header.as_deref().unwrap_or(&i.field),
            i.message,
            i.code,
            i.value
        );
    }
    if let Some(e) = r.error {
        return Err(e);
    }
    Ok(())
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

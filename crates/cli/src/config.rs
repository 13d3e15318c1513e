//! Configuration: defaults, then an optional `kox.toml`, then `KOX_*` environment variables,
//! then command-line flags. Unknown keys in the file are errors; secrets are never printed.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    secure_cookies: Option<bool>,
    trusted_proxies: Option<Vec<String>>,
    durability: Option<String>,
    allow_private_targets: Option<bool>,
    public_url: Option<String>,
    run_jobs: Option<bool>,
    job_lease_seconds: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: String,
    pub data_dir: PathBuf,
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-Proto` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// What a commit waits for (`normal` or `full`), on either engine.
    pub durability: kox_store::Durability,
    /// Let notification channels and webhooks reach loopback and private addresses.
    pub allow_private_targets: bool,
    /// Where people open KOX (links in bot messages and e-mails).
    pub public_url: Option<String>,
    /// Run the job worker in this process (off: an API-only node; another node sends).
    pub run_jobs: bool,
    /// How long a claimed job stays with a server that stops answering.
    pub job_lease: std::time::Duration,
}

impl Config {
    /// `file`: an explicit config path (must exist); otherwise `./kox.toml` if present.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let fc = match file {
            Some(p) => read(p)?,
            None if Path::new("kox.toml").exists() => read(Path::new("kox.toml"))?,
            None => FileConfig::default(),
        };
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let data_dir = env("KOX_DATA_DIR")
            .map(PathBuf::from)
            .or(fc.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = env("KOX_DATABASE_URL")
            .or(fc.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("kox.db").display()));
        let bind = env("KOX_BIND")
            .or(fc.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let secure_cookies = match env("KOX_SECURE_COOKIES") {
            Some(v) => parse_bool("KOX_SECURE_COOKIES", &v)?,
            None => fc.secure_cookies.unwrap_or(false),
        };
        let proxies = match env("KOX_TRUSTED_PROXIES") {
            Some(v) => v
                .split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
            None => fc.trusted_proxies.unwrap_or_default(),
        };
        let trusted_proxies = proxies
            .iter()
            .map(|p| {
                p.parse::<std::net::IpAddr>()
                    .map_err(|_| format!("trusted_proxies: {p:?} is not an IP address"))
            })
            .collect::<Result<_, _>>()?;
        let durability = match env("KOX_DURABILITY").or(fc.durability) {
            Some(v) => v.parse()?,
            None => kox_store::Durability::default(),
        };
        let allow_private_targets = match env("KOX_ALLOW_PRIVATE_TARGETS") {
            Some(v) => parse_bool("KOX_ALLOW_PRIVATE_TARGETS", &v)?,
            None => fc.allow_private_targets.unwrap_or(false),
        };
        let public_url = match env("KOX_PUBLIC_URL").or(fc.public_url) {
            Some(u) => Some(
                kox_domain::validation::http_url("public_url", &u)
                    .map_err(|e| format!("public_url: {}", e.message))?
                    .trim_end_matches('/')
                    .to_owned(),
            ),
            None => None,
        };
        let run_jobs = match env("KOX_RUN_JOBS") {
            Some(v) => parse_bool("KOX_RUN_JOBS", &v)?,
            None => fc.run_jobs.unwrap_or(true),
        };
        let job_lease_seconds = match env("KOX_JOB_LEASE_SECONDS") {
            Some(v) => v
                .parse::<u64>()
                .map_err(|_| format!("KOX_JOB_LEASE_SECONDS: {v:?} is not a number of seconds"))?,
            None => fc.job_lease_seconds.unwrap_or(60),
        };
        if !(2..=3600).contains(&job_lease_seconds) {
            return Err("job_lease_seconds must be from 2 to 3600".into());
        }
        Ok(Config {
            job_lease: std::time::Duration::from_secs(job_lease_seconds),
            run_jobs,
            allow_private_targets,
            public_url,
            database_url,
            bind,
            data_dir,
            secure_cookies,
            trusted_proxies,
            durability,
        })
    }
}

fn read(p: &Path) -> Result<FileConfig, String> {
    let text =
        std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", p.display()))
}

fn parse_bool(key: &str, v: &str) -> Result<bool, String> {
    match v {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("{key} must be true or false, not {v:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_in_the_config_file_are_errors() {
        let e = toml::from_str::<FileConfig>("bind = \"0.0.0.0:80\"\ndatabse_url = \"x\"\n")
            .unwrap_err();
        assert!(e.to_string().contains("databse_url"), "{e}");
    }

    #[test]
    fn known_keys_parse() {
        let c: FileConfig = toml::from_str(
            "bind = \"0.0.0.0:80\"\nsecure_cookies = true\ntrusted_proxies = [\"10.0.0.2\"]\n",
        )
        .unwrap();
        assert_eq!(c.bind.as_deref(), Some("0.0.0.0:80"));
        assert_eq!(c.secure_cookies, Some(true));
        assert_eq!(c.trusted_proxies, Some(vec!["10.0.0.2".to_owned()]));
        let c: FileConfig = toml::from_str("durability = \"full\"\n").unwrap();
        assert_eq!(
            c.durability.unwrap().parse::<kox_store::Durability>(),
            Ok(kox_store::Durability::Full)
        );
        assert!("fsync".parse::<kox_store::Durability>().is_err());
    }
}

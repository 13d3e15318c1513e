//! The file store: uploaded files kept for an import's commit, its undo and its annotated
//! download. One interface (`put`, `get`, `delete` by key); the one backend is a directory (by
//! default `files/` beside the SQLite database, or the data directory's `files/` that the
//! command line sets), written owner-only. An object store would be a second backend here.

use std::path::PathBuf;
use std::sync::RwLock;

use crate::Result;
use crate::db::other;

#[derive(Debug)]
pub struct Files {
    root: RwLock<PathBuf>,
}

impl Files {
    pub(crate) fn new(root: PathBuf) -> Files {
        Files {
            root: RwLock::new(root),
        }
    }

    pub(crate) fn set_root(&self, root: PathBuf) {
        if let Ok(mut r) = self.root.write() {
            *r = root;
        }
    }

    /// Keys are made here (`imports/<workspace>/<import>-<random>`): no user text in a path.
    fn path(&self, key: &str) -> Result<PathBuf> {
        if key.is_empty()
            || key.contains("..")
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
        {
            return Err(other(format!("not a file key: {key}")));
        }
        let root = self
            .root
            .read()
            .map_err(|_| other("the file store's lock is poisoned".into()))?
            .clone();
        Ok(root.join(key))
    }

    /// A new file under `key`, to be written as an upload arrives.
    pub async fn create(&self, key: &str) -> Result<tokio::fs::File> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| other(format!("cannot create {}: {e}", dir.display())))?;
        }
        let file = tokio::fs::File::create(&path)
            .await
            .map_err(|e| other(format!("cannot write {}: {e}", path.display())))?;
        restrict(&path);
        Ok(file)
    }

    /// The file to read as a stream (a large file is not loaded whole).
    pub fn open(&self, key: &str) -> Result<std::fs::File> {
        let path = self.path(key)?;
        std::fs::File::open(&path)
            .map_err(|e| other(format!("cannot read {}: {e}", path.display())))
    }

    pub async fn delete(&self, key: &str) -> Result<()> {
        let path = self.path(key)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(other(format!("cannot delete {}: {e}", path.display()))),
        }
    }
}

#[cfg(unix)]
fn restrict(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt as _;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict(_: &std::path::Path) {}

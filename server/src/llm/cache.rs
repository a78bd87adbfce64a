//! Answers kept in memory and on disk, in the user's cache folder (`ARCHLENS_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/archlens`, else `~/.cache/archlens`), under `llm/`. The disk cache is
//! bounded: beyond [`MAX_DISK_BYTES`], the oldest answers go.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Mutex;

/// The most the disk cache holds.
pub const MAX_DISK_BYTES: u64 = 16 * 1024 * 1024;
/// The most answers kept in memory.
const MAX_MEMORY_ENTRIES: usize = 512;

/// The folder of archlens's caches, when one can be named.
pub fn cache_root() -> Option<PathBuf> {
    if let Some(folder) = std::env::var_os("ARCHLENS_CACHE_DIR").filter(|folder| !folder.is_empty()) {
        return Some(PathBuf::from(folder));
    }
    if let Some(folder) = std::env::var_os("XDG_CACHE_HOME").filter(|folder| !folder.is_empty()) {
        return Some(PathBuf::from(folder).join("archlens"));
    }
    std::env::var_os("HOME").filter(|home| !home.is_empty()).map(|home| PathBuf::from(home).join(".cache").join("archlens"))
}

/// The key of an answer: the rule, the model and the redacted prompt.
pub fn key(rule: &str, model: &str, prompt: &str) -> String {
    // Two independent hashes: a collision would show one finding's explanation on another.
    let hash = |seed: u64| {
        let mut hasher = std::hash::DefaultHasher::new();
        seed.hash(&mut hasher);
        (rule, model, prompt).hash(&mut hasher);
        hasher.finish()
    };
    format!("{rule}-{:016x}{:016x}", hash(1), hash(2))
}

#[derive(Default)]
pub struct AnswerCache {
    memory: Mutex<HashMap<String, String>>,
}

impl AnswerCache {
    fn folder() -> Option<PathBuf> {
        cache_root().map(|root| root.join("llm"))
    }

    pub fn get(&self, key: &str) -> Option<String> {
        if let Some(answer) = self.memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(key) {
            return Some(answer.clone());
        }
        let answer = std::fs::read_to_string(Self::folder()?.join(format!("{key}.md"))).ok()?;
        self.remember(key, &answer);
        Some(answer)
    }

    pub fn put(&self, key: &str, answer: &str) {
        self.remember(key, answer);
        let Some(folder) = Self::folder() else { return };
        if std::fs::create_dir_all(&folder).is_err() {
            return;
        }
        // Written whole, then renamed: a reader never sees half an answer.
        let temporary = folder.join(format!(".{key}.{}.tmp", std::process::id()));
        if std::fs::write(&temporary, answer).is_ok() && std::fs::rename(&temporary, folder.join(format!("{key}.md"))).is_err() {
            let _ = std::fs::remove_file(&temporary);
        }
        prune(&folder);
    }

    fn remember(&self, key: &str, answer: &str) {
        let mut memory = self.memory.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if memory.len() >= MAX_MEMORY_ENTRIES {
            memory.clear();
        }
        memory.insert(key.to_owned(), answer.to_owned());
    }
}

/// Deletes the oldest answers until the folder holds at most [`MAX_DISK_BYTES`].
fn prune(folder: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let metadata = entry.metadata().ok()?;
            metadata.is_file().then(|| (metadata.modified().unwrap_or(std::time::UNIX_EPOCH), metadata.len(), entry.path()))
        })
        .collect();
    let mut total: u64 = files.iter().map(|(_, size, _)| size).sum();
    if total <= MAX_DISK_BYTES {
        return;
    }
    files.sort();
    for (_, size, path) in files {
        if total <= MAX_DISK_BYTES {
            break;
        }
        if std::fs::remove_file(&path).is_ok() {
            total -= size;
        }
    }
}

//! What git says changed: the files (and their lines) new or changed since a base revision,
//! committed or not, and the untracked ones. The base is the revision `--diff` names, or
//! the merge-base of `HEAD` with the default branch (`origin/HEAD`, else `origin/main`,
//! `origin/master`, `main`, `master`). git is run as a command, read-only; where it is
//! missing, or the folder is not in a repository, there is no answer.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::project::migrations::Changes;

/// The folder of the git repository that holds `path`: the nearest with a `.git`.
pub fn repository_of(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() { path } else { path.parent()? };
    start.ancestors().find(|folder| folder.join(".git").exists()).map(Path::to_path_buf)
}

/// The changes of the repository at `repository` since `base` (a revision), or since the
/// merge-base with the default branch.
pub fn changes(repository: &Path, base: Option<&str>) -> Option<Changes> {
    let base = match base {
        Some(revision) => git(repository, &["rev-parse", "--verify", "--quiet", &format!("{revision}^{{commit}}")])?.trim().to_owned(),
        None => default_base(repository)?,
    };
    let top = PathBuf::from(git(repository, &["rev-parse", "--show-toplevel"])?.trim());
    let diff = git(repository, &["-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff", "--no-renames", "-U0", &base, "--"])?;
    let mut changes = Changes { base, files: parse_diff(&top, &diff) };
    if let Some(untracked) = git(repository, &["ls-files", "--others", "--exclude-standard", "-z"]) {
        for path in untracked.split('\0').filter(|path| !path.is_empty()) {
            changes.files.insert(crate::openapi::project::normalize(&top.join(path)), None);
        }
    }
    Some(changes)
}

/// The merge-base of `HEAD` with the default branch; `HEAD` itself when there is no default
/// branch to compare with (then only what is not committed is new); the empty tree before
/// the first commit.
fn default_base(repository: &Path) -> Option<String> {
    let Some(head) = git(repository, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]) else {
        // Nothing committed yet: everything is new, compared with the empty tree.
        return git(repository, &["hash-object", "-t", "tree", "/dev/null"]).map(|tree| tree.trim().to_owned());
    };
    let head = head.trim().to_owned();
    let symbolic = git(repository, &["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]).map(|name| name.trim().to_owned());
    let candidates = symbolic.into_iter().chain(["origin/main", "origin/master", "main", "master"].map(str::to_owned));
    for branch in candidates {
        if git(repository, &["rev-parse", "--verify", "--quiet", &format!("{branch}^{{commit}}")]).is_some()
            && let Some(base) = git(repository, &["merge-base", "HEAD", &branch])
        {
            return Some(base.trim().to_owned());
        }
    }
    Some(head)
}

/// The new-side line ranges of each file of a `git diff -U0`.
fn parse_diff(top: &Path, diff: &str) -> HashMap<PathBuf, Option<Vec<std::ops::Range<u32>>>> {
    let mut files: HashMap<PathBuf, Option<Vec<std::ops::Range<u32>>>> = HashMap::new();
    let mut current: Option<PathBuf> = None;
    for line in diff.lines() {
        if let Some(path) = line.strip_prefix("+++ ") {
            current = path.strip_prefix("b/").map(|path| crate::openapi::project::normalize(&top.join(path)));
            if let Some(path) = &current {
                files.entry(path.clone()).or_insert_with(|| Some(Vec::new()));
            }
        } else if let (Some(hunk), Some(path)) = (line.strip_prefix("@@ "), &current) {
            // `@@ -a,b +c,d @@`: d lines from line c (1-based); d = 0 is a deletion after c.
            let Some(new) = hunk.split_whitespace().find(|part| part.starts_with('+')) else { continue };
            let mut numbers = new[1..].split(',');
            let start: u32 = numbers.next().and_then(|number| number.parse().ok()).unwrap_or(1);
            let count: u32 = numbers.next().and_then(|number| number.parse().ok()).unwrap_or(1);
            if count > 0
                && let Some(Some(ranges)) = files.get_mut(path)
            {
                ranges.push(start.saturating_sub(1)..start.saturating_sub(1) + count);
            }
        }
    }
    files
}

/// Runs git in `folder`, read-only (no optional locks, so that it never waits for nor
/// blocks another git); its output, or `None` when it fails.
fn git(folder: &Path, arguments: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("--no-optional-locks")
        .arg("-c")
        .arg("core.fsmonitor=false")
        .arg("-C")
        .arg(folder)
        .args(arguments)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    if !output.status.success() {
        tracing::debug!(?arguments, stderr = %String::from_utf8_lossy(&output.stderr).trim(), "git failed");
        return None;
    }
    String::from_utf8(output.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_lines_a_diff_changes() {
        let diff = "diff --git a/src/a.rs b/src/a.rs\n--- a/src/a.rs\n+++ b/src/a.rs\n@@ -3,0 +4,2 @@ fn a()\n+x\n+y\n@@ -10 +12 @@\n-a\n+b\n@@ -20,3 +23,0 @@\ndiff --git a/gone.rs b/gone.rs\n--- a/gone.rs\n+++ /dev/null\n";
        let files = parse_diff(Path::new("/w"), diff);
        assert_eq!(files[Path::new("/w/src/a.rs")], Some(vec![3..5, 11..12]));
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn changes_since_the_default_branch() {
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        let run = |arguments: &[&str]| {
            let status = Command::new("git").arg("-C").arg(root).args(arguments).stdout(Stdio::null()).stderr(Stdio::null()).status();
            assert!(status.is_ok_and(|status| status.success()), "git {arguments:?}");
        };
        if Command::new("git").arg("--version").output().is_err() {
            return;
        }
        run(&["init", "-q", "-b", "main"]);
        run(&["config", "user.email", "t@example.com"]);
        run(&["config", "user.name", "t"]);
        std::fs::create_dir_all(root.join("migrations")).unwrap();
        std::fs::write(root.join("migrations/0001_a.sql"), "CREATE TABLE a (id int PRIMARY KEY);\n").unwrap();
        run(&["add", "."]);
        run(&["commit", "-q", "-m", "a"]);
        run(&["checkout", "-q", "-b", "feature"]);
        std::fs::write(root.join("migrations/0002_b.sql"), "DROP TABLE a;\n").unwrap();
        run(&["add", "."]);
        run(&["commit", "-q", "-m", "b"]);
        std::fs::write(root.join("migrations/0003_c.sql"), "SELECT 1;\n").unwrap();
        let root = crate::openapi::project::normalize(&std::fs::canonicalize(root).unwrap());
        let changes = changes(&root, None).expect("a repository");
        assert!(!changes.touches(&root.join("migrations/0001_a.sql")), "on the default branch: released");
        assert!(changes.touches(&root.join("migrations/0002_b.sql")), "committed on the branch only");
        assert!(changes.touches(&root.join("migrations/0003_c.sql")), "not committed");
        let against_head = super::changes(&root, Some("HEAD")).unwrap();
        assert!(!against_head.touches(&root.join("migrations/0002_b.sql")) && against_head.touches(&root.join("migrations/0003_c.sql")));
        assert!(super::changes(&root, Some("no-such-revision")).is_none());
    }
}

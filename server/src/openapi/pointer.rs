//! JSON pointers (RFC 6901): the stable address of a node, used for `$ref`, suppressions,
//! and to find the exact range of a key or value.

use std::fmt;

use super::syntax::{Entry, Node, Span, Value};

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPointer(String);

impl JsonPointer {
    pub fn root() -> Self {
        Self(String::new())
    }

    /// Parses `/a/b~1c`; a missing leading slash is tolerated (`a/b`).
    pub fn parse(text: &str) -> Self {
        if text.is_empty() || text.starts_with('/') { Self(text.to_owned()) } else { Self(format!("/{text}")) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn child(&self, token: &str) -> Self {
        let mut pointer = String::with_capacity(self.0.len() + token.len() + 1);
        pointer.push_str(&self.0);
        pointer.push('/');
        if token.contains(['~', '/']) {
            pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
        } else {
            pointer.push_str(token);
        }
        Self(pointer)
    }

    pub fn index(&self, index: usize) -> Self {
        use std::fmt::Write;
        let mut pointer = String::with_capacity(self.0.len() + 8);
        pointer.push_str(&self.0);
        let _ = write!(pointer, "/{index}");
        Self(pointer)
    }

    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0.split('/').skip(1).map(unescape)
    }

    pub fn parent(&self) -> Option<Self> {
        let cut = self.0.rfind('/')?;
        Some(Self(self.0[..cut].to_owned()))
    }

    /// The last token, unescaped.
    pub fn last(&self) -> Option<String> {
        let cut = self.0.rfind('/')?;
        Some(unescape(&self.0[cut + 1..]))
    }

    /// True when `self` is `other` or one of its ancestors.
    pub fn contains(&self, other: &JsonPointer) -> bool {
        other.0 == self.0 || (other.0.starts_with(&self.0) && other.0.as_bytes().get(self.0.len()) == Some(&b'/'))
    }

    /// Ancestors from the root down to `self` itself.
    /// Where a finding is, for people: `GET /users` › `parameters` › `0` for an operation's
    /// parameter, `mod routes` › `fn create` for Rust.
    pub fn describe(&self) -> Option<String> {
        let tokens: Vec<String> = self.tokens().collect();
        if tokens.is_empty() {
            return None;
        }
        let mut parts: Vec<String> = Vec::new();
        let mut rest = &tokens[..];
        if rest.len() >= 3 && rest[0] == "paths" && DESCRIBED_METHODS.contains(&rest[2].as_str()) {
            parts.push(format!("`{} {}`", rest[2].to_ascii_uppercase(), rest[1]));
            rest = &rest[3..];
        } else if rest.len() >= 2 && rest[0] == "paths" {
            parts.push(format!("`{}`", rest[1]));
            rest = &rest[2..];
        }
        parts.extend(rest.iter().map(|token| format!("`{token}`")));
        Some(parts.join(" › "))
    }

    pub fn ancestors_and_self(&self) -> Vec<JsonPointer> {
        let mut all = vec![JsonPointer::root()];
        let mut current = JsonPointer::root();
        for token in self.tokens() {
            current = current.child(&token);
            all.push(current.clone());
        }
        all
    }
}

fn unescape(token: &str) -> String {
    if token.contains('~') { token.replace("~1", "/").replace("~0", "~") } else { token.to_owned() }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(if self.0.is_empty() { "/" } else { &self.0 })
    }
}

/// One step down a tree: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// A pointer as a list of steps below a base, made into a [`JsonPointer`] only when asked:
/// walks over whole documents visit every node but need the pointer of a few.
#[derive(Debug, Default)]
pub struct Path<'a> {
    steps: Vec<Step<'a>>,
}

impl<'a> Path<'a> {
    pub fn push(&mut self, step: Step<'a>) {
        self.steps.push(step);
    }

    pub fn pop(&mut self) {
        self.steps.pop();
    }

    pub fn truncate(&mut self, length: usize) {
        self.steps.truncate(length);
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn pointer(&self, base: &JsonPointer) -> JsonPointer {
        let mut pointer = base.clone();
        for step in &self.steps {
            pointer = match step {
                Step::Key(key) => pointer.child(key),
                Step::Index(index) => pointer.index(*index),
            };
        }
        pointer
    }
}

/// Walks the tree below `root` depth first, in document order, with the path of each node;
/// pointers are made only when `enter` asks its path for one. `enter` sees each child with
/// the path of its parent, the step to it and its parent's state, and returns the state to
/// walk below it with, or `None` to leave it out. An explicit stack keeps deep documents
/// from exhausting the thread's stack.
pub fn walk<'a, S: Copy>(root: &'a Node, state: S, mut enter: impl FnMut(&Path<'a>, Step<'a>, &'a Node, S) -> Option<S>) {
    let mut path = Path::default();
    let mut stack: Vec<(&'a Node, usize, Option<Step<'a>>, S)> = vec![(root, 0, None, state)];
    while let Some((node, depth, step, state)) = stack.pop() {
        path.truncate(depth);
        if let Some(step) = step {
            path.push(step);
        }
        let depth = path.len();
        match &node.value {
            Value::Map(entries) => {
                for entry in entries.iter().rev() {
                    let step = Step::Key(&entry.key);
                    if let Some(child) = enter(&path, step, &entry.value, state) {
                        stack.push((&entry.value, depth, Some(step), child));
                    }
                }
            }
            Value::Seq(items) => {
                for (index, item) in items.iter().enumerate().rev() {
                    let step = Step::Index(index);
                    if let Some(child) = enter(&path, step, item, state) {
                        stack.push((item, depth, Some(step), child));
                    }
                }
            }
            _ => {}
        }
    }
}

/// Where a pointer lands: the node, and the range of its key when its parent is a mapping.
pub struct Located<'a> {
    pub node: &'a Node,
    pub key_span: Option<Span>,
}

impl Located<'_> {
    /// The range to underline for a finding about this node: its key if it has one.
    pub fn key_or_value_span(&self) -> Span {
        self.key_span.clone().unwrap_or_else(|| self.node.span.clone())
    }
}

/// Mappings with at least this many keys are looked up through a [`KeyIndex`].
const INDEXED_FROM: usize = 64;

type KeyPositions = std::collections::HashMap<Box<str>, usize>;

/// The positions of the keys of large mappings (`components/schemas`, `paths`), built on
/// first use, so that following thousands of pointers does not scan thousands of keys each.
/// Mappings are known by address: an index belongs to one tree that does not move.
#[derive(Debug, Default)]
pub struct KeyIndex {
    maps: std::sync::RwLock<std::collections::HashMap<usize, std::sync::Arc<(usize, KeyPositions)>>>,
}

impl KeyIndex {
    /// The last entry named `key` (as [`Node::entry`]), found through the index.
    pub fn entry<'a>(&self, node: &'a Node, key: &str) -> Option<&'a Entry> {
        let entries = node.as_map()?;
        if entries.len() < INDEXED_FROM {
            return node.entry(key);
        }
        let address = std::ptr::from_ref(node) as usize;
        let known = self.maps.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&address).cloned();
        let positions = match known {
            Some(positions) if positions.0 == entries.len() => positions,
            _ => {
                // Later duplicates overwrite earlier ones: the last key wins, as in `entry`.
                let built: KeyPositions = entries.iter().enumerate().map(|(index, entry)| (entry.key.as_str().into(), index)).collect();
                let positions = std::sync::Arc::new((entries.len(), built));
                self.maps.write().unwrap_or_else(std::sync::PoisonError::into_inner).insert(address, positions.clone());
                positions
            }
        };
        match positions.1.get(key).and_then(|index| entries.get(*index)) {
            Some(entry) if entry.key == key => Some(entry),
            // A stale index (the tree moved): look the slow way.
            Some(_) => node.entry(key),
            None => None,
        }
    }

    /// Forgets every index: the tree may have moved.
    pub fn clear(&self) {
        self.maps.write().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

/// Follows a pointer from `root` without resolving `$ref`s.
pub fn locate<'a>(root: &'a Node, pointer: &JsonPointer) -> Option<Located<'a>> {
    locate_with(&KeyIndex::default(), root, pointer)
}

/// [`locate`] through an index of large mappings.
pub fn locate_with<'a>(index: &KeyIndex, root: &'a Node, pointer: &JsonPointer) -> Option<Located<'a>> {
    let mut node = root;
    let mut key_span = None;
    for raw in pointer.0.split('/').skip(1) {
        let token: std::borrow::Cow<'_, str> = if raw.contains('~') { unescape(raw).into() } else { raw.into() };
        match &node.value {
            Value::Map(_) => {
                let entry = index.entry(node, &token)?;
                key_span = Some(entry.key_span.clone());
                node = &entry.value;
            }
            Value::Seq(items) => {
                node = items.get(token.parse::<usize>().ok()?)?;
                key_span = None;
            }
            _ => return None,
        }
    }
    Some(Located { node, key_span })
}

/// The operations of a path item, for [`JsonPointer::describe`].
const DESCRIBED_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_walks_tokens() {
        let pointer = JsonPointer::root().child("paths").child("/users/{id}").child("get");
        assert_eq!(pointer.as_str(), "/paths/~1users~1{id}/get");
        assert_eq!(pointer.tokens().collect::<Vec<_>>(), ["paths", "/users/{id}", "get"]);
        assert!(JsonPointer::parse("/paths").contains(&pointer));
        assert!(!JsonPointer::parse("/pat").contains(&pointer));
        assert_eq!(pointer.parent().unwrap().last().unwrap(), "/users/{id}");
    }
}

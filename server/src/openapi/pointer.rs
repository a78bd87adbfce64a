//! JSON pointers (RFC 6901): the stable address of a node, used for `$ref`, suppressions,
//! and to find the exact range of a key or value.

use std::fmt;

use super::syntax::{Node, Span, Value};

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

/// Follows a pointer from `root` without resolving `$ref`s.
pub fn locate<'a>(root: &'a Node, pointer: &JsonPointer) -> Option<Located<'a>> {
    let mut node = root;
    let mut key_span = None;
    for raw in pointer.0.split('/').skip(1) {
        let token: std::borrow::Cow<'_, str> = if raw.contains('~') { unescape(raw).into() } else { raw.into() };
        match &node.value {
            Value::Map(entries) => {
                let entry = entries.iter().rev().find(|entry| entry.key == *token)?;
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

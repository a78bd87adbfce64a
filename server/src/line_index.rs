//! Byte offsets to line/column positions and back, in UTF-8, UTF-16 or character columns.
//!
//! Analysis speaks byte offsets only. This is the one place that converts them into the
//! line/column pairs that the CLI prints and the LSP layer sends, whatever the encoding.

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// Bytes of UTF-8 (LSP `utf-8`).
    Utf8,
    /// UTF-16 code units (LSP `utf-16`, the protocol default).
    Utf16,
    /// Unicode scalar values (what a terminal user counts, used by the CLI).
    Char,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line indexes of several files, each built once: related information points into the
/// same few files thousands of times.
#[derive(Default)]
pub struct LineIndexes<'t> {
    files: std::collections::HashMap<&'t std::path::Path, LineIndex>,
}

impl<'t> LineIndexes<'t> {
    pub fn of(&mut self, path: &'t std::path::Path, text: &str) -> &LineIndex {
        self.files.entry(path).or_insert_with(|| LineIndex::new(text))
    }
}

/// Line starts of one text, for conversions in both directions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        if !text.contains('\r') {
            line_starts.extend(text.match_indices('\n').map(|(index, _)| index + 1));
            return Self { line_starts, len: text.len() };
        }
        let bytes = text.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            match bytes[index] {
                b'\n' => line_starts.push(index + 1),
                // A lone CR ends a line too (old Mac line endings); CRLF counts once.
                b'\r' if bytes.get(index + 1) != Some(&b'\n') => line_starts.push(index + 1),
                _ => {}
            }
            index += 1;
        }
        Self { line_starts, len: text.len() }
    }

    /// An index that knows the lines up to `line` (and where the next one starts): enough to
    /// convert positions on those lines without scanning the rest of a large text.
    pub fn up_to_line(text: &str, line: usize) -> Self {
        if text.contains('\r') {
            return Self::new(text);
        }
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(index, _)| index + 1).take(line + 1));
        Self { line_starts, len: text.len() }
    }

    /// The index of `new_text`, made from this index of `old_text` when bytes
    /// `start..old_end` of it became `start..new_end` of `new_text`: line starts after the
    /// edit move, and only the inserted text is scanned. `None` when a carriage return is
    /// near the edit (lone CRs and CRLFs are counted by a full scan).
    pub fn after_edit(&self, old_text: &str, new_text: &str, start: usize, old_end: usize, new_end: usize) -> Option<LineIndex> {
        let near = |text: &str, from: usize, to: usize| {
            text.as_bytes().get(from.saturating_sub(1)..(to + 1).min(text.len())).is_none_or(|bytes| bytes.contains(&b'\r'))
        };
        if self.len != old_text.len() || near(old_text, start, old_end) || near(new_text, start, new_end) {
            return None;
        }
        // A line starts after each line break: those before the edit stay, those in the
        // replaced text go, those after it move.
        let kept = self.line_starts.partition_point(|&line_start| line_start <= start);
        let after = self.line_starts.partition_point(|&line_start| line_start <= old_end);
        let mut line_starts = Vec::with_capacity(self.line_starts.len() + 1);
        line_starts.extend_from_slice(&self.line_starts[..kept]);
        line_starts.extend(new_text[start..new_end].match_indices('\n').map(|(index, _)| start + index + 1));
        line_starts.extend(self.line_starts[after..].iter().map(|&line_start| line_start - old_end + new_end));
        Some(LineIndex { line_starts, len: new_text.len() })
    }

    /// The byte range of a line, without its line terminator.
    pub fn line_range(&self, text: &str, line: usize) -> std::ops::Range<usize> {
        let start = self.line_starts.get(line).copied().unwrap_or(self.len);
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        start..end
    }

    /// Converts a byte offset (clamped to the text and to a character boundary) to a position.
    pub fn position(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(self.len));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let prefix = &text[line_start..offset];
        let col = match unit {
            ColumnUnit::Utf8 => prefix.len(),
            ColumnUnit::Utf16 => prefix.chars().map(char::len_utf16).sum(),
            ColumnUnit::Char => prefix.chars().count(),
        };
        LineCol { line: line as u32, col: col as u32 }
    }

    /// Converts a position to a byte offset. Positions past the end of a line clamp to the
    /// line end, and lines past the end clamp to the end of the text, as LSP asks.
    pub fn offset(&self, text: &str, position: LineCol, unit: ColumnUnit) -> usize {
        let Some(&line_start) = self.line_starts.get(position.line as usize) else {
            return self.len;
        };
        let line = self.line_range(text, position.line as usize);
        let line_text = &text[line.clone()];
        let wanted = position.col as usize;
        let mut counted = 0;
        for (byte_index, character) in line_text.char_indices() {
            if counted >= wanted {
                return line_start + byte_index;
            }
            counted += match unit {
                ColumnUnit::Utf8 => character.len_utf8(),
                ColumnUnit::Utf16 => character.len_utf16(),
                ColumnUnit::Char => 1,
            };
        }
        line.end
    }
}

/// The largest character boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_non_ascii_columns_in_every_unit() {
        let text = "a: \"é😀\"\nb: 1\r\nc";
        let index = LineIndex::new(text);
        let emoji_end = text.find('"').unwrap() + 1 + 'é'.len_utf8() + '😀'.len_utf8();
        assert_eq!(index.position(text, emoji_end, ColumnUnit::Utf8), LineCol { line: 0, col: 10 });
        assert_eq!(index.position(text, emoji_end, ColumnUnit::Utf16), LineCol { line: 0, col: 7 });
        assert_eq!(index.position(text, emoji_end, ColumnUnit::Char), LineCol { line: 0, col: 6 });
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            let position = index.position(text, emoji_end, unit);
            assert_eq!(index.offset(text, position, unit), emoji_end);
        }
        assert_eq!(index.position(text, text.len(), ColumnUnit::Utf16), LineCol { line: 2, col: 1 });
    }

    #[test]
    fn an_index_follows_an_edit_without_a_full_scan() {
        let old = "a: 1\nb: 2\nc: 3\n";
        let index = LineIndex::new(old);
        for (start, old_end, inserted) in [(3, 4, "x\ny"), (0, 0, "\n"), (4, 10, ""), (15, 15, "d: 4"), (5, 5, "z")] {
            let new = format!("{}{inserted}{}", &old[..start], &old[old_end..]);
            let moved = index.after_edit(old, &new, start, old_end, start + inserted.len()).unwrap();
            assert_eq!(moved.line_starts, LineIndex::new(&new).line_starts, "{new:?}");
        }
        assert!(LineIndex::new("a\r\nb").after_edit("a\r\nb", "a\r\nbc", 4, 4, 5).is_some());
        assert!(LineIndex::new("a\rb").after_edit("a\rb", "ab", 1, 2, 1).is_none());
    }

    #[test]
    fn clamps_positions_past_the_end() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(index.offset(text, LineCol { line: 0, col: 99 }, ColumnUnit::Utf16), 2);
        assert_eq!(index.offset(text, LineCol { line: 9, col: 0 }, ColumnUnit::Utf16), 5);
        // An offset inside a multi-byte character snaps back to its start.
        assert_eq!(index.position("é", 1, ColumnUnit::Utf8), LineCol { line: 0, col: 0 });
    }
}

//! A line diff (Myers' O(ND) algorithm) for the script, with unchanged context collapsed.
//! Edits beyond [`MAX_EDITS`] lines fall back to "all middle lines replaced", which keeps
//! memory small on wasm and is still a correct diff.

/// Most changed lines the exact diff searches; a larger change shows as one replacement.
pub const MAX_EDITS: usize = 1000;

/// Unchanged lines kept around each change by [`LineDiff::rows`].
pub const CONTEXT: usize = 3;

/// What happened to one line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineOp {
    /// In both texts.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// One line of a diff, with its 1-based numbers in the old and new text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    /// Kept, removed or added.
    pub op: LineOp,
    /// The line without its `\n` (a `\r` stays, so texts rebuild byte for byte).
    pub text: String,
    /// Line number in the old text (none for added lines).
    pub old_no: Option<usize>,
    /// Line number in the new text (none for removed lines).
    pub new_no: Option<usize>,
}

/// A row to show: a line, or a run of unchanged lines collapsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffRow {
    /// A line shown.
    Line(DiffLine),
    /// `count` unchanged lines not shown, starting at these line numbers.
    Skipped {
        /// How many lines.
        count: usize,
        /// First hidden line in the old text.
        old_from: usize,
        /// First hidden line in the new text.
        new_from: usize,
    },
}

/// The full line diff of two texts.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LineDiff {
    /// Every line of both texts, in order.
    pub lines: Vec<DiffLine>,
}

impl LineDiff {
    /// Lines added.
    pub fn added(&self) -> usize {
        self.count(LineOp::Added)
    }

    /// Lines removed.
    pub fn removed(&self) -> usize {
        self.count(LineOp::Removed)
    }

    fn count(&self, op: LineOp) -> usize {
        self.lines.iter().filter(|l| l.op == op).count()
    }

    /// Whether the texts are equal.
    pub fn is_unchanged(&self) -> bool {
        self.lines.iter().all(|l| l.op == LineOp::Same)
    }

    /// `"+3 −1"`, for a summary.
    pub fn summary(&self) -> String {
        format!("+{} −{}", self.added(), self.removed())
    }

    /// The old text rebuilt from the diff.
    pub fn old_text(&self) -> String {
        self.side(LineOp::Removed)
    }

    /// The new text rebuilt from the diff.
    pub fn new_text(&self) -> String {
        self.side(LineOp::Added)
    }

    fn side(&self, own: LineOp) -> String {
        self.lines
            .iter()
            .filter(|l| l.op == LineOp::Same || l.op == own)
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The rows to show: every change with `context` unchanged lines around it; other
    /// unchanged lines collapse into [`DiffRow::Skipped`] (a single one is simply shown).
    pub fn rows(&self, context: usize) -> Vec<DiffRow> {
        let near = near_changes(&self.lines, context);
        let mut rows = Vec::new();
        let mut hidden: Vec<&DiffLine> = Vec::new();
        for (i, line) in self.lines.iter().enumerate() {
            if near.get(i).copied().unwrap_or(true) {
                flush(&mut rows, &mut hidden);
                rows.push(DiffRow::Line(line.clone()));
            } else {
                hidden.push(line);
            }
        }
        flush(&mut rows, &mut hidden);
        rows
    }
}

/// For each line, whether a change lies within `context` lines (two linear passes).
fn near_changes(lines: &[DiffLine], context: usize) -> Vec<bool> {
    let mut near = vec![false; lines.len()];
    let mut last: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        if line.op != LineOp::Same {
            last = Some(i);
        }
        if let (Some(slot), Some(c)) = (near.get_mut(i), last) {
            *slot = i - c <= context;
        }
    }
    last = None;
    for (i, line) in lines.iter().enumerate().rev() {
        if line.op != LineOp::Same {
            last = Some(i);
        }
        if let (Some(slot), Some(c)) = (near.get_mut(i), last) {
            *slot = *slot || c - i <= context;
        }
    }
    near
}

/// Ends a run of hidden lines.
fn flush(rows: &mut Vec<DiffRow>, hidden: &mut Vec<&DiffLine>) {
    if let [one] = hidden.as_slice() {
        rows.push(DiffRow::Line((*one).clone()));
    } else if let Some(first) = hidden.first() {
        rows.push(DiffRow::Skipped {
            count: hidden.len(),
            old_from: first.old_no.unwrap_or(0),
            new_from: first.new_no.unwrap_or(0),
        });
    }
    hidden.clear();
}

/// The lines of a text: empty text has none, otherwise split at every `\n`, so joining with
/// `\n` gives the text back (a final newline shows as a last empty line).
fn split(text: &str) -> Vec<&str> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split('\n').collect()
    }
}

/// The line diff of `old` and `new`.
pub fn diff(old: &str, new: &str) -> LineDiff {
    let a = split(old);
    let b = split(new);
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let a_rest = a.get(prefix..).unwrap_or_default();
    let b_rest = b.get(prefix..).unwrap_or_default();
    let suffix = a_rest
        .iter()
        .rev()
        .zip(b_rest.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let a_mid = a_rest.get(..a_rest.len() - suffix).unwrap_or_default();
    let b_mid = b_rest.get(..b_rest.len() - suffix).unwrap_or_default();
    let middle = myers(a_mid, b_mid).unwrap_or_else(|| replace_all(a_mid.len(), b_mid.len()));
    let mut ops = vec![LineOp::Same; prefix];
    ops.extend(middle);
    ops.extend(std::iter::repeat_n(LineOp::Same, suffix));
    build(&a, &b, &ops)
}

/// Every old line removed, then every new line added.
fn replace_all(n: usize, m: usize) -> Vec<LineOp> {
    let mut ops = vec![LineOp::Removed; n];
    ops.extend(std::iter::repeat_n(LineOp::Added, m));
    ops
}

/// Turns an edit script into numbered lines.
fn build(a: &[&str], b: &[&str], ops: &[LineOp]) -> LineDiff {
    let (mut i, mut j) = (0, 0);
    let mut lines = Vec::with_capacity(ops.len());
    for &op in ops {
        let (text, old_no, new_no) = match op {
            LineOp::Same => {
                i += 1;
                j += 1;
                (a.get(i - 1), Some(i), Some(j))
            }
            LineOp::Removed => {
                i += 1;
                (a.get(i - 1), Some(i), None)
            }
            LineOp::Added => {
                j += 1;
                (b.get(j - 1), None, Some(j))
            }
        };
        lines.push(DiffLine {
            op,
            text: text.map_or_else(String::new, |t| (*t).to_owned()),
            old_no,
            new_no,
        });
    }
    LineDiff { lines }
}

/// Myers' shortest edit script, or `None` past [`MAX_EDITS`]. `trace[d]` keeps the furthest
/// x reached on diagonals `-d..=d` after round `d`, for walking back.
fn myers(a: &[&str], b: &[&str]) -> Option<Vec<LineOp>> {
    let (n, m) = (a.len() as i64, b.len() as i64);
    let max = (a.len() + b.len()).min(MAX_EDITS) as i64;
    let off = max + 1;
    let mut v = vec![0i64; (2 * max + 3) as usize];
    let at = |v: &[i64], k: i64| v.get((k + off) as usize).copied().unwrap_or(0);
    let mut trace: Vec<Vec<i64>> = Vec::new();
    for d in 0..=max {
        for k in (-d..=d).step_by(2) {
            let down = k == -d || (k != d && at(&v, k - 1) < at(&v, k + 1));
            let mut x = if down {
                at(&v, k + 1)
            } else {
                at(&v, k - 1) + 1
            };
            let mut y = x - k;
            while x < n && y < m && a.get(x as usize) == b.get(y as usize) {
                x += 1;
                y += 1;
            }
            *v.get_mut((k + off) as usize)? = x;
            if x >= n && y >= m {
                trace.push(v.get((off - d) as usize..=(off + d) as usize)?.to_vec());
                return Some(walk_back(&trace, n, m));
            }
        }
        trace.push(v.get((off - d) as usize..=(off + d) as usize)?.to_vec());
    }
    None
}

/// Rebuilds the edit script from the saved rounds, end to start.
fn walk_back(trace: &[Vec<i64>], n: i64, m: i64) -> Vec<LineOp> {
    // Round d's snapshot covers diagonals -d..=d, so diagonal k sits at index k + d.
    let at = |d: i64, k: i64| {
        trace
            .get(d as usize)
            .and_then(|s| s.get((k + d) as usize))
            .copied()
            .unwrap_or(0)
    };
    let (mut x, mut y) = (n, m);
    let mut ops = Vec::new();
    for d in (1..trace.len() as i64).rev() {
        let k = x - y;
        let down = k == -d || (k != d && at(d - 1, k - 1) < at(d - 1, k + 1));
        let prev_k = if down { k + 1 } else { k - 1 };
        let prev_x = at(d - 1, prev_k);
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(LineOp::Same);
            x -= 1;
            y -= 1;
        }
        ops.push(if down { LineOp::Added } else { LineOp::Removed });
        x = prev_x;
        y = prev_y;
    }
    ops.extend(std::iter::repeat_n(LineOp::Same, x.max(0) as usize));
    ops.reverse();
    ops
}

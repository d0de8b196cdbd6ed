//! No lost updates: before saving, the stored copy is read again (`theirs`) and compared with
//! the copy the form opened from (`base`). Fields only they changed are taken from theirs,
//! fields only I changed are kept, and fields we both changed differently need a choice.

use super::{display, has_field, value, FieldChange};
use crate::core::field::Field;
use crate::core::form::Form;
use crate::core::model::Integration;

/// Whose value a conflicting field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The value in my form.
    Mine,
    /// The value saved meanwhile.
    Theirs,
}

/// Who changed the integration meanwhile, and when, as far as the server says.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct OtherChange {
    /// Username (or id) from `_updatedBy`.
    pub by: Option<String>,
    /// `_updatedAt` as sent.
    pub at: Option<String>,
}

impl OtherChange {
    /// `"Changed by alice at 2026-11-28T08:00:00Z"`, with the parts the server gave.
    pub fn sentence(&self) -> String {
        match (&self.by, &self.at) {
            (Some(by), Some(at)) => format!("Changed by {by} at {at}."),
            (Some(by), None) => format!("Changed by {by}."),
            (None, Some(at)) => format!("Changed at {at}."),
            (None, None) => "Changed by someone else.".to_owned(),
        }
    }
}

/// A field both sides changed, to different values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The field.
    pub field: Field,
    /// Its label.
    pub label: &'static str,
    /// Value when the form opened, for display.
    pub base: String,
    /// My value, for display.
    pub mine: String,
    /// Their value, for display.
    pub theirs: String,
}

/// The outcome of comparing base, mine and theirs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merge {
    /// Whether the stored copy changed since the form opened.
    pub stale: bool,
    /// Who/when of that change (only when stale).
    pub other: Option<OtherChange>,
    /// Fields changed by both, differently: each needs a [`Side`].
    pub conflicts: Vec<Conflict>,
    /// Fields only they changed (base → theirs), taken from theirs.
    pub theirs_only: Vec<FieldChange>,
    /// Fields only I changed (or both, to the same value), kept.
    pub mine_only: Vec<Field>,
    /// Theirs with every change of mine that is not in conflict.
    merged: Form,
    /// My form, for the conflicts resolved as mine.
    mine: Form,
    /// The form as it opened, for showing my changes.
    base: Form,
}

/// What a save does after reading the stored copy again: `None` when it may write (nothing
/// changed meanwhile, or the copy was saved again without field changes), else the merge
/// the person must see before anything is written.
pub fn check(base: &Integration, mine: &Form, theirs: &Integration) -> Option<Merge> {
    if !changed_since(base, theirs) {
        return None;
    }
    Some(Merge::new(base, mine, theirs)).filter(Merge::needs_attention)
}

/// Whether the stored copy changed since `base` was read: by `_updatedAt` when both copies
/// carry it, else by the whole stored object.
pub fn changed_since(base: &Integration, theirs: &Integration) -> bool {
    match (&base.common().updated_at, &theirs.common().updated_at) {
        (Some(a), Some(b)) => a != b,
        _ => base != theirs,
    }
}

impl Merge {
    /// Compares the stored copy as the form opened, my form, and the stored copy read again.
    pub fn new(base: &Integration, mine: &Form, theirs: &Integration) -> Merge {
        let stale = changed_since(base, theirs);
        let other = stale.then(|| {
            let c = theirs.common();
            OtherChange {
                by: c.updated_by.as_ref().and_then(|u| {
                    [&u.username, &u.id]
                        .into_iter()
                        .find(|s| !s.trim().is_empty())
                        .cloned()
                }),
                at: c.updated_at.clone(),
            }
        });
        let mut merge = Merge::of_forms(&Form::from_stored(base), mine, &Form::from_stored(theirs));
        merge.stale = stale;
        merge.other = other;
        merge
    }

    /// The field-level comparison of three forms (`stale` and `other` left unset).
    pub fn of_forms(base: &Form, mine: &Form, theirs: &Form) -> Merge {
        let mut merged = theirs.clone();
        let mut conflicts = Vec::new();
        let mut theirs_only = Vec::new();
        let mut mine_only = Vec::new();
        let fields = Field::ALL
            .into_iter()
            .filter(|&f| has_field(base, f) || has_field(mine, f) || has_field(theirs, f));
        for field in fields {
            let b = value(base, field);
            let m = value(mine, field);
            let t = value(theirs, field);
            match (m != b, t != b) {
                (true, true) if m != t => conflicts.push(Conflict {
                    field,
                    label: field.label_in(mine.kind()),
                    base: display(base, field),
                    mine: display(mine, field),
                    theirs: display(theirs, field),
                }),
                (false, true) => theirs_only.push(FieldChange {
                    field,
                    label: field.label_in(theirs.kind()),
                    old: display(base, field),
                    new: display(theirs, field),
                    impact: super::impact(field, base, theirs),
                }),
                (changed, _) => {
                    if changed {
                        mine_only.push(field);
                    }
                    // Unchanged fields keep my text too, spacing as typed.
                    copy_field(&mut merged, mine, field);
                }
            }
        }
        Merge {
            stale: false,
            other: None,
            conflicts,
            theirs_only,
            mine_only,
            merged,
            mine: mine.clone(),
            base: base.clone(),
        }
    }

    /// My changes that are kept as they are (not in conflict), old → new, for display.
    pub fn mine_changes(&self) -> Vec<FieldChange> {
        super::changes(&self.base, &self.mine)
            .into_iter()
            .filter(|c| self.mine_only.contains(&c.field))
            .collect()
    }

    /// Whether saving needs the person's attention: a field changed meanwhile. A copy saved
    /// again without field changes (`stale` alone) can be saved over silently.
    pub fn needs_attention(&self) -> bool {
        !self.conflicts.is_empty() || !self.theirs_only.is_empty()
    }

    /// The form to save, with each conflict resolved by `choices`; the fields still
    /// without a choice otherwise, in form order.
    pub fn resolve(&self, choices: &[(Field, Side)]) -> Result<Form, Vec<Field>> {
        let mut form = self.merged.clone();
        let mut missing = Vec::new();
        for c in &self.conflicts {
            match choices.iter().find(|(f, _)| *f == c.field).map(|(_, s)| *s) {
                Some(Side::Mine) => copy_field(&mut form, &self.mine, c.field),
                Some(Side::Theirs) => {}
                None => missing.push(c.field),
            }
        }
        if missing.is_empty() {
            Ok(form)
        } else {
            Err(missing)
        }
    }

    /// The form to save with every conflict resolved the same way.
    pub fn resolve_all(&self, side: Side) -> Form {
        let choices: Vec<(Field, Side)> = self.conflicts.iter().map(|c| (c.field, side)).collect();
        self.resolve(&choices)
            .unwrap_or_else(|_| self.merged.clone())
    }
}

/// Copies one field's raw value (text as typed, or the toggle).
fn copy_field(dst: &mut Form, src: &Form, field: Field) {
    if src.is_flag(field) {
        dst.set_flag(field, src.flag(field));
    } else if src.is_text(field) {
        dst.set_text(field, src.text(field).to_owned());
    }
}

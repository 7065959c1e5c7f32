//! A form's refused values beside their fields: each problem as a sentence next to its field
//! (never the field's key), the field marked `aria-invalid` while it is wrong, and focus taken
//! to the first such field so that a phone scrolls to it. Every form of the client keeps its
//! problems in a [`FieldProblems`].

use std::collections::BTreeMap;

use leptos::prelude::*;
use organise_core::sync::LocalRefusal;
use organise_core::validate::{self, FieldProblem};

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::i18n::{self, t};
use crate::sync::WriteError;

/// The problems a form's last save found, as sentences by field: a `Copy` handle the form
/// and each of its fields share.
#[derive(Clone, Copy)]
pub struct FieldProblems(RwSignal<BTreeMap<String, String>>);

impl Default for FieldProblems {
    fn default() -> Self {
        FieldProblems(RwSignal::new(BTreeMap::new()))
    }
}

impl FieldProblems {
    /// No problems yet.
    pub fn new() -> FieldProblems {
        FieldProblems::default()
    }

    /// Shows `found` beside the fields for which `on_form` is true, worded by
    /// [`i18n::problems_by_field`], in place of what was shown before; returns the rest as
    /// sentences for the form to say where there is no field to put them beside.
    pub fn show(&self, found: &[FieldProblem], on_form: impl Fn(&str) -> bool) -> Option<String> {
        let (beside, elsewhere): (Vec<FieldProblem>, Vec<FieldProblem>) = found
            .iter()
            .cloned()
            .partition(|p| on_form(p.field.as_str()));
        self.0.set(i18n::problems_by_field(&beside));
        focus_first_invalid();
        (!elsewhere.is_empty()).then(|| validate::sentences(&elsewhere))
    }

    /// Shows `sentence` beside `field` in place of what core's problem said there: a screen's
    /// own words for what to do ("Choose an area.").
    pub fn say(&self, field: &str, sentence: impl Into<String>) {
        self.0.update(|p| {
            p.insert(field.to_owned(), sentence.into());
        });
        focus_first_invalid();
    }

    /// Clears every problem, as a new save begins.
    pub fn clear(&self) {
        self.0.set(BTreeMap::new());
    }

    /// Whether `field` has a problem now.
    pub fn has(&self, field: &str) -> bool {
        self.0.with(|p| p.contains_key(field))
    }

    /// The sentence to show beside `field`, while it is wrong.
    pub fn message(
        &self,
        field: impl Into<String>,
    ) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
        let (problems, field) = (self.0, field.into());
        move || problems.with(|p| p.get(&field).cloned())
    }

    /// `aria-invalid`'s value for `field`: `"true"` while it is wrong, and absent otherwise.
    pub fn invalid(
        &self,
        field: impl Into<String>,
    ) -> impl Fn() -> Option<&'static str> + Clone + Send + Sync + 'static {
        let (problems, field) = (self.0, field.into());
        move || problems.with(|p| p.contains_key(&field)).then_some("true")
    }

    /// Whether `field` is wrong, as a signal (for the *Area* picker).
    pub fn is_wrong(&self, field: &'static str) -> Signal<bool> {
        let problems = self.0;
        Signal::derive(move || problems.with(|p| p.contains_key(field)))
    }

    /// Shows a failed write's problems beside the fields `on_form` names, when the phone's
    /// copy of the rules refused the values (the form's fields named as the record's are);
    /// returns what to say elsewhere: the rest, or why it could not be saved.
    pub fn show_unsaved(
        &self,
        error: &WriteError,
        on_form: impl Fn(&str) -> bool,
    ) -> Option<String> {
        match error {
            WriteError::Refused(LocalRefusal::Invalid(found)) => self
                .show(found, on_form)
                .map(|rest| t::app_error_not_saved(&rest)),
            other => Some(other.to_string()),
        }
    }
}

/// Moves focus to the first field marked invalid, once the page shows the marks, so that a
/// person who pressed *Save* at the foot of a long form is taken to what needs correcting.
pub fn focus_first_invalid() {
    request_animation_frame(|| {
        let field = document()
            .query_selector("main [aria-invalid=\"true\"]")
            .ok()
            .flatten();
        if let Some(field) = field.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
            let _ = field.focus();
        }
    });
}

/// What a form says by its *Save* button when values were refused: to look beside the
/// fields, then any problem with no field of the form to sit beside (`rest`).
pub fn check_fields(rest: Option<String>) -> String {
    match rest {
        Some(rest) => format!("{} {rest}", t::app_error_check_fields()),
        None => t::app_error_check_fields().to_owned(),
    }
}

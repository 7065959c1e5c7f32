//! The settings screen: the app's language, and what the browser does with the app's data.

use leptos::prelude::*;

use crate::components::storage_status::StorageStatus;
use crate::i18n::{self, Language, Speaking, t};

/// Settings: the language, then storage on this device.
#[component]
pub fn Settings() -> impl IntoView {
    let Speaking(speaking) = expect_context();
    let chosen = RwSignal::new(i18n::chosen());
    let pick = move |choice: Option<Language>| {
        i18n::choose(choice);
        chosen.set(choice);
        // Every screen redraws in the new language; nothing typed elsewhere is open here.
        speaking.set(i18n::language());
    };
    let languages = Language::ALL.map(|language| {
        view! {
            <label class="choice" lang=language.code()>
                <input type="radio" name="language"
                    prop:checked=move || chosen.get() == Some(language)
                    on:change=move |_| pick(Some(language)) />
                {language.own_name()}
            </label>
        }
    });
    view! {
        <h1>{t::settings()}</h1>
        <section aria-labelledby="settings-language">
            <fieldset class="choices">
                <legend id="settings-language">{t::settings_language()}</legend>
                <label class="choice">
                    <input type="radio" name="language"
                        prop:checked=move || chosen.get().is_none()
                        on:change=move |_| pick(None) />
                    {t::settings_language_device(i18n::from_browser().own_name())}
                </label>
                {languages}
            </fieldset>
        </section>
        <section aria-labelledby="settings-storage">
            <h2 id="settings-storage">{t::settings_this_device()}</h2>
            <StorageStatus />
        </section>
    }
}

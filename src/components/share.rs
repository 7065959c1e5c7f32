//! A link to give someone (an invitation, a way to withdraw consent): shown in full, with the
//! phone's share sheet where there is one and a copy everywhere. Where the browser will not
//! copy, the link is selected in its box for the person to copy by hand.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::t;

/// The link `url` in a box labelled `label` (its element id `id`), with *Share* (sending
/// `text` with it) and *Copy*; `children` sit between the box and the buttons.
#[component]
pub fn LinkToShare(
    id: &'static str,
    label: String,
    url: String,
    text: String,
    children: Children,
) -> impl IntoView {
    let said = RwSignal::new(None::<&'static str>);
    let field = NodeRef::<Input>::new();
    let can_share = share_available();
    let share = {
        let (url, text) = (url.clone(), text.clone());
        move |_| {
            let (url, text) = (url.clone(), text.clone());
            spawn_local(async move {
                // Dismissing the share sheet is not a failure worth a word.
                let _ = share_link(&url, &text).await;
            });
        }
    };
    let copy = {
        let url = url.clone();
        move |_| {
            let url = url.clone();
            spawn_local(async move {
                if copy_text(&url).await.is_ok() {
                    said.set(Some(t::share_copied()));
                } else {
                    if let Some(field) = field.get_untracked() {
                        field.select();
                    }
                    said.set(Some(t::share_copy_failed()));
                }
            });
        }
    };
    view! {
        <label for=id class="visually-hidden">{label}</label>
        <input id=id class="link-ready__link" readonly prop:value=url
            node_ref=field on:focus=move |_| {
                if let Some(field) = field.get_untracked() {
                    field.select();
                }
            } />
        {children()}
        <div class="actions">
            <Show when=move || can_share>
                <button type="button" class="button" on:click=share.clone()>{t::share()}</button>
            </Show>
            <button type="button" class="button button--secondary" on:click=copy>{t::share_copy()}</button>
        </div>
        <p role="status">{move || said.get()}</p>
    }
}

/// Whether this browser has a share sheet (phones do; most desktop browsers do not).
fn share_available() -> bool {
    let navigator = window().navigator();
    js_sys_has(&navigator, "share")
}

fn js_sys_has(target: &JsValue, property: &str) -> bool {
    web_sys::js_sys::Reflect::has(target, &JsValue::from_str(property)).unwrap_or(false)
}

/// Opens the phone's share sheet with `text` and the link.
async fn share_link(url: &str, text: &str) -> Result<(), JsValue> {
    let data = web_sys::ShareData::new();
    data.set_text(text);
    data.set_url(url);
    JsFuture::from(window().navigator().share_with_data(&data))
        .await
        .map(|_| ())
}

/// Copies `text` to the clipboard, where the browser allows it.
async fn copy_text(text: &str) -> Result<(), JsValue> {
    let navigator = window().navigator();
    if !js_sys_has(&navigator, "clipboard") {
        return Err(JsValue::NULL);
    }
    let clipboard = navigator.clipboard();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ())
}

//! Screens whose code loads when they are first opened (see ARCHITECTURE.md, "Code
//! splitting"), and what a person sees while it loads or when it cannot.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;

use crate::i18n::t;

/// Defines the component `$later` (with `$screen`'s props, all `Copy`), which draws `$screen`
/// once its code is loaded: a screen, or part of one, that a volunteer at the door does not
/// need, so `cargo xtask dist` splits its code into its own wasm file (at the `wasm_split`
/// point `$split`), fetched when the screen is first opened. The service worker stores every
/// such file after the first visit, so they open offline too. See ARCHITECTURE.md, "Code
/// splitting".
macro_rules! screen_loaded_later {
    ($later:ident, $split:ident, $screen:ident $(, $prop:ident: $ty:ty)*) => {
        #[::leptos::wasm_split::wasm_split(
            $split,
            wasm_split_path = ::leptos::wasm_split,
            fallible
        )]
        fn $split(
            $($prop: $ty),*
        ) -> Result<::leptos::prelude::AnyView, ::leptos::wasm_split::SplitLoaderError> {
            Ok(view! { <$screen $($prop=$prop)* /> }.into_any())
        }

        #[component]
        pub fn $later($($prop: $ty),*) -> impl IntoView {
            $crate::components::later::loaded_later(move || $split($($prop),*))
        }
    };
}

pub(crate) use screen_loaded_later;

/// Draws what `load` gives once it is loaded. A load that fails (no connection, and the file
/// not stored yet) says so and offers to try again; nothing else on the phone is touched.
pub fn loaded_later<F>(load: impl Fn() -> F + Copy + Send + 'static) -> impl IntoView
where
    F: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let attempt = RwSignal::new(0_u32);
    let opening =
        || view! { <p class="screen-opening" role="status">{t::app_screen_opening()}</p> };
    view! {
        <Suspense fallback=opening>
            {move || {
                attempt.track();
                Suspend::new(SendWrapper::new(async move {
                    match load().await {
                        Ok(screen) => screen,
                        Err(_) => view! {
                            <div role="alert">
                                <p class="form__error">{t::app_screen_unavailable()}</p>
                                <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                                    {t::app_screen_try_again()}
                                </button>
                            </div>
                        }
                        .into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}

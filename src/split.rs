//! Split points: functions that the split release build (feature `split`, scripts/split.mjs)
//! cuts into wasm files of their own, fetched on first use; code shared by several lands in a
//! shared file. Without the feature they are plain calls in the one binary, so `trunk serve`
//! and the component tests need no splitting step. The screens are in `pages/screens.rs`.

/// A split-off file did not arrive (offline, or the app was updated on the server since the
/// page loaded). Leptos's `#[lazy]` panics then, which would end the whole app; these split
/// points use `wasm_split`'s `fallible` form instead.
pub(crate) struct LoadFailed;

impl From<leptos::wasm_split::SplitLoaderError> for LoadFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        LoadFailed
    }
}

/// Declares a function of its own wasm file: `fn name(args) -> T { body }` becomes a
/// function returning `Result<T, LoadFailed>`, async in the split build (the file loads on the
/// first call) and plain without it; [`split_call!`] calls it either way. `module` names the
/// file (functions may share one); `preload` (optional) names a function that only fetches it.
macro_rules! split_fn {
    ($(#[$doc:meta])* $module:ident $(, $preload:ident)?: $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        $(#[$doc])*
        #[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            fallible
            $(, preload(#[allow(dead_code)] $preload))?
        ))]
        $vis fn $name($($arg: $ty),*) -> Result<$ret, crate::split::LoadFailed> {
            let value: $ret = $body;
            Ok(value)
        }
    };
}
pub(crate) use split_fn;

/// Calls a function declared with [`split_fn!`] (in an async block): `Result<T, LoadFailed>`.
macro_rules! split_call {
    ($($name:ident)::+($($arg:expr),*)) => {{
        #[cfg(feature = "split")]
        let result = $($name)::+($($arg),*).await;
        #[cfg(not(feature = "split"))]
        let result = $($name)::+($($arg),*);
        result
    }};
}
pub(crate) use split_call;

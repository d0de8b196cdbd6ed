//! Resources and actions with their futures boxed. Leptos compiles its async machinery once
//! per fetcher and future type, so plain `LocalResource::new` / `Action::new_local` made one
//! copy per call site; through these, call sites with the same input and output share one
//! (README "Size and load time").

use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

type Boxed<T> = Pin<Box<dyn Future<Output = T>>>;
type Fetch<T> = Rc<dyn Fn() -> Boxed<T>>;
type Run<I, O> = Rc<dyn Fn(&I) -> Boxed<O>>;

/// [`LocalResource::new`], one copy per output type.
pub(crate) fn local_resource<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> LocalResource<T>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    erased_resource(Rc::new(move || Box::pin(fetch()) as Boxed<T>))
}

fn erased_resource<T: 'static>(fetch: Fetch<T>) -> LocalResource<T> {
    LocalResource::new(move || fetch())
}

/// [`Action::new_local`], one copy per input and output type.
pub(crate) fn local_action<I, O, Fut>(run: impl Fn(&I) -> Fut + 'static) -> Action<I, O>
where
    I: 'static,
    O: 'static,
    Fut: Future<Output = O> + 'static,
{
    erased_action(Rc::new(move |input: &I| Box::pin(run(input)) as Boxed<O>))
}

fn erased_action<I: 'static, O: 'static>(run: Run<I, O>) -> Action<I, O> {
    Action::new_local(move |input: &I| run(input))
}

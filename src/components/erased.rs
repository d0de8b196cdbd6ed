//! Resources and actions whose value types are erased inside Leptos and put back by typed
//! handles. Leptos compiles its async machinery (async derived values, actions, their signals)
//! once per value type; here every resource is one `LocalResource<Erased>` and every action one
//! `Action<Erased, Erased>`, so it is compiled once (README "Size and load time"). Only these
//! handles put values in, so a read always finds the type it expects.

use leptos::prelude::*;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

type Erased = Rc<dyn Any>;
type Boxed = Pin<Box<dyn Future<Output = Erased>>>;

fn typed<T: 'static>(value: &Erased) -> Option<&T> {
    (**value).downcast_ref()
}

/// A read: [`LocalResource`] of a `T`.
pub(crate) struct ResourceOf<T> {
    inner: LocalResource<Erased>,
    ty: PhantomData<fn() -> T>,
}

impl<T> Clone for ResourceOf<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ResourceOf<T> {}

/// [`LocalResource::new`]: runs `fetch` now and whenever what it reads changes.
pub(crate) fn local_resource<T, Fut>(fetch: impl Fn() -> Fut + 'static) -> ResourceOf<T>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    let fetch = move || {
        let loading = fetch();
        Box::pin(async move { Rc::new(loading.await) as Erased }) as Boxed
    };
    ResourceOf {
        inner: erased_resource(Rc::new(fetch)),
        ty: PhantomData,
    }
}

fn erased_resource(fetch: Rc<dyn Fn() -> Boxed>) -> LocalResource<Erased> {
    LocalResource::new(move || fetch())
}

impl<T: 'static> ResourceOf<T> {
    /// Reads the value (`None` while loading) and subscribes to it.
    pub(crate) fn with<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        let value = self.inner.try_get().flatten();
        f(value.as_ref().and_then(typed))
    }

    /// Reads the value (`None` while loading) without subscribing.
    pub(crate) fn with_untracked<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        let value = self.inner.try_get_untracked().flatten();
        f(value.as_ref().and_then(typed))
    }

    /// Runs the fetcher again.
    pub(crate) fn refetch(&self) {
        self.inner.refetch();
    }

    /// Changes the loaded value in place (nothing while loading).
    pub(crate) fn update(&self, f: impl FnOnce(&mut T))
    where
        T: Clone,
    {
        let Some(mut value) = self.get_untracked() else {
            return;
        };
        f(&mut value);
        self.inner.try_set(Some(Rc::new(value)));
    }
}

impl<T: Clone + 'static> ResourceOf<T> {
    /// The value, `None` while loading; subscribes to it.
    pub(crate) fn get(&self) -> Option<T> {
        self.with(|value| value.cloned())
    }

    /// The value, `None` while loading, without subscribing.
    pub(crate) fn get_untracked(&self) -> Option<T> {
        self.with_untracked(|value| value.cloned())
    }
}

/// A write: [`Action`] taking an `I` and ending with an `O`.
pub(crate) struct ActionOf<I, O> {
    inner: Action<Erased, Erased>,
    ty: PhantomData<fn(I) -> O>,
}

impl<I, O> Clone for ActionOf<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O> Copy for ActionOf<I, O> {}

/// [`Action::new_local`]: `run` is called with the input of each dispatch.
pub(crate) fn local_action<I, O, Fut>(run: impl Fn(&I) -> Fut + 'static) -> ActionOf<I, O>
where
    I: 'static,
    O: 'static,
    Fut: Future<Output = O> + 'static,
{
    let run = move |input: &Erased| {
        let running = typed(input).map(&run);
        Box::pin(async move {
            match running {
                Some(running) => Rc::new(running.await) as Erased,
                // Not reached: only `dispatch` gives an input, and it gives an `I`.
                None => Rc::new(()) as Erased,
            }
        }) as Boxed
    };
    ActionOf {
        inner: erased_action(Rc::new(run)),
        ty: PhantomData,
    }
}

fn erased_action(run: Rc<dyn Fn(&Erased) -> Boxed>) -> Action<Erased, Erased> {
    Action::new_local(move |input: &Erased| run(input))
}

impl<I: 'static, O: 'static> ActionOf<I, O> {
    /// Runs the action with `input`.
    pub(crate) fn dispatch(&self, input: I) {
        self.inner.dispatch_local(Rc::new(input));
    }

    /// Whether a run is under way.
    pub(crate) fn pending(&self) -> Memo<bool> {
        self.inner.pending()
    }

    /// The input of the run under way, if any; subscribes to it.
    pub(crate) fn input(&self) -> Option<I>
    where
        I: Clone,
    {
        self.inner
            .input()
            .try_get()
            .flatten()
            .as_ref()
            .and_then(typed)
            .cloned()
    }

    /// What the latest run ended with, if one ended; subscribes to it.
    pub(crate) fn value(&self) -> Option<O>
    where
        O: Clone,
    {
        self.inner
            .value()
            .try_get()
            .flatten()
            .as_ref()
            .and_then(typed)
            .cloned()
    }
}

/// [`Effect::new`] for an effect that needs no previous value: Leptos compiles an effect's
/// task once per closure type, so the closure is boxed and every effect shares one task.
pub(crate) fn effect(run: impl FnMut() + 'static) {
    erased_effect(Box::new(run));
}

fn erased_effect(run: Box<dyn FnMut()>) {
    Effect::new(run);
}

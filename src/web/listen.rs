//! RAII event listeners: the listener owns its closure and removes itself on drop, so a
//! torn-down banner leaves nothing attached to the page.

use wasm_bindgen::prelude::*;
use web_sys::{Event, EventTarget};

/// An attached listener; dropping it detaches it.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Attach `f` to `target` for events of `kind`.
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        f: impl FnMut(Event) + 'static,
    ) -> Listener {
        let callback = Closure::<dyn FnMut(Event)>::new(f);
        crate::dom::listen(target, kind, callback.as_ref());
        Listener {
            target: target.clone(),
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        crate::dom::unlisten(&self.target, self.kind, self.callback.as_ref());
    }
}

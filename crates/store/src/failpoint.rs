//! Named points in the middle of an action where a test can make something happen: another
//! writer committing during an export, the process dying before a commit. Compiled only with
//! the `failpoints` feature, which only the test crates enable: a shipped build has none.

#[cfg(feature = "failpoints")]
mod active {
    use std::sync::Mutex;

    type Hook = Box<dyn FnMut(&str) + Send>;

    static HOOK: Mutex<Option<Hook>> = Mutex::new(None);

    /// Runs `hook` with the name of every point reached, in this process, until [`clear`].
    pub fn set(hook: impl FnMut(&str) + Send + 'static) {
        *HOOK.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(hook));
    }

    pub fn clear() {
        *HOOK.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// A point reached. `SPORTELLO_FAILPOINT=<name>` kills the process there (for tests that
    /// drive the built binary); a hook set by [`set`] runs there.
    pub fn hit(name: &str) {
        if std::env::var_os("SPORTELLO_FAILPOINT").is_some_and(|v| v == name) {
            std::process::abort();
        }
        // Taken out while it runs, so a hook may itself reach points without deadlocking.
        let taken = HOOK.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut hook) = taken {
            hook(name);
            let mut slot = HOOK.lock().unwrap_or_else(|e| e.into_inner());
            if slot.is_none() {
                *slot = Some(hook);
            }
        }
    }
}

#[cfg(feature = "failpoints")]
pub use active::{clear, hit, set};

/// A point reached: nothing happens in a build without the `failpoints` feature.
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn hit(_name: &str) {}

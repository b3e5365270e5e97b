//! Fault injection for the crash suite, compiled only with the `failpoints` cargo feature.
//!
//! Each failpoint marks a window in which a real crash could strike. Actions (the `fail` crate's
//! syntax): `return(crash)` kills the process with SIGKILL on the spot (no destructor runs, as in
//! a real crash); `return` makes the write fail with an injected I/O error (cleanup runs, as for
//! any error); `pause`, `sleep(ms)` and callbacks work as in `fail`. Without the feature the
//! macro expands to nothing.

/// Every failpoint, in the order a write passes them.
pub const ALL: &[&str] = &[
    "write::after_temp_create",
    "write::mid_write",
    "write::before_sync",
    "write::before_rename",
    "write::after_rename",
    "batch::after_temps",
    "batch::between_intents",
    "batch::before_renames",
    "batch::between_renames",
    "batch::before_intent_removal",
    "recover::between_renames",
];

#[cfg(feature = "failpoints")]
macro_rules! failpoint {
    ($name:literal, $path:expr) => {
        fail::fail_point!($name, |arg: Option<String>| Err(
            $crate::write::failpoints::fire($name, arg, $path)
        ))
    };
}

#[cfg(not(feature = "failpoints"))]
macro_rules! failpoint {
    // The path is still "used", so a variable that only feeds failpoints draws no warning.
    ($name:literal, $path:expr) => {
        let _ = $path;
    };
}

pub(crate) use failpoint;

/// Configures failpoint `name` with a `fail` action string, e.g. `"return(crash)"`, `"return"`,
/// `"1*off->return(crash)"` (the second pass crashes).
#[cfg(feature = "failpoints")]
pub fn set(name: &str, action: &str) -> Result<(), String> {
    fail::cfg(name, action)
}

/// Runs `callback` each time the failpoint is passed (e.g. to change a file underneath a write).
#[cfg(feature = "failpoints")]
pub fn set_callback(name: &str, callback: impl Fn() + Send + Sync + 'static) -> Result<(), String> {
    fail::cfg_callback(name, callback)
}

/// Turns failpoint `name` off.
#[cfg(feature = "failpoints")]
pub fn clear(name: &str) {
    fail::remove(name);
}

#[cfg(feature = "failpoints")]
#[doc(hidden)]
pub fn fire(name: &'static str, arg: Option<String>, path: &std::path::Path) -> super::WriteError {
    if arg.as_deref() == Some("crash") {
        super::sys::kill_self();
    }
    super::WriteError::io(
        path,
        name,
        std::io::Error::other(format!("failure injected at {name}")),
    )
}

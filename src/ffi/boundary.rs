//! The one place where calls cross from C into Rust: panics stop here, errors become a status
//! and the calling thread's last error message.

use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::panic::{self, AssertUnwindSafe};

use super::status::osu_status;
use crate::Error;

/// Why a call failed before or inside the core.
pub(crate) enum CallError {
    Core(Error),
    NullArgument(&'static str),
    NotUtf8(&'static str),
    InvalidHandle,
}

impl From<Error> for CallError {
    fn from(error: Error) -> Self {
        CallError::Core(error)
    }
}

impl CallError {
    fn status(&self) -> osu_status {
        match self {
            CallError::Core(error) => osu_status::of(error),
            CallError::NullArgument(_) => osu_status::OSU_NULL_ARGUMENT,
            CallError::NotUtf8(_) => osu_status::OSU_INVALID_ARGUMENT,
            CallError::InvalidHandle => osu_status::OSU_INVALID_HANDLE,
        }
    }

    fn message(&self) -> String {
        match self {
            CallError::Core(error) => error.to_string(),
            CallError::NullArgument(name) => format!("{name}: must not be NULL"),
            CallError::NotUtf8(name) => format!("{name}: is not valid UTF-8"),
            CallError::InvalidHandle => {
                "site: the handle is not open (closed already, or never opened)".into()
            }
        }
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

/// Runs an entry point's body: its error or panic becomes the status and the thread's last
/// error message; success clears the message.
pub(crate) fn ffi_boundary(body: impl FnOnce() -> Result<(), CallError>) -> osu_status {
    let (status, message) = match panic::catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => (osu_status::OSU_OK, String::new()),
        Ok(Err(error)) => (error.status(), error.message()),
        Err(payload) => (osu_status::OSU_INTERNAL, panic_message(payload.as_ref())),
    };
    set_last_error(message);
    status
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".into());
    format!("internal error in OSUpgrade (please report it): {detail}")
}

fn set_last_error(message: String) {
    let message = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|last| *last.borrow_mut() = message);
}

/// The message of the last failed `osu_` call on the calling thread, naming the argument, path
/// or package involved and why; "" after a call that succeeded. The string belongs to the
/// library and stays valid until the next `osu_` call on this thread. Never NULL.
#[no_mangle]
pub extern "C" fn osu_last_error_message() -> *const c_char {
    LAST_ERROR.with(|last| last.borrow().as_ptr())
}

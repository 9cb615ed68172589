//! Reading C arguments: NULL checks, UTF-8 checks, out-parameters.

use std::ffi::{c_char, CStr, CString};

use serde::Serialize;

use super::boundary::CallError;
use super::json::ToJson;
use crate::Error;

/// A string argument that must be given, and not empty.
///
/// # Safety
/// `value` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn required_str<'a>(
    value: *const c_char,
    name: &'static str,
) -> Result<&'a str, CallError> {
    let value = optional_str(value, name)?.ok_or(CallError::NullArgument(name))?;
    not_empty(value, name)
}

/// A path, ID or name argument where NULL means "not given", but "" names nothing.
///
/// # Safety
/// As for `required_str`.
pub(crate) unsafe fn optional_name<'a>(
    value: *const c_char,
    name: &'static str,
) -> Result<Option<&'a str>, CallError> {
    optional_str(value, name)?
        .map(|value| not_empty(value, name))
        .transpose()
}

fn not_empty<'a>(value: &'a str, name: &'static str) -> Result<&'a str, CallError> {
    if value.is_empty() {
        return Err(CallError::Core(Error::invalid_argument(name, "is empty")));
    }
    Ok(value)
}

/// A string argument where NULL means "not given".
///
/// # Safety
/// As for `required_str`.
pub(crate) unsafe fn optional_str<'a>(
    value: *const c_char,
    name: &'static str,
) -> Result<Option<&'a str>, CallError> {
    if value.is_null() {
        return Ok(None);
    }
    CStr::from_ptr(value)
        .to_str()
        .map(Some)
        .map_err(|_| CallError::NotUtf8(name))
}

/// An out-parameter, cleared to NULL so that a failed call leaves nothing to free.
///
/// # Safety
/// `out` is NULL or points to writable storage for a pointer.
pub(crate) unsafe fn out_param<'a, T>(
    out: *mut *mut T,
    name: &'static str,
) -> Result<&'a mut *mut T, CallError> {
    let out = out.as_mut().ok_or(CallError::NullArgument(name))?;
    *out = std::ptr::null_mut();
    Ok(out)
}

/// A record as the C face sends it: its own fields, then `sitePath`, the database of the site it
/// came from, so that a record handed on (a PowerShell pipeline) finds its site again.
#[derive(Serialize)]
struct Stamped<'a, T> {
    #[serde(flatten)]
    record: &'a T,
    #[serde(rename = "sitePath")]
    site_path: &'a str,
}

/// Hands a record to the caller in its JSON shape, as a string it frees with `osu_string_free`.
pub(crate) fn write_record(out: &mut *mut c_char, site_path: &str, record: &impl ToJson) {
    let record = &record.to_json();
    write_json(out, &Stamped { record, site_path });
}

/// Hands a list of records to the caller as a JSON array, each stamped as `write_record` does.
pub(crate) fn write_records<T: ToJson>(out: &mut *mut c_char, site_path: &str, records: &[T]) {
    let shapes: Vec<T::Json<'_>> = records.iter().map(ToJson::to_json).collect();
    let stamped: Vec<Stamped<'_, T::Json<'_>>> = shapes
        .iter()
        .map(|record| Stamped { record, site_path })
        .collect();
    write_json(out, &stamped);
}

fn write_json(out: &mut *mut c_char, value: &impl Serialize) {
    // Serializing plain records cannot fail, and JSON escapes NUL, so neither fallback is hit.
    let json = serde_json::to_string(value).unwrap_or_default();
    *out = CString::new(json).unwrap_or_default().into_raw();
}

/// A JSON array of strings argument.
///
/// # Safety
/// As for `required_str`.
pub(crate) unsafe fn string_list(
    value: *const c_char,
    name: &'static str,
) -> Result<Vec<String>, CallError> {
    let text = required_str(value, name)?;
    let items: Vec<String> = serde_json::from_str(text).map_err(|e| {
        CallError::Core(Error::invalid_argument(
            name,
            format!("not a JSON array of strings ({e})"),
        ))
    })?;
    for (index, item) in items.iter().enumerate() {
        if item.is_empty() {
            let reason = format!("item {index} is empty");
            return Err(CallError::Core(Error::invalid_argument(name, reason)));
        }
    }
    Ok(items)
}

/// A C array of `count` strings; NULL is an empty array when `count` is 0.
///
/// # Safety
/// `values` is NULL or points to `count` pointers, each NULL or a NUL-terminated string.
pub(crate) unsafe fn string_array(
    values: *const *const c_char,
    count: usize,
    name: &'static str,
) -> Result<Vec<String>, CallError> {
    if values.is_null() {
        return if count == 0 {
            Ok(Vec::new())
        } else {
            Err(CallError::NullArgument(name))
        };
    }
    std::slice::from_raw_parts(values, count)
        .iter()
        .map(|&value| required_str(value, name).map(str::to_string))
        .collect()
}

//! Makes the status table's conversions from the one list of statuses: the `osu_status` enum in
//! src/ffi/status.rs, written out there because cbindgen reads the header's enum from the source
//! as written (it expands no macro). What this generates (every status, each one's name) is
//! included beside it, so a status added to the enum has a name and a code without more.

use std::env;
use std::fs;
use std::path::Path;

const TABLE: &str = "src/ffi/status.rs";

fn main() {
    println!("cargo:rerun-if-changed={TABLE}");
    let source = fs::read_to_string(TABLE).expect("src/ffi/status.rs is readable");
    let statuses = statuses(&source);
    assert!(
        !statuses.is_empty(),
        "no `OSU_NAME = code,` lines in the osu_status enum of {TABLE}"
    );
    let all: String = statuses
        .iter()
        .map(|name| format!("osu_status::{name}, "))
        .collect();
    let names: String = statuses
        .iter()
        .map(|name| format!("osu_status::{name} => b\"{name}\\0\",\n"))
        .collect();
    let generated = format!(
        "impl osu_status {{\n\
         /// Every status, in the table's order.\n\
         pub(crate) const ALL: [osu_status; {count}] = [{all}];\n\n\
         /// The status's name, NUL-terminated.\n\
         pub(crate) fn name(self) -> &'static [u8] {{\nmatch self {{\n{names}}}\n}}\n}}\n",
        count = statuses.len()
    );
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("status_table.rs");
    fs::write(out, generated).expect("OUT_DIR is writable");
}

/// The variant names of `pub enum osu_status { … }`, each written `OSU_NAME = code,`.
fn statuses(source: &str) -> Vec<&str> {
    source
        .lines()
        .skip_while(|line| !line.starts_with("pub enum osu_status {"))
        .take_while(|line| !line.starts_with('}'))
        .filter_map(|line| {
            let (name, code) = line.trim().split_once(" = ")?;
            let code = code.strip_suffix(',')?;
            (name.starts_with("OSU_") && code.parse::<i32>().is_ok()).then_some(name)
        })
        .collect()
}

//! Adds an upgrade package to a site and prints it: the first job of OSUpgrade from Rust.
//!
//! usage: add_package SOURCE_FOLDER NAME [VERSION] [COMMENT]
//! The site is the embedded default, or OSUPGRADE_SITE when set.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::Path;
use std::process::ExitCode;

use osupgrade::package::{self, NewPackage};
use osupgrade::{Progress, Site};

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    if arguments.len() < 2 {
        eprintln!("usage: add_package SOURCE_FOLDER NAME [VERSION] [COMMENT]");
        return ExitCode::from(2);
    }
    let argument = |i: usize| arguments.get(i).map_or("", String::as_str);
    match run(argument(0), argument(1), argument(2), argument(3)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nadd_package: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(source: &str, name: &str, version: &str, comment: &str) -> osupgrade::Result<()> {
    let site = Site::open(None, None)?;
    println!("site: {}", site.database_path().display());
    let new = NewPackage {
        source_path: Path::new(source),
        name,
        version,
        comment,
    };
    let added = package::add(&site, &new, &mut show_progress)?;
    println!();
    println!(
        "{} '{}' {}: content version {}, {} files, {} MiB",
        added.id,
        added.name,
        added.version,
        added.content_version,
        added.file_count,
        added.size >> 20
    );
    for image in &added.images {
        println!(
            "  index {} {} {} {} {}",
            image.index,
            image.edition_id,
            image.architecture,
            image.version,
            image.languages.join(", ")
        );
    }
    let info = site.info()?;
    println!(
        "site {} holds {} package(s): {} MiB of content in {} MiB of library ({} MiB saved)",
        info.site_code,
        info.package_count,
        info.content_size >> 20,
        info.library_size >> 20,
        info.bytes_saved >> 20
    );
    Ok(())
}

fn show_progress(progress: &Progress<'_>) -> ControlFlow<()> {
    print!(
        "\r{:?}: {}/{} files, {}/{} MiB   ",
        progress.phase,
        progress.files_done,
        progress.files_total,
        progress.bytes_done >> 20,
        progress.bytes_total >> 20
    );
    let _ = std::io::stdout().flush();
    ControlFlow::Continue(())
}

//! Checks of the repository's own shape that no behaviour test would see break.

use std::fs;
use std::path::Path;

/// Every program the tests run under wine needs what tests/windows/wine-env.sh exports (without
/// DOTNET_EnableWriteXorExecute=0 the CLR dies there at random): a run that named wine itself, or
/// that did not source that file, would lack it.
#[test]
fn every_run_under_wine_starts_wine_through_wine_env() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/windows");
    let environment = fs::read_to_string(folder.join("wine-env.sh")).unwrap();
    assert!(environment.contains("\nexport DOTNET_EnableWriteXorExecute=0\n"));
    let mut runs = 0;
    for entry in fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "sh") || path.ends_with("wine-env.sh") {
            continue;
        }
        let script = fs::read_to_string(&path).unwrap();
        let code: Vec<&str> = script
            .lines()
            .filter(|line| !line.trim_start().starts_with('#'))
            .collect();
        let named = |word: &str| code.iter().any(|line| line.contains(word));
        assert!(
            !named("wine64"),
            "{} names wine itself: use \"$(wine_program)\" from wine-env.sh",
            path.display()
        );
        if named("wine_program") {
            assert!(
                named("source \"$repo/tests/windows/wine-env.sh\""),
                "{} runs wine without sourcing wine-env.sh",
                path.display()
            );
            runs += 1;
        }
    }
    assert_eq!(runs, 3, "the C, C# and PowerShell runs under wine");
}

/// The floors of the house (the README's layout table), lowest first: a module may use its own
/// floor's neighbours and what is below, never what is above. A module missing here fails the
/// test, so that every new one is given its floor.
const FLOORS: &[&[&str]] = &[
    &["stored_enum", "error", "kill_point", "progress", "fuzz"],
    &["time", "jobs"],
    &["model", "logging"],
    &["db", "image"],
    &["content"],
    &["site"],
    &["package", "distribution", "updates"],
    &["schedule"],
    &["servicing"],
    &["lifecycle"],
    &["ffi"],
];

#[test]
fn no_module_uses_one_on_a_floor_above_it() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let reexports = crate_root_reexports(&source);
    let floor = |module: &str| FLOORS.iter().position(|floor| floor.contains(&module));
    let mut upward = Vec::new();
    for (file, module) in module_files(&source) {
        let own = floor(&module).unwrap_or_else(|| panic!("{module} (src/{file}) has no floor"));
        let code = code_of(&fs::read_to_string(source.join(&file)).unwrap());
        for used in crate_paths(&code) {
            let used = reexports.get(used).map_or(used, String::as_str);
            match floor(used) {
                Some(theirs) if theirs > own => upward.push(format!("src/{file} uses {used}")),
                Some(_) => {}
                None => panic!("src/{file} uses crate::{used}, which has no floor"),
            }
        }
    }
    upward.dedup();
    assert!(
        upward.is_empty(),
        "uses of a floor above:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_two_files_of_a_module_use_each_other() {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut circles = Vec::new();
    for (file, module) in module_files(&source) {
        let Some(name) = sibling_name(&file) else {
            continue;
        };
        for other in siblings_used(&source, &file, &module) {
            let back = format!("{module}/{other}.rs");
            let used_back = siblings_used(&source, &back, &module).contains(&name.to_string());
            if other.as_str() > name && used_back {
                circles.push(format!("src/{file} and src/{back}"));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "files that use each other:\n{}",
        circles.join("\n")
    );
}

/// Each source file (relative to src/) with the top module it belongs to; the crate root is
/// left out.
fn module_files(source: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for inner in fs::read_dir(&path).unwrap() {
                let inner = inner.unwrap().path();
                let nested = inner.is_dir()
                    && fs::read_dir(&inner)
                        .unwrap()
                        .flatten()
                        .any(|e| e.path().extension().is_some_and(|e| e == "rs"));
                assert!(
                    !nested,
                    "{}: the house test reads one folder level",
                    inner.display()
                );
                if inner.extension().is_some_and(|e| e == "rs") {
                    let file = inner.file_name().unwrap().to_string_lossy().into_owned();
                    files.push((format!("{name}/{file}"), name.clone()));
                }
            }
        } else if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "lib") {
            files.push((name.clone(), module.to_string()));
        }
    }
    files.sort();
    files
}

/// `copy` for `content/copy.rs`; none for a module's own mod.rs or a one-file module.
fn sibling_name(file: &str) -> Option<&str> {
    let (_, name) = file.split_once('/')?;
    name.strip_suffix(".rs").filter(|name| *name != "mod")
}

/// The other files of `module` that `file` names, through `super::` or `crate::module::`.
fn siblings_used(source: &Path, file: &str, module: &str) -> Vec<String> {
    let Ok(text) = fs::read_to_string(source.join(file)) else {
        return Vec::new();
    };
    let code = code_of(&text);
    let mut used: Vec<String> = Vec::new();
    for prefix in ["super::".to_string(), format!("crate::{module}::")] {
        for path in paths_after(&code, &prefix) {
            if source.join(module).join(format!("{path}.rs")).is_file()
                && !used.iter().any(|u| u == path)
            {
                used.push(path.to_string());
            }
        }
    }
    used
}

/// What the crate root re-exports, by name: `Site` is `site`'s.
fn crate_root_reexports(source: &Path) -> std::collections::HashMap<&'static str, String> {
    let root = fs::read_to_string(source.join("lib.rs")).unwrap();
    let mut names = std::collections::HashMap::new();
    for line in root.lines() {
        let Some(rest) = line.strip_prefix("pub use ") else {
            continue;
        };
        let (module, items) = rest.split_once("::").unwrap();
        for item in items.trim_matches(|c| "{};".contains(c)).split(',') {
            let item: &'static str = Box::leak(item.trim().to_string().into_boxed_str());
            names.insert(item, module.to_string());
        }
    }
    names
}

/// The source without comments and without its unit tests (which may set up with anything).
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap();
    text.lines()
        .map(|line| line.split("//").next().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first names after each `crate::`, those of a `crate::{a, b::c}` group included.
fn crate_paths(code: &str) -> Vec<&str> {
    paths_after(code, "crate::")
}

fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            names.extend(group_items(group).into_iter().filter_map(first_name));
        } else {
            names.extend(first_name(rest));
        }
    }
    names
}

/// The items of a `{a, b::{c, d}}` group (given after its `{`), nested groups kept whole.
fn group_items(group: &str) -> Vec<&str> {
    let (mut items, mut depth, mut start) = (Vec::new(), 0, 0);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(group[start..at].trim());
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(group[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    items
}

fn first_name(path: &str) -> Option<&str> {
    let end = path
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(path.len());
    Some(&path[..end]).filter(|name| !name.is_empty())
}

/// Get-OSUpgradeLog names the components a log can have (for -Component's completion and its
/// check): exactly the targets the library logs as.
#[test]
fn the_module_knows_every_log_component_of_the_library() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut targets = std::collections::BTreeSet::new();
    for (file, _) in module_files(&root.join("src")) {
        let text = fs::read_to_string(root.join("src").join(file)).unwrap();
        for piece in text.split("target: \"").skip(1) {
            targets.insert(piece.split('"').next().unwrap_or_default().to_string());
        }
    }
    let cmdlet =
        fs::read_to_string(root.join("powershell/OSUpgrade/Public/Get-OSUpgradeLog.ps1")).unwrap();
    let line = cmdlet
        .lines()
        .find(|l| l.starts_with("$script:OSUpgradeLogComponent = "))
        .expect("the list of components");
    let listed: std::collections::BTreeSet<String> = line
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    assert_eq!(listed, targets);
}

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

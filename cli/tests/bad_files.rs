//! `segscope run --orders <file>` over the whole bad-file corpus
//! (`core/tests/bad_files/`): every file either runs (exit 0, with its
//! findings in `data_quality.json` when it has any to report) or stops with
//! status 1 and one line on stderr naming the file — never a panic.

#[path = "../../core/tests/bad_files/mod.rs"]
mod bad_files;

use bad_files::Outcome;
use std::path::Path;
use std::process::Command;

#[test]
fn every_bad_file_runs_or_stops_with_one_clear_line() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad_files");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let mut wrong = Vec::new();
    for file in bad_files::corpus() {
        let input = dir.join(file.name);
        std::fs::write(&input, &file.bytes).expect("corpus file written");
        let out = dir.join(format!("{}.out", file.name));
        let run = Command::new(env!("CARGO_BIN_EXE_segscope"))
            .args(["run", "--orders"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("binary runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let code = run.status.code();
        if stderr.contains("panicked") || code.is_none() {
            wrong.push(format!("{}: crashed ({code:?}): {stderr}", file.name));
            continue;
        }
        match file.outcome {
            Outcome::Refused => {
                let line = stderr.trim_end();
                if code != Some(1) || line.lines().count() != 1 || !line.contains(file.name) {
                    wrong.push(format!(
                        "{}: expected one line naming it and status 1, got {code:?}: {stderr}",
                        file.name
                    ));
                }
            }
            Outcome::Findings | Outcome::Loads => {
                if code != Some(0) {
                    wrong.push(format!("{}: expected a run, got {code:?}: {stderr}", file.name));
                    continue;
                }
                let dq = std::fs::read_to_string(out.join("data_quality.json")).unwrap_or_default();
                let report: serde_json::Value = serde_json::from_str(&dq).unwrap_or_default();
                let count = |key: &str| report[key].as_array().map_or(0, Vec::len);
                if file.outcome == Outcome::Findings && count("findings") + count("notes") == 0 {
                    wrong.push(format!("{}: no findings in data_quality.json", file.name));
                }
                if !out.join("skus.csv").exists() {
                    wrong.push(format!("{}: no skus.csv", file.name));
                }
            }
        }
        // The 30 MB and 300,000-SKU files would otherwise stay on disk.
        let _ = std::fs::remove_dir_all(&out);
        let _ = std::fs::remove_file(&input);
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

//! Writes the bad-file corpus (`core/tests/bad_files/`) into a folder, for
//! the app's end-to-end test and for trying files by hand:
//!
//! ```text
//! cargo run -p segscope-core --example bad_files -- /tmp/bad-files
//! ```
//!
//! It also writes `index.json`: each file's name, what is wrong with it and
//! the expected outcome (`refused`, `findings` or `loads`).

#[path = "../tests/bad_files/mod.rs"]
mod bad_files;

use bad_files::Outcome;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: bad_files <output folder>");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut index = Vec::new();
    for file in bad_files::corpus() {
        let path = dir.join(file.name);
        if let Err(e) = std::fs::write(&path, &file.bytes) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        let outcome = match file.outcome {
            Outcome::Refused => "refused",
            Outcome::Findings => "findings",
            Outcome::Loads => "loads",
        };
        index.push(format!(
            "  {{\"name\": {:?}, \"what\": {:?}, \"outcome\": \"{outcome}\", \"bytes\": {}}}",
            file.name,
            file.what,
            file.bytes.len()
        ));
    }
    let json = format!("[\n{}\n]\n", index.join(",\n"));
    if let Err(e) = std::fs::write(dir.join("index.json"), json) {
        eprintln!("cannot write the index: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

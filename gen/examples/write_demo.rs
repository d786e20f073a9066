//! Writes a generated data set as CSV files into a folder.
//!
//! `cargo run --release -p segscope-gen --example write_demo -- DIR [lines [seed]]`
//! (without `lines`: the bundled demo).

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "demo-data".into()));
    let params = match args.next().and_then(|a| a.parse().ok()) {
        Some(lines) => segscope_gen::Params::scaled(
            lines,
            args.next().and_then(|a| a.parse().ok()).unwrap_or(42),
        ),
        None => segscope_gen::Params::demo(),
    };
    std::fs::create_dir_all(&dir)?;
    for (name, bytes) in segscope_gen::generate(&params).named() {
        std::fs::write(dir.join(name), bytes)?;
        println!("{} ({} bytes)", dir.join(name).display(), bytes.len());
    }
    Ok(())
}

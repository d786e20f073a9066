//! Every file of the bad-file corpus (`bad_files/mod.rs`) loads as an
//! orders file with data-quality findings, or is refused with a short error
//! that names the file, the line and what to do — never a panic. Loaded
//! files then go through the whole analysis.
//!
//! Memory and time stay bounded by construction: every file is at most
//! 30 MB, the report keeps at most 20 examples per rule, and the checks
//! below bound what a load may hold relative to its input.

mod bad_files;

use bad_files::{BadFile, Outcome};
use segscope_core::config::MappingConfig;
use segscope_core::ingest::{load, InputFile, LoadOptions, Loaded};
use segscope_core::{analyze, Config, Date, IngestError};
use std::sync::OnceLock;

/// The longest error message a person should have to read.
const SHORT: usize = 400;

fn load_orders(file: &BadFile) -> Result<Loaded, IngestError> {
    let input = InputFile { name: file.name, bytes: &file.bytes };
    let options = LoadOptions { today: Date::from_ymd(2026, 11, 22), ..LoadOptions::default() };
    load(input, None, None, None, &MappingConfig::default(), &options)
}

fn outcome(result: &Result<Loaded, IngestError>) -> Outcome {
    match result {
        Err(_) => Outcome::Refused,
        Ok(l) if l.report.findings.is_empty() && l.report.notes.is_empty() => Outcome::Loads,
        Ok(_) => Outcome::Findings,
    }
}

/// What a refusal must say: the file's name first, a line, what to do.
fn check_error(file: &BadFile, error: &IngestError) {
    let message = error.to_string();
    assert!(message.starts_with(file.name), "{}: does not name the file: {message}", file.name);
    assert!(
        message.chars().count() <= SHORT,
        "{}: too long ({} chars): {message}",
        file.name,
        message.len()
    );
    let line = matches!(error, IngestError::Unreadable { line, .. } if *line >= 1);
    let column = matches!(error, IngestError::MissingField { .. });
    assert!(line || column, "{}: names neither a line nor a column: {message}", file.name);
    let advice = ["save", "export", "map", "load", "check", "must"];
    assert!(
        advice.iter().any(|w| message.to_lowercase().contains(w)),
        "{}: says nothing to do: {message}",
        file.name
    );
}

/// What a load must hold: no more lines than rows, bounded examples, every
/// figure finite, every example's line within the file.
fn check_loaded(file: &BadFile, loaded: &Loaded) {
    let rows = file.bytes.iter().filter(|&&b| b == b'\n').count().max(1);
    let lines = &loaded.dataset.lines;
    assert!(lines.len() <= rows, "{}: {} lines from {rows} rows", file.name, lines.len());
    for finding in &loaded.report.findings {
        assert!(finding.examples.len() <= 20, "{}: {} examples", file.name, finding.examples.len());
        for example in &finding.examples {
            assert!(
                example.line as usize <= rows + 1,
                "{}: example at line {}",
                file.name,
                example.line
            );
            assert!(
                example.detail.len() <= 1_000,
                "{}: example detail of {} bytes",
                file.name,
                example.detail.len()
            );
        }
    }
    for (i, q) in lines.quantity.iter().enumerate() {
        assert!(q.is_finite(), "{}: line {i} has quantity {q}", file.name);
    }
    for i in 0..lines.len() {
        if let Some(r) = lines.line_revenue.get(i) {
            assert!(r.is_finite(), "{}: line {i} has revenue {r}", file.name);
        }
    }
}

/// Files with more lines than this are loaded but not analysed here: in a
/// debug build the analysis of 300,000 SKUs takes half a minute, and the
/// CLI test runs it end to end.
const ANALYSE_MAX_LINES: usize = 20_000;

/// The corpus, generated once for both tests.
fn corpus() -> &'static [BadFile] {
    static CORPUS: OnceLock<Vec<BadFile>> = OnceLock::new();
    CORPUS.get_or_init(bad_files::corpus)
}

#[test]
fn the_corpus_has_every_kind_of_bad_file() {
    let corpus = corpus();
    assert!(corpus.len() >= 40, "{} files", corpus.len());
    let mut names: Vec<&str> = corpus.iter().map(|f| f.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), corpus.len(), "file names repeat");
    let largest = corpus.iter().map(|f| f.bytes.len()).max().unwrap_or(0);
    assert!((30 << 20..40 << 20).contains(&largest), "largest file {largest} bytes");
}

#[test]
fn every_bad_file_loads_with_findings_or_is_refused_clearly() {
    let mut wrong = Vec::new();
    for file in corpus() {
        let result = load_orders(file);
        let got = outcome(&result);
        let fits =
            got == file.outcome || (file.outcome == Outcome::Loads && got == Outcome::Findings);
        if !fits {
            wrong.push(format!("{}: expected {:?}, got {got:?}", file.name, file.outcome));
        }
        match &result {
            Err(e) => check_error(file, e),
            Ok(loaded) => {
                check_loaded(file, loaded);
                if loaded.dataset.lines.len() > ANALYSE_MAX_LINES {
                    continue;
                }
                let analysis = analyze(&loaded.dataset, &Config::default());
                assert_eq!(analysis.classes.len(), loaded.dataset.skus.len(), "{}", file.name);
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

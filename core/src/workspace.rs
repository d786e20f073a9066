//! The workspace file: everything a user's work consists of — the input
//! files as given, the mapping chosen for each, the configuration, pools
//! edited on the page, the role and the governance record — in one
//! self-describing, versioned file. The app saves it in the browser after
//! every change and lets the user export it and import it elsewhere.
//!
//! Derived results are not stored: opening a workspace parses and analyses
//! the files again, so a newer engine recomputes with its own rules.
//!
//! # Layout (version 1)
//!
//! All integers are little-endian.
//!
//! | bytes | what |
//! |---|---|
//! | 22 | [`MAGIC`]: `SEGSCOPE WORKSPACE\r\n\x1a\n` |
//! | 4 | format version ([`VERSION`]) |
//! | 4 | manifest length *m* (at most [`MAX_MANIFEST`]) |
//! | 32 | SHA-256 of the manifest |
//! | *m* | manifest: UTF-8 JSON, every field but the file contents |
//! | Σ sizes | the files' bytes, one after the other in manifest order |
//!
//! The manifest lists each file's kind, name, mapping overrides, size and
//! SHA-256, so every byte of the file is covered by a checksum and a
//! damaged file is named. File contents are stored raw, not as base64 in
//! the JSON: a 100 MB export costs 100 MB, and nothing is parsed to find
//! where a file starts.
//!
//! # Hostile input
//!
//! [`decode`] never allocates from a length it has not checked against the
//! bytes it was given: every length is compared with what remains before
//! anything is sliced or copied, so memory stays within a small multiple of
//! the input's size, and no input panics (a proptest feeds it random and
//! mutated bytes).

use crate::config::Config;
use crate::dataset::CostPool;
use crate::governance::Governance;
use crate::ingest::{FileKind, Overrides};
use crate::roles::Role;
use crate::run::{sha256_hex, InputRecord};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// The first bytes of every workspace file. The text names the format when
/// the file is opened in an editor; `\r\n` and `\x1a\n` catch a transfer
/// that rewrote line endings (as PNG's signature does).
pub const MAGIC: &[u8; 22] = b"SEGSCOPE WORKSPACE\r\n\x1a\n";

/// The format version this engine writes, and the newest it reads.
pub const VERSION: u32 = 1;

/// The largest manifest accepted (the configuration, pools and governance
/// record; never the files' contents).
pub const MAX_MANIFEST: u32 = 64 << 20;

/// The name ending of exported workspace files.
pub const EXTENSION: &str = "segscope";

/// Bytes before the manifest: magic, version, length, checksum.
const HEADER: usize = MAGIC.len() + 4 + 4 + 32;

/// A user's whole work, as saved and exported.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Workspace {
    /// When it was saved (RFC 3339, UTC), as told by the caller.
    pub saved: String,
    /// The input files that are loaded, in the order they are read back.
    pub files: Vec<WorkspaceFile>,
    /// The full configuration (SPEC §8), mapping included.
    pub config: Config,
    /// Cost pools edited on the Cost to serve page, in place of the
    /// cost-pools file's; `None` when the file's are used.
    pub edited_pools: Option<Vec<CostPool>>,
    /// The audience the views are built for.
    pub role: Role,
    /// Runs, manual overrides and their audit trail.
    pub governance: Governance,
}

/// One input file as the user gave it.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkspaceFile {
    /// Which input it is.
    pub kind: FileKind,
    /// The file's name as given.
    pub name: String,
    /// The mapping the user chose for it (field → header).
    pub overrides: Overrides,
    /// The file's content, unchanged.
    pub bytes: Vec<u8>,
}

/// Why bytes could not be read as a workspace. Each message says what the
/// file is (or seems to be) and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkspaceError {
    /// Not a segscope workspace at all; `looks_like` describes it ("a ZIP
    /// archive (e.g. an Excel .xlsx file)", "a text file starting …").
    Foreign {
        /// What the bytes look like.
        looks_like: String,
    },
    /// Written by a newer segscope in a format this one cannot read.
    Newer {
        /// The file's format version.
        version: u32,
    },
    /// The file ends early: `expected` bytes by its own header, `actual`
    /// present.
    Truncated {
        /// Length the file declares.
        expected: u64,
        /// Length given.
        actual: u64,
    },
    /// The structure or a checksum does not match: the file was damaged.
    Corrupt {
        /// What is wrong, naming the part (manifest, a file by name).
        what: String,
    },
}

impl fmt::Display for WorkspaceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkspaceError::Foreign { looks_like } => write!(
                f,
                "This is not a segscope workspace: it looks like {looks_like}. \
                 Choose a .{EXTENSION} file made with \"Export workspace\"; \
                 input files are loaded on the Data page."
            ),
            WorkspaceError::Newer { version } => write!(
                f,
                "This workspace was saved by a newer segscope (format {version}; \
                 this one reads up to format {VERSION}). Open it with that \
                 version, or update segscope."
            ),
            WorkspaceError::Truncated { expected, actual } => write!(
                f,
                "This workspace file is incomplete: it should be {expected} bytes \
                 but is {actual}. It was probably cut off while copying or \
                 downloading; export it again from where it came from."
            ),
            WorkspaceError::Corrupt { what } => write!(
                f,
                "This workspace file is damaged ({what}). Export it again from \
                 where it came from."
            ),
        }
    }
}

impl std::error::Error for WorkspaceError {}

/// Everything but the files' contents, as the JSON manifest.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    saved: String,
    files: Vec<FileEntry>,
    config: Config,
    #[serde(default)]
    edited_pools: Option<Vec<CostPool>>,
    #[serde(default)]
    role: Role,
    #[serde(default)]
    governance: Governance,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    kind: FileKind,
    name: String,
    #[serde(default)]
    overrides: Overrides,
    size: u64,
    sha256: String,
}

/// Writes a workspace as one file (see the module documentation for the
/// layout).
pub fn encode(workspace: &Workspace) -> Vec<u8> {
    let contents: Vec<&[u8]> = workspace.files.iter().map(|f| f.bytes.as_slice()).collect();
    let mut out = encode_header(workspace, &contents);
    out.reserve(contents.iter().map(|c| c.len()).sum());
    for c in contents {
        out.extend_from_slice(c);
    }
    out
}

/// The start of [`encode`]'s file — magic, version, manifest — with
/// `contents[i]` as the bytes of `workspace.files[i]` (whose own `bytes` are
/// not read): the file is this followed by each of `contents`. A caller
/// that holds the files' bytes writes the file piece by piece without a
/// copy of them (the app's autosave of a million order lines).
pub fn encode_header(workspace: &Workspace, contents: &[&[u8]]) -> Vec<u8> {
    let records: Vec<InputRecord> = workspace
        .files
        .iter()
        .zip(contents)
        .map(|(f, bytes)| InputRecord::new(f.kind, &f.name, bytes))
        .collect();
    encode_header_of(workspace, &records)
}

/// [`encode_header`] with each file's contents described by its size and
/// SHA-256 (`records[i]` for `workspace.files[i]`), for a caller that keeps
/// the files' bytes elsewhere and has hashed them already.
pub fn encode_header_of(workspace: &Workspace, records: &[InputRecord]) -> Vec<u8> {
    let manifest = Manifest {
        saved: workspace.saved.clone(),
        files: workspace
            .files
            .iter()
            .zip(records)
            .map(|(f, record)| FileEntry {
                kind: f.kind,
                name: f.name.clone(),
                overrides: f.overrides.clone(),
                size: record.bytes,
                sha256: record.sha256.clone(),
            })
            .collect(),
        config: workspace.config.clone(),
        edited_pools: workspace.edited_pools.clone(),
        role: workspace.role,
        governance: workspace.governance.clone(),
    };
    // Plain data with string keys: serialising it cannot fail.
    let json = serde_json::to_vec(&manifest).unwrap_or_default();
    let mut out = Vec::with_capacity(HEADER + json.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&json));
    out.extend_from_slice(&json);
    out
}

/// Reads a workspace file.
///
/// # Errors
///
/// [`WorkspaceError::Foreign`] for anything that is not a workspace (with
/// what it looks like), [`WorkspaceError::Newer`] for a newer format,
/// [`WorkspaceError::Truncated`] when it ends early and
/// [`WorkspaceError::Corrupt`] when a checksum or the structure does not
/// match.
///
/// # Example
///
/// ```
/// use segscope_core::workspace::{decode, encode, Workspace, WorkspaceError};
///
/// let bytes = encode(&Workspace::default());
/// assert_eq!(decode(&bytes), Ok(Workspace::default()));
/// let zip = b"PK\x03\x04\x14\x00";
/// assert!(matches!(decode(zip), Err(WorkspaceError::Foreign { .. })));
/// ```
pub fn decode(bytes: &[u8]) -> Result<Workspace, WorkspaceError> {
    let actual = bytes.len() as u64;
    let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
        if !bytes.is_empty() && MAGIC.starts_with(bytes) {
            return Err(WorkspaceError::Truncated { expected: HEADER as u64, actual });
        }
        return Err(WorkspaceError::Foreign { looks_like: looks_like(bytes) });
    };
    let truncated = |expected: u64| WorkspaceError::Truncated { expected, actual };
    let (version, rest) = split_u32(rest).ok_or(truncated(HEADER as u64))?;
    if version > VERSION {
        return Err(WorkspaceError::Newer { version });
    }
    if version == 0 {
        return Err(corrupt("format version 0 does not exist"));
    }
    let (length, rest) = split_u32(rest).ok_or(truncated(HEADER as u64))?;
    if length > MAX_MANIFEST {
        return Err(corrupt(&format!(
            "a manifest of {length} bytes is more than any workspace has"
        )));
    }
    let (checksum, rest) = split(rest, 32).ok_or(truncated(HEADER as u64))?;
    let manifest_end = HEADER as u64 + u64::from(length);
    let (json, mut contents) = split(rest, length as usize).ok_or(truncated(manifest_end))?;
    if Sha256::digest(json).as_slice() != checksum {
        return Err(corrupt("the manifest's checksum does not match"));
    }
    let manifest: Manifest = serde_json::from_slice(json)
        .map_err(|e| corrupt(&format!("the manifest cannot be read: {e}")))?;
    manifest.config.validate().map_err(|e| corrupt(&format!("its configuration: {e}")))?;
    let expected =
        manifest
            .files
            .iter()
            .try_fold(manifest_end, |sum, f| sum.checked_add(f.size))
            .ok_or_else(|| corrupt("the file sizes add up to more than any file can hold"))?;
    if expected > actual {
        return Err(truncated(expected));
    }
    if expected < actual {
        return Err(corrupt(&format!(
            "{} unexpected bytes after the last file",
            actual - expected
        )));
    }
    let mut files = Vec::with_capacity(manifest.files.len());
    for entry in manifest.files {
        // Every size was checked against the input's length above.
        let (content, rest) = split(contents, entry.size as usize).ok_or(truncated(expected))?;
        if sha256_hex(content) != entry.sha256 {
            return Err(corrupt(&format!(
                "the content of {} does not match its checksum",
                entry.name
            )));
        }
        contents = rest;
        files.push(WorkspaceFile {
            kind: entry.kind,
            name: entry.name,
            overrides: entry.overrides,
            bytes: content.to_vec(),
        });
    }
    Ok(Workspace {
        saved: manifest.saved,
        files,
        config: manifest.config,
        edited_pools: manifest.edited_pools,
        role: manifest.role,
        governance: manifest.governance,
    })
}

/// A file name for an export made on `day` (`YYYY-MM-DD`).
pub fn file_name(day: &str) -> String {
    format!("segscope-workspace-{day}.{EXTENSION}")
}

fn corrupt(what: &str) -> WorkspaceError {
    WorkspaceError::Corrupt { what: what.to_owned() }
}

fn split(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (n <= bytes.len()).then(|| bytes.split_at(n))
}

fn split_u32(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let (head, rest) = split(bytes, 4)?;
    let mut word = [0; 4];
    word.copy_from_slice(head);
    Some((u32::from_le_bytes(word), rest))
}

/// What a file that is not a workspace seems to be, from its first bytes,
/// for the error message.
fn looks_like(bytes: &[u8]) -> String {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a ZIP archive (e.g. an Excel .xlsx file)"),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1f\x8b", "a gzip-compressed file"),
        (b"\xd0\xcf\x11\xe0", "an old Office document (e.g. an Excel .xls file)"),
        (b"\xff\xfe", "a UTF-16 text file"),
        (b"\xfe\xff", "a UTF-16 text file"),
    ];
    if bytes.is_empty() {
        return "an empty file".into();
    }
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return (*what).into();
    }
    let head = &bytes[..bytes.len().min(512)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // The cut may fall inside a character; what comes before is text.
        Err(e) if e.valid_up_to() > 0 && head.len() - e.valid_up_to() < 4 => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return format!("binary data (first bytes: {})", hex_prefix(bytes)),
    };
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return "a web page (HTML)".into();
    }
    if text.starts_with('{') || text.starts_with('[') {
        if text.contains("\"engine\"") && text.contains("\"inputs\"") {
            return "a segscope run record (run.json)".into();
        }
        if text.contains("\"abc\"") || text.contains("\"version\"") {
            return "a JSON file, perhaps segscope settings (load those on the Segments page)"
                .into();
        }
        return "a JSON file".into();
    }
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return format!("binary data (first bytes: {})", hex_prefix(bytes));
    }
    let first: String = text.lines().next().unwrap_or_default().chars().take(60).collect();
    format!("a text file starting \"{first}\" (an input file? load it on the Data page)")
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(8).map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::governance::Override;
    use proptest::prelude::*;

    fn sample() -> Workspace {
        let mut config = Config::default();
        config.abc.a_cut = 0.7;
        config.mapping.orders.insert("sku".into(), "Teil".into());
        Workspace {
            saved: "2026-11-22T01:00:00Z".into(),
            files: vec![
                WorkspaceFile {
                    kind: FileKind::Orders,
                    name: "orders.csv".into(),
                    overrides: config.mapping.orders.clone(),
                    bytes: b"Order ID,Date,Teil,Qty,Sales\n1,2024-03-04,X,3,9.00\n".to_vec(),
                },
                WorkspaceFile {
                    kind: FileKind::Products,
                    name: "Produkte ü.csv".into(),
                    overrides: Overrides::new(),
                    bytes: vec![0, 159, 146, 150, 255],
                },
            ],
            config,
            edited_pools: Some(Vec::new()),
            role: Role::Finance,
            governance: Governance {
                overrides: vec![Override {
                    sku: "X".into(),
                    segment: "AX".into(),
                    reason: "launch".into(),
                }],
                ..Governance::default()
            },
        }
    }

    #[test]
    fn the_header_and_the_contents_are_the_file() {
        let w = sample();
        let contents: Vec<&[u8]> = w.files.iter().map(|f| f.bytes.as_slice()).collect();
        // The header reads the given contents, not the files' own bytes.
        let emptied = Workspace {
            files: w
                .files
                .iter()
                .map(|f| WorkspaceFile { bytes: Vec::new(), ..f.clone() })
                .collect(),
            ..w.clone()
        };
        let mut pieces = encode_header(&emptied, &contents);
        pieces.extend(contents.concat());
        assert_eq!(pieces, encode(&w));
        assert_eq!(decode(&pieces).unwrap(), w);
    }

    fn err(bytes: &[u8]) -> WorkspaceError {
        decode(bytes).expect_err("decoding should fail")
    }

    #[test]
    fn a_workspace_round_trips() {
        let w = sample();
        assert_eq!(decode(&encode(&w)), Ok(w));
    }

    #[test]
    fn the_file_starts_with_the_magic_and_version_and_stores_contents_raw() {
        let w = sample();
        let bytes = encode(&w);
        assert!(bytes.starts_with(b"SEGSCOPE WORKSPACE\r\n\x1a\n\x01\x00\x00\x00"));
        assert!(bytes.ends_with(&[0, 159, 146, 150, 255]));
        let raw: usize = w.files.iter().map(|f| f.bytes.len()).sum();
        let manifest = u32::from_le_bytes(bytes[26..30].try_into().unwrap()) as usize;
        assert_eq!(bytes.len(), HEADER + manifest + raw);
    }

    #[test]
    fn foreign_files_say_what_they_look_like() {
        let cases: &[(&[u8], &str)] = &[
            (b"", "an empty file"),
            (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive (e.g. an Excel .xlsx file)"),
            (b"%PDF-1.7\n", "a PDF document"),
            (b"\x89PNG\r\n\x1a\n", "a PNG image"),
            (b"<!DOCTYPE html><html>", "a web page (HTML)"),
            (b"{\"version\": 1, \"abc\": {}}", "a JSON file, perhaps segscope settings"),
            (b"{\"engine\": \"x\", \"inputs\": []}", "a segscope run record (run.json)"),
            (b"Order ID,Date,SKU\n1,2", "a text file starting \"Order ID,Date,SKU\""),
            (b"\x00\x01\x02\x03garbage", "binary data (first bytes: 00 01 02 03 67 61 72 62)"),
        ];
        for (bytes, expected) in cases {
            match err(bytes) {
                WorkspaceError::Foreign { looks_like } => {
                    assert!(looks_like.starts_with(expected), "{looks_like} ≠ {expected}")
                }
                other => panic!("{other:?}"),
            }
        }
        let message = err(b"PK\x03\x04").to_string();
        assert!(message.starts_with("This is not a segscope workspace: it looks like a ZIP"));
    }

    #[test]
    fn a_newer_format_is_named_with_both_versions() {
        let mut bytes = encode(&sample());
        bytes[22] = 2;
        assert_eq!(err(&bytes), WorkspaceError::Newer { version: 2 });
        assert!(err(&bytes).to_string().contains("format 2; this one reads up to format 1"));
    }

    #[test]
    fn a_cut_off_file_says_how_long_it_should_be() {
        let bytes = encode(&sample());
        let n = bytes.len() as u64;
        assert_eq!(
            err(&bytes[..n as usize - 1]),
            WorkspaceError::Truncated { expected: n, actual: n - 1 }
        );
        assert_eq!(err(&bytes[..10]), WorkspaceError::Truncated { expected: 62, actual: 10 });
        assert!(matches!(err(&bytes[..70]), WorkspaceError::Truncated { actual: 70, .. }));
    }

    #[test]
    fn damage_is_found_and_named() {
        let mut bytes = encode(&sample());
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert_eq!(
            err(&bytes).to_string(),
            "This workspace file is damaged (the content of Produkte ü.csv does not match \
             its checksum). Export it again from where it came from."
        );
        let mut bytes = encode(&sample());
        bytes[HEADER + 3] ^= 0x20;
        assert!(
            matches!(err(&bytes), WorkspaceError::Corrupt { what } if what.contains("manifest"))
        );
        let mut bytes = encode(&sample());
        bytes.extend_from_slice(b"tail");
        assert!(
            matches!(err(&bytes), WorkspaceError::Corrupt { what } if what.starts_with("4 unexpected"))
        );
    }

    #[test]
    fn a_huge_declared_manifest_is_refused_without_allocating() {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&1u32.to_le_bytes());
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(err(&bytes), WorkspaceError::Corrupt { .. }));
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&1u32.to_le_bytes());
        bytes.extend_from_slice(&MAX_MANIFEST.to_le_bytes());
        bytes.extend_from_slice(&[0; 32]);
        assert!(matches!(err(&bytes), WorkspaceError::Truncated { .. }));
    }

    /// A manifest with a checksum that matches, for structural cases.
    fn with_manifest(json: &str, tail: &[u8]) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&VERSION.to_le_bytes());
        bytes.extend_from_slice(&(json.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&Sha256::digest(json.as_bytes()));
        bytes.extend_from_slice(json.as_bytes());
        bytes.extend_from_slice(tail);
        bytes
    }

    #[test]
    fn declared_sizes_that_overflow_or_exceed_the_file_are_refused() {
        let config = serde_json::to_string(&Config::default()).unwrap();
        let entry =
            |size: u64| format!(r#"{{"kind":"orders","name":"o.csv","size":{size},"sha256":""}}"#);
        let json = format!(
            r#"{{"saved":"","config":{config},"files":[{},{}]}}"#,
            entry(u64::MAX),
            entry(2)
        );
        assert!(matches!(err(&with_manifest(&json, b"ab")), WorkspaceError::Corrupt { .. }));
        let json = format!(r#"{{"saved":"","config":{config},"files":[{}]}}"#, entry(1 << 40));
        assert!(matches!(err(&with_manifest(&json, b"ab")), WorkspaceError::Truncated { .. }));
    }

    #[test]
    fn an_invalid_configuration_is_refused() {
        let mut config = serde_json::to_value(Config::default()).unwrap();
        config["abc"]["a_cut"] = serde_json::json!(2.0);
        let json = format!(r#"{{"saved":"","config":{config},"files":[]}}"#);
        assert!(
            matches!(err(&with_manifest(&json, b"")), WorkspaceError::Corrupt { what } if what.contains("configuration"))
        );
    }

    #[test]
    fn export_names_carry_the_day() {
        assert_eq!(file_name("2026-11-22"), "segscope-workspace-2026-11-22.segscope");
    }

    fn kind() -> impl Strategy<Value = FileKind> {
        prop_oneof![
            Just(FileKind::Orders),
            Just(FileKind::Products),
            Just(FileKind::Customers),
            Just(FileKind::CostPools)
        ]
    }

    fn file() -> impl Strategy<Value = WorkspaceFile> {
        (
            kind(),
            ".{0,12}",
            proptest::collection::btree_map("[a-z_]{1,8}", ".{0,8}", 0..3),
            proptest::collection::vec(any::<u8>(), 0..200),
        )
            .prop_map(|(kind, name, overrides, bytes)| WorkspaceFile {
                kind,
                name,
                overrides,
                bytes,
            })
    }

    proptest! {
        #[test]
        fn any_workspace_round_trips(files in proptest::collection::vec(file(), 0..4), saved in ".{0,20}", a_cut in 0.5f64..0.95) {
            let mut config = Config::default();
            config.abc.a_cut = a_cut;
            let w = Workspace { saved, files, config, ..Workspace::default() };
            prop_assert_eq!(decode(&encode(&w)), Ok(w));
        }

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decode(&bytes);
            let mut prefixed = MAGIC.to_vec();
            prefixed.extend_from_slice(&bytes);
            let _ = decode(&prefixed);
        }

        #[test]
        fn any_changed_byte_or_cut_is_detected(at in any::<prop::sample::Index>(), flip in 1u8..=255) {
            let mut bytes = encode(&sample());
            let i = at.index(bytes.len());
            prop_assert!(decode(&bytes[..i]).is_err());
            bytes[i] ^= flip;
            prop_assert!(decode(&bytes).is_err());
        }
    }
}

//! A corpus of hostile and broken input files, generated rather than
//! committed (the largest is 30 MB), with what each must give: a load with
//! data-quality findings, a clean load, or a short clear error. Shared by
//! `core/tests/bad_files.rs`, `cli/tests/bad_files.rs` and, through
//! `core/examples/bad_files.rs`, the app's end-to-end test.
//!
//! Everything is deterministic: the same bytes on every run and platform.

#![allow(dead_code)] // Each user takes what it needs.

/// What loading a file must give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Refused as a whole: an error naming the file, the line and what to do.
    Refused,
    /// Loaded, with at least one data-quality finding or note.
    Findings,
    /// Loaded; the file is odd but valid (findings allowed, not required).
    Loads,
}

/// One generated file.
pub struct BadFile {
    /// File name, as the user would drop it.
    pub name: &'static str,
    /// What is wrong with it.
    pub what: &'static str,
    /// The expected outcome as an orders file.
    pub outcome: Outcome,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The header of a plain, valid orders file.
pub const HEADER: &str = "order_id,order_date,customer_id,sku,quantity,line_revenue\n";

/// `n` valid order lines over `skus` SKUs and ten customers in 2024.
fn lines(n: usize, skus: usize) -> String {
    let mut s = String::from(HEADER);
    for i in 0..n {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let sku = i % skus.max(1);
        s.push_str(&format!(
            "SO{i},2024-{month:02}-{day:02},CU{},SKU-{sku},{},{}.50\n",
            i % 10,
            1 + i % 5,
            3 + i % 40
        ));
    }
    s
}

/// A deterministic byte stream (xorshift64*), for "binary" files.
fn noise(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() })
        .collect()
}

/// A minimal ZIP archive holding one stored file, as an .xlsx starts.
fn zip(name: &str, content: &[u8]) -> Vec<u8> {
    let mut z = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    z.extend_from_slice(&0u32.to_le_bytes()); // CRC (not checked by anyone here)
    z.extend_from_slice(&(content.len() as u32).to_le_bytes());
    z.extend_from_slice(&(content.len() as u32).to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&0u16.to_le_bytes());
    z.extend_from_slice(name.as_bytes());
    z.extend_from_slice(content);
    z
}

/// A valid 1×1 PNG image.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\
    \x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\
    \x00\x00\x00\x00IEND\xaeB`\x82";

/// The whole corpus, in a fixed order. About 60 MB in all: generate it
/// once per test binary.
pub fn corpus() -> Vec<BadFile> {
    use Outcome::{Findings, Loads, Refused};
    let valid = lines(30, 6);
    let mut files = Vec::new();
    let mut add = |name, what, outcome, bytes: Vec<u8>| {
        files.push(BadFile { name, what, outcome, bytes });
    };
    let text = |s: &str| s.as_bytes().to_vec();

    // Not a table at all.
    add("empty.csv", "zero bytes", Refused, Vec::new());
    add("blank_lines.csv", "only blank lines and spaces", Refused, text("\n\n   \n\r\n\t\n"));
    add("header_only.csv", "a header and no rows", Refused, text(HEADER));
    add("binary.csv", "64 KB of random bytes", Refused, noise(65_536, 7));
    add("image.csv", "a PNG image renamed .csv", Refused, PNG.to_vec());
    add("photo.csv", "a JPEG header renamed .csv", Refused, {
        let mut b = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01".to_vec();
        b.extend(noise(4_000, 3));
        b
    });
    add(
        "page.csv",
        "an HTML page saved as .csv",
        Refused,
        text(
            "<!DOCTYPE html>\n<html><head><title>Orders</title></head>\n<body><table>\
         <tr><th>order</th><th>sku</th></tr><tr><td>1</td><td>A</td></tr></table></body></html>\n",
        ),
    );
    add("orders.json", "a JSON array of order objects", Refused, text(
        "[{\"order_id\": \"SO1\", \"sku\": \"A\", \"quantity\": 2},\n {\"order_id\": \"SO2\", \"sku\": \"B\", \"quantity\": 1}]\n",
    ));
    add(
        "orders.xlsx",
        "an Excel workbook (a ZIP archive)",
        Refused,
        zip("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types/>"),
    );
    add("workbook.csv", "an .xlsx renamed .csv", Refused, zip("xl/workbook.xml", b"<workbook/>"));
    add("legacy.csv", "an old .xls (OLE2) renamed .csv", Refused, {
        let mut b = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        b.extend(noise(2_000, 5));
        b
    });
    add("archive.csv", "a gzip archive renamed .csv", Refused, {
        let mut b = b"\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03".to_vec();
        b.extend(noise(2_000, 9));
        b
    });
    add("document.csv", "a PDF renamed .csv", Refused, {
        let mut b =
            b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
        b.extend(noise(2_000, 11));
        b
    });
    add(
        "notes.csv",
        "prose, no columns",
        Refused,
        text("Dear team,\nplease find the orders attached.\nRegards\n"),
    );
    add("only_delimiters.csv", "a header of empty names", Refused, text(",,,,\n,,,,\n,,,,\n"));

    // Encodings.
    add("utf16le_no_bom.csv", "UTF-16LE without a byte order mark", Refused, utf16(&valid, false));
    add("utf16be_no_bom.csv", "UTF-16BE without a byte order mark", Refused, utf16(&valid, true));
    add("utf16le_bom.csv", "UTF-16LE with a byte order mark", Loads, {
        let mut b = b"\xFF\xFE".to_vec();
        b.extend(utf16(&valid, false));
        b
    });
    add("mixed_encodings.csv", "UTF-8 rows and Windows-1252 rows", Findings, {
        let mut b = text(HEADER);
        b.extend_from_slice("SO1,2024-01-02,Müller GmbH,SKU-Ä,1,2.00\n".as_bytes());
        b.extend_from_slice(b"SO2,2024-01-03,M\xFCller GmbH,SKU-\xC4,1,2.00\n");
        b
    });
    add("broken_utf8_bom.csv", "a UTF-8 BOM, then invalid sequences", Findings, {
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(HEADER.as_bytes());
        b.extend_from_slice(
            b"SO1,2024-01-02,CU1,SKU-\xC0\xAF,1,2.00\nSO2,2024-01-02,CU1,\xED\xA0\x80,1,2.00\n",
        );
        b
    });
    add("nul_bytes.csv", "NUL bytes inside cells", Refused, {
        let mut b = valid.clone().into_bytes();
        b.splice(HEADER.len() + 3..HEADER.len() + 3, *b"\0\0");
        b
    });
    add(
        "control_chars.csv",
        "control characters in identifiers",
        Findings,
        text(&format!(
        "{HEADER}SO1,2024-01-02,CU\x01,SKU\x07A,1,2.00\nSO2,2024-01-02,CU\x1b[31m,SKU-B\x08,1,x\n"
    )),
    );

    // Structure.
    add(
        "ragged_rows.csv",
        "rows with too few and too many fields",
        Findings,
        text(&format!(
            "{HEADER}SO1,2024-01-02,CU1,SKU-A,1\nSO2,2024-01-02,CU1,SKU-A,1,2.00,extra,more\nSO3\n\
         SO4,2024-01-03,CU2,SKU-B,2,4.00\n"
        )),
    );
    add(
        "unclosed_quote.csv",
        "a quote opened and never closed",
        Findings,
        text(&format!(
            "{HEADER}SO1,2024-01-02,CU1,SKU-A,1,2.00\nSO2,2024-01-02,\"CU2,SKU-B,1,2.00\n\
         SO3,2024-01-03,CU3,SKU-C,1,2.00\n"
        )),
    );
    add(
        "quote_storm.csv",
        "cells made only of quotes",
        Findings,
        text(&format!(
        "{HEADER}\"\"\"\"\"\"\"\",\"\"\"\",\"\",\"\"\"\"\"\",1,2\nSO2,2024-01-02,CU1,SKU-A,1,2.00\n"
    )),
    );
    add("quoted_newlines.csv", "line breaks inside quoted cells", Loads, text(&format!(
        "{HEADER}SO1,2024-01-02,\"Big\nCustomer\",\"SKU\r\nA\",1,2.00\nSO2,2024-01-03,CU2,SKU-B,1,2.00\n"
    )));
    add("mixed_line_ends.csv", "\\r\\n, \\r and \\n line ends mixed", Loads, text(&format!(
        "{}SO1,2024-01-02,CU1,SKU-A,1,2.00\r\nSO2,2024-01-03,CU1,SKU-B,1,2.00\rSO3,2024-01-04,CU2,SKU-A,2,4.00\n",
        HEADER.replace('\n', "\r\n")
    )));
    add("huge_field.csv", "one cell of 30 MB", Loads, {
        let mut b = text(HEADER);
        b.extend_from_slice(b"SO1,2024-01-02,CU1,");
        b.extend(std::iter::repeat_n(b'X', 30 << 20));
        b.extend_from_slice(b",1,2.00\nSO2,2024-01-03,CU1,SKU-B,1,2.00\n");
        b
    });
    add("columns_20000.csv", "20,000 columns", Loads, {
        let mut s = HEADER.trim_end().to_owned();
        for i in 0..20_000 {
            s.push_str(&format!(",extra_{i}"));
        }
        s.push('\n');
        for row in valid.lines().skip(1).take(5) {
            s.push_str(row);
            s.push_str(&",0".repeat(20_000));
            s.push('\n');
        }
        s.into_bytes()
    });
    add("columns_20000_no_sku.csv", "20,000 columns and none of them a SKU", Refused, {
        let mut s: String = (0..20_000).map(|i| format!("column {i},")).collect();
        s.push('\n');
        s.push_str(&"1,".repeat(20_000));
        s.push('\n');
        s.into_bytes()
    });
    add(
        "duplicate_headers.csv",
        "the same header twice",
        Loads,
        text(
            "order_id,order_date,customer_id,sku,sku,quantity,line_revenue,quantity\n\
         SO1,2024-01-02,CU1,SKU-A,SKU-Z,1,2.00,9\nSO2,2024-01-03,CU1,SKU-B,SKU-Y,1,2.00,9\n",
        ),
    );
    add("header_repeated.csv", "a second header row mid-file (two exports pasted)", Findings, {
        let mut s = valid.clone();
        s.push_str(HEADER);
        s.push_str("SO999,2024-05-05,CU1,SKU-A,1,2.00\n");
        s.into_bytes()
    });
    add(
        "missing_sku_column.csv",
        "no column a SKU can be read from",
        Refused,
        text("order_id,order_date,customer_id,quantity\nSO1,2024-01-02,CU1,1\n"),
    );
    add(
        "sep_semicolon.csv",
        "Excel's `sep=;` first line",
        Loads,
        text(&format!("sep=;\n{}", valid.replace(',', ";").replace(".50", ",50"))),
    );
    add("sep_alone.csv", "a `sep=;` line and nothing else", Refused, text("sep=;\n"));
    add("blank_rows_between.csv", "thousands of blank lines between rows", Findings, {
        let mut s = String::from(HEADER);
        for i in 0..20 {
            s.push_str(&format!("SO{i},2024-01-02,CU1,SKU-A,1,2.00\n"));
            s.push_str(&",,,,,\n".repeat(500));
        }
        s.into_bytes()
    });

    // Values.
    add("impossible_dates.csv", "30 February, month 13, day 0", Findings, text(&format!(
        "{HEADER}SO1,2024-02-30,CU1,SKU-A,1,2.00\nSO2,2023-13-01,CU1,SKU-A,1,2.00\n\
         SO3,2024-01-00,CU1,SKU-A,1,2.00\nSO4,0000-00-00,CU1,SKU-A,1,2.00\nSO5,2024-01-05,CU1,SKU-A,1,2.00\n"
    )));
    add(
        "far_future_dates.csv",
        "orders in 2999 and 9999",
        Findings,
        text(&format!(
            "{HEADER}SO1,2999-01-01,CU1,SKU-A,1,2.00\nSO2,9999-12-31,CU1,SKU-A,1,2.00\n\
         SO3,2024-01-05,CU1,SKU-A,1,2.00\nSO4,99999-01-01,CU1,SKU-A,1,2.00\n"
        )),
    );
    add(
        "ancient_dates.csv",
        "orders in year 1 and 1900",
        Findings,
        text(&format!(
            "{HEADER}SO1,0001-01-01,CU1,SKU-A,1,2.00\nSO2,1900-01-01,CU1,SKU-A,1,2.00\n\
         SO3,2024-01-05,CU1,SKU-B,1,2.00\n"
        )),
    );
    add(
        "excel_serial_dates.csv",
        "dates as Excel serial numbers",
        Findings,
        text(&format!(
        "{HEADER}SO1,45292,CU1,SKU-A,1,2.00\nSO2,45293.5,CU1,SKU-A,1,2.00\nSO3,1,CU1,SKU-B,1,2.00\n\
         SO4,2958466,CU1,SKU-B,1,2.00\n"
    )),
    );
    add("mixed_date_formats.csv", "ISO, day-first, month-first and words", Findings, text(&format!(
        "{HEADER}SO1,2024-01-02,CU1,SKU-A,1,2.00\nSO2,02/01/2024,CU1,SKU-A,1,2.00\n\
         SO3,1/13/24,CU1,SKU-A,1,2.00\nSO4,Jan 2 2024,CU1,SKU-A,1,2.00\nSO5,yesterday,CU1,SKU-A,1,2.00\n"
    )));
    add("nan_inf.csv", "NaN, inf, 1e308, 1e309 as quantities and amounts", Findings, text(&format!(
        "{HEADER}SO1,2024-01-02,CU1,SKU-A,NaN,2.00\nSO2,2024-01-02,CU1,SKU-A,inf,2.00\n\
         SO3,2024-01-02,CU1,SKU-A,1,1e308\nSO4,2024-01-02,CU1,SKU-A,1e308,1e308\n\
         SO5,2024-01-02,CU1,SKU-A,1,1e309\nSO6,2024-01-02,CU1,SKU-A,-inf,-0\nSO7,2024-01-03,CU2,SKU-B,2,4.00\n"
    )));
    add(
        "negative_and_zero.csv",
        "negative and zero quantities and prices",
        Findings,
        text(&format!(
            "{HEADER}SO1,2024-01-02,CU1,SKU-A,-3,-6.00\nSO2,2024-01-02,CU1,SKU-A,0,0\n\
         SO3,2024-01-03,CU1,SKU-A,2,4.00\n"
        )),
    );
    add("number_formats.csv", "1,234.5 and 1.234,5 and 1 234,5 in one column", Findings, text(
        "order_id;order_date;customer_id;sku;quantity;line_revenue\n\
         SO1;2024-01-02;CU1;SKU-A;1;1,234.50\nSO2;2024-01-02;CU1;SKU-A;1;1.234,50\n\
         SO3;2024-01-02;CU1;SKU-A;1;1 234,50\nSO4;2024-01-02;CU1;SKU-A;1;$12\nSO5;2024-01-02;CU1;SKU-A;1;(5.00)\n",
    ));
    add(
        "huge_numbers.csv",
        "digits beyond any float",
        Findings,
        text(&format!(
            "{HEADER}SO1,2024-01-02,CU1,SKU-A,{},2.00\nSO2,2024-01-03,CU1,SKU-A,1,{}\n",
            "9".repeat(400),
            "1".repeat(5_000)
        )),
    );
    add(
        "skus_300k.csv",
        "300,000 distinct SKUs, one line each",
        Loads,
        lines(300_000, 300_000).into_bytes(),
    );
    add("bidi_identifiers.csv", "right-to-left override and Arabic in identifiers", Loads, text(&format!(
        "{HEADER}SO1,2024-01-02,\u{202E}1UC,\u{202E}A-UKS\u{202C},1,2.00\n\
         SO2,2024-01-02,عميل,منتج-١,1,2.00\nSO3,2024-01-03,CU\u{200F}1,SKU\u{2066}B\u{2069},1,2.00\n"
    )));
    add(
        "emoji_identifiers.csv",
        "emoji, ZWJ sequences and combining marks",
        Loads,
        text(&format!(
            "{HEADER}SO1,2024-01-02,👩‍👩‍👧‍👦,📦-1,1,2.00\nSO2,2024-01-02,Ćústömér,SKU-🇩🇪,1,2.00\n\
         SO3,2024-01-03,Z\u{0351}\u{0352}\u{0353}alg\u{0300}\u{0301}o,📦-1,2,4.00\n"
        )),
    );
    add(
        "formula_injection.csv",
        "cells that spreadsheets would run as formulas",
        Loads,
        text(&format!(
            "{HEADER}SO1,2024-01-02,=HYPERLINK(\"http://evil.example\"),=1+1,1,2.00\n\
         SO2,2024-01-02,@SUM(A1),+CMD|' /C calc'!A0,1,2.00\n\
         SO3,2024-01-03,\"\t=1\",-2+3,1,2.00\nSO4,2024-01-03,\"\r=1\",SKU-B,1,2.00\n"
        )),
    );
    add(
        "very_long_ids.csv",
        "identifiers of 100,000 characters",
        Loads,
        text(&format!(
            "{HEADER}SO1,2024-01-02,{},{},1,2.00\nSO2,2024-01-03,CU1,SKU-B,1,2.00\n",
            "C".repeat(100_000),
            "S".repeat(100_000)
        )),
    );
    add("all_rows_invalid.csv", "a header, and no row with a readable date", Findings, text(&format!(
        "{HEADER}SO1,,CU1,SKU-A,1,2.00\nSO2,soon,CU1,SKU-A,1,2.00\nSO3,2024-99-99,CU1,SKU-A,1,2.00\n"
    )));
    add(
        "one_line.csv",
        "a single order line",
        Loads,
        text(&format!("{HEADER}SO1,2024-01-02,CU1,SKU-A,1,2.00\n")),
    );
    add("same_day.csv", "every line on the same day", Loads, {
        let mut s = String::from(HEADER);
        for i in 0..50 {
            s.push_str(&format!("SO{i},2024-03-01,CU{},SKU-{},1,2.00\n", i % 3, i % 4));
        }
        s.into_bytes()
    });
    add("duplicate_lines.csv", "every line twice", Findings, {
        let body: String = valid.lines().skip(1).map(|l| format!("{l}\n{l}\n")).collect();
        format!("{HEADER}{body}").into_bytes()
    });
    files
}

//! Result tables as one XLSX workbook (Office Open XML, ECMA-376 Part 1),
//! one sheet per table, for people who take the results home in a
//! spreadsheet.
//!
//! The writer is deliberately small: a workbook of worksheets whose cells
//! are numbers (`<v>`) or inline strings (`t="inlineStr"`), never formulas;
//! a bold, frozen header row; column widths from the widest value. Text
//! cells are neutralised exactly as CSV cells are ([`neutralize`]), so a
//! value such as `=HYPERLINK(…)` stays visible text even if the file is
//! re-saved as CSV by the spreadsheet. The package is a zip file with
//! deflated entries dated to the zip epoch (1980-01-01): `core` reads no
//! clock, and the same tables give the same bytes.

use crate::tables::{format_number, neutralize, Cell, Table};
use std::fmt::Write as _;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// One worksheet: its tab name and its table.
#[derive(Clone, Copy, Debug)]
pub struct Sheet<'a> {
    /// The tab name; made valid and unique by [`workbook`] (at most 31
    /// characters, none of `[]:*?/\`).
    pub name: &'a str,
    /// The table, header row first.
    pub table: &'a Table,
}

/// The most rows a worksheet holds (Excel's limit, header included).
pub const MAX_ROWS: usize = 1_048_576;
/// The most columns a worksheet holds (Excel's limit).
pub const MAX_COLUMNS: usize = 16_384;

/// The workbook's bytes.
///
/// # Errors
/// A table with more rows or columns than a worksheet holds (the message
/// names the sheet and says what to do), or a failure of the zip writer.
///
/// # Example
/// ```
/// use segscope_core::tables::{Cell, Table};
/// use segscope_core::xlsx::{workbook, Sheet};
/// let table = Table {
///     columns: vec!["sku".into(), "revenue".into()],
///     rows: vec![vec![Cell::from("=1+1"), Cell::Number(12.5)]],
/// };
/// let bytes = workbook(&[Sheet { name: "SKUs", table: &table }]).unwrap();
/// assert_eq!(&bytes[..2], b"PK");
/// ```
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, String> {
    for sheet in sheets {
        let rows = sheet.table.rows.len() + 1;
        let columns = sheet.table.columns.len();
        if rows > MAX_ROWS || columns > MAX_COLUMNS {
            return Err(format!(
                "The table \"{}\" has {rows} rows and {columns} columns; a worksheet holds at \
                 most {MAX_ROWS} rows and {MAX_COLUMNS} columns. Export it as CSV instead.",
                sheet.name
            ));
        }
    }
    let names = sheet_names(sheets.iter().map(|s| s.name));
    let mut parts: Vec<(String, String)> = vec![
        ("[Content_Types].xml".into(), content_types(sheets.len())),
        ("_rels/.rels".into(), ROOT_RELS.into()),
        ("xl/workbook.xml".into(), workbook_xml(&names)),
        ("xl/_rels/workbook.xml.rels".into(), workbook_rels(sheets.len())),
        ("xl/styles.xml".into(), STYLES.into()),
    ];
    for (i, sheet) in sheets.iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), worksheet(sheet.table)));
    }
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default());
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (path, xml) in parts {
        zip.start_file(path.as_str(), options).map_err(|e| format!("XLSX {path}: {e}"))?;
        zip.write_all(xml.as_bytes()).map_err(|e| format!("XLSX {path}: {e}"))?;
    }
    let cursor = zip.finish().map_err(|e| format!("XLSX: {e}"))?;
    Ok(cursor.into_inner())
}

/// Valid, unique tab names: forbidden characters become spaces, at most 31
/// characters, no leading or trailing apostrophe, never empty; a repeated
/// name gets ` (2)`, ` (3)`, … (compared without case, as Excel does).
pub fn sheet_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let clean: String = name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) || c.is_control() { ' ' } else { c })
            .collect();
        let clean = clean.trim().trim_matches('\'').trim();
        let base: String = if clean.is_empty() { "Sheet".into() } else { clean.into() };
        let mut candidate: String = base.chars().take(31).collect();
        let mut n = 2;
        while out.iter().any(|o| o.to_lowercase() == candidate.to_lowercase()) {
            let suffix = format!(" ({n})");
            let keep = 31 - suffix.chars().count();
            candidate = base.chars().take(keep).collect::<String>() + &suffix;
            n += 1;
        }
        out.push(candidate);
    }
    out
}

/// The spreadsheet name of a column: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

/// Text as XML character data: markup characters escaped, and characters
/// XML 1.0 does not allow (control characters other than tab, line feed and
/// carriage return; lone surrogates cannot occur in a `str`; U+FFFE and
/// U+FFFF) replaced by U+FFFD, so user data can never break the file.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A worksheet: frozen header, column widths, the cells. Empty cells are
/// left out, as spreadsheets do.
fn worksheet(table: &Table) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(&format!("<worksheet xmlns=\"{MAIN_NS}\">"));
    xml.push_str(
        "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" \
         activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>",
    );
    let widths = column_widths(table);
    if !widths.is_empty() {
        xml.push_str("<cols>");
        for (i, w) in widths.iter().enumerate() {
            let _ = write!(
                xml,
                "<col min=\"{0}\" max=\"{0}\" width=\"{w}\" customWidth=\"1\"/>",
                i + 1
            );
        }
        xml.push_str("</cols>");
    }
    xml.push_str("<sheetData>");
    let header: Vec<Cell> = table.columns.iter().map(|c| Cell::Text(c.clone())).collect();
    for (r, row) in std::iter::once(&header).chain(&table.rows).enumerate() {
        let _ = write!(xml, "<row r=\"{}\">", r + 1);
        // The header row uses the bold style (index 1 of `cellXfs`).
        let style = if r == 0 { " s=\"1\"" } else { "" };
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", column_letters(c), r + 1);
            match cell {
                Cell::Number(v) if v.is_finite() => {
                    let _ = write!(xml, "<c r=\"{at}\"{style}><v>{}</v></c>", format_number(*v));
                }
                Cell::Text(s) => {
                    let _ = write!(
                        xml,
                        "<c r=\"{at}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                        xml_text(&neutralize(s))
                    );
                }
                Cell::Number(_) | Cell::Empty => {}
            }
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml
}

/// Column widths in characters: the widest of the header and the first
/// thousand values (as written), plus room for the filter button, between 8
/// and 60.
fn column_widths(table: &Table) -> Vec<usize> {
    (0..table.columns.len())
        .map(|c| {
            let values = table.rows.iter().take(1000).filter_map(|r| r.get(c));
            let widest = values
                .map(|v| v.to_text().chars().count())
                .chain(std::iter::once(table.columns[c].chars().count()))
                .max()
                .unwrap_or(0);
            (widest + 2).clamp(8, 60)
        })
        .collect()
}

fn content_types(sheets: usize) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>",
    );
    for i in 1..=sheets {
        let _ = write!(
            xml,
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" \
             ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        );
    }
    xml.push_str("</Types>");
    xml
}

fn workbook_xml(names: &[String]) -> String {
    let mut xml = String::from(XML_DECLARATION);
    let _ = write!(xml, "<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets>");
    for (i, name) in names.iter().enumerate() {
        let _ = write!(
            xml,
            "<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
            xml_text(name),
            i + 1,
            i + 1
        );
    }
    xml.push_str("</sheets></workbook>");
    xml
}

fn workbook_rels(sheets: usize) -> String {
    let mut xml = String::from(XML_DECLARATION);
    xml.push_str(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for i in 1..=sheets {
        let _ = write!(
            xml,
            "<Relationship Id=\"rId{i}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"
        );
    }
    let _ = write!(
        xml,
        "<Relationship Id=\"rId{}\" Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/>",
        sheets + 1
    );
    xml.push_str("</Relationships>");
    xml
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
</Relationships>";

/// Two cell formats: 0 plain, 1 bold (the header). Fills 0 and 1 are the
/// two the format requires.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/></cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
</styleSheet>";

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn table() -> Table {
        Table {
            columns: vec!["sku".into(), "revenue".into(), "cv".into(), "note".into()],
            rows: vec![
                vec![Cell::from("A-1"), Cell::Number(1234.5), Cell::Number(-0.25), Cell::Empty],
                vec![
                    Cell::from("=HYPERLINK(\"http://x\")"),
                    Cell::Number(0.0),
                    Cell::Empty,
                    Cell::from("R&D <b> \u{1}"),
                ],
            ],
        }
    }

    /// The workbook's parts by path, unzipped.
    fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a valid zip");
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).expect("an entry");
                let mut text = String::new();
                file.read_to_string(&mut text).expect("UTF-8 XML");
                (file.name().to_owned(), text)
            })
            .collect()
    }

    fn part<'a>(parts: &'a [(String, String)], path: &str) -> &'a str {
        &parts.iter().find(|p| p.0 == path).unwrap_or_else(|| panic!("no {path}")).1
    }

    fn sheet_xml(t: &Table) -> String {
        let bytes = workbook(&[Sheet { name: "T", table: t }]).unwrap();
        part(&unzip(&bytes), "xl/worksheets/sheet1.xml").to_owned()
    }

    #[test]
    fn workbook_is_a_zip_with_one_sheet_per_table() {
        let t = table();
        let bytes =
            workbook(&[Sheet { name: "SKUs", table: &t }, Sheet { name: "Customers", table: &t }])
                .unwrap();
        let parts = unzip(&bytes);
        let paths: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(
            paths,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/worksheets/sheet1.xml",
                "xl/worksheets/sheet2.xml",
            ]
        );
        let wb = part(&parts, "xl/workbook.xml");
        assert!(wb.contains("<sheet name=\"SKUs\" sheetId=\"1\" r:id=\"rId1\"/>"), "{wb}");
        assert!(wb.contains("<sheet name=\"Customers\" sheetId=\"2\" r:id=\"rId2\"/>"), "{wb}");
        let rels = part(&parts, "xl/_rels/workbook.xml.rels");
        assert!(rels.contains("Id=\"rId3\"") && rels.contains("styles.xml"), "{rels}");
        let types = part(&parts, "[Content_Types].xml");
        assert!(types.contains("/xl/worksheets/sheet2.xml"), "{types}");
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        let t = table();
        let one = workbook(&[Sheet { name: "A", table: &t }]).unwrap();
        assert_eq!(one, workbook(&[Sheet { name: "A", table: &t }]).unwrap());
    }

    #[test]
    fn numbers_are_numbers_and_text_is_inline_text() {
        let xml = sheet_xml(&table());
        assert!(xml.contains("<c r=\"B2\"><v>1234.5</v></c>"), "{xml}");
        assert!(xml.contains("<c r=\"C2\"><v>-0.25</v></c>"), "{xml}");
        assert!(xml.contains("<c r=\"B3\"><v>0</v></c>"), "{xml}");
        assert!(
            xml.contains(
                "<c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">A-1</t></is></c>"
            ),
            "{xml}"
        );
        // Empty cells are left out; nothing is ever a formula.
        assert!(!xml.contains("r=\"D2\""), "{xml}");
        assert!(!xml.contains("<f>") && !xml.contains("<f "), "{xml}");
    }

    #[test]
    fn header_is_bold_and_frozen_with_column_widths() {
        let xml = sheet_xml(&table());
        assert!(
            xml.contains(
                "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">sku</t>"
            ),
            "{xml}"
        );
        assert!(xml.contains(
            "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        ));
        // The widest value of column A is the 22-character hyperlink (23
        // neutralised), plus 2.
        assert!(xml.contains("<col min=\"1\" max=\"1\" width=\"24\" customWidth=\"1\"/>"), "{xml}");
        // "revenue" (7) and "1234.5" fit the minimum width of 8.
        assert!(xml.contains("<col min=\"2\" max=\"2\" width=\"9\" customWidth=\"1\"/>"), "{xml}");
    }

    /// OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection):
    /// cells starting with `=`, `+`, `-`, `@`, tab or carriage return are
    /// prefixed with a single quote, in XLSX as in CSV.
    #[test]
    fn formula_like_text_is_neutralised() {
        for (value, written) in [
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=1", "a=1"),
        ] {
            let t = Table { columns: vec!["c".into()], rows: vec![vec![Cell::from(value)]] };
            let xml = sheet_xml(&t);
            let cell = format!("<t xml:space=\"preserve\">{}</t>", xml_text(written));
            assert!(xml.contains(&cell), "{value:?}: {xml}");
        }
    }

    #[test]
    fn markup_and_control_characters_cannot_break_the_xml() {
        let xml = sheet_xml(&table());
        assert!(xml.contains(">R&amp;D &lt;b&gt; \u{FFFD}</t>"), "{xml}");
        assert_eq!(xml_text("a\"b\tc\n"), "a&quot;b\tc\n");
    }

    #[test]
    fn column_letters_follow_the_spreadsheet() {
        for (i, s) in
            [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA")]
        {
            assert_eq!(column_letters(i), s);
        }
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let long = "A very long table name that goes on and on";
        let names = sheet_names(["SKUs", "skus", "a/b:c", "", long, long].into_iter());
        assert_eq!(names[0], "SKUs");
        assert_eq!(names[1], "skus (2)");
        assert_eq!(names[2], "a b c");
        assert_eq!(names[3], "Sheet");
        assert_eq!(names[4], "A very long table name that goe");
        assert_eq!(names[5], "A very long table name that (2)");
        assert!(names.iter().all(|n| n.chars().count() <= 31));
    }

    #[test]
    fn a_table_too_large_for_a_sheet_is_refused_by_name() {
        let t = Table { columns: vec!["c".into(); MAX_COLUMNS + 1], rows: Vec::new() };
        let err = workbook(&[Sheet { name: "Wide", table: &t }]).unwrap_err();
        assert!(err.contains("\"Wide\"") && err.contains("CSV"), "{err}");
    }
}

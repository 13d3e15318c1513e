//! A spreadsheet file as rows of text: XLSX, XLS and ODS through `calamine`, CSV and TSV in
//! UTF-8 (with or without BOM), UTF-16 (with BOM) or GBK/GB18030 through `encoding_rs`.
//!
//! The header is the first of the opening rows with the most filled cells, so a banner row
//! ("最多导出排序后前1000条笔记") or a description line above it is skipped. Every row keeps the
//! number the user sees in their spreadsheet program (1-based), so errors can point at it.

use std::io::Cursor;

use calamine::{Data, Reader};

use crate::validation::{FieldError, Fields};

/// At most this many data rows per file.
pub const MAX_ROWS: usize = 50_000;
/// At most this many columns.
pub const MAX_COLUMNS: usize = 200;
/// The header is looked for among this many opening rows.
const HEADER_SEARCH: usize = 20;

/// A sheet's header and data rows, every cell as trimmed text ("" for an empty cell).
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub headers: Vec<String>,
    /// The header's row number in the file (1-based).
    pub header_row: u32,
    pub rows: Vec<SheetRow>,
    /// How a text file was decoded (`utf-8`, `utf-16`, `gbk`); `None` for a workbook.
    pub encoding: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    /// The row's number in the file (1-based), as a spreadsheet program shows it.
    pub number: u32,
    pub cells: Vec<String>,
}

impl SheetRow {
    pub fn cell(&self, column: usize) -> &str {
        self.cells.get(column).map_or("", String::as_str)
    }
}

/// The kinds of file `read` understands, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Workbook,
    Text,
}

fn format_of(file_name: &str) -> Option<Format> {
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Some(Format::Workbook),
        "csv" | "tsv" | "txt" => Some(Format::Text),
        _ => None,
    }
}

/// Reads the first sheet of `bytes`, named `file_name` (its extension decides the format), all
/// at once (at most `MAX_ROWS` data rows).
pub fn read(file_name: &str, bytes: &[u8]) -> Fields<Sheet> {
    let mut rows = Vec::new();
    let opts = ReadOptions {
        max_rows: MAX_ROWS,
        ..ReadOptions::default()
    };
    let (head, _) = stream(file_name, bytes.to_vec(), &opts, 10_000, |_, chunk| {
        rows.extend(chunk);
        true
    })?;
    Ok(Sheet {
        headers: head.headers,
        header_row: head.header_row,
        rows,
        encoding: head.encoding,
    })
}

/// How to read a file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOptions {
    /// Decode a text file as this (`utf-8`, `gbk`, `gb18030`, `utf-16`) instead of detecting it.
    pub encoding: Option<String>,
    /// Take this sheet of a workbook (by name) instead of the first.
    pub sheet: Option<String>,
    /// At most this many data rows (0: `MAX_ROWS`).
    pub max_rows: usize,
}

/// A file's header, found before its rows are streamed.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetHead {
    pub headers: Vec<String>,
    pub header_row: u32,
    pub encoding: Option<&'static str>,
    /// A workbook's sheet names (empty for a text file).
    pub sheets: Vec<String>,
}

/// Reads a file a chunk of `chunk` data rows at a time (empty rows left out): `each` gets the
/// header and the chunk and answers whether to go on. Answers the header and the number of data
/// rows read. A text file is never held as rows all at once; a workbook is (its reader needs it).
pub fn stream(
    file_name: &str,
    bytes: Vec<u8>,
    opts: &ReadOptions,
    chunk: usize,
    mut each: impl FnMut(&SheetHead, Vec<SheetRow>) -> bool,
) -> Fields<(SheetHead, u32)> {
    let format = format_of(file_name).ok_or_else(|| {
        FieldError::new(
            "file",
            "imports.unsupported_file",
            "the file must be .xlsx, .xls, .ods, .csv or .tsv",
        )
    })?;
    let max_rows = if opts.max_rows == 0 {
        MAX_ROWS
    } else {
        opts.max_rows
    };
    let chunk = chunk.max(1);
    match format {
        Format::Workbook => {
            let (raw, sheets) = workbook_rows(&bytes, opts.sheet.as_deref(), max_rows)?;
            drop(bytes);
            let mut it = raw.into_iter().map(Ok);
            scan(&mut it, None, sheets, max_rows, chunk, &mut each)
        }
        Format::Text => {
            let (text, encoding) = decode_as(bytes, opts.encoding.as_deref())?;
            let mut it = TextRows::new(&text);
            scan(
                &mut it,
                Some(encoding),
                Vec::new(),
                max_rows,
                chunk,
                &mut each,
            )
        }
    }
}

/// `stream`, reading from `src` as it goes: a text file is decoded and parsed a buffer at a
/// time and never held whole (a workbook is read whole: its reader needs it).
pub fn stream_from(
    file_name: &str,
    mut src: impl std::io::Read,
    opts: &ReadOptions,
    chunk: usize,
    mut each: impl FnMut(&SheetHead, Vec<SheetRow>) -> bool,
) -> Fields<(SheetHead, u32)> {
    use std::io::Read as _;
    let unreadable = |e: &std::io::Error| {
        FieldError::new(
            "file",
            "imports.unreadable_file",
            format!("the file could not be read: {e}"),
        )
    };
    let text = matches!(format_of(file_name), Some(Format::Text));
    // The opening of the file decides its encoding and delimiter.
    let mut head = vec![0u8; 64 * 1024];
    let mut got = 0;
    while got < head.len() {
        match src.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => return Err(unreadable(&e)),
        }
    }
    head.truncate(got);
    let whole = |mut head: Vec<u8>, mut src: Box<dyn std::io::Read>| -> Fields<Vec<u8>> {
        src.read_to_end(&mut head).map_err(|e| unreadable(&e))?;
        Ok(head)
    };
    if !text {
        let bytes = whole(head, Box::new(src))?;
        return stream(file_name, bytes, opts, chunk, each);
    }
    let bom = encoding_rs::Encoding::for_bom(&head);
    let label: &'static str = match opts
        .encoding
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("utf-8" | "utf8") => "utf-8",
        Some("gbk" | "gb2312" | "gb18030") => "gbk",
        Some(_) => "other",
        None => match bom {
            Some((e, _)) if e == encoding_rs::UTF_8 => "utf-8",
            Some(_) => "other",
            None => match std::str::from_utf8(&head) {
                Ok(_) => "utf-8",
                // A character cut at the end of the opening is still UTF-8.
                Err(e) if e.error_len().is_none() => "utf-8",
                Err(_) => "gbk",
            },
        },
    };
    if label == "other" {
        // UTF-16 (or an encoding named by the user): decoded whole.
        let bytes = whole(head, Box::new(src))?;
        return stream(file_name, bytes, opts, chunk, each);
    }
    let skip = match bom {
        Some((e, n)) if e == encoding_rs::UTF_8 && label == "utf-8" => n,
        _ => 0,
    };
    let sample = match label {
        "utf-8" => String::from_utf8_lossy(&head[skip..]).into_owned(),
        _ => encoding_rs::GB18030.decode(&head).0.into_owned(),
    };
    let delimiter = delimiter_of(&sample);
    let opening = std::io::Cursor::new(head).chain(src);
    let reader: Box<dyn std::io::Read> = if label == "utf-8" {
        let mut r = opening;
        let mut bom_bytes = vec![0u8; skip];
        r.read_exact(&mut bom_bytes).map_err(|e| unreadable(&e))?;
        Box::new(r)
    } else {
        Box::new(Decoding::new(opening, encoding_rs::GB18030))
    };
    let mut it = ReadRows {
        reader: csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(reader),
        record: csv::StringRecord::new(),
        number: 0,
        next_line: 1,
    };
    let max_rows = if opts.max_rows == 0 {
        MAX_ROWS
    } else {
        opts.max_rows
    };
    scan(
        &mut it,
        Some(label),
        Vec::new(),
        max_rows,
        chunk.max(1),
        &mut each,
    )
}

/// The delimiter the opening lines use most (a description line above the header may have
/// none); a comma when in doubt.
fn delimiter_of(text: &str) -> u8 {
    let most_in_a_line = |d: u8| {
        text.lines()
            .take(HEADER_SEARCH)
            .map(|l| l.bytes().filter(|b| *b == d).count())
            .max()
            .unwrap_or(0)
    };
    [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|d| most_in_a_line(*d))
        .unwrap_or(b',')
}

/// Records read from a stream, numbered as a spreadsheet program shows them: one per record
/// (a quoted cell may span lines) and one per blank line between records.
struct ReadRows<R: std::io::Read> {
    reader: csv::Reader<R>,
    record: csv::StringRecord,
    number: u32,
    /// The line the reader stood on after the previous record.
    next_line: u64,
}

impl<R: std::io::Read> Iterator for ReadRows<R> {
    type Item = Fields<(u32, Vec<String>)>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                Some(Err(FieldError::new(
                    "file",
                    "imports.unreadable_file",
                    format!("the file could not be read at line {line}: {e}"),
                )))
            }
            Ok(true) => {
                // The record's position is where the reader began, before the blank lines it
                // skipped: those are the lines read beyond the record's own.
                let start = self
                    .record
                    .position()
                    .map_or(self.next_line, csv::Position::line);
                let end = self.reader.position().line();
                let own = 1 + self
                    .record
                    .iter()
                    .map(|c| c.bytes().filter(|b| *b == b'\n').count() as u64)
                    .sum::<u64>();
                let blank = end.saturating_sub(start).saturating_sub(own);
                self.number += 1 + blank as u32;
                self.next_line = end;
                Some(Ok((
                    self.number,
                    self.record.iter().map(|c| c.trim().to_owned()).collect(),
                )))
            }
        }
    }
}

/// A reader that decodes another (GBK/GB18030) into UTF-8 as it is read.
struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    output: Vec<u8>,
    at: usize,
    len: usize,
    done: bool,
}

impl<R: std::io::Read> Decoding<R> {
    fn new(inner: R, enc: &'static encoding_rs::Encoding) -> Self {
        Decoding {
            inner,
            decoder: enc.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            eof: false,
            output: vec![0; 128 * 1024],
            at: 0,
            len: 0,
            done: false,
        }
    }
}

impl<R: std::io::Read> std::io::Read for Decoding<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.at < self.len {
                let n = out.len().min(self.len - self.at);
                out[..n].copy_from_slice(&self.output[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.start = 0;
                self.end = n;
                self.eof = n == 0;
            }
            let (_, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.start..self.end],
                &mut self.output,
                self.eof,
            );
            self.start += read;
            self.at = 0;
            self.len = written;
            if self.eof && self.start == self.end && written == 0 {
                self.done = true;
            }
        }
    }
}

/// Finds the header among the opening rows, then hands the data rows on in chunks.
fn scan(
    it: &mut dyn Iterator<Item = Fields<(u32, Vec<String>)>>,
    encoding: Option<&'static str>,
    sheets: Vec<String>,
    max_rows: usize,
    chunk: usize,
    each: &mut dyn FnMut(&SheetHead, Vec<SheetRow>) -> bool,
) -> Fields<(SheetHead, u32)> {
    let mut opening: RawRows = Vec::new();
    while opening.len() < HEADER_SEARCH {
        match it.next() {
            Some(r) => opening.push(r?),
            None => break,
        }
    }
    let most = opening.iter().map(|(_, c)| filled(c)).max().unwrap_or(0);
    if most == 0 {
        return Err(FieldError::new(
            "file",
            "imports.empty_file",
            "the file has no rows",
        ));
    }
    let at = opening
        .iter()
        .position(|(_, c)| filled(c) == most)
        .unwrap_or(0);
    let mut rest = opening.split_off(at);
    let (header_row, mut headers) = rest.remove(0);
    let width = headers
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |i| i + 1);
    if width > MAX_COLUMNS {
        return Err(FieldError::new(
            "file",
            "imports.too_many_columns",
            format!("a file may have at most {MAX_COLUMNS} columns"),
        ));
    }
    headers.truncate(width);
    let head = SheetHead {
        headers,
        header_row,
        encoding,
        sheets,
    };
    let mut total = 0u32;
    let mut buf = Vec::with_capacity(chunk.min(10_000));
    for r in rest
        .into_iter()
        .map(Ok)
        .chain(std::iter::from_fn(|| it.next()))
    {
        let (number, cells) = r?;
        if filled(&cells) == 0 {
            continue;
        }
        total += 1;
        if total as usize > max_rows {
            return Err(too_many_rows(max_rows));
        }
        buf.push(SheetRow { number, cells });
        if buf.len() >= chunk && !each(&head, std::mem::take(&mut buf)) {
            return Ok((head, total));
        }
    }
    if !buf.is_empty() {
        each(&head, buf);
    }
    Ok((head, total))
}

/// Text as `decode` reads it, or as the encoding asked for.
fn decode_as(bytes: Vec<u8>, encoding: Option<&str>) -> Fields<(String, &'static str)> {
    let Some(name) = encoding.map(str::to_ascii_lowercase) else {
        // Valid UTF-8 without a BOM is taken as it is (no copy of a large file).
        if encoding_rs::Encoding::for_bom(&bytes).is_none() {
            return match String::from_utf8(bytes) {
                Ok(s) => Ok((s, "utf-8")),
                Err(e) => Ok(decode(e.as_bytes())),
            };
        }
        return Ok(decode(&bytes));
    };
    let (enc, label): (&'static encoding_rs::Encoding, &'static str) = match name.as_str() {
        "utf-8" | "utf8" => (encoding_rs::UTF_8, "utf-8"),
        "gbk" | "gb2312" | "gb18030" => (encoding_rs::GB18030, "gbk"),
        "utf-16" | "utf-16le" => (encoding_rs::UTF_16LE, "utf-16"),
        "utf-16be" => (encoding_rs::UTF_16BE, "utf-16"),
        _ => {
            return Err(FieldError::new(
                "encoding",
                "validation.format",
                "the encoding must be utf-8, gbk, gb18030 or utf-16",
            ));
        }
    };
    let (text, _, _) = enc.decode(&bytes);
    Ok((text.into_owned(), label))
}

/// Text in UTF-8 (a BOM is dropped), UTF-16 with a BOM, or else GBK (GB18030, its superset).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        let name = if enc == encoding_rs::UTF_8 {
            "utf-8"
        } else {
            "utf-16"
        };
        return (text.into_owned(), name);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        (s.to_owned(), "utf-8")
    } else {
        let (text, _, _) = encoding_rs::GB18030.decode(bytes);
        (text.into_owned(), "gbk")
    }
}

/// Rows of (row number, cells) before the header is found.
type RawRows = Vec<(u32, Vec<String>)>;

fn workbook_rows(
    bytes: &[u8],
    sheet: Option<&str>,
    max_rows: usize,
) -> Fields<(RawRows, Vec<String>)> {
    let unreadable = |e: &dyn std::fmt::Display| {
        FieldError::new(
            "file",
            "imports.unreadable_file",
            format!("the workbook could not be read: {e}"),
        )
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let sheets = book.sheet_names();
    let range = match sheet {
        Some(name) => book.worksheet_range(name).map_err(|_| {
            FieldError::new(
                "sheet",
                "imports.unknown_column",
                format!(
                    "the workbook has no sheet \"{name}\" (it has {})",
                    sheets.join(", ")
                ),
            )
        })?,
        None => match book.worksheet_range_at(0) {
            None => return Ok((Vec::new(), sheets)),
            Some(r) => r.map_err(|e| unreadable(&e))?,
        },
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut out = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells: Vec<String> = Vec::with_capacity(first_col as usize + row.len());
        cells.resize(first_col as usize, String::new());
        cells.extend(row.iter().map(cell_text));
        out.push((first_row + i as u32 + 1, cells));
        if out.len() > max_rows + HEADER_SEARCH {
            return Err(too_many_rows(max_rows));
        }
    }
    Ok((out, sheets))
}

fn too_many_rows(max: usize) -> FieldError {
    FieldError::new(
        "file",
        "imports.too_many_rows",
        format!("a file may have at most {max} rows; split it"),
    )
}

/// A workbook cell as the text a person sees: whole numbers without `.0`, dates as
/// `YYYY-MM-DD` (with the time when it has one).
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.format("%Y-%m-%d").to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => number_text(d.as_f64()),
        },
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    }
}

/// A text file's records with the row number a spreadsheet program shows: one per record (a
/// quoted cell may span lines) and one per blank line, which the reader skips.
struct TextRows<'a> {
    text: &'a str,
    reader: csv::Reader<&'a [u8]>,
    record: csv::StringRecord,
    number: u32,
    prev_start: usize,
}

impl<'a> TextRows<'a> {
    fn new(text: &'a str) -> Self {
        let delimiter = delimiter_of(text);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        TextRows {
            text,
            reader,
            record: csv::StringRecord::new(),
            number: 0,
            prev_start: 0,
        }
    }
}

impl Iterator for TextRows<'_> {
    type Item = Fields<(u32, Vec<String>)>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                Some(Err(FieldError::new(
                    "file",
                    "imports.unreadable_file",
                    format!("the file could not be read at line {line}: {e}"),
                )))
            }
            Ok(true) => {
                let text = self.text;
                // The reader's position is where it began reading, before the blank lines it
                // skipped.
                let from = self
                    .record
                    .position()
                    .map_or(self.prev_start, |p| p.byte() as usize);
                let start = from
                    + text
                        .get(from..)
                        .unwrap_or("")
                        .bytes()
                        .take_while(|b| matches!(b, b'\r' | b'\n'))
                        .count();
                let blank = text
                    .get(self.prev_start..start)
                    .unwrap_or("")
                    .split('\n')
                    .skip(1)
                    .filter(|l| l.trim_end_matches('\r').is_empty())
                    .count()
                    .saturating_sub(1);
                self.number += 1 + blank as u32;
                self.prev_start = start;
                Some(Ok((
                    self.number,
                    self.record.iter().map(|c| c.trim().to_owned()).collect(),
                )))
            }
        }
    }
}

fn filled(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.is_empty()).count()
}

/// A column's letter as spreadsheet programs name it: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_each_encoding_reads_the_same() {
        let text = "账号ID,昵称,粉丝数\nlily,小红薯Lily,1.2万\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let cases: &[(&[u8], &str)] = &[
            (text.as_bytes(), "utf-8"),
            (&bom, "utf-8"),
            (&gbk, "gbk"),
            (&utf16, "utf-16"),
        ];
        for (bytes, encoding) in cases {
            let s = read("a.csv", bytes).unwrap();
            assert_eq!(s.encoding, Some(*encoding));
            assert_eq!(s.headers, ["账号ID", "昵称", "粉丝数"], "{encoding}");
            assert_eq!(
                s.rows[0].cells,
                ["lily", "小红薯Lily", "1.2万"],
                "{encoding}"
            );
            assert_eq!((s.header_row, s.rows[0].number), (1, 2));
        }
    }

    #[test]
    fn a_description_line_above_the_header_is_skipped_and_rows_keep_their_numbers() {
        let text = "导出时间：2026-11-30\r\n\"平台\",\"账号ID\",\"备注\"\r\n小红书,lily,\"两行\n备注\"\r\n,,\r\n抖音,momo,\r\n";
        let s = read("export.CSV", text.as_bytes()).unwrap();
        assert_eq!(s.header_row, 2);
        assert_eq!(s.headers, ["平台", "账号ID", "备注"]);
        assert_eq!(s.rows.len(), 2, "the empty row is not data");
        assert_eq!(s.rows[0].cells[2], "两行\n备注");
        assert_eq!(
            s.rows[1].number, 5,
            "the quoted cell spans two lines of one row"
        );
        let blank = read("b.csv", b"a,b\r\n\r\n\r\n1,2\r\n3,4").unwrap();
        assert_eq!(
            blank.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
            [4, 5],
            "blank lines are rows"
        );
        assert_eq!(s.rows[1].cell(1), "momo");
        assert_eq!(s.rows[1].cell(9), "");
    }

    #[test]
    fn a_workbook_reads_as_its_program_shows_it() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.merge_range(0, 0, 0, 3, "最多导出排序后前1000条笔记", &Format::new())
            .unwrap();
        for (c, h) in ["账号ID", "粉丝数", "签约日期", "备注"].iter().enumerate() {
            ws.write_string(1, c as u16, *h).unwrap();
        }
        ws.write_string(2, 0, " lily ").unwrap();
        ws.write_number(2, 1, 12000.0).unwrap();
        let date = ExcelDateTime::from_ymd(2026, 3, 1).unwrap();
        ws.write_datetime_with_format(2, 2, &date, &Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
        ws.write_number(2, 3, 0.166).unwrap();
        ws.write_string(4, 0, "momo").unwrap();
        ws.write_boolean(4, 3, true).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let s = read("笔记.XLSX", &bytes).unwrap();
        assert_eq!(s.encoding, None);
        assert_eq!(s.header_row, 2);
        assert_eq!(s.headers, ["账号ID", "粉丝数", "签约日期", "备注"]);
        assert_eq!(s.rows.len(), 2);
        assert_eq!(s.rows[0].number, 3);
        assert_eq!(s.rows[0].cells, ["lily", "12000", "2026-03-01", "0.166"]);
        assert_eq!(
            (s.rows[1].number, s.rows[1].cell(0), s.rows[1].cell(3)),
            (5, "momo", "TRUE")
        );
    }

    #[test]
    fn tabs_and_semicolons_are_delimiters_too() {
        for text in ["a\tb\n1\t2\n", "a;b\n1;2\n"] {
            let s = read("x.tsv", text.as_bytes()).unwrap();
            assert_eq!(s.headers, ["a", "b"]);
            assert_eq!(s.rows[0].cells, ["1", "2"]);
        }
    }

    #[test]
    fn unknown_and_empty_files_are_refused_on_the_file() {
        let cases: &[(&str, &[u8], &str)] = &[
            ("a.pdf", b"x", "imports.unsupported_file"),
            ("noext", b"x", "imports.unsupported_file"),
            ("a.csv", b"", "imports.empty_file"),
            ("a.csv", b" , ,\n", "imports.empty_file"),
            ("a.xlsx", b"not a zip", "imports.unreadable_file"),
        ];
        for (name, bytes, code) in cases {
            let e = read(name, bytes).unwrap_err();
            assert_eq!((e.field.as_str(), e.code), ("file", *code), "{name}");
        }
    }

    #[test]
    fn column_letters() {
        let cases = [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (51, "AZ"),
            (52, "BA"),
            (701, "ZZ"),
            (702, "AAA"),
        ];
        for (i, l) in cases {
            assert_eq!(column_letter(i), l);
        }
    }
}

#[cfg(test)]
mod streaming_tests {
    use super::*;

    /// A stream read in small pieces (as a file or a socket gives them).
    struct Trickle<'a>(&'a [u8], usize);
    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(out.len()).min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn all(name: &str, bytes: &[u8], piece: usize) -> (SheetHead, Vec<SheetRow>) {
        let mut rows = Vec::new();
        let (head, _) = stream_from(
            name,
            Trickle(bytes, piece),
            &ReadOptions::default(),
            3,
            |_, c| {
                rows.extend(c);
                true
            },
        )
        .unwrap();
        (head, rows)
    }

    #[test]
    fn a_stream_reads_as_the_whole_file_does_in_every_encoding() {
        let text = "说明：最多导出前1000条\r\n作品名称,播放量\r\n\"第一\n两行\",1.2万\r\n\r\n第二,3\r\n第三,4\r\n";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let whole = read("a.csv", text.as_bytes()).unwrap();
        for (bytes, label) in [
            (text.as_bytes().to_vec(), "utf-8"),
            (bom, "utf-8"),
            (gbk.into_owned(), "gbk"),
        ] {
            for piece in [1, 7, 4096] {
                let (head, rows) = all("a.csv", &bytes, piece);
                assert_eq!(
                    (head.headers.clone(), head.header_row, head.encoding),
                    (whole.headers.clone(), 2, Some(label)),
                    "{label} {piece}"
                );
                let got: Vec<(u32, Vec<String>)> =
                    rows.into_iter().map(|r| (r.number, r.cells)).collect();
                let want: Vec<(u32, Vec<String>)> = whole
                    .rows
                    .iter()
                    .map(|r| (r.number, r.cells.clone()))
                    .collect();
                assert_eq!(got, want, "{label} {piece}");
            }
        }
        // The quoted cell spans two lines, the blank line is a row: 第二 is row 5, 第三 row 6.
        assert_eq!(
            whole.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
            [3, 5, 6]
        );
    }
}

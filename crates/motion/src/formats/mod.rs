//! Importers: text of a recording (one or more files forming one continuous take) to a
//! `Recording` on the common skeleton. Malformed text is an error naming the 1-based line;
//! the caller adds the file name. Noisy but well-formed data is returned as is.

pub mod blazepose;
pub mod keraal;
pub mod uiprmd;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::skeleton::{Frame, Recording, Space};

/// The input formats `parse` understands. The string names are the CLI's `--format` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Format {
    /// Our live-stream format: JSON Lines of BlazePose frames (docs/motion-formats.md).
    #[serde(rename = "blazepose-json")]
    BlazePoseJson,
    /// UI-PRMD Kinect: each file is a positions text followed by its angles text.
    #[serde(rename = "uiprmd-kinect")]
    UiprmdKinect,
    /// UI-PRMD Vicon: 39 Plug-in Gait markers, millimetres, z up.
    #[serde(rename = "uiprmd-vicon")]
    UiprmdVicon,
    /// KERAAL BlazePose JSON (`{"positions": {"1.0": {"Nose": [x, y, z], ...}}}`).
    #[serde(rename = "keraal-blazepose")]
    KeraalBlazePose,
    /// KERAAL Kinect v2 text: 25 joints × (x, y, z, qx, qy, qz, qw), metres.
    #[serde(rename = "keraal-kinect")]
    KeraalKinect,
    /// KERAAL Vicon/ART text: 17 rigid targets × (x, y, z, qx, qy, qz, qw), millimetres.
    #[serde(rename = "keraal-vicon")]
    KeraalVicon,
}

impl Format {
    /// Every format, in the order of the docs.
    pub const ALL: [Format; 6] = [
        Format::BlazePoseJson,
        Format::UiprmdKinect,
        Format::UiprmdVicon,
        Format::KeraalBlazePose,
        Format::KeraalKinect,
        Format::KeraalVicon,
    ];

    /// The CLI name (`blazepose-json`, `uiprmd-kinect`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Format::BlazePoseJson => "blazepose-json",
            Format::UiprmdKinect => "uiprmd-kinect",
            Format::UiprmdVicon => "uiprmd-vicon",
            Format::KeraalBlazePose => "keraal-blazepose",
            Format::KeraalKinect => "keraal-kinect",
            Format::KeraalVicon => "keraal-vicon",
        }
    }

    /// How many texts make up one file of this format: 2 for `uiprmd-kinect` (positions text,
    /// then the matching angles text), 1 otherwise. `parse` takes whole groups in order.
    pub const fn texts_per_file(self) -> usize {
        match self {
            Format::UiprmdKinect => 2,
            _ => 1,
        }
    }

    /// The frame rate used when the data carry no timestamps (frames per second).
    pub const fn default_fps(self) -> f64 {
        match self {
            Format::BlazePoseJson | Format::KeraalBlazePose => 30.0,
            Format::UiprmdKinect | Format::KeraalKinect => 30.0,
            Format::UiprmdVicon => 100.0,
            Format::KeraalVicon => 60.0,
        }
    }

    /// For a format whose files come in pairs, the name of the companion of a file name
    /// (`m01_s01_e01_positions.txt.gz` → `m01_s01_e01_angles.txt.gz`); `None` otherwise.
    pub fn companion_name(self, name: &str) -> Option<String> {
        match self {
            Format::UiprmdKinect => {
                let i = name.rfind("_positions")?;
                Some(format!("{}_angles{}", &name[..i], &name[i + "_positions".len()..]))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Format, String> {
        Format::ALL.into_iter().find(|f| f.name() == s).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
            format!("unknown format {s:?}; expected one of {}", names.join(", "))
        })
    }
}

/// A malformed input text. `text` is the 0-based index into the texts given to `parse` (the
/// caller maps it to a file name); `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// Index of the offending text in the slice given to `parse`.
    pub text: usize,
    /// 1-based line number (1 for errors about the whole text).
    pub line: usize,
    /// What was wrong and what was expected.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> ParseError {
        ParseError { text: 0, line, message: message.into() }
    }
    fn in_text(mut self, text: usize) -> ParseError {
        self.text = text;
        self
    }
}

/// Options for `parse_with`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ParseOptions {
    /// Frame rate to assume for formats without timestamps; `None` uses `Format::default_fps`.
    pub fps: Option<f64>,
}

/// Parses the texts of one continuous recording (files in order; for `uiprmd-kinect` each
/// file's positions text followed by its angles text) with the default frame rate.
pub fn parse(format: Format, texts: &[&str]) -> Result<Recording, ParseError> {
    parse_with(format, texts, ParseOptions::default())
}

/// `parse` with options.
pub fn parse_with(
    format: Format,
    texts: &[&str],
    options: ParseOptions,
) -> Result<Recording, ParseError> {
    let per = format.texts_per_file();
    if texts.is_empty() {
        return Err(ParseError::new(1, "empty input: expected at least one file"));
    }
    if !texts.len().is_multiple_of(per) {
        return Err(ParseError::new(
            1,
            format!(
                "{format} needs {per} texts per file (positions, then angles); got {} texts",
                texts.len()
            ),
        )
        .in_text(texts.len() - 1));
    }
    let fps = match options.fps {
        Some(f) if f.is_finite() && f > 0.0 => f,
        Some(_) => return Err(ParseError::new(1, "the frame rate must be a positive number")),
        None => format.default_fps(),
    };
    let mut frames: Vec<Frame> = Vec::new();
    let mut space = Space::World;
    for (g, group) in texts.chunks(per).enumerate() {
        let first_text = g * per;
        let (mut part, part_space) = match format {
            Format::BlazePoseJson => blazepose::parse_jsonl(group[0], fps),
            Format::KeraalBlazePose => blazepose::parse_keraal(group[0], fps),
            Format::UiprmdKinect => uiprmd::parse_kinect(group[0], group[1], fps)
                .map_err(|(which, e)| e.in_text(first_text + which))
                .map(|f| (f, Space::World)),
            Format::UiprmdVicon => uiprmd::parse_vicon(group[0], fps).map(|f| (f, Space::World)),
            Format::KeraalKinect => keraal::parse_kinect(group[0], fps).map(|f| (f, Space::World)),
            Format::KeraalVicon => keraal::parse_vicon(group[0], fps).map(|f| (f, Space::World)),
        }
        .map_err(|e| if e.text == 0 { e.in_text(first_text) } else { e })?;
        if g == 0 {
            space = part_space;
        } else if part_space != space {
            return Err(ParseError::new(
                1,
                "this file has no world landmarks but the first one has (or the reverse)",
            )
            .in_text(first_text));
        }
        // Continue the clock: a file whose times do not follow the previous file is shifted to
        // start one frame interval after it.
        if let (Some(last), Some(first)) = (frames.last(), part.first())
            && first.t <= last.t
        {
            let shift = last.t + 1.0 / fps - first.t;
            part.iter_mut().for_each(|f| f.t += shift);
        }
        frames.append(&mut part);
    }
    Ok(Recording { frames, space, fps })
}

/// Field separator of a numeric text format.
#[derive(Clone, Copy)]
pub(crate) enum Sep {
    Comma,
    Whitespace,
}

/// Parses the non-blank lines of a numeric table, calling `row(line_no, values)` for each;
/// every row must hold exactly `columns` finite numbers. Errors name the line.
pub(crate) fn numeric_rows(
    text: &str,
    sep: Sep,
    columns: usize,
    what: &str,
    mut row: impl FnMut(usize, &[f32]) -> Result<(), ParseError>,
) -> Result<usize, ParseError> {
    let mut values = vec![0.0f32; columns];
    let mut rows = 0;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let n = match sep {
            Sep::Comma => fill(line.split(',').map(str::trim), &mut values, line_no)?,
            Sep::Whitespace => fill(line.split_whitespace(), &mut values, line_no)?,
        };
        if n != columns {
            return Err(ParseError::new(
                line_no,
                format!("expected {columns} values ({what}), found {n}"),
            ));
        }
        row(line_no, &values)?;
        rows += 1;
    }
    if rows == 0 {
        return Err(ParseError::new(1, format!("empty input: expected rows of {what}")));
    }
    Ok(rows)
}

/// Parses fields into `values`; returns how many fields the line had.
fn fill<'a>(
    mut fields: impl Iterator<Item = &'a str>,
    values: &mut [f32],
    line_no: usize,
) -> Result<usize, ParseError> {
    let mut n = 0;
    while let Some(field) = fields.next() {
        if n == values.len() {
            return Ok(n + 1 + fields.count());
        }
        let v: f32 = field.parse().map_err(|_| {
            ParseError::new(
                line_no,
                format!("column {}: expected a number, found {field:?}", n + 1),
            )
        })?;
        if !v.is_finite() {
            return Err(ParseError::new(
                line_no,
                format!("column {}: expected a finite number, found {field:?}", n + 1),
            ));
        }
        values[n] = v;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
        assert!("csv".parse::<Format>().is_err());
        assert_eq!(
            Format::UiprmdKinect.companion_name("m01_s01_e01_positions_inc.txt.gz").as_deref(),
            Some("m01_s01_e01_angles_inc.txt.gz")
        );
    }

    #[test]
    fn numeric_errors_name_the_line() {
        let run = |t: &str| numeric_rows(t, Sep::Comma, 3, "3 numbers", |_, _| Ok(()));
        assert_eq!(run("1,2,3\n4,5,6\n"), Ok(2));
        assert_eq!(run("").unwrap_err().line, 1);
        let e = run("1,2,3\n4,5\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (2, "expected 3 values (3 numbers), found 2"));
        assert_eq!(run("1,2,3,4\n").unwrap_err().message, "expected 3 values (3 numbers), found 4");
        assert!(run("1,x,3\n").unwrap_err().message.contains("column 2"));
        assert_eq!(run("1,2,3\n1,NaN,3").unwrap_err().line, 2);
        assert_eq!(run("1,2,3\n1,inf,3").unwrap_err().line, 2);
    }

    #[test]
    fn pairs_are_checked() {
        let e = parse(Format::UiprmdKinect, &["1"]).unwrap_err();
        assert!(e.message.contains("2 texts per file"));
        assert!(parse(Format::UiprmdVicon, &[]).is_err());
    }
}

//! Secure messages between a patient and their care team (docs/messages.md): who wrote a
//! message, what a message may hold (text only, not blank, at most [`MAX_CHARS`] characters),
//! and what the patient is told about how soon messages are read.
//!
//! Pure: the text arrives as typed; nothing here knows about the store or the clock.

use serde::{Deserialize, Serialize};

/// The longest message, in characters after tidying: about a page of writing, enough to
/// describe a problem in detail, short enough to read between two appointments.
pub const MAX_CHARS: usize = 2000;

/// What the patient is told about reply times, next to the message form.
pub const USUALLY_READ: &str = "Your care team usually reads messages within one working day.";

/// Which side of the thread wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    /// The patient the thread belongs to.
    Patient,
    /// A clinician on the patient's care team.
    Clinician,
}

impl Author {
    pub const ALL: [Author; 2] = [Author::Patient, Author::Clinician];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Author::Patient => "patient",
            Author::Clinician => "clinician",
        }
    }

    /// Reads a stored name back; anything else is `None` (an error for the caller, never a
    /// default).
    pub fn parse(s: &str) -> Option<Author> {
        Author::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The other side: whose messages this side reads.
    pub fn other(self) -> Author {
        match self {
            Author::Patient => Author::Clinician,
            Author::Clinician => Author::Patient,
        }
    }
}

/// Why a message cannot be sent, with what to do about it in the writer's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextProblem {
    #[error("write your message before you send it")]
    Blank,
    #[error(
        "your message is {chars} characters long; shorten it to {MAX_CHARS} characters or \
         fewer, or send it in two parts"
    )]
    TooLong { chars: usize },
}

/// The text of a message, checked: not blank, at most [`MAX_CHARS`] characters, line breaks
/// as `\n`, no other control characters, no spaces or blank lines around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText(String);

impl MessageText {
    /// Tidies and checks what was typed. Browsers send a text area's line breaks as `\r\n`;
    /// they become `\n`. Other control characters (invisible, and refused by PostgreSQL when
    /// they are NUL) are dropped, tabs kept.
    pub fn parse(typed: &str) -> Result<MessageText, TextProblem> {
        let text: String = typed
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        let text = text.trim();
        if text.is_empty() {
            return Err(TextProblem::Blank);
        }
        let chars = text.chars().count();
        if chars > MAX_CHARS {
            return Err(TextProblem::TooLong { chars });
        }
        Ok(MessageText(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_refused_however_it_is_blank() {
        for typed in ["", " ", "\n\r\n\t ", "\u{0}\u{7}"] {
            assert_eq!(MessageText::parse(typed), Err(TextProblem::Blank), "{typed:?}");
        }
    }

    #[test]
    fn the_limit_is_counted_in_characters_after_tidying() {
        let at_limit = "é".repeat(MAX_CHARS);
        assert_eq!(MessageText::parse(&at_limit).unwrap().as_str().chars().count(), MAX_CHARS);
        let over = "a".repeat(MAX_CHARS + 1);
        assert_eq!(MessageText::parse(&over), Err(TextProblem::TooLong { chars: MAX_CHARS + 1 }));
        // Surrounding spaces do not count against the writer.
        let padded = format!("  \n{at_limit}\n\n  ");
        assert!(MessageText::parse(&padded).is_ok());
        // A browser's \r\n is one line break, not two characters.
        let lines = format!("{}\r\n{}", "a".repeat(MAX_CHARS / 2), "b".repeat(MAX_CHARS / 2 - 1));
        assert_eq!(MessageText::parse(&lines).unwrap().as_str().chars().count(), MAX_CHARS);
    }

    #[test]
    fn line_breaks_and_tabs_stay_other_control_characters_go() {
        let m = MessageText::parse(" Morning.\r\nMy knee\u{0} hurts\tagain.\rThanks ").unwrap();
        assert_eq!(m.as_str(), "Morning.\nMy knee hurts\tagain.\nThanks");
    }

    #[test]
    fn the_problem_says_how_to_fix_it() {
        let e = TextProblem::TooLong { chars: 2345 };
        assert!(e.to_string().contains("2345") && e.to_string().contains("2000"), "{e}");
        assert_eq!(TextProblem::Blank.to_string(), "write your message before you send it");
    }

    #[test]
    fn authors_round_trip_and_face_each_other() {
        for a in Author::ALL {
            assert_eq!(Author::parse(a.as_str()), Some(a));
            assert_eq!(a.other().other(), a);
        }
        assert_eq!(Author::parse("admin"), None);
    }
}

//! How hard a lesson is to read: the Flesch–Kincaid grade level.
//!
//! grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59
//!
//! A grade of 6 is about what a reader of 11 or 12 manages; we hold every built-in lesson at or
//! below it (reading age 9 to 11 in the design brief). Syllables are counted by a rule of thumb
//! (groups of vowels, less a silent final "e" or "ed"); a number counts as one syllable up to two
//! digits, and two beyond. The rule is rough for single words but steady over a whole lesson,
//! which is what the check needs.

use crate::education::Lesson;

/// Counts of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Sentences.
    pub sentences: usize,
    /// Words.
    pub words: usize,
    /// Syllables.
    pub syllables: usize,
}

impl Counts {
    /// The Flesch–Kincaid grade of these counts (0 for no words).
    pub fn grade(&self) -> f64 {
        if self.words == 0 || self.sentences == 0 {
            return 0.0;
        }
        let (s, w, y) = (self.sentences as f64, self.words as f64, self.syllables as f64);
        0.39 * (w / s) + 11.8 * (y / w) - 15.59
    }

    fn add(self, other: Counts) -> Counts {
        Counts {
            sentences: self.sentences + other.sentences,
            words: self.words + other.words,
            syllables: self.syllables + other.syllables,
        }
    }
}

/// Counts one piece of text: a title, a paragraph or a key point. A piece is at least one
/// sentence (a title or a point need not end with a full stop).
pub fn count(text: &str) -> Counts {
    let mut words = 0;
    let mut syllables = 0;
    let mut ends = 0;
    for token in text.split_whitespace() {
        if token.ends_with(['.', '!', '?']) {
            ends += 1;
        }
        let word: String = token.chars().filter(|c| c.is_alphanumeric()).collect();
        if word.is_empty() {
            continue;
        }
        words += 1;
        syllables += syllables_of(&word);
    }
    Counts { sentences: ends.max(usize::from(words > 0)), words, syllables }
}

/// The counts of everything a patient reads in a lesson.
pub fn lesson_counts(lesson: &Lesson) -> Counts {
    lesson.texts().map(count).fold(Counts::default(), Counts::add)
}

/// The lesson's Flesch–Kincaid grade.
pub fn grade(lesson: &Lesson) -> f64 {
    lesson_counts(lesson).grade()
}

/// Syllables in one word (letters and digits only), by rule of thumb.
pub fn syllables_of(word: &str) -> usize {
    if word.chars().any(|c| c.is_ascii_digit()) {
        return if word.len() <= 2 { 1 } else { 2 };
    }
    let w = word.to_lowercase();
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut groups = 0;
    let mut previous = false;
    for c in w.chars() {
        let v = vowel(c);
        if v && !previous {
            groups += 1;
        }
        previous = v;
    }
    let silent_e = w.ends_with('e') && !w.ends_with("le") && !w.ends_with("ee");
    let silent_ed = w.ends_with("ed") && !w.ends_with("ted") && !w.ends_with("ded");
    if groups > 1 && (silent_e || silent_ed) {
        groups -= 1;
    }
    groups.max(1)
}

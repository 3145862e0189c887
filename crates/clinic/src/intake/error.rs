//! Why an intake was refused: every problem names its field.

use std::fmt;

use serde::Serialize;

/// One problem with one field. `field` is a dotted path with list indexes: `imaging.findings[1]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    /// Where the problem is; `(root)` for the document as a whole.
    pub field: String,
    /// What is wrong and how to fix it, in words a form can show.
    pub problem: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Why an intake was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// The text is not JSON at all.
    #[error("the intake is not valid JSON: {message} (line {line}, column {column})")]
    Syntax {
        /// The parser's description.
        message: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// The JSON does not have the intake's shape: a field is missing, unknown or of the wrong
    /// type, or a value is not one of those allowed.
    #[error("{field}: {message} (line {line}, column {column})")]
    Shape {
        /// The field at fault, as precisely as it could be found.
        field: String,
        /// What is wrong.
        message: String,
        /// 1-based line where the parser stopped.
        line: usize,
        /// 1-based column where the parser stopped.
        column: usize,
    },
    /// The intake has the right shape but some values are out of range or contradict each other.
    #[error("the intake has {} problem(s): {}", problems.len(), join_problems(problems))]
    Invalid {
        /// Every problem found, in field order.
        problems: Vec<FieldProblem>,
    },
    /// The result could not be turned into JSON. Our types always encode, so this would be a bug;
    /// it is an error rather than a panic so a caller can report it.
    #[error("could not encode the result as JSON: {message}")]
    Encode {
        /// The encoder's description.
        message: String,
    },
}

impl IntakeError {
    pub(crate) fn invalid(field: &str, problem: &str) -> IntakeError {
        IntakeError::Invalid {
            problems: vec![FieldProblem { field: field.to_owned(), problem: problem.to_owned() }],
        }
    }

    /// Every field named by this error, for forms that mark fields.
    pub fn fields(&self) -> Vec<&str> {
        match self {
            IntakeError::Syntax { .. } | IntakeError::Encode { .. } => vec!["(root)"],
            IntakeError::Shape { field, .. } => vec![field.as_str()],
            IntakeError::Invalid { problems } => {
                problems.iter().map(|p| p.field.as_str()).collect()
            }
        }
    }
}

fn join_problems(problems: &[FieldProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

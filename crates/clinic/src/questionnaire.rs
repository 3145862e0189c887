//! questionnaire (being written).

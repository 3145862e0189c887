//! Pure motion signal processing: landmarks to joint angles, repetitions and form checks. No IO, no clock.

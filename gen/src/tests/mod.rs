//! Property tests of the generated files.

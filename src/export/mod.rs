//! CSV writers for every result (filled in with the CLI work).

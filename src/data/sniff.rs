//! Delimiter sniffing (filled in by the reader work).

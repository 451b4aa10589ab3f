//! Choosing columns by name in files with hundreds or thousands of them: the Data tab's
//! filter and the CLI's `--columns` accept the same patterns.
//!
//! A pattern is a list of terms separated by `,` or `|` (a term inside `/…/` keeps its
//! commas and bars); a name matches the pattern when it matches any term:
//! - `/regex/` (or `/regex/i`, case-insensitive): the regular expression finds a match
//!   anywhere in the name (anchor it with `^…$` for whole names);
//! - a term with `*` or `?`: a glob over the whole name, case-insensitive (`data.1*`);
//! - any other term: in a filter ([`Mode::Contains`]) the name contains it,
//!   case-insensitive; on the CLI ([`Mode::Exact`]) the name equals it.
//!
//! Regular expressions use the `regex` crate: linear-time matching, so no pasted pattern
//! can hang the window.

use regex::{Regex, RegexBuilder};
use thiserror::Error;

/// How a plain term (no wildcard, not a regex) matches a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The name contains the term, ignoring case (a search box).
    Contains,
    /// The name is the term (a column list on the command line).
    Exact,
}

/// A term that is not a valid pattern.
#[derive(Debug, Error, PartialEq)]
pub enum PatternError {
    #[error("'{term}' is not a valid regular expression: {reason}")]
    Regex { term: String, reason: String },
    #[error("'{term}' opens a regular expression with / but does not close it")]
    Unclosed { term: String },
}

#[derive(Clone, Debug)]
enum Term {
    Plain(String),
    Glob(Regex),
    Regex(Regex),
}

/// A parsed pattern; empty when the text had no terms (which matches every name).
#[derive(Clone, Debug)]
pub struct ColumnPattern {
    terms: Vec<Term>,
    mode: Mode,
}

impl ColumnPattern {
    pub fn parse(text: &str, mode: Mode) -> Result<Self, PatternError> {
        let terms = split_terms(text)?
            .into_iter()
            .map(|t| Term::parse(t, mode))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { terms, mode })
    }

    /// True when the text had no terms: every name matches.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn matches(&self, name: &str) -> bool {
        self.terms.is_empty() || self.terms.iter().any(|t| t.matches(name, self.mode))
    }

    /// The indices of `names` that match, in their order.
    pub fn select<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        names
            .into_iter()
            .enumerate()
            .filter(|(_, n)| self.matches(n))
            .map(|(i, _)| i)
            .collect()
    }
}

/// True when `term` is a glob or a regex rather than a name.
pub fn is_wildcard(term: &str) -> bool {
    let t = term.trim();
    t.contains(['*', '?']) || (t.len() >= 2 && t.starts_with('/'))
}

impl Term {
    fn parse(term: &str, mode: Mode) -> Result<Self, PatternError> {
        if let Some(body) = term.strip_prefix('/') {
            let (body, insensitive) = if let Some(b) = body.strip_suffix("/i") {
                (b, true)
            } else if let Some(b) = body.strip_suffix('/') {
                (b, false)
            } else {
                return Err(PatternError::Unclosed { term: term.into() });
            };
            return build(body, insensitive, term).map(Term::Regex);
        }
        if term.contains(['*', '?']) {
            let mut re = String::from("^");
            for c in term.chars() {
                match c {
                    '*' => re.push_str(".*"),
                    '?' => re.push('.'),
                    c => re.push_str(&regex::escape(&c.to_string())),
                }
            }
            re.push('$');
            return build(&re, true, term).map(Term::Glob);
        }
        Ok(Term::Plain(match mode {
            Mode::Contains => term.to_lowercase(),
            Mode::Exact => term.to_string(),
        }))
    }

    fn matches(&self, name: &str, mode: Mode) -> bool {
        match self {
            Term::Plain(t) => match mode {
                Mode::Contains => name.to_lowercase().contains(t.as_str()),
                Mode::Exact => name == t,
            },
            Term::Glob(re) | Term::Regex(re) => re.is_match(name),
        }
    }
}

fn build(pattern: &str, insensitive: bool, term: &str) -> Result<Regex, PatternError> {
    RegexBuilder::new(pattern)
        .case_insensitive(insensitive)
        // Bounded so a pasted pattern cannot take the window's memory.
        .size_limit(1 << 20)
        .build()
        .map_err(|e| PatternError::Regex {
            term: term.into(),
            reason: regex_reason(&e),
        })
}

/// The regex crate's message without its caret drawing: its last line.
fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().last().unwrap_or_default().trim();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

/// Splits at `,` and `|` outside `/…/`; trims each term and drops empty ones.
fn split_terms(text: &str) -> Result<Vec<&str>, PatternError> {
    let mut terms = Vec::new();
    let mut rest = text;
    loop {
        let t = rest.trim_start();
        if t.starts_with('/') {
            // A regex runs to the next `/` that ends a term (followed by an optional `i`,
            // then a separator or the end); `\/` does not end it.
            let bytes = t.as_bytes();
            let mut end = None;
            let mut i = 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 1,
                    b'/' => {
                        let flag = usize::from(t[i + 1..].starts_with('i'));
                        let after = t[i + 1 + flag..].trim_start();
                        if after.is_empty() || after.starts_with([',', '|']) {
                            end = Some(i + 1 + flag);
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            let Some(end) = end else {
                return Err(PatternError::Unclosed {
                    term: t.trim().into(),
                });
            };
            terms.push(&t[..end]);
            rest = t[end..].trim_start();
            match rest.chars().next() {
                Some(',' | '|') => rest = &rest[1..],
                _ => return Ok(terms),
            }
        } else {
            match t.find([',', '|']) {
                Some(p) => {
                    push_term(&mut terms, &t[..p]);
                    rest = &t[p + 1..];
                }
                None => {
                    push_term(&mut terms, t);
                    return Ok(terms);
                }
            }
        }
    }
}

fn push_term<'a>(terms: &mut Vec<&'a str>, t: &'a str) {
    let t = t.trim();
    if !t.is_empty() {
        terms.push(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 6] = ["labs", "data.1", "data.15", "data.5", "Body Mass", "a,b"];

    fn pick(p: &str, mode: Mode) -> Vec<&'static str> {
        let pat = ColumnPattern::parse(p, mode).expect("valid pattern");
        pat.select(NAMES).into_iter().map(|i| NAMES[i]).collect()
    }

    #[test]
    fn lists_globs_and_regexes() {
        assert_eq!(pick("labs|data.5", Mode::Contains), ["labs", "data.5"]);
        assert_eq!(pick("labs, data.5", Mode::Exact), ["labs", "data.5"]);
        assert_eq!(pick("data.1*", Mode::Exact), ["data.1", "data.15"]);
        assert_eq!(pick("DATA.?", Mode::Exact), ["data.1", "data.5"]);
        assert_eq!(pick(r"/^data\.\d$/", Mode::Exact), ["data.1", "data.5"]);
        assert_eq!(pick("/^body/i, labs", Mode::Exact), ["labs", "Body Mass"]);
        assert_eq!(pick("/a,b/", Mode::Exact), ["a,b"]);
        assert_eq!(pick("mass", Mode::Contains), ["Body Mass"]);
        assert!(pick("mass", Mode::Exact).is_empty());
        assert_eq!(pick("  ", Mode::Contains).len(), NAMES.len());
    }

    #[test]
    fn bad_patterns_say_why() {
        let e = ColumnPattern::parse("/data(/", Mode::Contains).unwrap_err();
        assert!(matches!(e, PatternError::Regex { .. }), "{e}");
        let e = ColumnPattern::parse("/data", Mode::Contains).unwrap_err();
        assert_eq!(
            e,
            PatternError::Unclosed {
                term: "/data".into()
            }
        );
    }

    #[test]
    fn wildcards_are_told_from_names() {
        assert!(is_wildcard("data.1*") && is_wildcard("/x/") && !is_wildcard("data.1"));
    }
}

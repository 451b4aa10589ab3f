//! Writing a file so that a failure never leaves a half-written or destroyed file.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `contents` to a temporary file beside `path`, flushes it to disk and renames
/// it over `path` only when complete. On any error the existing file is untouched and
/// the temporary file removed; the error names the path.
pub fn atomic_write(path: &Path, contents: &[u8]) -> io::Result<()> {
    atomic_write_with(path, |w| w.write_all(contents))
}

/// Like [`atomic_write`], with the contents produced by `writer` (which may fail part
/// way: the target is then left as it was and the temporary file removed). Also the
/// seam the reliability tests use to simulate an export that fails half-way.
pub fn atomic_write_with(
    path: &Path,
    writer: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // A device, FIFO or socket (`-o /dev/null`, `-o /dev/stdout`) is written into, never
    // renamed over: the rename swapped the device for a regular file, and as root that
    // was /dev/null itself, which then handed what was written to it to every later
    // reader (cargo's target probe compiled it: the CI failures of stop 21).
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return write_into(path, writer);
    }
    // A symbolic link stays a link: its target is what gets replaced.
    let resolved;
    let path = if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        resolved.as_path()
    } else {
        path
    };
    let tmp = temporary_path(path);
    // Removes the temporary file on every way out but success, a panicking `writer`
    // included.
    let mut guard = Remove(Some(tmp.clone()));
    let result = (|| {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut out = BufWriter::new(file);
        writer(&mut out)?;
        let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    match result {
        Ok(()) => {
            guard.0 = None;
            Ok(())
        }
        Err(e) => Err(io::Error::new(
            e.kind(),
            format!("could not write {}: {e}", path.display()),
        )),
    }
}

/// Writes straight into an existing special file.
fn write_into(
    path: &Path,
    writer: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let result = (|| {
        let file = std::fs::OpenOptions::new().write(true).open(path)?;
        let mut out = BufWriter::new(file);
        writer(&mut out)?;
        out.flush()
    })();
    result.map_err(|e| io::Error::new(e.kind(), format!("could not write {}: {e}", path.display())))
}

struct Remove(Option<PathBuf>);

impl Drop for Remove {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// A hidden temporary name in the target's folder (so the final rename stays on one
/// file system), unique per process and per call: two exports to the same path at once
/// cannot write into each other's temporary file.
fn temporary_path(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_contents_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        std::fs::write(&p, "old").unwrap();
        atomic_write(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&p).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let reader = {
            let p = p.clone();
            std::thread::spawn(move || std::fs::read(&p).unwrap())
        };
        atomic_write(&p, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(std::fs::symlink_metadata(&p).unwrap().file_type().is_fifo());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_stays_a_link_to_the_new_contents() {
        let dir = tempfile::tempdir().unwrap();
        let (target, link) = (dir.path().join("real.csv"), dir.path().join("link.csv"));
        std::fs::write(&target, "old").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        atomic_write(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn missing_folder_reports_error_and_names_path() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/folder/out.csv");
        let e = atomic_write(&p, b"x").unwrap_err();
        assert!(e.to_string().contains("out.csv"), "{e}");
    }

    #[test]
    fn a_failing_writer_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.csv");
        std::fs::write(&p, "old").unwrap();
        let e = atomic_write_with(&p, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(e.to_string().contains("disk full"), "{e}");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

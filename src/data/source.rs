//! The bytes the reader parses: one buffer that keeps its allocation from block to
//! block, refilled from the file, a regular file on all threads.
//!
//! Copying a block out of the page cache is the one part of reading that ran on one
//! thread while the others waited; split in two `pread`s it takes half as long. The
//! buffer is never shrunk or zeroed again once it has grown, so a refill writes each
//! byte once.
use std::fs::File;
use std::io::{self, Read};

/// Below this many bytes a block is read in one call: a second thread would cost more.
const PARALLEL_READ_MIN: usize = 1 << 20;

/// Something the reader takes its blocks from.
pub trait BlockSource: Read {
    /// Fills `out` from the current position, fewer bytes only at the end of the
    /// source; returns how many.
    fn read_into(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_full(self, out)
    }
}

impl BlockSource for &[u8] {}

impl BlockSource for File {
    #[cfg(unix)]
    fn read_into(&mut self, out: &mut [u8]) -> io::Result<usize> {
        use std::io::{Seek, SeekFrom};
        use std::os::unix::fs::FileExt;
        // A pipe or a device has no positions to read at.
        if out.len() < PARALLEL_READ_MIN || !self.metadata()?.is_file() {
            return read_full(self, out);
        }
        let at = self.stream_position()?;
        let half = out.len() / 2;
        let (a, b) = out.split_at_mut(half);
        // Each half read through its own offset, with the same full-read loop.
        struct At<'f> {
            file: &'f File,
            offset: u64,
        }
        impl Read for At<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.file.read_at(buf, self.offset)?;
                self.offset += n as u64;
                Ok(n)
            }
        }
        let file = &*self;
        let read_at = |part: &mut [u8], offset: u64| read_full(&mut At { file, offset }, part);
        let (first, second) = rayon::join(|| read_at(a, at), || read_at(b, at + half as u64));
        let first = first?;
        // A short first half is the end of the file: the second read nothing of it.
        let got = if first < half { first } else { first + second? };
        self.seek(SeekFrom::Start(at + got as u64))?;
        Ok(got)
    }
}

fn read_full(source: &mut (impl Read + ?Sized), out: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < out.len() {
        match source.read(&mut out[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// The unparsed part of the input: `bytes[..len]`.
pub struct Buffer {
    bytes: Vec<u8>,
    len: usize,
}

impl Buffer {
    pub fn new(bytes: Vec<u8>) -> Self {
        let len = bytes.len();
        Self { bytes, len }
    }

    pub fn data(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Drops the first `n` bytes (parsed), keeping the rest at the start.
    pub fn consume(&mut self, n: usize) {
        let n = n.min(self.len);
        self.bytes.copy_within(n..self.len, 0);
        self.len -= n;
    }

    /// Appends up to `n` more bytes of `source`; true when the source has ended.
    pub fn fill(&mut self, source: &mut impl BlockSource, n: usize) -> io::Result<bool> {
        let want = self.len + n;
        if self.bytes.len() < want {
            self.bytes.resize(want, 0);
        }
        let got = source.read_into(&mut self.bytes[self.len..want])?;
        self.len += got;
        Ok(got < n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A file read block by block (halves in parallel, the last block short, a half
    /// ending at the file's end) gives back its bytes in order.
    #[test]
    fn blocks_of_a_file_are_its_bytes() {
        let bytes: Vec<u8> = (0..3_500_001u32).map(|i| (i * 7 + i / 251) as u8).collect();
        let dir = std::env::temp_dir().join(format!("mi-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("blocks.bin");
        std::fs::File::create(&path)
            .unwrap()
            .write_all(&bytes)
            .unwrap();
        for block in [PARALLEL_READ_MIN, 1_750_001, 3_500_001, 4 << 20] {
            let mut file = File::open(&path).unwrap();
            // Start off a block boundary, as after the reader's sample.
            let mut sample = vec![0u8; 1000];
            file.read_exact(&mut sample).unwrap();
            let mut buf = Buffer::new(sample);
            let mut seen = Vec::new();
            loop {
                let ended = buf.fill(&mut file, block).unwrap();
                // Parse all but a few bytes, as the reader keeps an unfinished record.
                let keep = if ended { 0 } else { 17.min(buf.data().len()) };
                let used = buf.data().len() - keep;
                seen.extend_from_slice(&buf.data()[..used]);
                buf.consume(used);
                if ended {
                    break;
                }
            }
            assert_eq!(seen.len(), bytes.len(), "block {block}");
            assert!(seen == bytes, "block {block}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

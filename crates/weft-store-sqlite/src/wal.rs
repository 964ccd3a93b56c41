//! Reading a write-ahead log the way SQLite's recovery does, to find what
//! recovery would silently drop.
//!
//! SQLite replays the log's frames up to the last commit frame whose salts
//! match the log's header and whose checksum (cumulative from the header)
//! is right, and ignores everything after it. After a crash that is the
//! right thing: the frames of the transaction being written may be torn,
//! and it was never acknowledged. But a frame damaged *before* the end of
//! acknowledged transactions (a flipped bit, a block of zeros) makes
//! recovery drop every transaction after it as well, without a word.
//!
//! So after the valid log ends, [`inspect`] looks for whole transactions
//! that are still there: runs of frames with the log's salts, each frame's
//! checksum right when seeded with the checksum its predecessor stores,
//! starting right after a commit frame and ending with one. Such a
//! transaction was written completely after an earlier one that was synced
//! (`synchronous=FULL` syncs the log at every commit), so the frame that
//! ends the valid log is damage, not a torn write. A torn last transaction
//! never qualifies: one of its frames is garbage, or its commit frame is
//! missing. Leftovers of a torn transaction overwritten after a restart do
//! not qualify either: their first frame's checksum was seeded by a frame
//! that is no longer there.
//!
//! What cannot be detected: a log cut at a frame boundary (or removed),
//! which loses the transactions after the cut exactly as if they had never
//! been written, and damage to the last transaction alone, which looks
//! like a torn write.

use std::io::Read;
use std::path::Path;

/// Bytes of the log's header.
const HEADER_BYTES: usize = 32;

/// Bytes of a frame's header.
const FRAME_HEADER_BYTES: usize = 24;

/// The log format version SQLite writes.
const WAL_VERSION: u32 = 3_007_000;

/// What a log holds, as recovery will see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WalReport {
    /// Bytes in the log file.
    pub bytes: u64,
    /// Whole frames in the file.
    pub frames: usize,
    /// Frames recovery replays (up to the last valid commit frame).
    pub valid_frames: usize,
    /// Transactions recovery replays.
    pub valid_transactions: usize,
    /// Whole transactions after the valid log that recovery would drop:
    /// more than zero means the log is damaged.
    pub lost_transactions: usize,
    /// The frame (from 1) where the valid log ends, when transactions are
    /// lost after it.
    pub damaged_frame: Option<usize>,
    /// The log's header is damaged (recovery ignores the whole log).
    pub header_damaged: bool,
}

impl WalReport {
    /// True when recovery would drop transactions that were written whole.
    pub fn is_damaged(&self) -> bool {
        self.lost_transactions > 0
    }

    /// One sentence about the damage, for messages.
    pub fn describe(&self) -> String {
        if self.header_damaged {
            format!(
                "the log's header is damaged, so SQLite would ignore the whole log and the {} \
                 committed transaction(s) in it",
                self.lost_transactions
            )
        } else {
            format!(
                "frame {} of {} is damaged, so SQLite would replay the {} transaction(s) before it \
                 and silently drop the {} committed transaction(s) after it",
                self.damaged_frame.unwrap_or(0),
                self.frames,
                self.valid_transactions,
                self.lost_transactions
            )
        }
    }
}

fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// SQLite's log checksum over `data` (a multiple of 8 bytes), continuing
/// from `seed`; `big` says in which byte order words are read.
fn checksum(seed: (u32, u32), data: &[u8], big: bool) -> (u32, u32) {
    let (mut s0, mut s1) = seed;
    for pair in data.chunks_exact(8) {
        let word = |i: usize| {
            let w = [pair[i], pair[i + 1], pair[i + 2], pair[i + 3]];
            if big {
                u32::from_be_bytes(w)
            } else {
                u32::from_le_bytes(w)
            }
        };
        s0 = s0.wrapping_add(word(0)).wrapping_add(s1);
        s1 = s1.wrapping_add(word(4)).wrapping_add(s0);
    }
    (s0, s1)
}

/// One frame's header, as stored.
struct FrameHead<'a>(&'a [u8]);

impl FrameHead<'_> {
    fn salts(&self) -> (u32, u32) {
        (be32(self.0, 8), be32(self.0, 12))
    }
    fn stored_sum(&self) -> (u32, u32) {
        (be32(self.0, 16), be32(self.0, 20))
    }
    fn is_commit(&self) -> bool {
        be32(self.0, 4) != 0
    }
}

/// Reads the log at `path` (a missing file is an empty log), a frame at a
/// time. `page_size_hint` (the database's page size) is used when the
/// log's header is too damaged to say.
pub fn inspect(path: &Path, page_size_hint: Option<u32>) -> std::io::Result<WalReport> {
    match std::fs::File::open(path) {
        Ok(f) => inspect_reader(std::io::BufReader::new(f), page_size_hint),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(WalReport::default()),
        Err(e) => Err(e),
    }
}

/// [`inspect`] on the log's bytes.
pub fn inspect_bytes(bytes: &[u8], page_size_hint: Option<u32>) -> WalReport {
    inspect_reader(bytes, page_size_hint).expect("reading from memory cannot fail")
}

/// Reads into `buf` until it is full or the input ends; the bytes read.
fn fill(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// [`inspect`] over any reader, in one pass and one frame of memory.
pub fn inspect_reader(mut r: impl Read, page_size_hint: Option<u32>) -> std::io::Result<WalReport> {
    let mut report = WalReport::default();
    let mut head = [0u8; HEADER_BYTES];
    let n = fill(&mut r, &mut head)?;
    report.bytes = n as u64;
    if n < HEADER_BYTES {
        // Nothing was ever committed to a log without a whole header.
        return Ok(report);
    }
    let magic = be32(&head, 0);
    let big = magic & 1 == 1;
    let header_ok = (magic & !1) == 0x377f_0682
        && be32(&head, 4) == WAL_VERSION
        && checksum((0, 0), &head[..24], big) == (be32(&head, 24), be32(&head, 28));
    report.header_damaged = !header_ok;
    let page_size = if header_ok {
        be32(&head, 8)
    } else {
        page_size_hint.unwrap_or(4096)
    };
    let page_size = match page_size {
        // 65536 does not fit the database header's two bytes; 1 stands for it.
        1 => 65_536,
        p if p.is_power_of_two() && (512..=65_536).contains(&p) => p,
        _ => return Ok(report),
    } as usize;
    let header_sum = (be32(&head, 24), be32(&head, 28));
    let mut salts = (be32(&head, 16), be32(&head, 20));
    // The valid log: frames whose checksum chain from the header holds.
    let mut chain = header_ok.then_some(header_sum);
    // Whole transactions, each frame checked against its predecessor's
    // stored checksum (the first frame against the header's).
    let mut prev_sum = header_sum;
    let mut prev_commit = true;
    let mut open_txn = false;
    let mut buf = vec![0u8; FRAME_HEADER_BYTES + page_size];
    loop {
        let got = fill(&mut r, &mut buf)?;
        report.bytes += got as u64;
        if got < buf.len() {
            break;
        }
        let i = report.frames;
        report.frames += 1;
        let (fh, page) = buf.split_at(FRAME_HEADER_BYTES);
        let f = FrameHead(fh);
        if i == 0 && !header_ok {
            salts = f.salts();
        }
        let sum_from = |seed| checksum(checksum(seed, &fh[..8], big), page, big);
        let salted = f.salts() == salts;
        if let Some(seed) = chain {
            if salted && sum_from(seed) == f.stored_sum() {
                chain = Some(f.stored_sum());
                if f.is_commit() {
                    report.valid_frames = i + 1;
                    report.valid_transactions += 1;
                }
            } else {
                chain = None;
            }
        }
        let ok = salted && sum_from(prev_sum) == f.stored_sum();
        if !ok {
            open_txn = false;
        } else if prev_commit {
            open_txn = true;
        }
        if ok && open_txn && f.is_commit() {
            open_txn = false;
            // A whole transaction the chain did not reach.
            if i >= report.valid_frames {
                report.lost_transactions += 1;
                report.damaged_frame.get_or_insert(report.valid_frames + 1);
            }
        }
        prev_sum = f.stored_sum();
        prev_commit = f.is_commit();
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: usize = 512;

    /// A log of `commits` transactions of `per` frames each, written the
    /// way SQLite writes one (little-endian checksums).
    fn log(commits: usize, per: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut head = Vec::new();
        head.extend(0x377f_0682u32.to_be_bytes());
        head.extend(WAL_VERSION.to_be_bytes());
        head.extend((PAGE as u32).to_be_bytes());
        head.extend(0u32.to_be_bytes());
        head.extend(7u32.to_be_bytes());
        head.extend(99u32.to_be_bytes());
        let sum = checksum((0, 0), &head, false);
        head.extend(sum.0.to_be_bytes());
        head.extend(sum.1.to_be_bytes());
        out.extend(&head);
        let mut seed = sum;
        let mut page_no = 1u32;
        for _ in 0..commits {
            for k in 0..per {
                let mut fh = Vec::new();
                fh.extend(page_no.to_be_bytes());
                let commit = if k + 1 == per { page_no } else { 0 };
                fh.extend(commit.to_be_bytes());
                fh.extend(7u32.to_be_bytes());
                fh.extend(99u32.to_be_bytes());
                let page: Vec<u8> = (0..PAGE).map(|b| (b as u32 * page_no) as u8).collect();
                seed = checksum(checksum(seed, &fh[..8], false), &page, false);
                fh.extend(seed.0.to_be_bytes());
                fh.extend(seed.1.to_be_bytes());
                out.extend(fh);
                out.extend(page);
                page_no += 1;
            }
        }
        out
    }

    fn frame_at(i: usize) -> usize {
        HEADER_BYTES + i * (FRAME_HEADER_BYTES + PAGE)
    }

    #[test]
    fn a_whole_log_is_valid() {
        let r = inspect_bytes(&log(3, 2), None);
        assert_eq!((r.frames, r.valid_frames, r.valid_transactions), (6, 6, 3));
        assert!(!r.is_damaged(), "{r:?}");
    }

    #[test]
    fn a_torn_last_transaction_is_not_damage() {
        // A crash while the last transaction was written: one of its
        // frames is garbage, its commit frame made it.
        let mut b = log(3, 3);
        let at = frame_at(6) + FRAME_HEADER_BYTES + 10;
        b[at..at + 50].fill(0xAB);
        let r = inspect_bytes(&b, None);
        assert_eq!(r.valid_transactions, 2);
        assert!(!r.is_damaged(), "{r:?}");
        // Cut in the middle of a frame, or after a whole frame.
        let r = inspect_bytes(&log(3, 3)[..frame_at(8) + 100], None);
        assert!(!r.is_damaged(), "{r:?}");
        let r = inspect_bytes(&log(3, 3)[..frame_at(5)], None);
        assert_eq!(r.valid_transactions, 1);
        assert!(!r.is_damaged(), "{r:?}");
    }

    #[test]
    fn a_damaged_frame_before_committed_transactions_is_found() {
        let mut b = log(4, 2);
        // Frame 3 (the second transaction's first) is garbled.
        let at = frame_at(2) + FRAME_HEADER_BYTES + 100;
        b[at] ^= 0x01;
        let r = inspect_bytes(&b, None);
        assert_eq!(r.valid_transactions, 1);
        assert_eq!(r.lost_transactions, 2, "{r:?}");
        assert_eq!(r.damaged_frame, Some(3));
        assert!(r.describe().contains("frame 3 of 8"), "{}", r.describe());
        // Zeros over a whole frame (the first transaction's commit frame):
        // the transaction after it lost the checksum that seeds it, the
        // two after that are found.
        let mut b = log(4, 2);
        b[frame_at(1)..frame_at(2)].fill(0);
        let r = inspect_bytes(&b, None);
        assert_eq!((r.valid_transactions, r.lost_transactions), (0, 2), "{r:?}");
    }

    #[test]
    fn a_damaged_header_hides_the_whole_log() {
        let mut b = log(3, 1);
        b[20] ^= 0x40;
        let r = inspect_bytes(&b, Some(PAGE as u32));
        assert!(r.header_damaged);
        assert_eq!(r.lost_transactions, 3, "{r:?}");
        assert!(r.describe().contains("header"), "{}", r.describe());
    }

    #[test]
    fn stale_frames_of_an_earlier_log_are_not_damage() {
        // A log restarted after a checkpoint: new salts over old frames.
        let old = log(4, 1);
        let mut b = old.clone();
        let new = {
            let mut n = log(1, 1);
            n[16..20].copy_from_slice(&8u32.to_be_bytes());
            // Salts in the header and its frame, and checksums again.
            let sum = checksum((0, 0), &n[..24], false);
            n[24..28].copy_from_slice(&sum.0.to_be_bytes());
            n[28..32].copy_from_slice(&sum.1.to_be_bytes());
            let f = HEADER_BYTES;
            n[f + 8..f + 12].copy_from_slice(&8u32.to_be_bytes());
            let s = checksum(checksum(sum, &n[f..f + 8], false), &n[f + 24..], false);
            n[f + 16..f + 20].copy_from_slice(&s.0.to_be_bytes());
            n[f + 20..f + 24].copy_from_slice(&s.1.to_be_bytes());
            n
        };
        b[..new.len()].copy_from_slice(&new);
        let r = inspect_bytes(&b, None);
        assert_eq!((r.valid_transactions, r.lost_transactions), (1, 0), "{r:?}");
    }

    #[test]
    fn short_or_odd_files_are_not_damage() {
        assert_eq!(inspect_bytes(&[], None), WalReport::default());
        assert!(!inspect_bytes(&[1, 2, 3], None).is_damaged());
        assert!(!inspect_bytes(&log(2, 1)[..40], None).is_damaged());
        assert!(!inspect_bytes(&vec![0u8; 10_000], None).is_damaged());
    }
}

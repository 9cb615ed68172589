//! Content-defined cut points (FastCDC's gear hash with normalized chunking): a cut depends only
//! on the bytes just before it, so bytes inserted or removed move no cut beyond the next one,
//! and two versions of a file share every chunk outside the regions that changed.
//!
//! The sizes were chosen on WIM images serviced the way servicing changes them (`./build.sh
//! bench`, BENCHMARKS.md): smaller chunks find a change more closely but cost a library file and
//! an index entry each, and on HTTP a request each.

/// No cut comes sooner than this after the last: the bytes before it are not even hashed.
pub(crate) const MIN_CHUNK: usize = 16 << 10;
/// The size chunks have on average: past it, a cut gets likelier.
pub(crate) const AVERAGE_CHUNK: usize = 64 << 10;
/// A chunk ends here whatever its bytes (long runs of zeros would otherwise make one chunk).
pub(crate) const MAX_CHUNK: usize = 256 << 10;

/// Before the average size a cut needs two more zero bits than the average asks, after it
/// two fewer: the sizes gather around the average (FastCDC's normalization, level 2).
const HARDER: u64 = top_bits(AVERAGE_CHUNK.trailing_zeros() + 2);
const EASIER: u64 = top_bits(AVERAGE_CHUNK.trailing_zeros() - 2);

const fn top_bits(count: u32) -> u64 {
    !0u64 << (64 - count)
}

/// A random 64-bit value per byte value, the same in every build: it decides every cut point,
/// so changing it would make every stored chunk foreign to new versions.
static GEAR: [u64; 256] = gear_table();

const fn gear_table() -> [u64; 256] {
    // splitmix64, seeded with a constant.
    let mut table = [0u64; 256];
    let mut state: u64 = 0x4f53_5570_6772_6164; // "OSUpgrad"
    let mut i = 0;
    while i < 256 {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        table[i] = z ^ (z >> 31);
        i += 1;
    }
    table
}

/// Finds cut points in a stream given in pieces of any size: the cuts do not depend on where
/// the pieces end.
#[derive(Default)]
pub(crate) struct Chunker {
    hash: u64,
    /// Bytes of the current chunk seen so far.
    length: usize,
}

impl Chunker {
    /// Where in `data` the current chunk ends (the length of its last part), if it ends there.
    /// The caller gives the rest of `data` again after a cut.
    pub(crate) fn find_cut(&mut self, data: &[u8]) -> Option<usize> {
        let mut position = 0;
        if self.length < MIN_CHUNK {
            position = (MIN_CHUNK - self.length).min(data.len());
            self.length += position;
        }
        let mut hash = self.hash;
        // One loop per mask: a test of the length for every byte would cost as much as the hash.
        for (limit, mask) in [(AVERAGE_CHUNK, HARDER), (MAX_CHUNK, EASIER)] {
            if self.length >= limit {
                continue;
            }
            let end = (position + (limit - self.length)).min(data.len());
            for (i, &byte) in data[position..end].iter().enumerate() {
                hash = (hash << 1).wrapping_add(GEAR[byte as usize]);
                if hash & mask == 0 {
                    *self = Chunker::default();
                    return Some(position + i + 1);
                }
            }
            self.length += end - position;
            position = end;
        }
        if self.length >= MAX_CHUNK {
            *self = Chunker::default();
            return Some(position);
        }
        self.hash = hash;
        None
    }
}

/// The lengths of the chunks `data` cuts into, in order.
#[cfg(test)]
pub(crate) fn chunk_lengths(data: &[u8]) -> Vec<usize> {
    let mut chunker = Chunker::default();
    let mut lengths = Vec::new();
    let mut rest = data;
    while let Some(cut) = chunker.find_cut(rest) {
        lengths.push(cut);
        rest = &rest[cut..];
    }
    if !rest.is_empty() {
        lengths.push(rest.len());
    }
    lengths
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that look random and are the same in every run.
    fn noise(length: usize, seed: u64) -> Vec<u8> {
        let mut state = seed;
        (0..length)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect()
    }

    #[test]
    fn chunks_keep_within_their_bounds_and_gather_around_the_average() {
        let data = noise(32 << 20, 7);
        let lengths = chunk_lengths(&data);
        assert_eq!(lengths.iter().sum::<usize>(), data.len());
        let (last, rest) = lengths.split_last().unwrap();
        assert!(*last <= MAX_CHUNK);
        assert!(rest.iter().all(|&l| (MIN_CHUNK..=MAX_CHUNK).contains(&l)));
        let average = data.len() / lengths.len();
        assert!(
            (AVERAGE_CHUNK / 2..AVERAGE_CHUNK * 2).contains(&average),
            "{average}"
        );
    }

    #[test]
    fn cuts_do_not_depend_on_how_the_stream_is_split() {
        let data = noise(4 << 20, 11);
        let whole = chunk_lengths(&data);
        for piece in [1, 4095, 65536, 1 << 20] {
            let mut chunker = Chunker::default();
            let (mut lengths, mut current) = (Vec::new(), 0);
            for mut part in data.chunks(piece) {
                while let Some(cut) = chunker.find_cut(part) {
                    lengths.push(current + cut);
                    current = 0;
                    part = &part[cut..];
                }
                current += part.len();
            }
            if current > 0 {
                lengths.push(current);
            }
            assert_eq!(lengths, whole, "pieces of {piece}");
        }
    }

    #[test]
    fn an_insertion_changes_only_the_chunks_around_it() {
        let data = noise(8 << 20, 13);
        let mut changed = data.clone();
        changed.splice(3 << 20..3 << 20, noise(1000, 17));
        let chunks = |bytes: &[u8]| {
            let mut offset = 0;
            chunk_lengths(bytes)
                .into_iter()
                .map(|length| {
                    offset += length;
                    bytes[offset - length..offset].to_vec()
                })
                .collect::<std::collections::HashSet<_>>()
        };
        let (before, after) = (chunks(&data), chunks(&changed));
        let new: usize = after.difference(&before).map(Vec::len).sum();
        assert!(new <= 2 * MAX_CHUNK + 1000, "{new} bytes in new chunks");
    }

    #[test]
    fn a_run_of_zeros_is_cut_at_the_largest_size() {
        let lengths = chunk_lengths(&vec![0u8; 3 * MAX_CHUNK + 5]);
        assert_eq!(lengths, [MAX_CHUNK, MAX_CHUNK, MAX_CHUNK, 5]);
    }
}

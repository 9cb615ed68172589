//! Content-defined cut points (FastCDC's gear hash with normalized chunking): a cut depends only
//! on the bytes just before it, so bytes inserted or removed move no cut beyond the next one,
//! and two versions of a file share every chunk outside the regions that changed.
//!
//! The sizes were chosen on an 800 MiB install.wim serviced the way servicing changes one
//! (`scripts/chunk-sizes.sh`, BENCHMARKS.md): rsync found 0.28 MiB of literal data; chunks of
//! 16, 32, 64, 128 and 256 KiB on average found 0.25, 0.25, 0.29, 0.31 and 0.44 MiB new. Each
//! chunk costs a library file, an index row and, for a pull point, a request: 128 KiB keeps the
//! new bytes within 1.1 times rsync's with 5,600 chunks where 64 KiB needs 11,200, and a
//! distribution from them is as fast as from whole files (64 KiB was 10 % slower).

/// The bounds of chunk sizes; a cut comes no sooner than `min` after the last (the bytes
/// before it are not even hashed), gets likelier past `average`, and comes at `max` whatever
/// the bytes (long runs of zeros would otherwise make one chunk).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ChunkSizes {
    pub min: usize,
    pub average: usize,
    pub max: usize,
}

impl ChunkSizes {
    /// Sizes around `average` (a power of two) in the proportions the library uses.
    pub(crate) const fn around(average: usize) -> ChunkSizes {
        ChunkSizes {
            min: average / 4,
            average,
            max: average * 4,
        }
    }

    /// Before the average size a cut needs two more zero bits than the average asks, after it
    /// two fewer: the sizes gather around the average (FastCDC's normalization, level 2).
    fn masks(&self) -> (u64, u64) {
        let bits = self.average.trailing_zeros();
        (top_bits(bits + 2), top_bits(bits - 2))
    }
}

/// The sizes of the library's chunks. Changing them would make every stored chunk foreign to
/// new versions.
pub(crate) const LIBRARY_CHUNKS: ChunkSizes = ChunkSizes::around(128 << 10);
pub(crate) const MAX_CHUNK: usize = LIBRARY_CHUNKS.max;

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
pub(crate) struct Chunker {
    sizes: ChunkSizes,
    hash: u64,
    /// Bytes of the current chunk seen so far.
    length: usize,
}

impl Default for Chunker {
    fn default() -> Self {
        Chunker::new(LIBRARY_CHUNKS)
    }
}

impl Chunker {
    pub(crate) fn new(sizes: ChunkSizes) -> Self {
        Chunker {
            sizes,
            hash: 0,
            length: 0,
        }
    }

    /// Where in `data` the current chunk ends (the length of its last part), if it ends there.
    /// The caller gives the rest of `data` again after a cut.
    pub(crate) fn find_cut(&mut self, data: &[u8]) -> Option<usize> {
        let ChunkSizes { min, average, max } = self.sizes;
        let (harder, easier) = self.sizes.masks();
        let mut position = 0;
        if self.length < min {
            position = (min - self.length).min(data.len());
            self.length += position;
        }
        let mut hash = self.hash;
        // One loop per mask: a test of the length for every byte would cost as much as the hash.
        for (limit, mask) in [(average, harder), (max, easier)] {
            if self.length >= limit {
                continue;
            }
            let end = (position + (limit - self.length)).min(data.len());
            for (i, &byte) in data[position..end].iter().enumerate() {
                hash = (hash << 1).wrapping_add(GEAR[byte as usize]);
                if hash & mask == 0 {
                    *self = Chunker::new(self.sizes);
                    return Some(position + i + 1);
                }
            }
            self.length += end - position;
            position = end;
        }
        if self.length >= max {
            *self = Chunker::new(self.sizes);
            return Some(position);
        }
        self.hash = hash;
        None
    }
}

/// The lengths of the chunks `data` cuts into, in order.
#[cfg(test)]
pub(crate) fn chunk_lengths(data: &[u8]) -> Vec<usize> {
    chunk_lengths_of(data, LIBRARY_CHUNKS)
}

#[cfg(test)]
fn chunk_lengths_of(data: &[u8], sizes: ChunkSizes) -> Vec<usize> {
    let mut chunker = Chunker::new(sizes);
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
        assert!(rest
            .iter()
            .all(|&l| (LIBRARY_CHUNKS.min..=MAX_CHUNK).contains(&l)));
        let average = data.len() / lengths.len();
        assert!(
            (LIBRARY_CHUNKS.average / 2..LIBRARY_CHUNKS.average * 2).contains(&average),
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

    /// What a serviced image shares with the one before it, chunked at several sizes: the
    /// measurement the library's sizes were chosen on (`scripts/chunk-sizes.sh` makes the
    /// images and runs it; BENCHMARKS.md has the figures).
    #[test]
    #[ignore]
    fn chunk_sizes_on_a_serviced_image() {
        use sha2::{Digest, Sha256};
        let read = |name| {
            std::env::var(name)
                .ok()
                .and_then(|path| std::fs::read(path).ok())
        };
        let (Some(before), Some(after)) = (read("OSU_CHUNK_BEFORE"), read("OSU_CHUNK_AFTER"))
        else {
            eprintln!("OSU_CHUNK_BEFORE and OSU_CHUNK_AFTER name the images");
            return;
        };
        let chunks = |bytes: &[u8], sizes| {
            let mut offset = 0;
            chunk_lengths_of(bytes, sizes)
                .into_iter()
                .map(|length| {
                    offset += length;
                    (Sha256::digest(&bytes[offset - length..offset]), length)
                })
                .collect::<Vec<_>>()
        };
        println!("average   chunks   new chunks   new bytes");
        for average in [16 << 10, 32 << 10, 64 << 10, 128 << 10, 256 << 10] {
            let sizes = ChunkSizes::around(average);
            let known: std::collections::HashSet<_> = chunks(&before, sizes)
                .into_iter()
                .map(|(hash, _)| hash)
                .collect();
            let now = chunks(&after, sizes);
            let new: Vec<usize> = now
                .iter()
                .filter(|(hash, _)| !known.contains(hash))
                .map(|&(_, length)| length)
                .collect();
            println!(
                "{:>4} KiB {:>8} {:>12} {:>9.2} MiB",
                average >> 10,
                now.len(),
                new.len(),
                new.iter().sum::<usize>() as f64 / (1 << 20) as f64
            );
        }
    }
}

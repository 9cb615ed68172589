//! Canonical decomposition (Unicode's NFD): two names are canonically equivalent, one name to
//! a reader and to file servers that normalise, exactly when their decompositions are equal.

#[path = "unicode_tables.rs"]
mod tables;

use tables::{COMBINING_CLASSES, DECOMPOSITIONS};

/// What a name is to a Windows point and to the people who read it: NTFS and SMB match names
/// without regard to case, and a name in another Unicode form (a precomposed letter, or the
/// letter and its combining mark) looks the same and is merged by file servers that normalise.
pub(crate) fn windows_identity(name: &str) -> String {
    let upper: String = decomposed(name).chars().map(upcase).collect();
    decomposed(&upper)
}

/// A character in upper case where that is one character, as NTFS's upcase table maps them
/// (so `ß` stays `ß`: `Straße` and `STRASSE` are two names there).
fn upcase(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(one), None) => one,
        _ => c,
    }
}

/// The text in Normalization Form D.
pub(crate) fn decomposed(text: &str) -> String {
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars() {
        decompose_into(c, &mut chars);
    }
    // Canonical ordering: within each run of combining marks, by combining class, stably.
    let mut start = 0;
    while start < chars.len() {
        let run = chars[start..]
            .iter()
            .take_while(|&&c| combining_class(c) != 0)
            .count();
        chars[start..start + run].sort_by_key(|&c| combining_class(c));
        start += run.max(1);
    }
    chars.into_iter().collect()
}

fn decompose_into(c: char, out: &mut Vec<char>) {
    // Hangul syllables decompose by arithmetic (The Unicode Standard, 3.12).
    const S_BASE: u32 = 0xAC00;
    const L_BASE: u32 = 0x1100;
    const V_BASE: u32 = 0x1161;
    const T_BASE: u32 = 0x11A7;
    const V_COUNT: u32 = 21;
    const T_COUNT: u32 = 28;
    const S_COUNT: u32 = 11172;
    let code = u32::from(c);
    if (S_BASE..S_BASE + S_COUNT).contains(&code) {
        let index = code - S_BASE;
        let jamo = [
            L_BASE + index / (V_COUNT * T_COUNT),
            V_BASE + index % (V_COUNT * T_COUNT) / T_COUNT,
            T_BASE + index % T_COUNT,
        ];
        let parts = if jamo[2] == T_BASE {
            &jamo[..2]
        } else {
            &jamo[..]
        };
        out.extend(parts.iter().filter_map(|&j| char::from_u32(j)));
        return;
    }
    match DECOMPOSITIONS.binary_search_by_key(&c, |&(from, _)| from) {
        Ok(found) => out.extend(DECOMPOSITIONS[found].1.chars()),
        Err(_) => out.push(c),
    }
}

fn combining_class(c: char) -> u8 {
    match COMBINING_CLASSES.binary_search_by(|&(first, last, _)| {
        if last < c {
            std::cmp::Ordering::Less
        } else if first > c {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    }) {
        Ok(found) => COMBINING_CLASSES[found].2,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::decomposed;

    #[test]
    fn canonically_equivalent_texts_decompose_alike() {
        // A precomposed letter and the letter with its combining mark.
        assert_eq!(decomposed("Caf\u{E9}"), decomposed("Cafe\u{301}"));
        // Marks of different classes in either order; a mark that decomposes itself.
        assert_eq!(decomposed("q\u{307}\u{323}"), decomposed("q\u{323}\u{307}"));
        assert_eq!(decomposed("\u{1E0B}\u{323}"), decomposed("\u{1E0D}\u{307}"));
        assert_eq!(decomposed("\u{212B}"), decomposed("\u{C5}"));
        // Hangul syllables and their jamo.
        assert_eq!(decomposed("\u{D55C}"), "\u{1112}\u{1161}\u{11AB}");
        assert_eq!(decomposed("\u{AC00}"), "\u{1100}\u{1161}");
        assert_ne!(decomposed("Cafe"), decomposed("Caf\u{E9}"));
        assert_eq!(decomposed("sources/install.wim"), "sources/install.wim");
    }

    #[test]
    fn names_are_one_name_to_windows_in_any_case_and_form_but_not_by_full_case_mapping() {
        use super::windows_identity;
        assert_eq!(
            windows_identity("Readme.txt"),
            windows_identity("README.TXT")
        );
        assert_eq!(
            windows_identity("Caf\u{E9}"),
            windows_identity("CAFE\u{301}")
        );
        assert_ne!(windows_identity("Stra\u{DF}e"), windows_identity("STRASSE"));
    }
}

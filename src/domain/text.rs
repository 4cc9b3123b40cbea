//! Text as it enters the system: NFC, trimmed, single-spaced; e-mail
//! addresses and Vietnamese full names as checked types.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// Characters that spreadsheets and phones leave around text but that
/// `str::trim` keeps: no-break space, zero-width space and joiners, BOM.
fn is_invisible_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// Control characters and bidirectional overrides, which can hide or
/// reorder what a reader sees; line breaks and tabs are kept.
fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Normalizes free text to NFC and trims invisible spaces at both ends,
/// keeping line breaks inside (a summary has paragraphs).
pub fn clean_text(raw: &str) -> String {
    let nfc: String = raw
        .replace("\r\n", "\n")
        .nfc()
        .filter(|c| !is_hidden_control(*c))
        .collect();
    nfc.trim_matches(is_invisible_space).to_string()
}

/// Normalizes a one-line value (a name, a title, a unit) to NFC with runs
/// of spaces collapsed to one.
pub fn clean_line(raw: &str) -> String {
    let nfc: String = raw
        .nfc()
        .filter(|c| !is_hidden_control(*c) || *c == '\n' || *c == '\t')
        .collect();
    nfc.split(is_invisible_space)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Folds text for searching and duplicate checks: NFC, lowercase, single
/// spaces. Keeps diacritics: "Hà" and "Hạ" are different names.
pub fn fold_case(raw: &str) -> String {
    clean_line(raw).to_lowercase()
}

/// Folds text for accent-insensitive search: lowercase, no diacritics,
/// "đ" as "d", single spaces. "nguyen van a" then finds "Nguyễn Văn A".
/// Only for finding things; names are compared with `fold_case`.
pub fn fold_accents(raw: &str) -> String {
    let lower = clean_line(raw).to_lowercase();
    lower
        .nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Why an e-mail address was refused, in words for the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("chưa nhập địa chỉ email")]
    Empty,
    #[error("có nhiều hơn một địa chỉ email trong một ô")]
    Several,
    #[error("địa chỉ email có khoảng trắng ở giữa")]
    InnerSpace,
    #[error("địa chỉ email không hợp lệ")]
    Malformed,
}

/// An e-mail address, trimmed of invisible spaces and lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let value = clean_text(raw).to_lowercase();
        if value.is_empty() {
            return Err(EmailError::Empty);
        }
        let addresses = value.split_whitespace().filter(|w| w.contains('@')).count();
        if value.contains([';', ',']) || addresses > 1 {
            return Err(EmailError::Several);
        }
        if value.matches('@').count() > 1 {
            return Err(EmailError::Malformed);
        }
        if value.chars().any(is_invisible_space) {
            return Err(EmailError::InnerSpace);
        }
        let Some((local, domain)) = value.split_once('@') else {
            return Err(EmailError::Malformed);
        };
        // What mail servers deliver without extensions: the usual ASCII
        // local part (no quotes, brackets or parentheses), and a host name
        // of letters, digits and hyphens.
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok || value.len() > 254 {
            return Err(EmailError::Malformed);
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a full name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("chưa nhập họ và tên")]
    Empty,
    #[error("họ và tên dài quá 100 ký tự")]
    TooLong,
    #[error("họ và tên chứa ký tự không phải chữ")]
    BadCharacter,
}

/// A person's full name as Vietnamese writes it: family name first, given
/// name last. Stored NFC and single-spaced.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FullName(String);

impl FullName {
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let value = clean_line(raw);
        if value.is_empty() {
            return Err(NameError::Empty);
        }
        if value.chars().count() > 100 {
            return Err(NameError::TooLong);
        }
        let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '.' | '-' | '\'');
        let letters = value.chars().filter(|c| c.is_alphabetic()).count();
        if !value.chars().all(allowed) || letters < 2 {
            return Err(NameError::BadCharacter);
        }
        Ok(Self(value))
    }

    /// The given name (tên), by which Vietnamese lists are ordered.
    pub fn given_name(&self) -> &str {
        self.0.rsplit(' ').next().unwrap_or(&self.0)
    }

    /// The key a list of people is sorted by: given name, then the rest
    /// of the name from the family name on.
    pub fn sort_parts(&self) -> (String, String) {
        match self.0.rsplit_once(' ') {
            Some((rest, given)) => (given.to_string(), rest.to_string()),
            None => (self.0.clone(), String::new()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FullName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Vietnamese phone number as its digits with the leading 0: a mobile
/// (10 digits, 03x 05x 07x 08x 09x) or a landline (11 digits, area codes
/// 02x). Accepts the ways people and spreadsheets write one: spaces, dots,
/// dashes, `+84`, `+84 (0)`, and a number whose leading zero a
/// spreadsheet dropped.
pub fn parse_phone(raw: &str) -> Option<String> {
    let compact: String = clean_line(raw)
        .replace("(0)", "")
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    if !compact
        .trim_start_matches('+')
        .bytes()
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let national = if let Some(rest) = compact.strip_prefix("+84") {
        rest.strip_prefix('0').unwrap_or(rest).to_string()
    } else if compact.starts_with("84") && (compact.len() == 11 || compact.len() == 12) {
        compact[2..].to_string()
    } else if let Some(rest) = compact
        .strip_prefix('0')
        .filter(|rest| !rest.starts_with('0'))
    {
        rest.to_string()
    } else {
        compact
    };
    let mobile =
        national.len() == 9 && matches!(national.as_bytes()[0], b'3' | b'5' | b'7' | b'8' | b'9');
    let landline = national.len() == 10 && national.starts_with('2');
    (mobile || landline).then(|| format!("0{national}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_and_mixed_names_become_nfc() {
        let nfd: String = "Trần Thị Ánh".nfd().collect();
        assert_ne!(nfd, "Trần Thị Ánh");
        assert_eq!(clean_line(&nfd), "Trần Thị Ánh");
        assert_eq!(clean_line("  Bùi   Thị   Lan  "), "Bùi Thị Lan");
        assert_eq!(clean_line("Máy\u{202E}gnaid\u{0}"), "Máygnaid");
    }

    #[test]
    fn email_is_trimmed_of_invisible_spaces_and_lowercased() {
        assert_eq!(
            Email::parse(" Khoa.Nguyen@Example.com\u{00A0}")
                .unwrap()
                .as_str(),
            "khoa.nguyen@example.com"
        );
        assert_eq!(
            Email::parse("sang.ly@example.com\u{200B}")
                .unwrap()
                .as_str(),
            "sang.ly@example.com"
        );
    }

    #[test]
    fn email_with_two_addresses_or_inner_space_is_refused() {
        assert_eq!(
            Email::parse("a@example.com; b@example.org"),
            Err(EmailError::Several)
        );
        assert_eq!(
            Email::parse("son.dinh @example.com"),
            Err(EmailError::InnerSpace)
        );
        assert_eq!(Email::parse("no-at-sign"), Err(EmailError::Malformed));
        assert_eq!(Email::parse("   "), Err(EmailError::Empty));
    }

    #[test]
    fn emails_no_mail_server_would_take_are_refused() {
        for bad in [
            "z@example.com>",
            "x\"y@example.com",
            "q(c)@example.com",
            "e@[127.0.0.1].com",
            "ünï@exämple.com",
            "a..b@example.com",
            "a@-example.com",
        ] {
            assert_eq!(Email::parse(bad), Err(EmailError::Malformed), "{bad}");
        }
        assert!(Email::parse("le.van_an+hoithi@so-khcn.dongthap.gov.vn").is_ok());
    }

    #[test]
    fn given_name_is_the_last_word() {
        let name = FullName::parse("Đỗ Thị Hồng Nhung").unwrap();
        assert_eq!(name.given_name(), "Nhung");
        assert_eq!(
            name.sort_parts(),
            ("Nhung".to_string(), "Đỗ Thị Hồng".to_string())
        );
    }

    #[test]
    fn names_with_digits_are_refused() {
        assert_eq!(
            FullName::parse("Nguyễn Văn 3"),
            Err(NameError::BadCharacter)
        );
        assert_eq!(FullName::parse(""), Err(NameError::Empty));
        assert_eq!(FullName::parse("..."), Err(NameError::BadCharacter));
    }

    #[test]
    fn phones_are_read_the_ways_people_write_them() {
        assert_eq!(parse_phone("912000101").as_deref(), Some("0912000101"));
        assert_eq!(parse_phone("0912 000 102").as_deref(), Some("0912000102"));
        assert_eq!(
            parse_phone("+84 912 000 103").as_deref(),
            Some("0912000103")
        );
        assert_eq!(parse_phone("098.700.0107").as_deref(), Some("0987000107"));
        assert_eq!(parse_phone("12345"), None);
        assert_eq!(
            parse_phone("+84 (0) 912 345 678").as_deref(),
            Some("0912345678")
        );
    }

    #[test]
    fn landlines_with_their_area_code_are_phones_too() {
        assert_eq!(parse_phone("0277 3851 234").as_deref(), Some("02773851234"));
        assert_eq!(parse_phone("024 3825 1234").as_deref(), Some("02438251234"));
        assert_eq!(parse_phone("2773851234").as_deref(), Some("02773851234"));
        assert_eq!(parse_phone("0123456789"), None);
        assert_eq!(parse_phone("09123456789"), None);
        assert_eq!(parse_phone("00912345678"), None);
    }
}

/// Academic titles and degrees that lists often write before a name
/// ("PGS.TS. Nguyễn Thị Thu Hà").
const TITLES: [&str; 9] = [
    "GS.", "PGS.", "TS.", "ThS.", "KS.", "BS.", "CN.", "TSKH.", "NGƯT.",
];

/// Splits leading titles off a name: ("PGS.TS.", "Nguyễn Thị Thu Hà").
pub fn split_title(raw: &str) -> (String, String) {
    let mut rest = clean_line(raw);
    let mut title = String::new();
    'outer: loop {
        for t in TITLES {
            if rest
                .get(..t.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(t))
            {
                title.push_str(&rest[..t.len()]);
                rest = rest[t.len()..].trim_start().to_string();
                continue 'outer;
            }
            // The same title written without its dot ("ThS Trần Văn A").
            let bare = &t[..t.len() - 1];
            if rest
                .get(..bare.len() + 1)
                .is_some_and(|head| head.eq_ignore_ascii_case(&format!("{bare} ")))
            {
                title.push_str(t);
                rest = rest[bare.len() + 1..].trim_start().to_string();
                continue 'outer;
            }
        }
        break;
    }
    (title, rest)
}

#[cfg(test)]
mod title_tests {
    use super::{fold_accents, split_title};

    #[test]
    fn titles_before_a_name_are_split_off() {
        assert_eq!(
            split_title("PGS.TS. Nguyễn Thị Thu Hà"),
            ("PGS.TS.".into(), "Nguyễn Thị Thu Hà".into())
        );
        assert_eq!(
            split_title("ThS Trần Văn Phúc"),
            ("ThS.".into(), "Trần Văn Phúc".into())
        );
        assert_eq!(
            split_title("Trần Văn Phúc"),
            (String::new(), "Trần Văn Phúc".into())
        );
    }

    #[test]
    fn accents_and_case_fold_away_for_search() {
        assert_eq!(fold_accents("Nguyễn Văn  A"), "nguyen van a");
        assert_eq!(fold_accents("ĐÀM THỊ THẢO"), "dam thi thao");
        assert_eq!(fold_accents("Đàm Thị Thảo"), fold_accents("Dam thi thao"));
    }
}

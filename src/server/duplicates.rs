//! Possible duplicates among an edition's entries, for the organizer to
//! look at. Nothing is ever merged here: two pupils can share a name, and
//! only a person can tell.

use std::collections::BTreeMap;

use sqlx::SqlitePool;

use crate::app::entries::DuplicateFlag;
use crate::app::error::AppError;
use crate::domain::text::{fold_accents, fold_case};

/// An entry's id and code, and a person's name, birth date, email, phone.
type Person = (i64, String, String, String, String, String);

/// Titles at least this similar (0..1, by edit distance over the folded
/// text) are flagged as near-identical.
pub const TITLE_SIMILARITY: f64 = 0.9;

/// Groups people by a key and keeps the keys found in more than one
/// entry; the reason is written from the first person of each group, as
/// typed.
fn shared(
    people: &[Person],
    key: impl Fn(&Person) -> String,
    reason: impl Fn(&Person) -> String,
) -> Vec<DuplicateFlag> {
    // Per key: the first person seen, and the (id, code) of each entry.
    type Group<'a> = (&'a Person, Vec<(i64, String)>);
    let mut by_key: BTreeMap<String, Group> = BTreeMap::new();
    for person in people {
        let key = key(person);
        if key.trim().is_empty() {
            continue;
        }
        let (_, list) = by_key.entry(key).or_insert((person, Vec::new()));
        if !list.iter().any(|(id, _)| *id == person.0) {
            list.push((person.0, person.1.clone()));
        }
    }
    by_key
        .into_values()
        .filter(|(_, entries)| entries.len() > 1)
        .map(|(first, entries)| DuplicateFlag {
            reason: reason(first),
            entries,
        })
        .collect()
}

/// Every possible duplicate of an edition: the same person in two entries
/// where the rules allow one (a pupil in two youth groups, a candidate
/// nominated twice), and near-identical titles in any program.
pub async fn find(pool: &SqlitePool, edition: i64) -> Result<Vec<DuplicateFlag>, AppError> {
    let mut flags = Vec::new();
    let people: Vec<Person> = sqlx::query_as(
        "SELECT e.id, e.code, p.full_name, p.birth_date, p.email, p.phone FROM entries e
           JOIN (SELECT entry_id, full_name, birth_date, '' AS email, '' AS phone FROM members
                 UNION ALL
                 SELECT entry_id, full_name, birth_date, email, phone FROM candidates) p
             ON p.entry_id = e.id
          WHERE e.edition_id = ? AND e.state <> 'rejected'",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    flags.extend(shared(
        &people,
        |p| format!("{}|{}", fold_case(&p.2), p.3),
        |p| {
            format!(
                "cùng người: {}, sinh ngày {}",
                p.2,
                crate::domain::dates::format_iso_date(&p.3)
            )
        },
    ));
    flags.extend(shared(
        &people,
        |p| p.4.clone(),
        |p| format!("cùng email: {}", p.4),
    ));
    flags.extend(shared(
        &people,
        |p| p.5.clone(),
        |p| format!("cùng số điện thoại: {}", p.5),
    ));

    let titles: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, code, title FROM entries
          WHERE edition_id = ? AND state <> 'rejected' ORDER BY code",
    )
    .bind(edition)
    .fetch_all(pool)
    .await?;
    let folded: Vec<String> = titles
        .iter()
        .map(|(_, _, t)| {
            fold_accents(t)
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ')
                .collect()
        })
        .collect();
    for i in 0..titles.len() {
        for j in i + 1..titles.len() {
            let (a, b) = (&folded[i], &folded[j]);
            // Titles far apart in length cannot be this similar; skip the
            // edit distance for them.
            let (la, lb) = (a.chars().count() as f64, b.chars().count() as f64);
            if la.min(lb) < la.max(lb) * TITLE_SIMILARITY {
                continue;
            }
            if strsim::normalized_levenshtein(a, b) >= TITLE_SIMILARITY {
                flags.push(DuplicateFlag {
                    reason: format!(
                        "tên gần giống nhau: \"{}\" và \"{}\"",
                        titles[i].2, titles[j].2
                    ),
                    entries: vec![
                        (titles[i].0, titles[i].1.clone()),
                        (titles[j].0, titles[j].1.clone()),
                    ],
                });
            }
        }
    }
    Ok(flags)
}

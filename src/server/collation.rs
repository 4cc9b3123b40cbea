//! Vietnamese ordering of people: by given name, then the rest of the
//! name, with Vietnamese letter order (a ă â b c d đ e ê …) and tones.

use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

use crate::domain::text::FullName;

pub struct VietnameseOrder {
    collator: CollatorBorrowed<'static>,
}

impl VietnameseOrder {
    pub fn new() -> Self {
        let collator = Collator::try_new(locale!("vi").into(), CollatorOptions::default())
            .expect("the Vietnamese collation is compiled in");
        Self { collator }
    }

    pub fn compare_names(&self, a: &str, b: &str) -> Ordering {
        let key = |name: &str| match FullName::parse(name) {
            Ok(name) => name.sort_parts(),
            Err(_) => (name.to_string(), String::new()),
        };
        let (a_given, a_rest) = key(a);
        let (b_given, b_rest) = key(b);
        self.collator
            .compare(&a_given, &b_given)
            .then_with(|| self.collator.compare(&a_rest, &b_rest))
    }
}

impl Default for VietnameseOrder {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_sorted_by_given_name_in_vietnamese_letter_order() {
        let mut names = vec![
            "Nguyễn Văn Hùng",
            "Vũ Quốc Đạt",
            "Phạm Minh Ân",
            "Trần Thị Ánh",
            "Lê Đức Anh",
            "Mai Văn An",
            "Hoàng Văn Dũng",
            "Bùi Thị Lan",
            "Ngô Thị Oanh",
            "Đỗ Thị Hồng Nhung",
        ];
        let order = VietnameseOrder::new();
        names.sort_by(|a, b| order.compare_names(a, b));
        assert_eq!(
            names,
            vec![
                "Mai Văn An",
                "Lê Đức Anh",
                "Trần Thị Ánh",
                "Phạm Minh Ân",
                "Hoàng Văn Dũng",
                "Vũ Quốc Đạt",
                "Nguyễn Văn Hùng",
                "Bùi Thị Lan",
                "Đỗ Thị Hồng Nhung",
                "Ngô Thị Oanh",
            ]
        );
    }
}

//! The results workbook, laid out like the union's own documents: the
//! issuing body and the national motto on top, a title, one sheet per
//! field, Times New Roman, a frozen and filterable header row, widths that
//! fit Vietnamese text, and A4 landscape printing. A last sheet sets the
//! four ways of aggregating side by side for the council's review.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::app::judging::BallotMinutes;
use crate::app::results::{EditionResults, FieldResults, ResultRow};
use crate::domain::aggregate::Method;

const FONT: &str = "Times New Roman";
/// The row (0-based) that holds the column headings.
pub const HEADER_ROW: u32 = 5;
/// The last sheet's name; field sheets start with a number, so it cannot
/// collide with one.
pub const COMPARISON_SHEET: &str = "Đối chiếu cách tính";

pub(crate) struct Formats {
    pub(crate) body: Format,
    pub(crate) italic: Format,
    pub(crate) note: Format,
    pub(crate) note_bold: Format,
    pub(crate) body_bold: Format,
    pub(crate) title: Format,
    pub(crate) header: Format,
    pub(crate) cell: Format,
    pub(crate) cell_center: Format,
    pub(crate) number: Format,
}

impl Formats {
    pub(crate) fn new() -> Self {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Self {
            body: base.clone().set_align(FormatAlign::Center),
            italic: base.clone().set_italic().set_align(FormatAlign::Center),
            note: base.clone(),
            note_bold: base.clone().set_bold().set_font_color("9C5700"),
            body_bold: base.clone().set_bold().set_align(FormatAlign::Center),
            title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color("D9E1F2"),
            cell_center: cell.clone().set_align(FormatAlign::Center),
            number: cell
                .clone()
                .set_num_format("0.00")
                .set_align(FormatAlign::Right),
            cell,
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`,
/// and unique within the workbook.
fn sheet_name(index: usize, field: &str, taken: &mut Vec<String>) -> String {
    let cleaned: String = field
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .collect();
    let prefix = format!("{}. ", index + 1);
    let room = 31 - prefix.chars().count();
    let mut body: String = cleaned.chars().take(room).collect();
    // Cut between words, not inside one ("Điện t…").
    if cleaned.chars().count() > room
        && let Some(space) = body.rfind(' ')
        && space > 0
    {
        body.truncate(space);
        body = body.trim_end_matches([' ', '–', '-', ',']).to_string();
    }
    // Excel refuses a sheet name that ends with an apostrophe.
    let mut name = format!(
        "{prefix}{}",
        body.trim_end().trim_end_matches('\'').trim_end()
    );
    while taken.contains(&name) {
        name.push('_');
    }
    taken.push(name.clone());
    name
}

/// Who issues the workbook, where and when: the top left of the title
/// block and the place-and-date line above the signature.
pub struct Letterhead {
    pub org_name: String,
    /// The place in "Đồng Tháp, ngày 04 tháng 12 năm 2026".
    pub place: String,
    pub date: chrono::NaiveDate,
}

impl Letterhead {
    /// The place and date line above a signature, as state documents
    /// write it: "Đồng Tháp, ngày 04 tháng 12 năm 2026".
    pub fn place_date(&self) -> String {
        use chrono::Datelike;
        format!(
            "{}, ngày {:02} tháng {:02} năm {}",
            self.place,
            self.date.day(),
            self.date.month(),
            self.date.year()
        )
    }
}

fn write_field(
    sheet: &mut Worksheet,
    f: &Formats,
    letterhead: &Letterhead,
    results: &EditionResults,
    field: &FieldResults,
) -> Result<(), XlsxError> {
    let criteria = &results.criteria;
    let last_col = (9 + criteria.len()) as u16;
    let heading = format!(
        "KẾT QUẢ CHẤM {} LẦN THỨ {} ({})",
        results.edition_name.to_uppercase(),
        results.number,
        results.year
    );
    let subheading = format!("Lĩnh vực: {}", field.field_name);
    title_block(sheet, f, letterhead, last_col, &heading, &subheading)?;

    let mut headings = vec![
        "Hạng".to_string(),
        "Mã".into(),
        "Tên giải pháp".into(),
        "Tác giả".into(),
    ];
    headings.extend(
        criteria
            .iter()
            .map(|c| format!("{} (tối đa {})", c.name, c.max)),
    );
    headings.extend(
        [
            "Tổng điểm",
            "Số GK",
            "Giải đề xuất",
            "Biểu quyết của hội đồng",
            "Dự thi toàn quốc",
            "Ghi chú",
        ]
        .map(String::from),
    );
    for (col, text) in headings.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, text, &f.header)?;
    }
    sheet.set_row_height(HEADER_ROW, 48)?;

    for (i, row) in field.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        sheet.write_number_with_format(r, 0, row.rank, &f.cell_center)?;
        sheet.write_string_with_format(r, 1, &row.code, &f.cell_center)?;
        sheet.write_string_with_format(r, 2, &row.title, &f.cell)?;
        sheet.write_string_with_format(r, 3, &row.authors, &f.cell)?;
        for (k, value) in row.criterion_means.iter().enumerate() {
            sheet.write_number_with_format(r, 4 + k as u16, value.as_f64(), &f.number)?;
        }
        let c = 4 + criteria.len() as u16;
        sheet.write_number_with_format(r, c, row.total.as_f64(), &f.number)?;
        sheet.write_string_with_format(
            r,
            c + 1,
            format!("{}/{}", row.judges, row.assigned),
            &f.cell_center,
        )?;
        sheet.write_string_with_format(
            r,
            c + 2,
            row.prize.as_deref().unwrap_or(""),
            &f.cell_center,
        )?;
        sheet.write_string_with_format(r, c + 3, vote_text(row), &f.cell_center)?;
        let national = if row.national { "Có" } else { "" };
        sheet.write_string_with_format(r, c + 4, national, &f.cell_center)?;
        sheet.write_string_with_format(r, c + 5, flags_text(row), &f.cell)?;
    }

    let widths = [7.0, 12.0, 45.0, 32.0];
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    for k in 0..criteria.len() {
        sheet.set_column_width(4 + k as u16, 14.0)?;
    }
    let c = 4 + criteria.len() as u16;
    sheet.set_column_width(c, 11.0)?;
    sheet.set_column_width(c + 1, 8.0)?;
    sheet.set_column_width(c + 2, 14.0)?;
    sheet.set_column_width(c + 3, 22.0)?;
    sheet.set_column_width(c + 4, 11.0)?;
    sheet.set_column_width(c + 5, 24.0)?;

    let last_row = HEADER_ROW + field.rows.len() as u32;
    let mut next = last_row + 2;
    let rule = format!(
        "Xếp hạng theo: {}. Giải đề xuất được thông qua khi đạt {}.",
        results.method.label(),
        results.vote_rule
    );
    sheet.merge_range(next, 0, next, last_col, &rule, &f.note)?;
    next += 1;
    match &results.final_at {
        Some(at) => {
            let line = format!("Kết quả đã được Ban tổ chức chốt lúc {at}.");
            sheet.merge_range(next, 0, next, last_col, &line, &f.note)?;
        }
        None => {
            let line = "Kết quả chưa được Ban tổ chức chốt: còn có thể thay đổi.";
            sheet.merge_range(next, 0, next, last_col, line, &f.note_bold)?;
        }
    }
    next += 1;
    if field.incomplete() {
        let warning = "Chưa đủ phiếu chấm: kết quả và giải đề xuất còn có thể thay đổi.";
        sheet.merge_range(next, 0, next, last_col, warning, &f.note_bold)?;
        next += 1;
    }
    if field.rows.is_empty() && field.unscored.is_empty() {
        let line = "Chưa có hồ sơ nào được chấm ở đây.";
        sheet.merge_range(next, 0, next, last_col, line, &f.note)?;
        next += 1;
    }
    if !field.unscored.is_empty() {
        let missing = format!("Chưa có phiếu chấm: {}", field.unscored.join(", "));
        sheet.merge_range(next, 0, next, last_col, &missing, &f.note)?;
        next += 1;
    }
    sign_and_print(sheet, f, letterhead, next, last_row, last_col)
}

/// The council's count on the proposed prize, as the minutes word it.
fn vote_text(row: &ResultRow) -> String {
    let v = &row.votes;
    if row.prize.is_none() {
        String::new()
    } else if v.yes + v.no == 0 {
        "Chưa biểu quyết".into()
    } else if v.approved() {
        format!(
            "Thông qua: {} đồng ý, {} không / {} có mặt",
            v.yes, v.no, v.present
        )
    } else {
        format!(
            "Chưa đủ: {} đồng ý, {} không / {} có mặt, cần {}",
            v.yes, v.no, v.present, v.needed
        )
    }
}

/// What the results page marks with ⚠ and ◆, in words.
fn flags_text(row: &ResultRow) -> String {
    let mut flags = Vec::new();
    if row.disagreement {
        flags.push("Điểm các giám khảo chênh nhau nhiều");
    }
    if row.near_boundary {
        flags.push("Sát ngưỡng giải, nên xem lại");
    }
    flags.join("; ")
}

/// Every entry of every field with the four figures and the judges'
/// spread, the ranking method's column marked, so the council sees where
/// the choice of method would change an outcome.
fn write_comparison(
    sheet: &mut Worksheet,
    f: &Formats,
    letterhead: &Letterhead,
    results: &EditionResults,
) -> Result<(), XlsxError> {
    let headings: [(&str, f64); 10] = [
        ("Lĩnh vực", 24.0),
        ("Mã", 12.0),
        ("Tên giải pháp", 40.0),
        ("Số GK", 8.0),
        (Method::Mean.label(), 13.0),
        (Method::Median.label(), 13.0),
        (Method::Trimmed.label(), 15.0),
        (Method::Standardized.label(), 15.0),
        ("Chênh lệch cao nhất – thấp nhất", 14.0),
        ("Ghi chú", 24.0),
    ];
    let last_col = headings.len() as u16 - 1;
    let heading = format!(
        "ĐỐI CHIẾU CÁCH TÍNH ĐIỂM {} LẦN THỨ {} ({})",
        results.edition_name.to_uppercase(),
        results.number,
        results.year
    );
    let subheading = format!(
        "Cột đánh dấu (*) là cách tính dùng để xếp hạng: {}",
        results.method.label()
    );
    title_block(sheet, f, letterhead, last_col, &heading, &subheading)?;
    let ranks_by = Method::ALL
        .iter()
        .position(|m| *m == results.method)
        .map(|i| 4 + i as u16);
    for (col, (text, width)) in headings.iter().enumerate() {
        let col = col as u16;
        let text = if Some(col) == ranks_by {
            format!("{text} (*)")
        } else {
            text.to_string()
        };
        sheet.write_string_with_format(HEADER_ROW, col, text, &f.header)?;
        sheet.set_column_width(col, *width)?;
    }
    sheet.set_row_height(HEADER_ROW, 48)?;
    let mut r = HEADER_ROW;
    for field in &results.fields {
        for row in &field.rows {
            r += 1;
            sheet.write_string_with_format(r, 0, &field.field_name, &f.cell)?;
            sheet.write_string_with_format(r, 1, &row.code, &f.cell_center)?;
            sheet.write_string_with_format(r, 2, &row.title, &f.cell)?;
            sheet.write_number_with_format(r, 3, row.judges, &f.cell_center)?;
            let figures = &row.figures;
            for (k, method) in Method::ALL.iter().enumerate() {
                let value = figures.by(*method).as_f64();
                sheet.write_number_with_format(r, 4 + k as u16, value, &f.number)?;
            }
            sheet.write_number_with_format(r, 8, figures.spread.as_f64(), &f.number)?;
            sheet.write_string_with_format(r, 9, flags_text(row), &f.cell)?;
        }
    }
    sign_and_print(sheet, f, letterhead, r + 2, r, last_col)
}

/// The issuing body and the national motto on top, then the title and a
/// line under it: rows 0 to 4, across columns 0 to `last_col`.
pub(crate) fn title_block(
    sheet: &mut Worksheet,
    f: &Formats,
    letterhead: &Letterhead,
    last_col: u16,
    heading: &str,
    subheading: &str,
) -> Result<(), XlsxError> {
    let half = last_col / 2;
    sheet.merge_range(0, 0, 0, half - 1, &letterhead.org_name, &f.body_bold)?;
    sheet.merge_range(
        0,
        half,
        0,
        last_col,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        &f.body_bold,
    )?;
    sheet.merge_range(
        1,
        half,
        1,
        last_col,
        "Độc lập - Tự do - Hạnh phúc",
        &f.body_bold,
    )?;
    sheet.merge_range(3, 0, 3, last_col, heading, &f.title)?;
    sheet.merge_range(4, 0, 4, last_col, subheading, &f.body)?;
    sheet.set_row_height(3, 24)?;
    Ok(())
}

/// The place-and-date line and signature block from row `next`, then a
/// filter and frozen header over the table, and A4 landscape printing
/// that repeats the header row.
pub(crate) fn sign_and_print(
    sheet: &mut Worksheet,
    f: &Formats,
    letterhead: &Letterhead,
    next: u32,
    last_row: u32,
    last_col: u16,
) -> Result<(), XlsxError> {
    let half = last_col / 2;
    let place_date = letterhead.place_date();
    let signer = next + 1;
    sheet.merge_range(signer, half, signer, last_col, &place_date, &f.italic)?;
    sheet.merge_range(
        signer + 1,
        half,
        signer + 1,
        last_col,
        "NGƯỜI LẬP BIỂU",
        &f.body_bold,
    )?;
    sheet.merge_range(
        signer + 2,
        half,
        signer + 2,
        last_col,
        "(Ký, ghi rõ họ tên)",
        &f.italic,
    )?;
    sheet.autofilter(HEADER_ROW, 0, last_row, last_col)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}

/// Builds the workbook in memory.
pub fn build(letterhead: &Letterhead, results: &EditionResults) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let mut taken = Vec::new();
    for (index, field) in results.fields.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(index, &field.field_name, &mut taken))?;
        write_field(sheet, &f, letterhead, results, field)?;
    }
    if results.fields.iter().any(|field| !field.rows.is_empty()) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(COMPARISON_SHEET)?;
        write_comparison(sheet, &f, letterhead, results)?;
    }
    if results.fields.is_empty() {
        workbook.add_worksheet().set_name("Kết quả")?;
    }
    workbook.save_to_buffer()
}

/// The honors workbook: one sheet per selection council with each
/// candidate's tally and the decision, as the minutes give them.
pub fn build_honors(
    letterhead: &Letterhead,
    results: &EditionResults,
    ballots: &[BallotMinutes],
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let mut taken = Vec::new();
    for (index, ballot) in ballots.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(index, &ballot.council_name, &mut taken))?;
        write_ballot(sheet, &f, letterhead, results, ballot)?;
    }
    if ballots.is_empty() {
        workbook.add_worksheet().set_name("Kết quả")?;
    }
    workbook.save_to_buffer()
}

fn write_ballot(
    sheet: &mut Worksheet,
    f: &Formats,
    letterhead: &Letterhead,
    results: &EditionResults,
    ballot: &BallotMinutes,
) -> Result<(), XlsxError> {
    let headings: [(&str, f64); 8] = [
        ("STT", 6.0),
        ("Mã", 14.0),
        ("Ứng viên", 36.0),
        ("Số phiếu đã bỏ", 11.0),
        ("Đồng ý", 10.0),
        ("Không đồng ý", 11.0),
        ("Không biểu quyết", 12.0),
        ("Kết quả", 22.0),
    ];
    let last_col = headings.len() as u16 - 1;
    let heading = format!(
        "KẾT QUẢ XÉT CHỌN {} LẦN THỨ {} ({})",
        results.edition_name.to_uppercase(),
        results.number,
        results.year
    );
    let subheading = format!(
        "{}: {} thành viên có mặt; được xét chọn khi có từ {} phiếu đồng ý",
        ballot.council_name, ballot.present, ballot.needed
    );
    title_block(sheet, f, letterhead, last_col, &heading, &subheading)?;
    for (col, (text, width)) in headings.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *text, &f.header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.set_row_height(HEADER_ROW, 36)?;
    for (i, row) in ballot.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &f.cell_center)?;
        sheet.write_string_with_format(r, 1, &row.code, &f.cell_center)?;
        sheet.write_string_with_format(r, 2, &row.candidate, &f.cell)?;
        sheet.write_number_with_format(r, 3, row.ballots_cast, &f.cell_center)?;
        match (row.tally, row.selected) {
            (Some(tally), Some(selected)) => {
                for (k, count) in [tally.agree, tally.disagree, tally.abstain]
                    .iter()
                    .enumerate()
                {
                    sheet.write_number_with_format(r, 4 + k as u16, *count, &f.cell_center)?;
                }
                let decision = if selected {
                    "Được xét chọn"
                } else {
                    "Không được xét chọn"
                };
                sheet.write_string_with_format(r, 7, decision, &f.cell_center)?;
            }
            _ => {
                for col in 4..7 {
                    sheet.write_blank(r, col, &f.cell)?;
                }
                sheet.write_string_with_format(r, 7, "Chưa kiểm phiếu", &f.cell_center)?;
            }
        }
    }
    let last_row = HEADER_ROW + ballot.rows.len() as u32;
    let mut next = last_row + 2;
    if !ballot.closed {
        let line =
            "Hội đồng chưa kết thúc bỏ phiếu kín: số phiếu từng loại chỉ có sau khi kiểm phiếu.";
        sheet.merge_range(next, 0, next, last_col, line, &f.note_bold)?;
        next += 1;
    }
    let line = match &results.final_at {
        Some(at) => format!("Kết quả đã được Ban tổ chức chốt lúc {at}."),
        None => "Kết quả chưa được Ban tổ chức chốt.".into(),
    };
    sheet.merge_range(next, 0, next, last_col, &line, &f.note)?;
    next += 1;
    sign_and_print(sheet, f, letterhead, next, last_row, last_col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_unique_and_legal() {
        let mut taken = Vec::new();
        let long = "Cơ khí – Tự động hóa – Xây dựng – Giao thông vận tải";
        let a = sheet_name(1, long, &mut taken);
        assert_eq!(a, "2. Cơ khí – Tự động hóa – Xây", "cut between words");
        let it = "Công nghệ thông tin – Điện tử – Viễn thông";
        assert_eq!(
            sheet_name(3, it, &mut taken),
            "4. Công nghệ thông tin – Điện"
        );
        assert_eq!(sheet_name(0, "Y/Dược", &mut taken), "1. Y-Dược");
        assert_eq!(sheet_name(2, "Nông nghiệp'", &mut taken), "3. Nông nghiệp");
    }
}

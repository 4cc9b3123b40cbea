//! The judging audit log as a workbook the secretariat can file and print:
//! the same title block and signature as the results workbook.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::results_xlsx::{Formats, HEADER_ROW, Letterhead, sign_and_print, title_block};
use crate::app::judging::AuditItem;

const HEADINGS: [(&str, f64); 7] = [
    ("STT", 6.0),
    ("Thời điểm", 17.0),
    ("Người thực hiện", 24.0),
    ("Việc", 24.0),
    ("Hồ sơ", 13.0),
    ("Giám khảo", 24.0),
    ("Chi tiết", 60.0),
];

pub fn build(
    letterhead: &Letterhead,
    edition: &str,
    log: &[AuditItem],
) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Nhật ký")?;
    let last_col = HEADINGS.len() as u16 - 1;
    let subheading = format!("{edition}: {} dòng, theo thứ tự thời gian", log.len());
    title_block(
        sheet,
        &f,
        letterhead,
        last_col,
        "NHẬT KÝ CHẤM THI",
        &subheading,
    )?;
    for (col, (text, width)) in HEADINGS.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, col as u16, *text, &f.header)?;
        sheet.set_column_width(col as u16, *width)?;
    }
    for (i, line) in log.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        sheet.write_number_with_format(r, 0, (i + 1) as f64, &f.cell_center)?;
        let cells = [
            &line.at,
            &line.actor,
            &line.action,
            &line.entry,
            &line.judge,
            &line.detail,
        ];
        for (k, text) in cells.into_iter().enumerate() {
            sheet.write_string_with_format(r, 1 + k as u16, text, &f.cell)?;
        }
    }
    let last_row = HEADER_ROW + log.len() as u32;
    sign_and_print(sheet, &f, letterhead, last_row + 2, last_row, last_col)?;
    workbook.save_to_buffer()
}

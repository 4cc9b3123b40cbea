//! Opening an uploaded spreadsheet safely. A workbook can claim a used
//! range of a million rows by sixteen thousand columns with one stray cell,
//! and reading that as a dense grid would exhaust memory; .xlsx sheets are
//! therefore read cell by cell and anything beyond the limits is left out
//! (and said), never allocated.

use std::path::Path;

use calamine::{Cell, Data, Range, Reader, Xlsx, open_workbook, open_workbook_auto};

use crate::app::error::AppError;

/// The most rows and columns an import reads from one sheet.
pub const MAX_ROWS: u32 = 20_000;
pub const MAX_COLUMNS: u32 = 100;

/// One sheet, bounded.
pub struct Sheet {
    pub name: String,
    pub range: Range<Data>,
    /// The first non-empty cell left out for lying beyond the limits
    /// (0-based row and column), if any.
    pub beyond: Option<(u32, u32)>,
}

fn unreadable(error: impl std::fmt::Display) -> AppError {
    tracing::info!(error = %error, "an uploaded spreadsheet could not be read");
    AppError::invalid(
        "Tệp",
        "không đọc được bảng tính; tệp có thể bị hỏng hoặc không phải bảng tính Excel/ODS",
    )
}

/// Reads the visible sheets of a workbook (.xlsx, .xls or .ods, decided by
/// the file's extension), in order.
pub fn read_sheets(path: &Path) -> Result<Vec<Sheet>, AppError> {
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        return read_xlsx(path);
    }
    // TODO: .xls and .ods sheets are still read as dense grids by calamine; an
    // .xls is bounded by its format (65,536 x 256), an .ods is not.
    let mut workbook = open_workbook_auto(path).map_err(unreadable)?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names().to_vec() {
        let Ok(range) = workbook.worksheet_range(&name) else {
            continue;
        };
        sheets.push(Sheet {
            name,
            range,
            beyond: None,
        });
    }
    Ok(sheets)
}

/// The largest merged region whose value is copied into every cell of it;
/// bigger ones are banners, not data.
const MAX_MERGED_CELLS: u32 = 10_000;

/// Gives every cell of a merged region the value of its top-left cell, as
/// a person reading the sheet sees it (a unit merged over the three judges
/// who work there belongs to each of them).
fn fill_merged(cells: &mut Vec<Cell<Data>>, merges: &[calamine::Dimensions]) {
    let values: std::collections::HashMap<(u32, u32), Data> = cells
        .iter()
        .map(|c| (c.get_position(), c.get_value().clone()))
        .collect();
    for region in merges {
        let (top, left) = region.start;
        let bottom = region.end.0.min(MAX_ROWS - 1);
        let right = region.end.1.min(MAX_COLUMNS - 1);
        if top > bottom
            || left > right
            || (bottom - top + 1) * (right - left + 1) > MAX_MERGED_CELLS
        {
            continue;
        }
        let Some(value) = values.get(&(top, left)) else {
            continue;
        };
        for row in top..=bottom {
            for column in left..=right {
                if !values.contains_key(&(row, column)) {
                    cells.push(Cell::new((row, column), value.clone()));
                }
            }
        }
    }
}

fn read_xlsx(path: &Path) -> Result<Vec<Sheet>, AppError> {
    let mut workbook: Xlsx<_> = open_workbook(path).map_err(unreadable)?;
    let visible: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| {
            s.visible == calamine::SheetVisible::Visible && s.typ == calamine::SheetType::WorkSheet
        })
        .map(|s| s.name.clone())
        .collect();
    let mut sheets = Vec::new();
    for name in visible {
        let mut cells = Vec::new();
        let mut beyond = None;
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
        while let Some(cell) = reader.next_cell().map_err(unreadable)? {
            let (row, column) = cell.get_position();
            let value: Data = cell.get_value().clone().into();
            if value == Data::Empty {
                continue;
            }
            if row >= MAX_ROWS || column >= MAX_COLUMNS {
                beyond.get_or_insert((row, column));
                continue;
            }
            cells.push(Cell::new((row, column), value));
        }
        drop(reader);
        let merges = workbook
            .merge_cells_by_sheet_name(&name)
            .unwrap_or_default();
        fill_merged(&mut cells, &merges);
        sheets.push(Sheet {
            name,
            range: Range::from_sparse(cells),
            beyond,
        });
    }
    Ok(sheets)
}

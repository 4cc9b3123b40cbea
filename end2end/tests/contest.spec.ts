import { test, expect, Browser, Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { join } from 'node:path';

const organizer = { email: 'bantochuc@example.org', password: process.env.SANGTAO_E2E_PASSWORD! };
const fixtures = join(__dirname, '..', 'fixtures');

/** A fresh browser session that fails the test on any script error. */
async function person(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`script error on ${page.url()}: ${error.message}`);
  });
  // The Content-Security-Policy must never block the app's own scripts.
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      throw new Error(`blocked on ${page.url()}: ${message.text()}`);
    }
  });
  return page;
}

/** Opens a page and waits until the app has hydrated. */
async function open(page: Page, path: string) {
  await page.goto(path);
  await page.locator('[data-hydrated="true"]').waitFor({ state: 'attached' });
}

async function signIn(page: Page, email: string, password: string) {
  await open(page, '/dang-nhap');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

test('an edition runs from registration to the downloaded results workbook', async ({ browser }) => {
  // 1. The organizer creates an edition with the default rules and opens it.
  const org = await person(browser);
  await signIn(org, organizer.email, organizer.password);
  await expect(org).toHaveURL(/\/to-chuc$/);
  await org.getByRole('link', { name: 'Tạo kỳ thi mới' }).click();
  await org.getByLabel('Lần thứ').fill('15');
  await org.getByLabel('Năm').fill('2026');
  await org.getByLabel('Hạn đăng ký (giờ Việt Nam)').fill('31/12/2030 17:00');
  await org.getByRole('button', { name: 'Tạo kỳ thi' }).click();
  await expect(org.getByRole('heading', { name: 'Hội thi Sáng tạo kỹ thuật lần thứ 15 (2026)' })).toBeVisible();
  await expect(org.getByTestId('edition-state')).toContainText('31/12/2030 17:00');
  const editionUrl = new URL(org.url()).pathname;
  await org.getByRole('button', { name: 'Mở đăng ký' }).click();
  await expect(org.getByTestId('edition-state')).toContainText('Đang nhận hồ sơ');

  // 2. A contestant registers and submits an entry with its description.
  const hung = await person(browser);
  await open(hung, '/dang-ky');
  await hung.getByLabel('Họ và tên').fill('Nguyễn Văn Hùng');
  await hung.getByLabel('Email').fill('hung.nguyen@example.com');
  await hung.getByLabel('Mật khẩu (ít nhất 10 ký tự)').fill('một mật khẩu đủ dài');
  await hung.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expect(hung).toHaveURL(/\/thi-sinh$/);
  await hung.getByRole('link', { name: /Đăng ký vào Hội thi Sáng tạo kỹ thuật lần thứ 15/ }).click();
  await hung.getByLabel('Tên giải pháp').fill('Phần mềm quản lý hồ sơ bệnh án cho trạm y tế xã');
  await hung.getByLabel('Lĩnh vực').selectOption({ label: 'Y – Dược' });
  await hung.getByLabel('Tóm tắt giải pháp').fill('Đang dùng tại 9 trạm y tế, giảm một nửa thời gian tra cứu.');
  await hung.getByLabel('Áp dụng từ ngày').fill('01/03/2024');
  await hung.getByLabel('Đơn vị áp dụng').fill('Trung tâm Y tế huyện Lai Vung');
  const author = hung.getByTestId('author-1');
  await author.getByLabel('Họ và tên').fill('Nguyễn Văn Hùng');
  await author.getByLabel('Ngày sinh').fill('07/09/1990');
  await author.getByLabel('Điện thoại').fill('0912 000 101');
  await author.getByLabel('Email').fill('hung.nguyen@example.com');
  await author.getByLabel('Đơn vị công tác').fill('Trung tâm Y tế huyện Lai Vung');
  await author.getByLabel('Tỷ lệ đóng góp (%)').fill('100');
  await hung.getByRole('button', { name: 'Lưu hồ sơ' }).click();
  await expect(hung).toHaveURL(/\/thi-sinh\/giai-phap\/\d+$/);
  await hung.locator('[data-hydrated="true"]').waitFor({ state: 'attached' });
  await hung.getByLabel('Tệp PDF hoặc DOCX, tối đa 20 MB').setInputFiles(join(fixtures, 'thuyet-minh-mau.pdf'));
  await hung.getByRole('button', { name: 'Tải lên' }).click();
  await expect(hung.getByText('Đã tải lên tệp thuyết minh.')).toBeVisible();
  await hung.locator('[data-hydrated="true"]').waitFor({ state: 'attached' });
  await hung.getByRole('button', { name: 'Nộp hồ sơ' }).click();
  await expect(hung.getByTestId('entry-state')).toHaveText('Đã nộp');

  // 3. The organizer imports the judges after a preview and assigns one.
  await open(org, `${editionUrl}/giam-khao`);
  await org.getByLabel('Tệp .xlsx, .xls hoặc .ods').setInputFiles(join(fixtures, 'vn_02_judges.xlsx'));
  await org.getByRole('button', { name: 'Xem trước' }).click();
  await expect(org.getByTestId('import-counts')).toContainText('13 dòng: 8 người sẽ được nhập, 3 dòng trùng được gộp, 2 dòng bị từ chối');
  await expect(org.getByTestId('import-preview')).toContainText('Dòng 11, cột G');
  await org.locator('[data-hydrated="true"]').waitFor({ state: 'attached' });
  await org.getByRole('button', { name: 'Xác nhận nhập' }).click();
  const done = org.getByTestId('import-done');
  await expect(done).toContainText('Đã nhập 8 giám khảo');
  await expect(org.getByTestId('import-preview')).toHaveCount(0);
  const invite = (await org.getByTestId('invite-links').getByRole('listitem').filter({ hasText: 'ha.nguyen@example.org' }).getByTestId('invite-link').textContent())!;
  const row = org.getByTestId('judge-ha.nguyen@example.org');
  await row.getByLabel('Lĩnh vực').selectOption({ label: 'Y – Dược' });
  await row.getByRole('button', { name: 'Phân công' }).click();
  await expect(row.getByRole('button', { name: 'Bỏ lĩnh vực Y – Dược' })).toBeVisible();

  // The organizer describes score bands for the first criterion.
  await open(org, `${editionUrl}/cham-diem`);
  await expect(org.getByRole('heading', { name: 'Tổ chức chấm thi' })).toBeVisible();
  await expect(org.getByTestId(/^council-/)).toContainText('Y – Dược');
  const rubric = org.locator('textarea[name="rubric"]');
  const lines = (await rubric.inputValue()).split('\n');
  lines[0] = `${lines[0].trimEnd()} 27-30: Hoàn toàn mới; 0-26,5: Có cải tiến`;
  await rubric.fill(lines.join('\n'));
  await org.getByRole('button', { name: 'Lưu tiêu chí' }).click();
  await expect(org.getByText('Đã lưu tiêu chí.')).toBeVisible();

  // 4. The judge sets a password, opens the description and scores.
  const judge = await person(browser);
  await open(judge, new URL(invite).pathname);
  await judge.getByLabel('Mật khẩu mới (ít nhất 10 ký tự)').fill('giám khảo chấm công tâm');
  await judge.getByRole('button', { name: 'Lưu mật khẩu' }).click();
  await expect(judge).toHaveURL(/\/giam-khao$/);
  await judge.getByRole('link', { name: 'Phần mềm quản lý hồ sơ bệnh án cho trạm y tế xã' }).click();
  const description = await judge.getByTestId('description-link').getAttribute('href');
  const file = await judge.request.get(description!);
  expect(file.status()).toBe(200);
  expect((await file.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await judge.locator('[data-hydrated="true"]').waitFor({ state: 'attached' });
  await expect(judge.getByText('27–30: Hoàn toàn mới')).toBeVisible();
  await expect(judge.getByTestId('missing')).toContainText('Còn thiếu: Tính mới và tính sáng tạo');
  await judge.getByLabel(/^Tính mới và tính sáng tạo/).fill('27,5');
  // Saved as typed: it is still there after a reload.
  await expect(judge.getByTestId('autosave')).toHaveText('Đã tự lưu.');
  await expect(judge.getByTestId('missing')).not.toContainText('Tính mới');
  await open(judge, new URL(judge.url()).pathname + new URL(judge.url()).search);
  await expect(judge.getByLabel(/^Tính mới và tính sáng tạo/)).toHaveValue('27,5');
  await judge.getByLabel(/^Khả năng áp dụng/).fill('28');
  await judge.getByLabel(/^Hiệu quả kinh tế/).fill('36');
  await judge.getByRole('button', { name: 'Lưu điểm' }).click();
  await expect(judge.getByTestId('sheet-total')).toHaveText('91,5');
  await judge.getByRole('button', { name: 'Nộp phiếu chấm' }).click();
  await expect(judge.getByTestId('sheet-state')).toContainText('Đã nộp phiếu');

  // The organizer follows the work on the progress board.
  await open(org, `${editionUrl}/tien-do`);
  await expect(org.getByTestId('judge-progress')).toContainText('Nguyễn Thị Thu Hà');
  await expect(org.getByTestId('audit-log')).toContainText('Nộp phiếu chấm');
  await expect(org.getByTestId('audit-log')).toContainText('trống → 27,5');

  // 5. The organizer reads the results and downloads the workbook.
  await open(org, `${editionUrl}/ket-qua`);
  const result = org.getByTestId('result-STKT15-001');
  await expect(result).toContainText('91,5');
  await expect(result).toContainText('Nhất');
  const [download] = await Promise.all([org.waitForEvent('download'), org.getByTestId('download-results').click()]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(await download.path());
  const sheet = workbook.worksheets.find((s) => s.name.includes('Y – Dược'))!;
  expect(sheet).toBeTruthy();
  let found = false;
  sheet.eachRow((r) => {
    if (r.getCell(2).value === 'STKT15-001') {
      found = true;
      expect(r.getCell(8).value).toBe(91.5);
      expect(r.getCell(10).value).toBe('Nhất');
      expect(r.getCell(3).font?.name).toBe('Times New Roman');
    }
  });
  expect(found).toBe(true);
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 6 });

  // Finalizing asks first: "Cancel" sends nothing; "OK" sends, and the
  // refusal says why (the council has not voted on the proposed prize).
  let sent = 0;
  org.on('request', (request) => {
    if (request.url().includes('finalize_results')) sent += 1;
  });
  const finalize = org.getByRole('button', { name: 'Chốt kết quả' });
  org.once('dialog', (dialog) => dialog.dismiss());
  await finalize.click();
  org.once('dialog', (dialog) => {
    expect(dialog.message()).toContain('Chốt kết quả?');
    dialog.accept();
  });
  await finalize.click();
  await expect(org.getByText(/Chưa chốt được/)).toBeVisible();
  expect(sent).toBe(1);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the public home page reads', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Hội thi Sáng tạo kỹ thuật', level: 1 })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Các kỳ thi đang nhận hồ sơ' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Đăng ký dự thi' }).first()).toBeVisible();
  });

  test('a wrong password is said beside the sign-in form', async ({ page }) => {
    await page.goto('/dang-nhap');
    await page.getByLabel('Email').fill(organizer.email);
    await page.getByLabel('Mật khẩu').fill('không phải mật khẩu');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page).toHaveURL(/\/dang-nhap$/);
    await expect(page.getByTestId('form-error')).toHaveText('Email hoặc mật khẩu không đúng.');
  });

  test('the organizer imports judges and gets their links', async ({ page }) => {
    await page.goto('/dang-nhap');
    await page.getByLabel('Email').fill(organizer.email);
    await page.getByLabel('Mật khẩu').fill(organizer.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.goto('/to-chuc/ky-thi/moi');
    await page.getByLabel('Lần thứ').fill('16');
    await page.getByLabel('Năm').fill('2027');
    await page.getByLabel('Hạn đăng ký (giờ Việt Nam)').fill('31/12/2030 17:00');
    await page.getByRole('button', { name: 'Tạo kỳ thi' }).click();
    await expect(page.getByRole('heading', { name: 'Hội thi Sáng tạo kỹ thuật lần thứ 16 (2027)' })).toBeVisible();
    const edition = new URL(page.url()).pathname;

    await page.goto(`${edition}/giam-khao`);
    await page.getByLabel('Tệp .xlsx, .xls hoặc .ods').setInputFiles(join(fixtures, 'thuyet-minh-mau.pdf'));
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect(page.getByTestId('form-error')).toContainText('chỉ nhận bảng tính');

    await page.getByLabel('Tệp .xlsx, .xls hoặc .ods').setInputFiles(join(fixtures, 'vn_02_judges.xlsx'));
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect(page.getByTestId('import-counts')).toContainText('13 dòng: 8 người');
    await page.getByRole('button', { name: 'Xác nhận nhập' }).click();
    const links = page.getByTestId('invite-links');
    // One link per judge who has not set a password yet (Hà may have, in another test).
    await expect(links.getByRole('listitem').filter({ hasText: 'chau.le@example.com' })).toHaveCount(1);
    await expect(page.getByTestId('import-preview')).toHaveCount(0);
    await page.getByRole('button', { name: 'Ẩn các liên kết' }).click();
    await expect(page.getByTestId('invite-links')).toHaveCount(0);
    await expect(page.getByTestId('judge-ha.nguyen@example.org')).toContainText('PGS.TS. Nguyễn Thị Thu Hà');
  });

  test('the sign-in page signs in', async ({ page }) => {
    await page.goto('/dang-nhap');
    await page.getByLabel('Email').fill(organizer.email);
    await page.getByLabel('Mật khẩu').fill(organizer.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page).toHaveURL(/\/to-chuc$/);
    await expect(page.getByRole('heading', { name: 'Các kỳ thi' })).toBeVisible();
    await expect(page.getByTestId('signed-in-as')).toHaveText('Ban tổ chức');
  });
});

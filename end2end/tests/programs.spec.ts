import { test, expect, Browser, Page } from '@playwright/test';
import { join } from 'node:path';

const organizer = { email: 'bantochuc@example.org', password: process.env.SANGTAO_E2E_PASSWORD! };
const fixtures = join(__dirname, '..', 'fixtures');
const fileLabel = 'Tệp PDF, DOCX hoặc ảnh JPEG/PNG/WebP, tối đa 20 MB; tối đa 20 tệp mỗi hồ sơ';

/** A fresh browser session, phone-sized if asked, failing on script errors. */
async function person(browser: Browser, phone = false): Promise<Page> {
  const context = await browser.newContext(
    phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 } : {},
  );
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

async function hydrated(page: Page) {
  await page.locator('[data-hydrated="true"]').waitFor({ state: 'attached' });
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

async function signIn(page: Page, email: string, password: string) {
  await open(page, '/dang-nhap');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

/** How many CSS pixels the page is wider than the screen. */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** A date `days` from today in Vietnam, dd/mm/yyyy. */
function vietnamDate(days: number): string {
  const when = new Date(Date.now() + days * 86_400_000);
  return when.toLocaleDateString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' });
}

/** The organizer creates and opens an edition of a program; returns its admin path. */
async function createEdition(org: Page, program: 'youth' | 'honors', number: string, heading: string) {
  await open(org, `/to-chuc/ky-thi/moi?loai=${program}`);
  await org.getByLabel('Lần thứ').fill(number);
  await org.getByLabel('Năm', { exact: true }).fill('2026');
  await org.getByLabel('Hạn đăng ký (giờ Việt Nam)').fill('31/12/2030 17:00');
  await org.getByLabel('Ngày tính tuổi').fill('31/05/2026');
  await org.getByRole('button', { name: 'Tạo kỳ thi' }).click();
  await expect(org.getByRole('heading', { name: heading })).toBeVisible();
  const path = new URL(org.url()).pathname;
  await hydrated(org);
  await org.getByRole('button', { name: 'Mở đăng ký' }).click();
  await expect(org.getByTestId('edition-state')).toContainText('Đang nhận hồ sơ');
  return path;
}

test('a pupil group registers on a phone, with the age rule checked as they type', async ({ browser }) => {
  const org = await person(browser);
  await signIn(org, organizer.email, organizer.password);
  await expect(org).toHaveURL(/\/to-chuc$/);
  const heading = 'Cuộc thi Sáng tạo thanh thiếu niên, nhi đồng lần thứ 15 (2026)';
  await createEdition(org, 'youth', '15', heading);
  await expect(org.getByTestId('youth-rule')).toContainText('31/05/2026');

  // A teacher registers the group from a phone.
  const teacher = await person(browser, true);
  await open(teacher, '/dang-ky');
  await teacher.getByLabel('Họ và tên').fill('Phạm Thị Thu Trang');
  await teacher.getByLabel('Email').fill('trang.pham@example.edu.vn');
  await teacher.getByLabel('Mật khẩu (ít nhất 10 ký tự)').fill('một mật khẩu đủ dài');
  await teacher.getByRole('button', { name: 'Tạo tài khoản' }).click();
  await expect(teacher).toHaveURL(/\/thi-sinh$/);
  await teacher.getByRole('link', { name: /Đăng ký vào Cuộc thi Sáng tạo thanh thiếu niên/ }).click();
  await hydrated(teacher);
  await expect(teacher.getByTestId('youth-rule')).toContainText('từ 6 đến 18 tuổi');
  expect(await overflow(teacher)).toBeLessThanOrEqual(0);

  // What is typed is kept on the server and offered back after a reload.
  await teacher.getByLabel('Tên sản phẩm').fill('Thước kẻ đa năng cho học sinh tiểu học');
  await expect(teacher.getByTestId('draft-note')).toContainText('Đã tự lưu');
  await teacher.reload();
  await hydrated(teacher);
  await expect(teacher.getByTestId('draft-offer')).toBeVisible();
  await teacher.getByRole('button', { name: 'Khôi phục nội dung đó' }).click();
  await expect(teacher.getByLabel('Tên sản phẩm')).toHaveValue('Thước kẻ đa năng cho học sinh tiểu học');

  await teacher.getByLabel('Lĩnh vực').selectOption({ label: 'Đồ dùng học tập' });
  await teacher.getByLabel('Mô tả sản phẩm').fill('Thước gấp gọn có thước đo góc và khuôn vẽ hình tròn.');
  const pupils = [
    ['Trần Gia Bảo', '12/03/2016', '4A'],
    ['Lê Ngọc Hân', '01/06/2020', 'Lớp 1'],
  ];
  for (const [i, [name, birth, grade]] of pupils.entries()) {
    const row = teacher.getByTestId(`member-${i + 1}`);
    await row.getByLabel('Họ và tên').fill(name);
    await row.getByLabel('Ngày sinh').fill(birth);
    await row.getByLabel('Trường').fill('Trường Tiểu học Kim Đồng');
    await row.getByLabel('Lớp').fill(grade);
    await row.getByLabel('Xã/phường').fill('Phường Cao Lãnh');
    await row.getByLabel('Tỉnh/thành phố').fill('Đồng Tháp');
    await row.getByLabel('Tỉnh/thành phố').blur();
  }
  // Five on the reference date: said under that pupil before anything is sent.
  const second = teacher.getByTestId('member-2');
  await expect(second.getByRole('alert')).toContainText('chưa đủ 6 tuổi');
  await expect(teacher.getByTestId('member-1').locator('.field-errors')).toBeEmpty();
  const supervisor = teacher.getByTestId('supervisor-1');
  await supervisor.getByLabel('Họ và tên').fill('Phạm Thị Thu Trang');
  await supervisor.getByLabel('Trường').fill('Trường Tiểu học Kim Đồng');
  await supervisor.getByLabel('Điện thoại').fill('0918 123 456');
  expect(await overflow(teacher)).toBeLessThanOrEqual(0);

  // The server refuses it the same way if sent anyway.
  await teacher.getByRole('button', { name: 'Lưu hồ sơ' }).click();
  await expect(teacher.getByRole('alert').filter({ hasText: 'Thành viên 2 – Ngày sinh' }).first()).toBeVisible();
  await second.getByLabel('Ngày sinh').fill('29/02/2016');
  await second.getByLabel('Ngày sinh').blur();
  await expect(second.locator('.field-errors')).toBeEmpty();
  await teacher.getByRole('button', { name: 'Lưu hồ sơ' }).click();
  await expect(teacher).toHaveURL(/\/ho-so\/san-pham\/\d+$/);
  await hydrated(teacher);

  await teacher.getByLabel('Loại tệp').selectOption({ label: 'Ảnh sản phẩm' });
  await teacher.getByLabel(fileLabel).setInputFiles(join(fixtures, 'anh-san-pham.png'));
  await teacher.getByRole('button', { name: 'Tải lên' }).click();
  await expect(teacher.getByText('Đã tải tệp lên.')).toBeVisible();
  await expect(teacher.getByTestId('entry-files')).toContainText('anh-san-pham.png');
  await hydrated(teacher);
  await teacher.getByTestId('submit-entry').click();
  await expect(teacher.getByTestId('entry-state')).toHaveText('Đã nộp');
  const code = (await teacher.getByTestId('entry-code').textContent())!;
  expect(code).toMatch(/^TTN15-\d{3}$/);
  expect(await overflow(teacher)).toBeLessThanOrEqual(0);

  // The receipt: the code, the group, and when it was filed.
  await teacher.getByTestId('receipt-link').click();
  await expect(teacher.getByTestId('receipt-code')).toHaveText(code);
  const receipt = teacher.getByTestId('receipt');
  await expect(receipt).toContainText('Lê Ngọc Hân · sinh ngày 29/02/2016 · Lớp 1, Trường Tiểu học Kim Đồng');
  await expect(receipt).toContainText(vietnamDate(0));
  expect(await overflow(teacher)).toBeLessThanOrEqual(0);
  // The print button opens the print dialog (stood in for here: a real one
  // would block the headless browser).
  await hydrated(teacher);
  await teacher.evaluate(() => {
    (window as any).printed = 0;
    window.print = () => { (window as any).printed += 1; };
  });
  await teacher.getByRole('button', { name: 'In biên nhận' }).click();
  expect(await teacher.evaluate(() => (window as any).printed)).toBe(1);

  // The organizer finds it by a name typed without accents.
  await open(org, `/to-chuc`);
  await org.getByRole('link', { name: heading }).click();
  await org.getByLabel('Tìm tên, mã').fill('tran gia bao');
  await org.getByRole('button', { name: 'Lọc' }).click();
  await expect(org.getByTestId(`entry-${code}`)).toContainText('Bảng: Tiểu học và THCS');
});

test('a unit nominates a candidate, the organizer returns it and the unit resubmits', async ({ browser }) => {
  const org = await person(browser);
  await signIn(org, organizer.email, organizer.password);
  await expect(org).toHaveURL(/\/to-chuc$/);
  const edition = await createEdition(
    org,
    'honors',
    '4',
    'Tôn vinh trí thức khoa học và công nghệ lần thứ 4 (2026)',
  );
  await org.getByLabel('Tên đơn vị').fill('Trường Đại học Đồng Tháp');
  await org.getByLabel('Email của đơn vị').fill('khcn.dhdt@example.org');
  await org.getByRole('button', { name: 'Tạo tài khoản' }).click();
  const link = (await org
    .getByTestId('invite-links')
    .getByRole('listitem')
    .filter({ hasText: 'khcn.dhdt@example.org' })
    .getByTestId('invite-link')
    .textContent())!;
  await expect(org.getByTestId('units')).toContainText('Chưa đặt mật khẩu');

  // The unit sets its password through the link and nominates.
  const unit = await person(browser);
  await open(unit, new URL(link).pathname);
  await unit.getByLabel('Mật khẩu mới (ít nhất 10 ký tự)').fill('đơn vị đề cử người giỏi');
  await unit.getByRole('button', { name: 'Lưu mật khẩu' }).click();
  await expect(unit).toHaveURL(/\/don-vi$/);
  await unit.getByRole('link', { name: /Đề cử vào Tôn vinh trí thức/ }).click();
  await hydrated(unit);
  await unit.getByLabel('Hạng mục').selectOption({ label: 'Tài năng trẻ' });
  const checklist = unit.getByTestId('checklist');
  await expect(checklist).toContainText('Tài năng trẻ');
  await checklist.getByLabel('Có sáng kiến được áp dụng hiệu quả').check();
  await unit.getByLabel('Họ và tên ứng viên').fill('Nguyễn Hoàng Phúc');
  await unit.getByLabel('Ngày sinh').fill('02/07/1994');
  await unit.getByLabel('Học vị').fill('ThS.');
  await unit.getByLabel('Chuyên ngành').fill('Kỹ thuật điện tử');
  await unit.getByLabel('Cơ quan công tác').fill('Trung tâm Đổi mới sáng tạo, Trường Đại học Đồng Tháp');
  await unit.getByLabel('Thành tích tiêu biểu').fill('Hệ thống cảnh báo xâm nhập mặn cho 12 xã.');
  await unit.getByRole('button', { name: 'Lưu hồ sơ' }).click();
  await expect(unit).toHaveURL(/\/ho-so\/de-cu\/\d+$/);
  await hydrated(unit);
  await expect(unit.getByTestId('checklist').getByLabel('Có sáng kiến được áp dụng hiệu quả')).toBeChecked();

  await unit.getByLabel('Loại tệp').selectOption({ value: 'evidence' });
  await unit.getByLabel('Minh chứng cho tiêu chí').selectOption({ label: 'Có sáng kiến được áp dụng hiệu quả' });
  await unit.getByLabel(fileLabel).setInputFiles(join(fixtures, 'thuyet-minh-mau.pdf'));
  await unit.getByRole('button', { name: 'Tải lên' }).click();
  await expect(unit.getByTestId('entry-files')).toContainText('Có sáng kiến được áp dụng hiệu quả');
  await hydrated(unit);
  await unit.getByTestId('submit-entry').click();
  await expect(unit.getByTestId('entry-state')).toHaveText('Đã nộp');
  const code = (await unit.getByTestId('entry-code').textContent())!;

  // The organizer returns it for completion, with a reason and a due date.
  await open(org, edition);
  const row = org.getByTestId(`entry-${code}`);
  await row.getByText('Xử lý hồ sơ').click();
  await row.getByLabel('Quyết định').selectOption({ label: 'Trả lại để bổ sung' });
  const reason = 'Hãy bổ sung quyết định công nhận sáng kiến.';
  await row.getByLabel('Lý do').fill(reason);
  await row.getByLabel('Hạn bổ sung').fill(vietnamDate(7));
  await row.getByRole('button', { name: 'Ghi nhận' }).click();
  await expect(org.getByText('Đã cập nhật trạng thái hồ sơ.')).toBeVisible();
  await expect(org.getByTestId(`entry-${code}`)).toContainText('Trả lại để bổ sung');

  // The unit sees why, completes and resubmits; the history says it all.
  await unit.reload();
  await hydrated(unit);
  await expect(unit.getByTestId('entry-state')).toHaveText('Trả lại để bổ sung');
  await expect(unit.getByTestId('entry-reason')).toContainText(reason);
  await unit.getByLabel('Thành tích tiêu biểu').fill('Hệ thống cảnh báo xâm nhập mặn cho 12 xã; quyết định công nhận số 15/QĐ.');
  await unit.getByRole('button', { name: 'Lưu hồ sơ' }).click();
  await expect(unit.getByText('Đã lưu hồ sơ.')).toBeVisible();
  await hydrated(unit);
  await unit.getByRole('button', { name: 'Nộp lại hồ sơ' }).click();
  await expect(unit.getByTestId('entry-state')).toHaveText('Đã nộp');
  await unit.getByText('Lịch sử hồ sơ').click();
  const history = unit.getByTestId('entry-history').getByRole('listitem');
  await expect(history).toHaveCount(3);
  await expect(history.nth(1)).toContainText(reason);
  await expect(history.nth(2)).toContainText('Trường Đại học Đồng Tháp');

  await open(org, edition);
  await expect(org.getByTestId(`entry-${code}`)).toContainText('Đã nộp');
});

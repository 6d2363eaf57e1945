"""A staff member's cycle in a real browser: Debian's Chromium, driven by Selenium.

January's reports are in; February's come in one file per unit. The clerk drops
them all into the page, sees the one with a bad row refused with its place,
fixes it and drops it again, builds February's monthly report and opens its
PDF preview. Screenshots of each step at 1280 and 390 px wide are kept in
outputs/web-screens/ (or $BULLETIN_SCREENS) to be looked at.

Without /usr/bin/chromium the test is skipped, except under CI (CI=true),
where it fails: scripts/setup.sh installs chromium and chromium-driver.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import openpyxl
import pytest

from supervision_bulletin.web.app import Settings
from supervision_bulletin.web.server import start_in_thread
from tests.web.conftest import make_workspace, sample_report

PROJECT_ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTHS = (1280, 390)
BAD_UNIT = "区发改委"


def browser_or_skip():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        message = "需要 Debian 的 chromium 和 chromium-driver（bash scripts/setup.sh 会安装）"
        if os.environ.get("CI"):
            pytest.fail(f"CI 中缺少浏览器：{message}")
        pytest.skip(message)
    os.environ.setdefault("SE_AVOID_STATS", "true")  # Selenium sends nothing anywhere
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="bulletin-chromium-")
    for argument in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", "--lang=zh-CN", "--hide-scrollbars", "--window-size=1280,900",
    ):
        options.add_argument(argument)
    # Chromium on Linux takes its language (date fields, file buttons) from the environment.
    service = Service(str(CHROMEDRIVER), env={**os.environ, "LANGUAGE": "zh_CN", "LANG": "C.UTF-8"})
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    return driver, profile


def per_unit_files(folder: Path) -> dict[str, Path]:
    """February's sample report split the way units send it: one workbook each."""
    source = openpyxl.load_workbook(sample_report(2))["填报"]
    rows = list(source.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    by_unit: dict[str, list] = {}
    for row in data:
        if row[1]:
            by_unit.setdefault(row[1], []).append(row)
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for unit, unit_rows in by_unit.items():
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "填报"
        sheet.append(header)
        for row in unit_rows:
            sheet.append(row)
        files[unit] = folder / f"{unit}.xlsx"
        workbook.save(files[unit])
    return files


def spoil(path: Path, value) -> None:
    workbook = openpyxl.load_workbook(path)
    workbook["填报"]["C2"] = value
    workbook.save(path)


class Screens:
    def __init__(self, driver, folder: Path):
        self.driver = driver
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, name: str) -> None:
        """The whole page at each width, from its top."""
        driver = self.driver
        for width in WIDTHS:
            driver.set_window_size(width, 900)
            time.sleep(0.4)
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(width, min(max(height, 600), 6000))
            time.sleep(0.4)
            driver.save_screenshot(str(self.folder / f"{name}-{width}.png"))
        driver.set_window_size(WIDTHS[0], 900)


def wait(driver, condition, seconds: float = 60):
    """Until ``condition`` holds; an element htmx swapped out meanwhile is looked up again."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    waiting = WebDriverWait(driver, seconds, poll_frequency=0.25, ignored_exceptions=(StaleElementReferenceException,))
    return waiting.until(condition)


def test_a_clerks_cycle_in_chromium(tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import Select

    driver, profile = browser_or_skip()
    screens = Screens(driver, Path(os.environ.get("BULLETIN_SCREENS") or PROJECT_ROOT / "outputs" / "web-screens"))
    inputs = make_workspace(tmp_path / "ws", months=(1,))
    files = per_unit_files(tmp_path / "from-units")
    spoil(files[BAD_UNIT], "二十五")
    running = start_in_thread(Settings(inputs, tmp_path / "ws" / "outputs"))
    try:
        driver.get(running.url)
        wait(driver, seen.presence_of_element_located((By.CSS_SELECTOR, "table.matrix")))
        assert "督查日历" in driver.page_source and "可生成" in driver.page_source
        screens.take("1-overview")

        # Every unit's February file at once, dropped into the page.
        driver.find_element(By.LINK_TEXT, "上传月报和反馈").click()
        Select(wait(driver, seen.presence_of_element_located((By.ID, "month")))).select_by_value("2023-02")
        driver.find_element(By.ID, "files").send_keys("\n".join(str(path) for path in files.values()))
        results = wait(driver, seen.presence_of_element_located((By.ID, "results")), 120)
        refused = results.find_elements(By.CSS_SELECTOR, ".trial.bad")
        assert len(refused) == 1, results.text
        assert f"未放入：{BAD_UNIT}.xlsx" in refused[0].text
        assert "完成值“二十五”不是数字" in refused[0].text
        row = refused[0].find_element(By.CSS_SELECTOR, "table.problems tbody tr").text
        assert f"reports/2023-02/{BAD_UNIT}.xlsx" in row and "填报" in row and "2" in row and "C" in row
        assert len(results.find_elements(By.CSS_SELECTOR, ".trial.good ul.placed li")) == len(files) - 1
        assert not (inputs / "reports" / "2023-02" / f"{BAD_UNIT}.xlsx").exists()
        screens.take("2-upload-refused")

        # The unit sends it again, fixed.
        spoil(files[BAD_UNIT], 25)
        driver.find_element(By.ID, "files").send_keys(str(files[BAD_UNIT]))
        wait(driver, lambda d: f"已放入：{BAD_UNIT}.xlsx" in d.find_element(By.ID, "results").text, 120)
        assert (inputs / "reports" / "2023-02" / f"{BAD_UNIT}.xlsx").is_file()
        screens.take("3-upload-accepted")

        # February's monthly report, with its progress shown as it goes.
        driver.find_element(By.LINK_TEXT, "生成公文").click()
        card = wait(driver, seen.presence_of_element_located((By.ID, "cutoff-2")))
        assert "可生成" in card.text
        screens.take("4-build-page")
        card.find_element(By.CSS_SELECTOR, "button[value=official]").click()
        wait(driver, seen.presence_of_element_located((By.ID, "job")))
        driver.save_screenshot(str(screens.folder / "5-build-progress-1280.png"))
        state = wait(driver, lambda d: d.find_element(By.ID, "job").get_attribute("data-state") in ("已完成", "未完成")
                     and d.find_element(By.ID, "job").get_attribute("data-state"), 240)
        # The last poll may still swap the card once: read it when it holds still.
        text = wait(driver, lambda d: d.find_element(By.ID, "job").text, 30)
        assert state == "已完成", text
        assert "老城督查〔2023〕1号" in text and "2月份督查情况的通报" in text
        screens.take("6-build-done")

        # Its PDF, page by page.
        wait(driver, lambda d: d.find_element(By.ID, "job").find_element(By.LINK_TEXT, "预览").click() or True)
        first = wait(driver, seen.presence_of_element_located((By.CSS_SELECTOR, ".pdf-page img")))
        wait(driver, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", first), 60)
        assert driver.execute_script("return arguments[0].naturalWidth", first) > 800
        screens.take("7-pdf-preview")
    finally:
        driver.quit()
        running.stop()
        shutil.rmtree(profile, ignore_errors=True)

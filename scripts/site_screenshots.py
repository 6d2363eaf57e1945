"""Screenshots of the built site in headless Chromium (Debian's chromium and chromium-driver).

    .venv/bin/python scripts/site_screenshots.py outputs/site /tmp/shots [--page 2023-Q3/2023-Q3-季度通报.html]

For 1280 and 390 px wide: index.html at the top, and a document page scrolled to
its first attachment table, once as it opens and once with that table scrolled
to its last column (390 px). Prints each PNG and, for the table, whether its box
scrolls and where its last header cell ends up.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
)
WIDTHS = (1280, 390)
HEIGHT = 900
TABLE = ".attachment .table-wrap"


def browser(width: int, height: int = HEIGHT) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='site-shots-')}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # A headless window is never narrower than about 500 px: the viewport of a
    # phone (and its <meta name="viewport">) is set by device emulation.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
    })
    return driver


def table_state(driver, wrap) -> dict:
    return driver.execute_script(
        """const wrap = arguments[0], cells = wrap.querySelectorAll('thead th');
        const last = cells[cells.length - 1].getBoundingClientRect(), box = wrap.getBoundingClientRect();
        return {scrollWidth: wrap.scrollWidth, clientWidth: wrap.clientWidth, scrollLeft: wrap.scrollLeft,
                lastLeft: last.left, lastRight: last.right, boxLeft: box.left, boxRight: box.right,
                viewport: window.innerWidth, pageWidth: document.documentElement.scrollWidth};""",
        wrap,
    )


def shoot(site: Path, out: Path, page: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for width in WIDTHS:
        driver = browser(width)
        try:
            driver.get((site / "index.html").resolve().as_uri())
            made.append(out / f"index-{width}.png")
            driver.save_screenshot(str(made[-1]))
            driver.get((site / page).resolve().as_uri())
            wrap = driver.find_elements(By.CSS_SELECTOR, TABLE)[0]
            driver.execute_script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -60);", wrap)
            made.append(out / f"document-{width}.png")
            driver.save_screenshot(str(made[-1]))
            print(f"{width}px，打开时：{table_state(driver, wrap)}")
            driver.execute_script("arguments[0].scrollLeft = arguments[0].scrollWidth;", wrap)
            made.append(out / f"document-{width}-scrolled.png")
            driver.save_screenshot(str(made[-1]))
            print(f"{width}px，滚到最右：{table_state(driver, wrap)}")
        finally:
            driver.quit()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--page", default="2023-Q3/2023-Q3-季度通报.html", help="a document page with an attachment table")
    arguments = parser.parse_args()
    for path in shoot(arguments.site, arguments.out, arguments.page):
        print(path)


if __name__ == "__main__":
    main()

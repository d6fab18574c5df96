"""Filling each form in Chromium as a person would: type, choose, press, read the page."""

from __future__ import annotations

from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.wait import WebDriverWait

from tests.handlers.forms.browser import PHONE_WIDTH, page_width


def type_into(browser: WebDriver, field: str, words: str) -> None:
    box = browser.find_element(By.ID, field)
    box.clear()
    box.send_keys(words)


def choose(browser: WebDriver, radio_id: str) -> None:
    browser.find_element(By.CSS_SELECTOR, f"label[for='{radio_id}']").click()


def press(browser: WebDriver, button: str, key: str | None = None) -> None:
    """Click `button` (or send it `key`) and wait for the page its form brings back."""
    page = browser.find_element(By.TAG_NAME, "html")
    found = browser.find_element(By.XPATH, f"//button[normalize-space()='{button}']")
    if key is None:
        found.click()
    else:
        found.send_keys(key)
    WebDriverWait(browser, 30).until(staleness_of(page))


def approve(browser: WebDriver) -> None:
    type_into(browser, "comment", "Fits our reading priority")
    press(browser, "Approve")


def evaluate(browser: WebDriver) -> None:
    choose(browser, "rating-4")
    type_into(browser, "learned", "Blending and segmenting routines")
    type_into(browser, "impact_on_practice", "A daily phonics slot in Year 1")
    choose(browser, "recommend_provider-yes")
    choose(browser, "follow_up_wanted-no")
    press(browser, "Send")


def disseminate(browser: WebDriver) -> None:  # the date is offered as today
    type_into(browser, "method", "Staff meeting")
    type_into(browser, "audience", "Key Stage 1 team")
    press(browser, "Send")


def review(browser: WebDriver) -> None:
    choose(browser, "impact_rating-4")
    type_into(browser, "summary", "Phonics screening results up")
    press(browser, "Send")


def heading(browser: WebDriver) -> str:
    return str(browser.find_element(By.TAG_NAME, "h1").text)


def fits_a_phone(browser: WebDriver) -> None:
    inner, scroll = page_width(browser)
    assert inner == PHONE_WIDTH
    assert scroll <= PHONE_WIDTH, f"the page is {scroll} px wide at {inner} px"

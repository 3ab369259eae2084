"""UI strings of the Report page: the client report built, previewed and downloaded."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "nav_report": {"ru": "Отчёт", "en": "Report"},
    "report_title": {"ru": "Отчёт для клиента", "en": "Client report"},
    "report_intro": {
        "ru": "Документ с выводами, воронкой, сравнением каналов и продуктов и методикой — "
        "по тем же данным и фильтрам, что на страницах. Разделы без данных в отчёт не входят.",
        "en": "A document with the conclusions, the funnel, channels and products compared and "
        "the method, from the same data and filters as the pages. Sections the data cannot fill "
        "are left out.",
    },
    "report_name": {"ru": "Заголовок", "en": "Title"},
    "report_name_default": {"ru": "Воронка продаж: {name}", "en": "Sales funnel: {name}"},
    "report_sections": {"ru": "Разделы", "en": "Sections"},
    "report_by": {"ru": "Сравнить по", "en": "Compare by"},
    "report_target": {
        "ru": "Цель по выручке на квартал (0 — без плана)",
        "en": "Revenue target for the quarter (0: no plan)",
    },
    "report_lang": {"ru": "Язык отчёта", "en": "Report language"},
    "report_build": {"ru": "Собрать отчёт", "en": "Build the report"},
    "report_step_content": {"ru": "Считаю разделы…", "en": "Computing the sections…"},
    "report_step_html": {"ru": "Рисую графики и текст…", "en": "Drawing charts and text…"},
    "report_step_pdf": {"ru": "Верстаю PDF…", "en": "Laying out the PDF…"},
    "report_done": {
        "ru": "Отчёт готов за {seconds} с: HTML {html} КБ, PDF {pdf} КБ.",
        "en": "The report is ready in {seconds} s: HTML {html} KB, PDF {pdf} KB.",
    },
    "report_stale": {
        "ru": "Данные, фильтры или настройки изменились после сборки: соберите отчёт заново.",
        "en": "The data, filters or settings changed since it was built: build it again.",
    },
    "report_download_html": {"ru": "Скачать HTML", "en": "Download HTML"},
    "report_download_pdf": {"ru": "Скачать PDF", "en": "Download PDF"},
    "report_preview": {"ru": "Предпросмотр", "en": "Preview"},
    "report_sec_conclusions": {"ru": "Выводы", "en": "Conclusions"},
    "report_sec_funnel": {"ru": "Воронка", "en": "Funnel"},
    "report_sec_compare": {"ru": "Каналы и продукты", "en": "Channels and products"},
    "report_sec_leaks": {"ru": "Слабые места", "en": "Weak points"},
    "report_sec_economics": {"ru": "Экономика каналов", "en": "Channel economics"},
    "report_sec_trends": {"ru": "Динамика", "en": "Trends"},
    "report_sec_changes": {"ru": "До и после", "en": "Before and after"},
    "report_sec_velocity": {"ru": "Скорость", "en": "Speed"},
    "report_sec_plan": {"ru": "План", "en": "Plan"},
    "report_sec_method": {"ru": "Методика", "en": "Method"},
}

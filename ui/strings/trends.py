"""UI strings for Trends over cohorts and before/after a change, and cohort names in words."""

from __future__ import annotations

import pandas as pd

from funnel.deals import PERIODS
from funnel.report import formats

STRINGS: dict[str, dict[str, str]] = {
    # ---- trends page ----
    "tr_title": {
        "ru": "Как менялась конверсия: по {unit} создания сделки",
        "en": "How conversion changed: by the {unit} the deal was created",
    },
    "tr_title_unit_week": {"ru": "неделе", "en": "week"},
    "tr_title_unit_month": {"ru": "месяцу", "en": "month"},
    "tr_title_unit_quarter": {"ru": "кварталу", "en": "quarter"},
    "tr_intro": {
        "ru": "Сделки сгруппированы по периоду создания. Для каждой группы показана конверсия "
        "каждого шага и в успех: видно, в каком месяце шаг начал терять сделки или перестал их "
        "терять.",
        "en": "Deals are grouped by the period they were created in. Each group shows the "
        "conversion of every step and to won: you can see the month a step started losing "
        "deals, or stopped losing them.",
    },
    "tr_period": {"ru": "Когорта", "en": "Cohort"},
    "tr_period_week": {"ru": "Неделя", "en": "Week"},
    "tr_period_month": {"ru": "Месяц", "en": "Month"},
    "tr_period_quarter": {"ru": "Квартал", "en": "Quarter"},
    "tr_basis": {"ru": "Конверсия", "en": "Conversion"},
    "tr_basis_decided": {"ru": "Без открытых на этом шаге", "en": "Without deals open at the step"},
    "tr_basis_reached": {"ru": "Все дошедшие до шага", "en": "All that reached the step"},
    "tr_basis_help": {
        "ru": "«Без открытых на этом шаге»: сделки, ещё открытые на этапе, не входят в "
        "знаменатель — у них ещё не было шанса пройти дальше.",
        "en": "Without deals open at the step: deals still open at a stage are left out of the "
        "denominator — they have not yet had their chance to move on.",
    },
    "tr_by": {"ru": "Разрез", "en": "Break down by"},
    "tr_no_by": {"ru": "Вся воронка", "en": "Whole funnel"},
    "tr_steps_title": {"ru": "Конверсия шагов по когортам", "en": "Step conversion by cohort"},
    "tr_caption": {
        "ru": "Пунктир — когорты, которым ещё рано: их конверсия вырастет.",
        "en": "Dashed: cohorts too young to judge — their conversion will still grow.",
    },
    "tr_more": {"ru": "Подробнее", "en": "More"},
    "tr_caption_more": {
        "ru": "Точка — конверсия шага у сделок, созданных в этом периоде. Бледные треугольники "
        "и пунктир — периоды, которые ещё рано оценивать: {rule} Их конверсия ещё вырастет, "
        "это не провал. Фиолетовые линии — уровень до и после заметного сдвига.",
        "en": "A point is the step conversion of the deals created in that period. Faded "
        "triangles and dashed lines: periods too young to judge — {rule} Their rates are "
        "still rising; this is not a drop. Purple lines: the level before and after a clear "
        "shift.",
    },
    "tr_rule_age": {
        "ru": "у каждого шага свой срок — за сколько дней после создания сделки решается 80 % "
        "сделок на нём (считаем по более долгому из двух: проигрыш на этапе или переход "
        "дальше). Здесь это {days}, для «создана → успех» — {won_days} дн. Период ещё рано "
        "оценивать, пока его самым молодым сделкам меньше этого срока (данные — по {date}) или "
        "пока открытых сделок в нём намного больше, чем в старых периодах.",
        "en": "each step has its own maturity window — the days after creation within which "
        "80% of its deals are decided (the slower of being lost at the stage and passing on). "
        "Here it is {days}; created → won: {won_days} days. A period is too young to judge "
        "while its youngest deals are younger than that (data up to {date}), or while it "
        "holds far more open deals than the older periods.",
    },
    "tr_days_range": {"ru": "от {a} до {b} дн.", "en": "{a} to {b} days"},
    "tr_days_one": {"ru": "{a} дн.", "en": "{a} days"},
    "tr_rule_open": {
        "ru": "открытых сделок в них намного больше, чем в старых периодах (дат закрытия в "
        "данных нет).",
        "en": "they hold far more open deals than the older periods (the data has no close dates).",
    },
    "tr_shifts_title": {"ru": "Где конверсия сдвинулась", "en": "Where conversion shifted"},
    "tr_shift_up": {
        "ru": "**{step}**: у сделок, созданных с {when}, конверсия выросла с {before} до "
        "{after} (дошли до шага: {n_before} до и {n_after} после; надёжно: вероятность "
        "случайности {p}).",
        "en": "**{step}**: for deals created from {when} on, conversion went up from {before} "
        "to {after} (reached the step: {n_before} before, {n_after} after; reliable: chance "
        "of a fluke {p}).",
    },
    "tr_shift_down": {
        "ru": "**{step}**: у сделок, созданных с {when}, конверсия упала с {before} до {after} "
        "(дошли до шага: {n_before} до и {n_after} после; надёжно: вероятность случайности "
        "{p}).",
        "en": "**{step}**: for deals created from {when} on, conversion went down from "
        "{before} to {after} (reached the step: {n_before} before, {n_after} after; reliable: "
        "chance of a fluke {p}).",
    },
    "tr_shift_near": {
        "ru": "Рядом отмечено изменение {date} «{label}» — проверьте его на странице «До и после».",
        "en": "A change is marked nearby: {date} {label} — check it on the Before and after page.",
    },
    "tr_shift_precision": {
        "ru": "{unit} с точностью ±1–2 периода.",
        "en": "The {unit} is given to within ±1–2 periods.",
    },
    "tr_shift_unit_week": {"ru": "Неделя указана", "en": "week"},
    "tr_shift_unit_month": {"ru": "Месяц указан", "en": "month"},
    "tr_shift_unit_quarter": {"ru": "Квартал указан", "en": "quarter"},
    "tr_no_shift": {
        "ru": "Ни один шаг не сдвинулся между зрелыми когортами сильнее случайного разброса.",
        "en": "No step shifted between mature cohorts beyond noise.",
    },
    "tr_shift_note": {
        "ru": "Для каждого шага проверены все точки раздела зрелых периодов на «до» и «после» "
        "(двухвыборочный z-тест, поправка на число проверок и Бенджамини — Хохберга по шагам).",
        "en": "For each step every split of the mature periods into before and after was tried "
        "(two-proportion z-test, corrected for the splits tried and Benjamini-Hochberg "
        "across steps).",
    },
    "tr_volume_title": {"ru": "Сделок в когорте", "en": "Deals per cohort"},
    "tr_volume_caption": {
        "ru": "Жёлтое — ещё открытые сделки. Бледные столбцы — периоды, которые ещё рано "
        "оценивать.",
        "en": "Yellow: deals still open. Faded bars: periods too young to judge.",
    },
    "tr_small_hidden": {
        "ru": "Периоды, где до шага дошло меньше {n} сделок, не показаны: одна сделка из одной "
        "— это ещё не 100 %.",
        "en": "Periods with fewer than {n} deals at the step are not drawn: one deal out of "
        "one is not 100% yet.",
    },
    "tr_try_month": {
        "ru": "По неделям сделок мало — большая часть точек скрыта или шумит. Выберите «Месяц».",
        "en": "Weeks hold few deals — most points are hidden or noisy. Pick Month.",
    },
    "tr_segments_title": {"ru": "Шаг по сегментам", "en": "One step by segment"},
    "tr_step": {"ru": "Шаг", "en": "Step"},
    "tr_segments_caption": {
        "ru": "Когорты сегмента, где до шага дошло меньше {n} сделок, не показаны: одна сделка "
        "из одной — это ещё не 100 %. Для маленьких сегментов выберите квартал.",
        "en": "A segment's cohorts with fewer than {n} deals at the step are not drawn: one "
        "deal out of one is not 100% yet. For small segments pick quarters.",
    },
    "tr_top_note": {
        "ru": "Показаны {n} крупнейших сегментов из {total}.",
        "en": "The {n} largest of {total} segments are shown.",
    },
    "tr_table_title": {"ru": "Таблица по когортам", "en": "Cohort table"},
    "tr_undated": {
        "ru": "Без даты создания: {n} — они не попали ни в одну когорту.",
        "en": "No creation date: {n} — they are in no cohort.",
    },
    "tr_no_created": {
        "ru": "В данных нет даты создания сделки — укажите её столбец на странице «Данные».",
        "en": "The data has no deal creation date — map its column on the Data page.",
    },
    "tr_one_cohort": {
        "ru": "Все сделки попали в одну когорту — выберите период короче.",
        "en": "All deals fall in one cohort — pick a shorter period.",
    },
    # ---- chart words ----
    "tw_created": {"ru": "Создана", "en": "Created"},
    "tw_cohort": {"ru": "Когорта", "en": "Cohort"},
    "tw_rate": {"ru": "Конверсия", "en": "Conversion"},
    "tw_passed": {"ru": "Прошли", "en": "Passed"},
    "tw_trials": {"ru": "Дошли до шага", "en": "Reached the step"},
    "tw_immature": {"ru": "Ещё рано оценивать", "en": "Too early to judge"},
    "tw_mature": {"ru": "Можно оценивать", "en": "Can be judged"},
    "tw_open": {"ru": "Открыты", "en": "Open"},
    "tw_lost": {"ru": "Проиграны", "en": "Lost"},
    "tw_won": {"ru": "Успех", "en": "Won"},
    "tw_outcome": {"ru": "Итог", "en": "Outcome"},
    "tw_before": {"ru": "До", "en": "Before"},
    "tw_after": {"ru": "После", "en": "After"},
    "tw_change": {"ru": "Изменение", "en": "Change"},
    "tw_level": {"ru": "Уровень до / после сдвига", "en": "Level before / after the shift"},
    "tw_quarter_fmt": {"ru": "{roman} кв. {year}", "en": "Q{q} {year}"},
    "tw_week_fmt": {"ru": "нед. {day}", "en": "wk {day}"},
    "tr_week_of": {"ru": "неделя с {day}", "en": "week of {day}"},
    "tr_week_of_gen": {"ru": "недели с {day}", "en": "week of {day}"},
    "tr_chance_tiny": {"ru": "меньше 0,1 %", "en": "under 0.1%"},
    # ---- table columns ----
    "tc_segment": {"ru": "Сегмент", "en": "Segment"},
    "tc_cohort": {"ru": "Создана", "en": "Created in"},
    "tc_step": {"ru": "Шаг", "en": "Step"},
    "tc_deals": {"ru": "Сделок", "en": "Deals"},
    "tc_trials": {"ru": "Дошли до шага", "en": "Reached the step"},
    "tc_open_at": {"ru": "Открыты на этапе", "en": "Open at stage"},
    "tc_passed": {"ru": "Прошли", "en": "Passed"},
    "tc_rate": {"ru": "Конверсия", "en": "Conversion"},
    "tc_rate_decided": {"ru": "Конверсия закрытых", "en": "Decided conversion"},
    "tc_immature": {"ru": "Ещё рано оценивать", "en": "Too early to judge"},
    "tc_before_passed": {"ru": "До: прошли", "en": "Before: passed"},
    "tc_before_trials": {"ru": "До: дошли до шага", "en": "Before: reached the step"},
    "tc_before_rate": {"ru": "До", "en": "Before"},
    "tc_after_passed": {"ru": "После: прошли", "en": "After: passed"},
    "tc_after_trials": {"ru": "После: дошли до шага", "en": "After: reached the step"},
    "tc_after_rate": {"ru": "После", "en": "After"},
    "tc_change": {"ru": "Изменение, п.п.", "en": "Change, pts"},
    "tc_p_adjusted": {"ru": "Вероятность случайности", "en": "Chance of a fluke"},
    "tc_significant": {"ru": "Заметно", "en": "Clear change"},
    "tc_too_small": {"ru": "Мало данных", "en": "Too small"},
    # ---- before / after page ----
    "ba_title": {"ru": "До и после изменения", "en": "Before and after a change"},
    "ba_mode": {"ru": "Сравнить", "en": "Compare"},
    "ba_mode_change": {"ru": "До и после изменения", "en": "Before / after a change"},
    "ba_mode_previous": {"ru": "С прошлым периодом", "en": "With the previous period"},
    "ba_mode_last_year": {
        "ru": "С тем же периодом год назад",
        "en": "With the same period a year ago",
    },
    "ba_changes_title": {"ru": "Изменения в продажах", "en": "Changes to the sales process"},
    "ba_changes_help": {
        "ru": "Отметьте дату, когда вы что-то поменяли: новый скрипт, прайс, рекламу. У "
        "клиента изменения сохраняются сразу; на демо-данных — пока открыта вкладка. С "
        "разметкой (YAML) их можно и скачать.",
        "en": "Mark the day you changed something: a new script, price list or campaign. A "
        "client's changes are saved at once; on the sample data, while this tab is open. They "
        "can also be downloaded with the mapping (YAML).",
    },
    "ba_spec_download": {"ru": "Скачать разметку (YAML)", "en": "Download the mapping (YAML)"},
    "ba_need_date": {"ru": "Укажите дату изменения.", "en": "Pick the day of the change."},
    "ba_date_outside": {
        "ru": "Дата вне данных ({first}–{last}): {side}. Изменение не сохранено.",
        "en": "The date is outside the data ({first}–{last}): {side}. The change was not saved.",
    },
    "ba_outside_before": {"ru": "до изменения нет сделок", "en": "there are no deals before it"},
    "ba_outside_after": {"ru": "после него нет сделок", "en": "there are no deals after it"},
    "ba_no_trim": {"ru": "Не обрезать другими изменениями", "en": "Don't cut at other changes"},
    "ba_trimmed_after": {
        "ru": "Период «после» обрезан {date} — там следующее изменение «{label}».",
        "en": "The after period is cut at {date} — the next change, {label}, starts there.",
    },
    "ba_trimmed_before": {
        "ru": "Период «до» начинается {date} — там предыдущее изменение «{label}».",
        "en": "The before period starts on {date} — the previous change, {label}, was then.",
    },
    "ba_periods": {
        "ru": "{b}: {b0} – {b1} · {a}: {a0} – {a1}",
        "en": "{b}: {b0} – {b1} · {a}: {a0} – {a1}",
    },
    "ba_lead_none": {
        "ru": "**{head}**: заметного эффекта нет — {step}: {before} → {after}, в пределах шума.",
        "en": "**{head}**: no clear effect — {step}: {before} → {after}, within noise.",
    },
    "ba_lead_moved": {
        "ru": "**{head}**: что изменилось заметно:",
        "en": "**{head}**: what clearly changed:",
    },
    "ba_not_judged": {
        "ru": "**Пока нельзя оценить:**",
        "en": "**Cannot be judged yet:**",
    },
    "ba_small_step": {
        "ru": "**{step}** — мало данных: дошли до шага {b} до и {a} после, нужно хотя бы {n} с "
        "каждой стороны",
        "en": "**{step}** — too little data: {b} reached the step before and {a} after, at "
        "least {n} on each side are needed",
    },
    "ba_in_segment": {
        "ru": "В канале «{seg}»: ",
        "en": "In channel {seg}: ",
    },
    "ba_in_segment_product": {"ru": "У продукта «{seg}»: ", "en": "For product {seg}: "},
    "ba_in_segment_owner": {"ru": "У менеджера «{seg}»: ", "en": "For owner {seg}: "},
    "ba_in_segment_pipeline": {"ru": "В воронке «{seg}»: ", "en": "In pipeline {seg}: "},
    "ba_significance_help": {
        "ru": "Каждый шаг проверен двухвыборочным z-тестом «после» против «до»; вероятности "
        "случайности поправлены по Бенджамини — Хохбергу на число шагов (и сегментов). "
        "Заметно — если она меньше 5 %.",
        "en": "Each step is a two-proportion z-test of after against before; the chances of a "
        "fluke are adjusted with Benjamini-Hochberg over the steps (and segments) shown. Clear "
        "means under 5%.",
    },
    "ba_head_periods": {"ru": "{b} → {a}", "en": "{b} → {a}"},
    "ba_yes": {"ru": "да", "en": "Yes"},
    "ba_no": {"ru": "нет", "en": "No"},
    "ba_date": {"ru": "Дата", "en": "Date"},
    "ba_label": {"ru": "Что изменили", "en": "What changed"},
    "ba_label_placeholder": {"ru": "Новый скрипт продаж", "en": "New sales script"},
    "ba_add": {"ru": "Добавить изменение", "en": "Add the change"},
    "ba_remove": {"ru": "Удалить", "en": "Remove"},
    "ba_no_changes": {
        "ru": "Изменений пока нет — добавьте первое выше.",
        "en": "No changes yet — add the first one above.",
    },
    "ba_need_label": {"ru": "Напишите, что изменили.", "en": "Say what changed."},
    "ba_pick_change": {"ru": "Изменение", "en": "Change"},
    "ba_equal": {"ru": "Равные периоды до и после", "en": "Equal windows before and after"},
    "ba_period": {"ru": "Период", "en": "Period"},
    "ba_this_period": {"ru": "Этот период", "en": "This period"},
    "ba_rule_created": {
        "ru": "Шаг сделки отнесён к периоду по дате её создания. Конверсия — только по "
        "закрытым на этапе сделкам (открытые не учтены). У каждого шага свой срок созревания: "
        "за сколько дней решаются 80 % его попыток — проигрыш на этапе или переход дальше, что "
        "дольше (здесь от {min_days} до {max_days} дн., «создана → успех» — {won_days} дн.). "
        "Попытки моложе срока своего шага не учтены ни до, ни после: они ещё не успели "
        "решиться, и период «после» выглядел бы хуже, чем есть. Для самого медленного шага "
        "учтены сделки, созданные по {cutoff}.",
        "en": "A deal's step is put in the period by the deal's creation date. Conversion counts "
        "only deals decided at the step (open ones left out). Each step has its own maturity "
        "horizon: the days within which 80% of its attempts are decided — lost at the stage or "
        "passed on, whichever is slower (here {min_days} to {max_days} days; created → won: "
        "{won_days} days). Attempts younger than their step's horizon are left out on both "
        "sides: they have not had time to be decided, and would make the 'after' side look "
        "worse than it is. The slowest step counts deals created up to {cutoff}.",
    },
    "ba_rule_entered": {
        "ru": "Шаг сделки отнесён к периоду по дате, когда сделка вошла на этот этап. Конверсия — "
        "только по закрытым на этапе сделкам (открытые не учтены). У каждого шага свой срок "
        "созревания: за сколько дней после входа на этап решаются 80 % попыток — проигрыш или "
        "переход дальше, что дольше (здесь от {min_days} до {max_days} дн., «создана → успех» "
        "— {won_days} дн.). Попытки моложе срока своего шага не учтены ни до, ни после. Для "
        "самого медленного шага учтены попытки, начатые по {cutoff}.",
        "en": "A deal's step is put in the period by the day the deal entered that stage. "
        "Conversion counts only deals decided at the step (open ones left out). Each step has "
        "its own maturity horizon: the days from entering the stage within which 80% of its "
        "attempts are decided — lost or passed on, whichever is slower (here {min_days} to "
        "{max_days} days; created → won: {won_days} days). Attempts younger than their step's "
        "horizon are left out on both sides. The slowest step counts attempts started up to "
        "{cutoff}.",
    },
    "ba_rule_nocut": {
        "ru": "Шаг отнесён к периоду по дате {anchor}. Конверсия — только по закрытым на этапе "
        "сделкам. Дат закрытия в данных нет, поэтому молодые сделки не отсечены.",
        "en": "A step is put in the period by its {anchor} date. Conversion counts only deals "
        "decided at the step. The data has no close dates, so young deals are not cut off.",
    },
    "ba_anchor_created": {"ru": "создания сделки", "en": "creation"},
    "ba_anchor_entered": {"ru": "входа на этап", "en": "stage entry"},
    "ba_chart_title": {"ru": "Воронка до и после", "en": "The funnel before and after"},
    "ba_chart_caption": {
        "ru": "Серый кружок — до, ромб — после. Зелёным — значимый рост, красным — значимое "
        "падение (звёздочка), серым — в пределах шума или мало данных (меньше {n} дошедших до "
        "шага). «Рано судить» — точки «после» пока нет.",
        "en": "Grey circle: before; diamond: after. Green: a significant rise, red: a "
        "significant fall (starred); grey: within noise or too little data (under {n} reached "
        "the step). Too early: no after point yet.",
    },
    "ba_verdict_title": {"ru": "Что изменилось", "en": "What changed"},
    "ba_up": {
        "ru": "**{step}**: {before} → {after} — значимый рост (надёжно: вероятность "
        "случайности {p}).",
        "en": "**{step}**: {before} → {after} — a significant rise (reliable: chance of a "
        "fluke {p}).",
    },
    "ba_down": {
        "ru": "**{step}**: {before} → {after} — значимое падение (надёжно: вероятность "
        "случайности {p}).",
        "en": "**{step}**: {before} → {after} — a significant fall (reliable: chance of a "
        "fluke {p}).",
    },
    "ba_by_channel": {"ru": "То же по каналам", "en": "The same by channel"},
    "ba_by": {"ru": "Разрез", "en": "Break down by"},
    "ba_table_title": {"ru": "Таблица до и после", "en": "Before / after table"},
    "ba_no_dates": {
        "ru": "Для сравнения периодов нужны даты: дата создания сделки или даты этапов.",
        "en": "Comparing periods needs dates: a deal creation date or stage dates.",
    },
    "ba_empty_side": {
        "ru": "В одном из периодов нет сделок, которые можно оценить. Выберите другую дату "
        "или период.",
        "en": "One of the periods has no deals that can be judged. Pick another date or period.",
    },
    "ba_immature_period": {
        "ru": "Часть периода «после» моложе срока созревания медленных шагов (до {days} дн.): "
        "эти попытки не учтены.",
        "en": "Part of the 'after' period is younger than the slow steps' horizon (up to {days} "
        "days): those attempts are left out.",
    },
    "ba_too_early": {
        "ru": "**Рано судить.** Изменение слишком свежее для этих шагов: после него ещё меньше "
        "{n} дошедших до шага сделок успели решиться. Это не падение — просто данных пока нет.",
        "en": "**Too early to judge.** The change is too recent for these steps: fewer than {n} "
        "attempts after it have had time to be decided. This is not a drop — there is no data "
        "yet.",
    },
    "ba_too_early_period": {
        "ru": "**Рано судить.** Этот период слишком свежий для этих шагов: в нём ещё меньше {n} "
        "дошедших до шага сделок успели решиться. Это не падение — просто данных пока нет.",
        "en": "**Too early to judge.** This period is too recent for these steps: fewer than {n} "
        "of its attempts have had time to be decided. This is not a drop — there is no data "
        "yet.",
    },
    "ba_too_early_date": {
        "ru": "**{step}** — можно будет оценить не раньше {date} (срок шага {days} дн.)",
        "en": "**{step}** — can be judged from {date} at the earliest (the step takes {days} days)",
    },
    "ba_too_early_wait": {
        "ru": "**{step}** — когда в периоде «после» до этапа дойдут хотя бы {n} сделок (пока "
        "{k}) и пройдёт {days} дн.",
        "en": "**{step}** — once at least {n} deals on the 'after' side have reached the stage "
        "(so far {k}) and {days} days have passed",
    },
    "ba_none_judgeable": {
        "ru": "Ни один шаг пока нельзя оценить: с одной из сторон меньше {n} решённых попыток.",
        "en": "No step can be judged yet: one side has fewer than {n} decided attempts.",
    },
    "tc_horizon_days": {"ru": "Срок шага, дн.", "en": "Step horizon, days"},
    "tc_judge_from": {"ru": "Оценить не раньше", "en": "Judge from"},
    "tc_too_early": {"ru": "Рано судить", "en": "Too early"},
    "tw_too_early": {"ru": "рано судить", "en": "too early"},
}

# The trend charts take their month abbreviations as one "|"-joined text (funnel.charts.trends
# splits it); the names themselves are CLDR's.
STRINGS["tw_months_short"] = {
    lang: "|".join(formats.month_names(lang, short=True)) for lang in ("ru", "en")
}

_ROMAN = ("I", "II", "III", "IV")


def _period(label: str, period: str) -> pd.Period:
    """A cohort label as ``Deals.encode`` writes it ("2026-03", "2026Q1", "2026-03-02/...")."""
    if period == "week":
        return pd.Period(str(label).split("/")[0], freq=PERIODS["week"])
    return pd.Period(label, freq=PERIODS[period])


def cohort_since(label: str, period: str, language: str) -> str:
    """The cohort as the start of "deals created from ...": "января 2026", "I кв. 2026",
    "02.03.2026" (English: "January 2026", "Q1 2026", "2026-03-02").

    >>> cohort_since("2026-01", "month", "ru"), cohort_since("2026-03-02/2026-03-08", "week", "ru")
    ('января 2026', '02.03.2026')
    """
    if period == "week":
        return formats.date_text(_period(label, period).start_time, language)
    return cohort_words(label, period, language, genitive=True)


def cohort_title(label: str, period: str, language: str) -> str:
    """A cohort as a heading: "Июль 2026", "I кв. 2026", "Неделя с 02.03.2026".

    >>> cohort_title("2026-07", "month", "ru")
    'Июль 2026'
    """
    words = cohort_words(label, period, language)
    return words[:1].upper() + words[1:]


def cohort_words(label: str, period: str, language: str, *, genitive: bool = False) -> str:
    """A cohort label in words: "март 2026", "I кв. 2026", "неделя с 02.03.2026"; in Russian
    ``genitive`` gives "(когорты) марта 2026", "недели с 02.03.2026".

    >>> cohort_words("2026-03", "month", "ru"), cohort_words("2026Q1", "quarter", "en")
    ('март 2026', 'Q1 2026')
    >>> cohort_words("2026-03", "month", "ru", genitive=True)
    'марта 2026'
    """
    p = _period(label, period)
    if period == "month":
        return f"{formats.month_names(language, genitive=genitive)[p.month - 1]} {p.year}"
    if period == "quarter":
        return _text("tw_quarter_fmt", language).format(
            roman=_ROMAN[p.quarter - 1], q=p.quarter, year=p.year
        )
    day = formats.date_text(p.start_time, language)
    return _text("tr_week_of_gen" if genitive else "tr_week_of", language).format(day=day)


def _text(key: str, language: str) -> str:
    entry = STRINGS[key]
    return entry.get(language) or entry["en"]

"""UI strings for Velocity, stuck deals and the planner (reverse funnel)."""

from __future__ import annotations

from funnel.report import formats
from ui.strings.words import word


def plural(n: float, one: str, few: str, many: str, language: str = "ru") -> str:
    """Three forms given in place, for callers that write them out; the choice is CLDR's
    (funnel.report.formats.plural): a fraction takes the "few" form (14,5 продажи), English has
    one and other.

    >>> [plural(n, "заявка", "заявки", "заявок") for n in (1, 4, 5, 11, 21, 101, 112, 14.5)]
    ['заявка', 'заявки', 'заявок', 'заявок', 'заявка', 'заявка', 'заявок', 'заявки']
    >>> plural(1, "lead", "leads", "leads", "en"), plural(21, "lead", "leads", "leads", "en")
    ('lead', 'leads')
    """
    return formats.plural(n, {"one": one, "few": few, "many": many, "other": few}, language)


def forms(key: str, n: float, language: str = "ru") -> str:
    """The form of the word ``key`` (ui.strings.words) that agrees with ``n`` in ``language``.

    >>> forms("w_leads", 101), forms("w_leads", 4), forms("w_won", 14.5), forms("w_won", 1, "en")
    ('заявка', 'заявки', 'продажи', 'won deal')
    """
    return word(key, n, language)


STRINGS: dict[str, dict[str, str]] = {
    # ---- velocity ----
    "vel_title": {"ru": "Скорость сделок", "en": "Deal velocity"},
    "vel_now": {
        "ru": "«Сейчас» — последняя дата в данных: **{date}**. Выгрузка — снимок на этот момент, "
        "поэтому сроки считаются от него, а не от сегодняшнего дня.",
        "en": "'Now' is the latest date in the data: **{date}**. An export is a snapshot taken "
        "then, so ages are counted from it, not from today's clock.",
    },
    "vel_snapshot": {
        "ru": "В файле нет дат перехода по этапам — только даты создания и закрытия. Поэтому "
        "видно время от создания до успеха, но не время на каждом этапе. Чтобы увидеть этапы, "
        "загрузите реестр с датой каждого этапа или историю изменений этапов.",
        "en": "The file has no stage entry dates — only created and closed dates. So it shows "
        "the time from creation to win, not the time in each stage. To see the stages, load a "
        "register with a date per stage, or a stage history.",
    },
    "vel_no_dates": {
        "ru": "В данных нет дат, по которым можно посчитать скорость: нужны дата создания и "
        "дата закрытия или даты этапов. Укажите их на странице «Данные».",
        "en": "The data has no dates to measure speed by: it needs created and closed dates, "
        "or stage dates. Map them on the Data page.",
    },
    "vel_by": {"ru": "Разрез", "en": "Break down by"},
    "vel_by_none": {"ru": "Без разреза", "en": "No breakdown"},
    "vel_chart_title": {"ru": "Дней на этапе и до успеха", "en": "Days in stage and to win"},
    "vel_chart_caption": {
        "ru": "Точка — медиана: половина сделок прошла быстрее, половина медленнее. Полоса — "
        "где лежит средняя половина сделок: четверть сделок быстрее её левого края, четверть "
        "медленнее правого. Время на этапе — от входа в этап до входа в следующий, только у "
        "сделок, которые пошли дальше; на последнем этапе — до продажи.",
        "en": "Dot: the median (half the deals were faster, half slower); bar: where the middle "
        "half of the deals lies (a quarter were faster than its left end, a quarter slower "
        "than its right end). "
        "Time in stage runs from entering it to entering the next, for deals that moved on; "
        "at the last stage, to the win.",
    },
    "vel_heatmap_caption": {
        "ru": "Обычное число дней на этапе (медиана) по сегментам ({n} крупнейших). Зелёным — "
        "быстрее, чем все сделки на этом этапе, красным — медленнее. Серым — клетки, где "
        "меньше {m} сделок: сравнивать по ним рано. Мелко под числом — сколько сделок; разброс "
        "— в подсказке и в таблице.",
        "en": "Typical (median) days in stage per segment (the {n} largest). Green: faster than "
        "all deals at that stage; red: slower. Grey: fewer than {m} deals, too few to compare. "
        "The small number is the deal count; the spread is in the tooltip and the table.",
    },
    "vel_to_win": {"ru": "От создания до успеха", "en": "Creation to win"},
    "vel_all": {"ru": "Все сделки", "en": "All deals"},
    "vel_table": {"ru": "Таблица сроков", "en": "Durations table"},
    "vel_col_segment": {"ru": "Сегмент", "en": "Segment"},
    "vel_col_stage": {"ru": "Этап", "en": "Stage"},
    "vel_col_q1": {
        "ru": "Быстрые 25\u00a0% сделок — до, дней",
        "en": "Fastest 25% of deals: up to, days",
    },
    "vel_col_median": {"ru": "Обычно, дней (медиана)", "en": "Typical days (median)"},
    "vel_col_q3": {
        "ru": "Медленные 25\u00a0% сделок — от, дней",
        "en": "Slowest 25% of deals: from, days",
    },
    "vel_col_n": {"ru": "Сделок", "en": "Deals"},
    "vel_days": {"ru": "Дней", "en": "Days"},
    "vel_kpi_to_win": {
        "ru": "Обычно до продажи, дней (медиана)",
        "en": "Typical days to win (median)",
    },
    "vel_kpi_spread": {
        "ru": "у половины сделок — от {q1} до {q3}",
        "en": "half of the deals: {q1} to {q3}",
    },
    # ---- stuck deals ----
    "stuck_title": {"ru": "Зависшие сделки", "en": "Stuck deals"},
    "stuck_rule_stage": {
        "ru": "Сделка зависла, если стоит на этапе дольше, чем {p}\u00a0% сделок, которые с "
        "этого этапа ушли дальше. Норма есть у этапа, с которого дальше ушли хотя бы {m} "
        "сделок.",
        "en": "A deal is stuck when it has stayed at its stage longer than {p}% of the deals "
        "that moved on from that stage. A stage has a norm when at least {m} deals moved on "
        "from it.",
    },
    "stuck_rule_age": {
        "ru": "Дат перехода по этапам нет, поэтому сравнивается возраст открытой сделки (дней "
        "от создания) с тем, за сколько дошли до успеха {p}\u00a0% выигранных сделок: "
        "{norm} дн. Этап, на котором сделка стоит, при этом не учитывается.",
        "en": "There are no stage entry dates, so an open deal's age (days since creation) is "
        "held against the time {p}% of the won deals took to win: {norm} days. The stage the "
        "deal is at is not taken into account.",
    },
    "stuck_none_judged": {
        "ru": "Оценить нечего: нет открытых сделок с датами или слишком мало сделок прошли "
        "этапы, чтобы задать норму.",
        "en": "Nothing to judge: no open deals with dates, or too few deals moved on to set a "
        "norm.",
    },
    "stuck_norms": {"ru": "Нормы по этапам", "en": "Norms per stage"},
    "stuck_norm_n": {"ru": "Прошли дальше, сделок", "en": "Deals that moved on"},
    "stuck_kpi": {"ru": "Зависло", "en": "Stuck"},
    "stuck_kpi_of": {"ru": "из {n} {word}", "en": "of {n} {word}"},
    "stuck_summary": {
        "ru": "Зависло {stuck} из {n} {word}",
        "en": "{stuck} stuck of {n} {word}",
    },
    "stuck_summary_rest": {
        "ru": "; ещё {n} {word} — на этапах без нормы (меньше {m} {deals} ушли дальше)",
        "en": "; {n} more {word} — at stages with no norm (fewer than {m} {deals} moved on)",
    },
    "stuck_by_age": {
        "ru": "{n} {word} на этапах без нормы оценены по возрасту: дней с создания против "
        "времени, за которое дошли до продажи {p}\u00a0% выигранных сделок ({norm} дн.).",
        "en": "{n} {word} at stages with no norm were judged by age: days since creation "
        "against the time {p}% of the won deals took to win ({norm} days).",
    },
    "stuck_unjudged": {"ru": "Не оценены ({n})", "en": "Not judged ({n})"},
    "stuck_unjudged_caption": {
        "ru": "Нормы нет ни у этапа, ни по возрасту (нужно хотя бы {m} выигранных сделок с "
        "датами создания и закрытия) — сказать, зависли ли эти сделки, нельзя.",
        "en": "Neither the stage nor the deal's age has a norm (it takes at least {m} won deals "
        "with created and closed dates), so whether these deals are stuck cannot be told.",
    },
    "stuck_col_rule": {"ru": "Как оценена", "en": "Judged by"},
    "stuck_rule_word_stage": {"ru": "по этапу", "en": "stage"},
    "stuck_rule_word_age": {"ru": "по возрасту", "en": "age"},
    "stuck_kpi_money": {"ru": "Сумма под угрозой", "en": "Money at risk"},
    "stuck_money_help": {
        "ru": "Суммы зависших сделок в основной валюте ({cur}).",
        "en": "The stuck deals' amounts in the main currency ({cur}).",
    },
    "stuck_other_currency": {
        "ru": "Ещё {n} {word} в других валютах в сумму не входят.",
        "en": "{n} more stuck {word} in other currencies are not in the sum.",
    },
    "stuck_none": {"ru": "Зависших сделок нет.", "en": "No stuck deals."},
    "stuck_sorted": {
        "ru": "Сначала — самые крупные суммы. «Сверх нормы» — на сколько дней дольше нормы.",
        "en": "Largest amounts first. 'Over the norm' is how many days past the norm.",
    },
    "stuck_col_deal": {"ru": "ID", "en": "ID"},
    "stuck_col_title": {"ru": "Сделка", "en": "Deal"},
    "stuck_col_owner": {"ru": "Менеджер", "en": "Owner"},
    "stuck_col_channel": {"ru": "Канал", "en": "Channel"},
    "stuck_col_amount": {"ru": "Сумма", "en": "Amount"},
    "stuck_col_stage": {"ru": "Этап", "en": "Stage"},
    "stuck_col_days": {"ru": "Дней на этапе", "en": "Days in stage"},
    "stuck_col_days_age": {"ru": "Дней с создания", "en": "Days since created"},
    "stuck_col_norm_days": {"ru": "Норма, дней", "en": "Norm, days"},
    "stuck_col_over_days": {"ru": "Сверх нормы, дней", "en": "Over the norm, days"},
    "stuck_col_over_ratio": {"ru": "Во сколько раз дольше", "en": "Times the norm"},
    # ---- planner ----
    "plan_title": {"ru": "План: сколько нужно заявок", "en": "Planner: how many leads"},
    "plan_by": {"ru": "Планировать по", "en": "Plan by"},
    "plan_kind": {"ru": "Цель", "en": "Target"},
    "plan_kind_revenue": {"ru": "Выручка", "en": "Revenue"},
    "plan_kind_won": {"ru": "Число продаж", "en": "Won deals"},
    "plan_target_revenue": {"ru": "Выручка за период", "en": "Revenue for the period"},
    "plan_target_won": {"ru": "Продаж за период", "en": "Won deals in the period"},
    "plan_target_help": {
        "ru": "По умолчанию — результат последнего полного квартала в данных.",
        "en": "By default, what the last full quarter in the data brought.",
    },
    "plan_period": {"ru": "Период", "en": "Period"},
    "plan_period_help": {
        "ru": "По умолчанию — квартал после последней даты в данных.",
        "en": "By default, the quarter after the data's last date.",
    },
    "plan_mix": {"ru": "Доли каналов", "en": "Channel mix"},
    "plan_mix_leads": {"ru": "по заявкам", "en": "of leads"},
    "plan_mix_revenue": {"ru": "по доле выручки", "en": "of revenue"},
    "plan_mix_edit": {"ru": "Изменить доли, %", "en": "Edit the shares, %"},
    "plan_mix_caption": {
        "ru": "По умолчанию — нынешние доли за последний год. Каналы без продаж в долю не "
        "входят. Доли пересчитываются так, чтобы в сумме было 100\u00a0%.",
        "en": "By default, the current shares over the last year. Channels with no wins get "
        "none. Shares are rescaled to add up to 100%.",
    },
    "plan_mix_locked": {
        "ru": "Долю нельзя дать каналам без продаж или без сумм — на них не планируем: {names}.",
        "en": "Channels with no wins or no amounts cannot get a share — not planned on: {names}.",
    },
    "plan_mix_dropped": {
        "ru": "Доля {share} стоит на каналах, на которых не планируем (нет продаж или сумм).",
        "en": "{share} of the mix sits on channels not planned on (no wins or no amounts).",
    },
    "plan_uncovered": {
        "ru": "Цель не покрыта на {gap}: по плану выйдет {forecast} при цели {target}.",
        "en": "The target is not covered by {gap}: the plan brings {forecast} against {target}.",
    },
    "plan_passed": {
        "ru": "Период уже прошёл: выиграно {actual} при цели {target} (по дате закрытия, "
        "{n} {deals}). План ниже — сколько заявок понадобилось бы.",
        "en": "The period has already passed: {actual} won against the target of {target} (by "
        "close date, {n} {deals}). The plan below is how many leads it would have taken.",
    },
    "plan_passed_no_dates": {
        "ru": "Период уже прошёл, но дат закрытия в данных нет — сравнить с целью нельзя.",
        "en": "The period has already passed, but the data has no close dates to compare "
        "with the target.",
    },
    "plan_avg_few": {
        "ru": "Средний чек — только по выигранным сделкам с суммой: {items}.",
        "en": "The average deal counts won deals with an amount only: {items}.",
    },
    "plan_avg_item": {
        "ru": "{name} — по {n} {word} с суммой",
        "en": "{name}: {n} {word} with an amount",
    },
    "plan_already_short": {"ru": "уже {n}", "en": "already {n}"},
    "plan_target_shown": {"ru": "Цель: {value}", "en": "Target: {value}"},
    "plan_col_avg_won_n": {"ru": "Средний чек: сделок с суммой", "en": "Average deal: deals"},
    "plan_basis_mature": {
        "ru": "Конверсии — по «зрелым» сделкам, созданным до {date}: 90\u00a0% выигранных "
        "сделок дошли до успеха за {days} дн., так что у этих сделок было время решиться "
        "({n}). Молодые открытые сделки конверсию не занижают.",
        "en": "Conversions come from mature deals, created before {date}: 90% of the won deals "
        "won within {days} days, so these have had time to be decided ({n}). Young open deals "
        "do not drag the rates down.",
    },
    "plan_basis_decided": {
        "ru": "Конверсии — только по решённым сделкам: открытые сделки на этапе не входят в "
        "его знаменатель (для отбора зрелых сделок мало дат или сделок).",
        "en": "Conversions count decided deals only: deals still open at a stage are left out "
        "of its denominator (too few dates or deals to pick mature ones).",
    },
    "plan_total_leads": {"ru": "Нужно новых заявок", "en": "New leads needed"},
    "plan_total_range": {"ru": "диапазон {low}–{high}", "en": "range {low}–{high}"},
    "plan_range": {"ru": "Диапазон", "en": "Range"},
    "plan_to_bring": {"ru": "Ещё привлечь", "en": "Still to bring"},
    "plan_to_bring_help": {
        "ru": "Заявки, созданные в нужном окне, уже есть в данных — их вычитаем.",
        "en": "Leads already created within the window are in the data and are subtracted.",
    },
    "plan_check": {"ru": "Проверка", "en": "Check"},
    "plan_check_value": {
        "ru": "{leads} {word} {verb} {result}",
        "en": "{leads} {word} {verb} {result}",
    },
    "plan_leads_title": {"ru": "Заявок нужно по каналам", "en": "Leads needed per channel"},
    "plan_leads_caption": {
        "ru": "Синяя рамка — сколько нужно заявок, зелёная полоса внутри — сколько уже пришло в "
        "нужное окно, красная линия — диапазон по 95\u00a0% интервалу конверсии.",
        "en": "Blue outline: leads needed; green bar inside: those already created in the "
        "window; red line: the range from the 95% interval of the win rate.",
    },
    "plan_windows_title": {"ru": "Когда должны прийти заявки", "en": "When the leads must come in"},
    "plan_windows_caption": {
        "ru": "Чтобы продажи пришлись на период, заявки должны прийти раньше на длину цикла "
        "канала (медиана дней от создания до успеха).",
        "en": "For wins to fall in the period, leads must come in earlier by the channel's "
        "cycle (median days from creation to win).",
    },
    "plan_table": {"ru": "План по каналам", "en": "Plan per channel"},
    "plan_col_segment": {"ru": "Канал", "en": "Channel"},
    "plan_col_status": {"ru": "Примечание", "en": "Note"},
    "plan_col_deals_basis": {"ru": "Сделок в расчёте", "en": "Deals in the rate"},
    "plan_col_won_basis": {"ru": "Из них выиграно", "en": "Of them won"},
    "plan_col_win_rate": {"ru": "Конверсия в успех, %", "en": "Win rate, %"},
    "plan_col_win_rate_low": {"ru": "Конверсия: от, %", "en": "Win rate: from, %"},
    "plan_col_win_rate_high": {"ru": "Конверсия: до, %", "en": "Win rate: to, %"},
    "plan_col_avg_won": {"ru": "Средний чек", "en": "Average deal"},
    "plan_col_cycle_days": {"ru": "Цикл, дней", "en": "Cycle, days"},
    "plan_col_mix": {"ru": "Доля, %", "en": "Share, %"},
    "plan_col_part": {"ru": "Часть цели", "en": "Part of the target"},
    "plan_col_leads": {"ru": "Нужно заявок", "en": "Leads needed"},
    "plan_col_leads_low": {"ru": "Заявок: от", "en": "Leads: from"},
    "plan_col_leads_high": {"ru": "Заявок: до", "en": "Leads: to"},
    "plan_col_lead_from": {"ru": "Заявки с", "en": "Leads from"},
    "plan_col_lead_to": {"ru": "Заявки по", "en": "Leads until"},
    "plan_col_window": {"ru": "Окно", "en": "Window"},
    "plan_col_already": {"ru": "Уже пришло", "en": "Already in"},
    "plan_col_to_bring": {"ru": "Ещё привлечь", "en": "Still to bring"},
    "plan_status_ok": {"ru": "", "en": ""},
    "plan_status_few": {"ru": "мало сделок — смотрите диапазон", "en": "few deals — see the range"},
    "plan_status_no_wins": {"ru": "нет продаж — не планируем", "en": "no wins — not planned on"},
    "plan_status_no_amount": {"ru": "нет сумм — не планируем", "en": "no amounts — not planned on"},
    "plan_window_past": {"ru": "прошло", "en": "passed"},
    "plan_window_open": {"ru": "идёт", "en": "open"},
    "plan_window_future": {"ru": "впереди", "en": "ahead"},
    "plan_window_unknown": {"ru": "нет дат", "en": "no dates"},
    "plan_note_no_wins": {
        "ru": "Без продаж в истории, на них не планируем: {names}.",
        "en": "No wins in the history, not planned on: {names}.",
    },
    "plan_note_few": {
        "ru": "Мало сделок (меньше {n}) — число заявок ненадёжно, смотрите диапазон: {names}.",
        "en": "Few deals (under {n}) — the lead count is shaky, see the range: {names}.",
    },
    "plan_note_past": {
        "ru": "Для этих каналов заявки на этот период должны были прийти до конца выгрузки (цикл "
        "сделки длиннее, чем время до периода): {names}.",
        "en": "For these channels the leads for this period had to come in before the export "
        "ended (the deal cycle is longer than the time until the period): {names}.",
    },
    "plan_note_no_dates": {
        "ru": "В данных нет дат создания и закрытия — сказать, когда должны прийти заявки, нельзя.",
        "en": "The data has no created and closed dates, so when the leads must come in "
        "cannot be told.",
    },
    "plan_nothing": {
        "ru": "Планировать не на чем: ни у одного канала нет выигранных сделок с суммой.",
        "en": "Nothing to plan on: no channel has won deals with an amount.",
    },
    # ---- what-if ----
    "whatif_title": {"ru": "Что, если улучшить шаг", "en": "What if a step improves"},
    "whatif_step": {"ru": "Шаг", "en": "Step"},
    "whatif_mode": {"ru": "Улучшение", "en": "Improvement"},
    "whatif_mode_points": {"ru": "на N процентных пунктов", "en": "by N percentage points"},
    "whatif_mode_best": {"ru": "до лучшего канала", "en": "to the best channel"},
    "whatif_points": {"ru": "Процентных пунктов", "en": "Percentage points"},
    "whatif_only": {"ru": "Где", "en": "Where"},
    "whatif_only_all": {"ru": "Во всех каналах", "en": "In every channel"},
    "whatif_best": {
        "ru": "Лучший канал на этом шаге: {name} — {rate}.",
        "en": "The best channel at this step: {name} — {rate}.",
    },
    "whatif_no_best": {
        "ru": "Ни в одном канале не хватает сделок на этом шаге, чтобы назвать лучший.",
        "en": "No channel has enough deals at this step to name the best.",
    },
    "whatif_leads": {"ru": "Заявок для той же цели", "en": "Leads for the same target"},
    "whatif_more": {"ru": "Из тех же заявок", "en": "From the same leads"},
    "whatif_rates": {
        "ru": "Конверсия шага «{step}»: {rates}.",
        "en": 'Conversion of step "{step}": {rates}.',
    },
    "whatif_chart_title": {
        "ru": "Заявок нужно: сейчас и после",
        "en": "Leads needed: now and after",
    },
    "whatif_before": {"ru": "Сейчас", "en": "Now"},
    "whatif_after": {"ru": "После улучшения", "en": "After the change"},
    # ---- budget for the target (with spend) ----
    "plan_budget_title": {"ru": "Бюджет на цель", "en": "Budget for the target"},
    "plan_budget_no_spend": {
        "ru": "Чтобы увидеть бюджет на цель, загрузите расходы на странице «Каналы».",
        "en": "To see the budget for the target, add spend on the Channels page.",
    },
    "plan_budget_other_by": {
        "ru": "Бюджет считается по разрезу расходов ({by}): выберите его в плане.",
        "en": "The budget is counted by the spend's breakdown ({by}): choose it for the plan.",
    },
    "plan_budget_total": {"ru": "Бюджет на цель", "en": "Budget for the target"},
    "plan_budget_total_range": {"ru": "от {low} до {high}", "en": "{low} to {high}"},
    "plan_budget_cac": {"ru": "Стоимость продажи по плану", "en": "Cost per won deal at the plan"},
    "plan_budget_cac_help": {
        "ru": "Бюджет каналов с известной стоимостью заявки, делённый на продажи, которые "
        "принесут их заявки по конверсиям плана.",
        "en": "The budget of the channels whose cost per lead is known, over the won deals "
        "their leads bring at the plan's rates.",
    },
    "plan_budget_caption": {
        "ru": "Бюджет = нужные заявки × сегодняшняя стоимость заявки канала (расходы за период "
        "данных / заявки за тот же период). Диапазон — от числа заявок при лучшей правдоподобной "
        "конверсии до числа при худшей.",
        "en": "Budget = the leads needed × the channel's cost per lead today (spend over the "
        "data's period / the leads of that period). The range runs from the leads needed at the "
        "best plausible conversion to those at the worst.",
    },
    "plan_budget_unknown": {
        "ru": "Стоимость заявки неизвестна, бюджет не посчитан (в итог не входит): {items}.",
        "en": "Cost per lead unknown, no budget counted (not in the total): {items}.",
    },
    "plan_budget_unknown_item": {"ru": "{name} — {leads} {word}", "en": "{name} — {leads} {word}"},
    "plan_budget_col_leads": {"ru": "Нужно заявок", "en": "Leads needed"},
    "plan_budget_col_cost": {"ru": "Стоимость заявки", "en": "Cost per lead"},
    "plan_budget_col_budget": {"ru": "Бюджет", "en": "Budget"},
    "plan_budget_col_range": {"ru": "Диапазон", "en": "Range"},
    "plan_budget_col_note": {"ru": "Примечание", "en": "Note"},
    "plan_budget_col_budget_low": {"ru": "Бюджет, от", "en": "Budget, low"},
    "plan_budget_col_budget_high": {"ru": "Бюджет, до", "en": "Budget, high"},
    "plan_budget_status_priced": {"ru": "", "en": ""},
    "plan_budget_status_no_spend": {"ru": "расходы не указаны", "en": "no spend recorded"},
    "plan_budget_status_no_leads": {
        "ru": "расходы есть, заявок за их период нет",
        "en": "spend, but no leads in its period",
    },
    "plan_budget_status_not_planned": {"ru": "не в плане", "en": "not in the plan"},
    "plan_budget_range": {"ru": "{low} – {high}", "en": "{low} – {high}"},
    # ---- moving budget between channels ----
    "plan_move_title": {"ru": "Перераспределить бюджет", "en": "Move budget"},
    "plan_move_from": {"ru": "Откуда", "en": "From"},
    "plan_move_to": {"ru": "Куда", "en": "To"},
    "plan_move_amount": {"ru": "Сумма", "en": "Amount"},
    "plan_move_amount_help": {
        "ru": "Сколько денег перенести; по умолчанию — 10 % сегодняшних расходов канала-источника.",
        "en": "How much to move; by default 10% of the source channel's spend today.",
    },
    "plan_move_spend": {
        "ru": "Расходы «{name}» за период данных: {spend}.",
        "en": "{name}'s spend over the data's period: {spend}.",
    },
    "plan_move_too_few": {
        "ru": "Перераспределять не между чем: стоимость заявки известна меньше чем у двух каналов.",
        "en": "Nothing to move between: fewer than two channels have a known cost per lead.",
    },
    "plan_move_leads": {"ru": "Заявок", "en": "Leads"},
    "plan_move_wins": {"ru": "Продаж", "en": "Won deals"},
    "plan_move_revenue": {"ru": "Выручка", "en": "Revenue"},
    "plan_move_romi": {"ru": "ROMI всех расходов", "en": "ROMI of all spend"},
    "plan_move_romi_delta": {
        "ru": "было {before}; от {low} до {high}",
        "en": "was {before}; {low} to {high}",
    },
    "plan_move_range": {"ru": "от {low} до {high}", "en": "{low} to {high}"},
    "plan_move_result": {
        "ru": "Перенос {amount} из «{source}» в «{target}». «{source}»: заявок {lost_leads}, "
        "продаж {lost_wins}, выручка {lost_revenue}. «{target}»: заявок {gained_leads}, продаж "
        "{gained_wins}, выручка {gained_revenue}. Итог: выручка {revenue} (от {revenue_low} до "
        "{revenue_high}), ROMI всех расходов {romi_before} → {romi_after} (от {romi_low} до "
        "{romi_high}).",
        "en": 'Moving {amount} from "{source}" to "{target}". "{source}": leads {lost_leads}, '
        'won deals {lost_wins}, revenue {lost_revenue}. "{target}": leads {gained_leads}, won '
        "deals {gained_wins}, revenue {gained_revenue}. Net: revenue {revenue} ({revenue_low} "
        "to {revenue_high}), ROMI of all spend {romi_before} → {romi_after} ({romi_low} to "
        "{romi_high}).",
    },
    "plan_move_caveat": {
        "ru": "Расчёт по сегодняшней стоимости заявки, конверсии в продажу и среднему чеку "
        "каждого канала. С ростом бюджета заявки дорожают — сначала покупаются самые дешёвые, — "
        "поэтому перенос больше небольшой доли сегодняшних расходов — оптимистичная оценка.",
        "en": "Counted at each channel's cost per lead, lead-to-won rate and average won deal "
        "today. Leads get dearer as a budget grows (the cheapest are bought first), so moving "
        "more than a small share of today's spend is an optimistic estimate.",
    },
    "plan_move_beyond": {
        "ru": "Сумма больше половины сегодняшних расходов «{name}» ({spend}): столько заявок по "
        "сегодняшней цене канал вряд ли даст — считайте итог верхней оценкой.",
        "en": 'The amount is more than half of "{name}"\'s spend today ({spend}): the channel '
        "is unlikely to give that many leads at today's price — take the result as an upper "
        "bound.",
    },
    "plan_move_refused_same_channel": {
        "ru": "Выберите два разных канала.",
        "en": "Choose two different channels.",
    },
    "plan_move_refused_unknown_channel": {
        "ru": "Канала «{name}» нет в расходах.",
        "en": 'The spend has no channel "{name}".',
    },
    "plan_move_refused_bad_amount": {
        "ru": "Сумма должна быть неотрицательным числом.",
        "en": "The amount must be a number, not below zero.",
    },
    "plan_move_refused_no_cost": {
        "ru": "У «{name}» стоимость заявки неизвестна (нет расходов или заявок).",
        "en": '"{name}" has no known cost per lead (no spend or no leads).',
    },
    "plan_move_refused_too_small": {
        "ru": "У «{name}» слишком мало заявок, чтобы судить о его конверсии.",
        "en": '"{name}" has too few leads to judge its conversion.',
    },
    "plan_move_refused_no_wins": {
        "ru": "У «{name}» нет продаж — средний чек неизвестен.",
        "en": '"{name}" has no won deals: its average won deal is unknown.',
    },
    "plan_move_refused_over_spend": {
        "ru": "Сумма больше расходов «{name}».",
        "en": 'The amount is more than "{name}"\'s spend.',
    },
}

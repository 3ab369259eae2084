"""UI strings of the notices the engine returns as codes (n_<code>), with their parameters."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # ---- notices ----
    "n_detect_date_pipelines": {
        "ru": "Столбцы дат этапов относятся к нескольким воронкам; предложены этапы воронки "
        "«{chosen}». Столбцы воронок {others} не использованы — добавьте их в редакторе этапов.",
        "en": "Stage date columns cover several pipelines; the stages proposed are those of "
        "“{chosen}”. The columns of {others} are left out: add them in the stage editor.",
    },
    "n_detect_history_no_key": {
        "ru": "В истории этапов нет общего с таблицей сделок столбца — ни ID сделки, ни "
        "названия. Укажите его в разметке.",
        "en": "The stage history shares no deal ID or deal name column with the deal list: "
        "map one in the roles.",
    },
    "n_detect_history_columns": {
        "ru": "В истории этапов нужны столбцы сделки, этапа и даты.",
        "en": "The stage history needs a deal, a stage and a date column.",
    },
    "n_detect_pipelines": {
        "ru": "В выгрузке {n} воронки; показана самая большая — «{largest}» ({count} сделок) "
        "со своими этапами. Другие ({others}) можно выбрать в боковой панели.",
        "en": "The export holds {n} pipelines; shown is the largest, “{largest}” ({count} "
        "deals), with its stages. Pick another ({others}) in the sidebar.",
    },
    "n_detect_bitrix_prefixes": {
        "ru": "Стадии содержат префиксы направлений Битрикс24 ({prefixes}); предложены стадии "
        "основного направления. Укажите столбец «Направление» как воронку, чтобы переключаться.",
        "en": "Stage values carry Bitrix24 pipeline prefixes ({prefixes}); the stages of the "
        "main pipeline are proposed. Map the “Направление” column as the pipeline to switch.",
    },
    "n_detect_no_stage": {
        "ru": "Не найден столбец с этапом сделки: укажите его (например, «Этап сделки») или "
        "добавьте по столбцу даты на каждый этап.",
        "en": "No stage column found: map the column holding each deal's stage (e.g. 'Deal "
        "Stage') or add one date column per stage.",
    },
    "n_detect_no_amount": {
        "ru": "Не найден столбец с суммой: денежных показателей (потери, цена исправления) "
        "не будет. Укажите столбец суммы сделки.",
        "en": "No amount column found: money figures (revenue lost, what a fix is worth) will "
        "be missing. Map the deal value column.",
    },
    "n_detect_no_created": {
        "ru": "Не найдена дата создания: разбивки по неделям, месяцам и кварталам не будет. "
        "Укажите столбец даты создания сделки.",
        "en": "No creation date found: breakdowns by week, month or quarter will be missing. "
        "Map the deal's creation date.",
    },
    "n_detect_lost_stage_unknown": {
        "ru": "Проигранные сделки в выгрузке видны только как {values}: на каком этапе они "
        "потеряны, неизвестно. Добавьте столбец «этап при отказе» или историю этапов.",
        "en": "The export shows lost deals only as {values}: the stage at which they were lost "
        "is unknown. Add a 'stage at loss' column or a stage history.",
    },
    "n_detect_paid_is_won": {
        "ru": "Ни одно значение не означает выигрыш: «{value}» (оплачено) считается успехом.",
        "en": "No value says a deal was won: “{value}” (paid) counts as won.",
    },
    "n_detect_payment_is_won": {
        "ru": "Ни одно значение не означает выигрыш: дата в «{column}» (оплата) взята как день "
        "выигрыша.",
        "en": "Nothing says a deal was won: the date in “{column}” (the payment) is taken as "
        "the day it was won.",
    },
    "n_detect_paid_is_stage": {
        "ru": "Ни одно значение не означает выигрыш; «{value}» оставлено этапом. Если это и "
        "есть успех, отметьте его как «выиграна».",
        "en": "No value says a deal was won; “{value}” is kept as a stage. If it means won, "
        "mark it as won.",
    },
    "n_detect_no_outcomes": {
        "ru": "Ни одно значение не отмечает сделки как выигранные или проигранные: добавьте "
        "столбец статуса или отметьте значения в редакторе этапов.",
        "en": "No value marks deals as won or lost: add a status column or mark the values in "
        "the stage editor.",
    },
    "n_lost_stage_unknown": {
        "ru": "{count} из {lost} проигранных сделок не говорят, на каком этапе они потеряны, "
        "поэтому учтены только на первом этапе — конверсии после первого этапа занижены "
        "(это нижняя граница). Исправить: добавьте столбец «этап при отказе» или загрузите "
        "историю этапов.",
        "en": "{count} of {lost} lost deals do not say at which stage they were lost, so they "
        "count for the first stage only and conversions after the first stage are a lower "
        "bound. Fix: add a 'stage at loss' column or upload the stage history.",
    },
    "n_unmapped_stage": {
        "ru": "{count} {rows} имеют значение этапа, которого нет в разметке, и не учтены: "
        "{values}. Исправить: добавьте эти значения в «Значения» нужного этапа или в "
        "«успех»/«отказ» на странице «Данные».",
        "en": "{count} {rows} have a stage value that is not in the mapping and were left out: "
        "{values}. Fix: add these values to a stage's 'Values' or to won/lost on the Data page.",
    },
    "n_stage_value_absent": {
        "ru": "Эти значения из разметки не встречаются в данных: {values}. Возможно, разметка "
        "от другого файла — проверьте этапы.",
        "en": "These mapping values never occur in the data: {values}. The mapping may be for "
        "another file — check the stages.",
    },
    "n_filtered_out": {
        "ru": "{count} строк исключены фильтром разметки ({filter}). Сменить воронку можно в "
        "боковой панели.",
        "en": "{count} rows are left out by the mapping's filter ({filter}). Switch the "
        "pipeline in the sidebar.",
    },
    "n_history_only_deals": {
        "ru": "{count} сделок есть в истории этапов, но нет в списке сделок; они учтены без "
        "канала, продукта и суммы. Исправить: выгрузите список сделок за тот же период.",
        "en": "{count} deals of the stage history are not in the deal list; they are counted "
        "with no channel, product or amount. Fix: export the deal list for the same period.",
    },
    "n_absurd_amounts": {
        "ru": "У {count} сделок сумма, какой не бывает (квадриллион и больше или бесконечность): "
        "строки данных {row_numbers} (сделки {deal_ids}). Денежные итоги с ними ничего не "
        "значат. Исправить: поправьте суммы в выгрузке.",
        "en": "{count} deals have an amount no deal has (a quadrillion or more, or infinite): "
        "data rows {row_numbers} (deals {deal_ids}). Money figures that include them mean "
        "nothing. Fix: correct the amounts in the export.",
    },
    "n_unplaced_deals": {
        "ru": "{count} сделок не имеют ни одного известного разметке этапа и не учтены. "
        "Исправить: проверьте значения этапов на странице «Данные».",
        "en": "{count} deals have no stage the mapping knows and were left out. Fix: check the "
        "stage values on the Data page.",
    },
    "n_detect_order_guess": {
        "ru": "Порядок этапов угадан: {reason}; проверьте его, прежде чем читать воронку. "
        "Без оснований поставлены: {stages}.",
        "en": "The stage order is a guess: {reason}; check it before reading the funnel. "
        "Placed without evidence: {stages}.",
    },
    "n_detect_order_evidence": {
        "ru": "Порядок этапов взят из: {basis}.",
        "en": "Stage order from: {basis}.",
    },
    "order_basis_history": {"ru": "истории этапов", "en": "the stage history"},
    "order_basis_stage_dates": {
        "ru": "дат, когда сделки доходили до этапов",
        "en": "the dates deals reached each stage",
    },
    "order_basis_date_fill": {
        "ru": "того, какие даты этапов заполнены",
        "en": "which stage dates are filled in",
    },
    "order_basis_probability": {
        "ru": "вероятностей успеха этапов",
        "en": "the stages' win probabilities",
    },
    "order_basis_crm_default": {
        "ru": "стандартного порядка {crm}",
        "en": "the default order of {crm}",
    },
    "order_basis_lexicon": {"ru": "названий этапов", "en": "the stage names"},
    "order_basis_numbered": {
        "ru": "номеров в начале названий этапов",
        "en": "the numbers the stage names start with",
    },
    "order_basis_single": {"ru": "единственного этапа", "en": "the only stage"},
    "unmapped_rows_deals": {"ru": "сделок", "en": "deals"},
    "unmapped_rows_history": {"ru": "строк истории этапов", "en": "stage history rows"},
    "bitrix_no_prefix": {"ru": "без префикса", "en": "none"},
    "order_basis_frequency": {
        "ru": "числа сделок на каждом этапе",
        "en": "how many deals sit at each stage",
    },
    "n_detect_stage_date_match": {
        "ru": "«{column}» — дата, когда сделка дошла до этапа «{stage}»: проигранные сделки "
        "с этой датой поставлены на этот этап.",
        "en": "“{column}” holds the date deals reached “{stage}”: lost deals with it are "
        "placed there.",
    },
    "n_detect_events_marks_stage": {
        "ru": "Каждая строка второго файла отмечает этап «{stage}» для сделки из столбца «{key}».",
        "en": "Each row of the second file marks “{stage}” for the deal named in “{key}”.",
    },
    "n_events_unmatched": {
        "ru": "{count} из {total} строк второго файла не совпали ни с одной сделкой и не учтены.",
        "en": "{count} of {total} rows of the second file match no deal and are left out.",
    },
    "n_detect_history_by_title": {
        "ru": "История этапов называет сделки по столбцу «{column}», а не по ID.",
        "en": "The stage history names deals by “{column}”, not by an ID.",
    },
}

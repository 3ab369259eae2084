"""The detection vocabularies (funnel/detect/vocab.py): header keys, the tables' consistency,
outcome words, stage names from date headers and the regular expressions detection relies on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from funnel.detect import vocab
from funnel.detect.vocab import HeaderKey, header_key, outcome_of, stage_name_from
from funnel.spec import EVENT_ROLES, ROLES
from funnel.values import norm_label

# ---- header_key ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Бюджет ", HeaderKey("бюджет", False, False)),
        ("utm_source.1", HeaderKey("utm source", True, False)),
        ("Deal - Currency of Value", HeaderKey("currency of value", False, True)),
        ("Сделка - Этап", HeaderKey("этап", False, True)),
        # unit suffixes go, with or without brackets
        ("Сумма, руб.", HeaderKey("сумма", False, False)),
        ("Сумма (₽)", HeaderKey("сумма", False, False)),
        ("Бюджет, тыс. руб.", HeaderKey("бюджет", False, False)),
        ("Amount (USD)", HeaderKey("amount", False, False)),
        # quotes and trailing punctuation
        ("«Этап»", HeaderKey("этап", False, False)),
        ("Дата:", HeaderKey("дата", False, False)),
        ("STAGE_ID", HeaderKey("stage id", False, False)),
        # a number with a dot is a number, not pandas' duplicate suffix
        ("2025.1", HeaderKey("2025.1", False, False)),
        (" Ёмкость\u00a0 ", HeaderKey("емкость", False, False)),
        (42, HeaderKey("42", False, False)),
    ],
)
def test_header_key(header, expected):
    assert header_key(header) == expected


@given(st.text(max_size=30))
def test_a_header_key_is_a_normalised_label(header):
    key = header_key(header).key
    assert key == norm_label(key)


# ---- the tables --------------------------------------------------------------------------------


def test_exact_lookups_give_every_reading_of_a_header():
    assert vocab.EXACT[header_key("Этап сделки").key] == [("stage", 0.95, "")]
    # «Статус» is read both ways; the caller weighs the two
    assert vocab.EXACT[header_key("Статус").key] == [("status", 0.8, ""), ("stage", 0.6, "")]
    assert vocab.EXACT[header_key("STAGE_ID").key] == [("stage", 0.9, "Bitrix24")]
    assert vocab.EVENT_EXACT[header_key("ID").key] == [("deal", 0.3, "")]


@pytest.mark.parametrize("table", ["EXACT", "EVENT_EXACT"])
def test_table_keys_are_header_keys_and_roles_are_known(table):
    for key, hints in getattr(vocab, table).items():
        assert header_key(key).key == key, key
        for role, conf, _crm in hints:
            assert role is None or role in ROLES, (key, role)
            assert 0 < conf <= 1, (key, conf)


def test_a_history_table_reads_only_history_roles():
    for key, hints in vocab.EVENT_EXACT.items():
        assert all(role is None or role in EVENT_ROLES for role, _, _ in hints), key


def test_patterns_roles_are_known():
    for pattern, role, conf in vocab.PATTERNS:
        assert role is None or role in ROLES, pattern.pattern
        assert 0 < conf <= 1


def first_pattern(header: str) -> str | None:
    """The role of the first loose pattern the header's key matches ("-" when none does)."""
    key = header_key(header).key
    return next((role for p, role, _ in vocab.PATTERNS if p.search(key)), "-")


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Стадия на момент отказа", "lost_stage"),
        ("Причина закрытия", "loss_reason"),
        ("Lost reason (detail)", "loss_reason"),
        ("Дата создания лида", "created"),
        ("Ответственный за сделку", "owner"),
        ("Наименование объекта", "title"),
        ("Сумма по договору", "amount"),
        # order matters: noise is tried before the role words it contains
        ("Email менеджера", None),
        ("Campaign name", None),
        ("utm_campaign", None),
        ("Последний этап", None),
        ("Что-то совсем другое", "-"),
    ],
)
def test_the_first_loose_pattern_decides(header, role):
    assert first_pattern(header) == role


# ---- outcome words -----------------------------------------------------------------------------

WORD_SETS = ["WON_WORDS", "LOST_WORDS", "OPEN_WORDS", "PAID_WORDS"]


@pytest.mark.parametrize("name", WORD_SETS)
def test_outcome_words_are_normalised_labels(name):
    for word in getattr(vocab, name):
        assert norm_label(word) == word, word


def test_outcome_word_sets_do_not_overlap():
    sets = {name: getattr(vocab, name) for name in WORD_SETS}
    for a in WORD_SETS:
        for b in WORD_SETS:
            if a < b:
                assert not sets[a] & sets[b], (a, b, sets[a] & sets[b])


def test_single_letter_statuses_are_each_an_outcome_word():
    assert sorted(vocab.STATUS_ONLY) == ["f", "p", "s"]
    assert "s" in vocab.WON_WORDS and "f" in vocab.LOST_WORDS and "p" in vocab.OPEN_WORDS


@pytest.mark.parametrize(
    ("key", "in_status", "expected"),
    [
        ("успешно реализовано", False, "won"),
        ("закрыто и не реализовано", False, "lost"),
        ("в работе", False, "open"),
        ("оплачено", False, "paid"),
        ("переговоры", False, None),
        # Bitrix24's «C<n>:» prefix
        ("c2:won", False, "won"),
        ("c12:lose", False, "lost"),
        # numbering and punctuation around a known word
        ("07 - closed won", False, "won"),
        ("closed - lost", False, "lost"),
        ("этап 3. отказ", False, "lost"),
        # «closed»/«закрыт…»/«сделка» + a win or loss word
        ("сделка выиграна", False, "won"),
        ("закрыто: не реализовано", False, "lost"),
        ("закрыта проиграна", False, "lost"),
        # single letters are Bitrix semantics only in a status column
        ("s", False, None),
        ("s", True, "won"),
        ("f", True, "lost"),
        ("p", True, "open"),
        ("c1:f", False, None),
        # a numbered single letter is no outcome even in a status column
        ("stage 3: s", True, None),
        ("1. переговоры", False, None),
    ],
)
def test_outcome_of(key, in_status, expected):
    assert outcome_of(key, in_status=in_status) == expected


@pytest.mark.parametrize("crm", sorted(vocab.KNOWN_ORDERS))
def test_known_orders_hold_stages_not_outcomes(crm):
    order = vocab.KNOWN_ORDERS[crm]
    assert len(set(order)) == len(order) >= 5
    for stage in order:
        assert norm_label(stage) == stage
        # Bitrix24's «В работе» is a stage that also reads as "open"; never won or lost
        assert outcome_of(stage) in (None, "open"), stage
    assert [s for s in order if outcome_of(s)] == (
        ["в работе"] if crm == "Bitrix24 (names)" else []
    )


# ---- stage names from date headers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "genitive", "expected"),
    [
        ("оплаты", False, "Оплата"),
        ("счета", False, "Счёт"),
        ("коммерческого предложения", False, "Коммерческое предложение"),
        ("Отправки КП", False, "Отправка КП"),
        ("встреча назначена", False, "Встреча назначена"),
        ("первого контакта", True, "Первый контакт"),
        ("замера", True, "Замер"),
        # a known genitive is named in the nominative either way
        ("замера", False, "Замер"),
        # otherwise, not genitive: kept as written, first letter up
        ("выезда", False, "Выезда"),
        ("выезда", True, "Выезд"),
        # after transition words the stage is named as it is, genitive or not
        ("перехода на этап Оплата", True, "Оплата"),
        ("входа в статус «Договор»", False, "Договор"),
        ("попадания в Заявка", True, "Заявка"),
        ("Demo scheduled", True, "Demo scheduled"),
    ],
)
def test_stage_name_from(text, genitive, expected):
    assert stage_name_from(text, genitive=genitive) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("консультации", "консультация"),
        ("полной оплаты", "полная оплата"),
        ("расчёта", "расчёт"),
        ("заявки", "заявка"),
        ("первого контакта", "первый контакт"),
        # three words, Latin letters or digits: left alone
        ("отправки коммерческого предложения", "отправки коммерческого предложения"),
        ("Demo", "Demo"),
        ("этапа 2", "этапа 2"),
    ],
)
def test_nominative(text, expected):
    assert vocab._nominative(text) == expected


@pytest.mark.parametrize(
    ("header", "stage"),
    [
        ("Дата подписания договора", "Подписание договора"),
        ("Дата выставления счета", "Выставление счета"),
        ("Дата оплаты счета", "Оплата счета"),
    ],
)
def test_a_noun_with_its_genitive_complement_keeps_the_complement(header, stage):
    from funnel.detect.columns import parse_stage_date_header

    assert parse_stage_date_header(header, events=False) == (stage, None, "")


def test_a_fleeting_vowel_comes_back_in_the_nominative():
    assert stage_name_from("первого звонка", genitive=True) == "Первый звонок"


def test_genitive_keys_are_normalised():
    assert all(norm_label(k) == k for k in vocab.GENITIVE)


# ---- date-header patterns ------------------------------------------------------------------------


def stage_part(pattern, header: str) -> str | None:
    m = pattern.match(header)
    return next((g for g in m.groups() if g), None) if m else None


@pytest.mark.parametrize(
    ("pattern", "header", "part"),
    [
        ("STAGE_DATE_RU", "Дата: КП отправлено", "КП отправлено"),
        ("STAGE_DATE_RU", "Дата этапа «Договор»", "Договор"),
        ("STAGE_DATE_RU", "дата выезда", "выезда"),
        ("STAGE_DATE_SUFFIX", "Договор (дата)", "Договор"),
        ("STAGE_DATE_SUFFIX", "Встреча, дата", "Встреча"),
        ("STAGE_DATE_SUFFIX", "Demo (date)", "Demo"),
        ("STAGE_DATE_EN", "Proposal date", "Proposal"),
        ("STAGE_DATE_EN", "Date of demo", "demo"),
        ("STAGE_DATE_EN", "Date: Contract", "Contract"),
        ("HUBSPOT_ENTERED", 'Date entered "Contract sent (Sales Pipeline)"', None),
        ("STAGE_DATE_RU", "Бюджет", None),
    ],
)
def test_stage_date_patterns(pattern, header, part):
    if pattern == "HUBSPOT_ENTERED":
        inner = vocab.HUBSPOT_ENTERED.match(header).group(1)
        m = vocab.PIPELINE_SUFFIX.match(inner)
        assert (m.group(1), m.group(2)) == ("Contract sent", "Sales Pipeline")
        return
    assert stage_part(getattr(vocab, pattern), header) == part


@pytest.mark.parametrize("word", ["создания", "закрытия", "closing", "expected", "won", "начала"])
def test_deal_level_dates_are_not_stages(word):
    assert vocab.NOT_A_STAGE.match(word)


@pytest.mark.parametrize("word", ["договора", "оплаты", "demo", "proposal", "встреча"])
def test_stage_words_are_not_deal_level_dates(word):
    assert not vocab.NOT_A_STAGE.match(word)


def test_hubspot_other_columns_are_not_stage_dates():
    assert vocab.HUBSPOT_OTHER.match("Time in Contract sent (Sales Pipeline)")
    assert vocab.HUBSPOT_OTHER.match("Date exited Appointment scheduled")
    assert not vocab.HUBSPOT_OTHER.match('Date entered "Appointment scheduled"')


# ---- value shapes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Анна Петрова", True),
        ("Иван Иванович Петров", True),
        ("Mary-Jane Watson", True),
        ("Анна", False),
        ("ООО Альфа", False),
        ("анна петрова", False),
    ],
)
def test_person_name(text, person):
    assert bool(vocab.PERSON_NAME.match(text)) is person


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("#1234", True),
        ("№ 15", True),
        ("DL-2025", True),
        ("Сделка 12", True),
        ("Сделка номер 12", False),
        ("12.03.2025", False),
    ],
)
def test_deal_code(text, code):
    assert bool(vocab.DEAL_CODE.match(text)) is code


def test_hint_words():
    assert vocab.STAGE_HINTS.search("отправлен договор")
    assert vocab.STAGE_HINTS.search("demo scheduled")
    assert not vocab.STAGE_HINTS.search("яндекс директ")
    assert vocab.CHANNEL_HINTS.search("яндекс директ")
    assert not vocab.CHANNEL_HINTS.search("переговоры")
    assert {"rub", "usd", "€"} <= vocab.CURRENCY_WORDS
    assert vocab.BITRIX_PREFIX.sub("", "c3:won") == "won"

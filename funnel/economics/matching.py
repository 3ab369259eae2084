"""Spend names matched to the deals' channels: after case and spaces, as a person aliased them,
or suggested when one is clearly close."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from funnel.values import norm_label


def match_channels(
    spend_labels: Sequence[str], deal_labels: Sequence[str], aliases: Mapping[str, str]
) -> dict[str, str | None]:
    """Each spend label -> the deal label it is (None: none), after case and spaces are
    normalised, or as ``aliases`` (spend name -> deal name) say.

    >>> match_channels(["Контекст ", "ВК", "Выставка"], ["контекст", "Таргет"], {"вк": "Таргет"})
    {'Контекст ': 'контекст', 'ВК': 'Таргет', 'Выставка': None}
    """
    by_key = {norm_label(d): d for d in deal_labels}
    alias = {norm_label(k): norm_label(v) for k, v in aliases.items()}
    out: dict[str, str | None] = {}
    for label in spend_labels:
        key = norm_label(label)
        out[label] = by_key.get(alias.get(key, key))
    return out


def suggest(label: str, deal_labels: Sequence[str]) -> str | None:
    """The deal label most like a spend label that matched none, when one is clearly close.

    >>> suggest("Яндекс.Директ", ["Яндекс Директ", "Выставка"])
    'Яндекс Директ'
    """
    from difflib import SequenceMatcher

    key = norm_label(label)
    scored = sorted(
        ((SequenceMatcher(None, key, norm_label(d)).ratio(), d) for d in deal_labels),
        reverse=True,
    )
    if scored and scored[0][0] >= 0.75 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None

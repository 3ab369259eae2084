"""Exports holding several pipelines: list them, and propose a spec for one of them."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from funnel.detect.infer import Inference, infer_spec
from funnel.values import encode_labels, labels_by_count


def pipeline_values(frame: pd.DataFrame, column: str) -> list[str]:
    """The pipelines of ``column``, largest first, each in its most common spelling.

    >>> pipeline_values(pd.DataFrame({"p": ["Двери", "двери ", "Флешки", None]}), "p")
    ['Двери', 'Флешки']
    """
    return labels_by_count(frame[column])


def infer_pipeline(
    frame: pd.DataFrame, column: str, pipeline: str, events: pd.DataFrame | None = None
) -> Inference:
    """The spec proposed from one pipeline's rows, filtered to that pipeline.

    Each pipeline has its own stages, so they are inferred from its rows alone; the spec keeps
    the whole frame as its source and selects the pipeline with ``filter``.
    """
    enc = encode_labels(frame[column])
    wanted = [i for i, label in enumerate(enc.labels) if label == pipeline]
    rows = np.isin(enc.codes, wanted)
    inference = infer_spec(frame[rows], events)
    spec = replace(
        inference.spec,
        filter={**inference.spec.filter, "pipeline": (pipeline,)},
        columns={**inference.spec.columns, "pipeline": column},
    )
    return replace(inference, spec=spec)

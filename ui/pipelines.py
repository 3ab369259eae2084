"""Switching between the pipelines of one file: each keeps the mapping applied to it."""

from __future__ import annotations

import dataclasses

import streamlit as st

from funnel.detect.pipelines import infer_pipeline, pipeline_values
from ui import memo
from ui.state import (
    SAVED,
    Dataset,
    current,
    current_pipeline,
    guarded,
    saved_key,
    store,
    version,
    with_spec,
)


def pipelines(ds: Dataset) -> list[str]:
    """Pipelines of the raw file, largest first, when the spec keeps only one of them."""
    column = ds.spec.columns.get("pipeline")
    if not column or "pipeline" not in ds.spec.filter or column not in ds.frame.columns:
        return []
    # Counted once per dataset shown: the sidebar asks on every rerun of every page.
    return memo.remember(
        "pipelines", (version(), ds.name, column), lambda: pipeline_values(ds.frame, column)
    )


def _infer_pipeline(ds: Dataset, pipeline: str) -> Dataset:
    inference = infer_pipeline(ds.frame, ds.spec.columns["pipeline"], pipeline, ds.events_frame)
    return with_spec(dataclasses.replace(ds, inference=inference), inference.spec)


def switch_pipeline(pipeline: str) -> bool:
    """Show another pipeline of the file: its saved mapping, else stages proposed from its rows."""
    ds = current()
    if ds is None or pipeline == current_pipeline(ds):
        return False
    saved = st.session_state.get(SAVED, {}).get(saved_key(ds, pipeline))
    if saved is not None:
        new = guarded(with_spec, ds, saved)
    else:
        new = guarded(_infer_pipeline, ds, pipeline)
    if new is None:
        return False
    store(new)
    return True

"""Expected funnel numbers for the Maven Analytics CRM Sales Opportunities data.

Computed by hand with plain pandas from sales_pipeline.csv only (never with the
project's engine). Run from anywhere: writes expected.json next to this file.

Definitions (docs/metrics.md): one row per deal; stages in order are
Prospecting -> Engaging, then the outcome Won / Lost. A deal reached a stage if it
is known to have been at that stage or a later one:
  * every deal reached Prospecting (the first stage);
  * a Won deal reached every stage;
  * a Lost deal reached Engaging when it has an engage_date ("Date in which the
    Engaging deal stage was initiated"), otherwise it was lost at Prospecting;
  * an open deal reached the stage in its deal_stage column.
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
STAGES = ["Prospecting", "Engaging"]

df = pd.read_csv(HERE / "sales_pipeline.csv", dtype=str, keep_default_na=False)
assert df["opportunity_id"].is_unique and (df["opportunity_id"] != "").all()

status = df["deal_stage"].map(
    {"Won": "won", "Lost": "lost", "Prospecting": "open", "Engaging": "open"}
)
assert status.notna().all(), sorted(set(df["deal_stage"]))

# furthest stage index (0 = Prospecting, 1 = Engaging)
furthest = pd.Series(0, index=df.index)
furthest[df["deal_stage"] == "Engaging"] = 1
furthest[status == "won"] = len(STAGES) - 1
lost_engaged = (status == "lost") & (df["engage_date"] != "")
furthest[lost_engaged] = 1

amount = pd.to_numeric(df["close_value"], errors="coerce")  # blank -> NaN (unknown)


def figures(mask):
    sub_f = furthest[mask]
    sub_s = status[mask]
    won = sub_s == "won"
    out = {
        "reached": [int((sub_f >= k).sum()) for k in range(len(STAGES))],
        "won": int(won.sum()),
        "lost": int((sub_s == "lost").sum()),
        "open": int((sub_s == "open").sum()),
        "deals": int(mask.sum()),
        "won_amount": float(amount[mask & (status == "won")].sum()),
    }
    out["lost_at"] = [int(((sub_s == "lost") & (sub_f == k)).sum()) for k in range(len(STAGES))]
    out["open_at"] = [int(((sub_s == "open") & (sub_f == k)).sum()) for k in range(len(STAGES))]
    return out


def segment_key(v):
    return v if v.strip() != "" else "(none)"


everything = pd.Series(True, index=df.index)
total = figures(everything)

by = {}
for col in ["product", "sales_agent"]:
    by[col] = {}
    for value in sorted(df[col].map(segment_key).unique()):
        by[col][value] = figures(df[col].map(segment_key) == value)

# sanity: segments add up to the total
for _col, segs in by.items():
    assert sum(s["deals"] for s in segs.values()) == total["deals"]
    assert sum(s["won"] for s in segs.values()) == total["won"]

lost_amount = amount[status == "lost"]
engaged_lost_without_date = int(((status == "lost") & (df["engage_date"] == "")).sum())
won_without_dates = int(
    ((status == "won") & ((df["engage_date"] == "") | (df["close_date"] == ""))).sum()
)
close_before_engage = int(
    (
        (df["close_date"] != "")
        & (df["engage_date"] != "")
        & (
            pd.to_datetime(df["close_date"], errors="coerce")
            < pd.to_datetime(df["engage_date"], errors="coerce")
        )
    ).sum()
)

lost_zero = int((lost_amount == 0).sum())
blank_account = int((df["account"] == "").sum())
notes = (
    "Stages Prospecting -> Engaging, outcome Won/Lost from deal_stage. "
    f"All {total['lost']} lost deals have an engage_date, so every lost deal reached "
    f"Engaging (lost without engage_date: {engaged_lost_without_date}); "
    "lost_at[Prospecting] = 0. "
    f"Lost deals carry close_value 0 (explicit zero, {lost_zero} of {len(lost_amount)}), "
    "open deals a blank close_value. "
    "The 500 Prospecting deals have no date at all (engage_date, close_date blank): no "
    "creation date exists for them. engage_date is the only start date for the others. "
    f"Won deals missing a date: {won_without_dates}; "
    f"close_date before engage_date: {close_before_engage}. "
    "product value 'GTXPro' (1480 deals) is spelled 'GTX Pro' in products.csv; it is kept "
    "as in the pipeline file here (whitespace-collapsing normalisation does not merge the "
    f"two). account is blank on {blank_account} deals (all open: Prospecting/Engaging). "
    "5 agents listed in sales_teams.csv have no deals. "
    "won_amount = sum of close_value over Won deals. lost_at/open_at/deals/open/won_amount "
    "inside 'by' are extras beyond the minimal shape."
)

result = {
    "stages": STAGES,
    "reached": total["reached"],
    "won": total["won"],
    "lost": total["lost"],
    "open": total["open"],
    "deals": total["deals"],
    "won_amount": total["won_amount"],
    "lost_at": total["lost_at"],
    "open_at": total["open_at"],
    "by": by,
    "notes": notes,
}

(HERE / "expected.json").write_text(
    json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
)
print(json.dumps({k: v for k, v in result.items() if k not in ("by", "notes")}, indent=2))

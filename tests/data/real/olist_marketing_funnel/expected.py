"""Expected per-channel lead and won counts for Olist's Marketing Funnel data.

Computed with plain pandas from the two CSVs only (never with the project's engine). Run from
anywhere: writes expected.json next to this file.

Definitions:
  * a lead is one row of olist_marketing_qualified_leads_dataset.csv (one MQL, key mql_id);
    its date is first_contact_date and its channel is origin (blank origin -> "(none)");
  * a lead is won when its mql_id is in olist_closed_deals_dataset.csv; the won date is
    won_date. A lead that is not there is "not won": the data cannot tell lost from open;
  * there is no deal amount. declared_monthly_revenue is what the seller declared about their
    own business, not what the deal brought Olist; it is summed below only as an extra.
Months are calendar months (YYYY-MM): per lead month (first contact, a cohort: its leads and
how many of them were won, whenever that happened) and per won month (deals won in it).
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
NONE = "(none)"

mql = pd.read_csv(
    HERE / "olist_marketing_qualified_leads_dataset.csv", dtype=str, keep_default_na=False
)
deals = pd.read_csv(HERE / "olist_closed_deals_dataset.csv", dtype=str, keep_default_na=False)
assert list(mql.columns) == ["mql_id", "first_contact_date", "landing_page_id", "origin"]
assert mql["mql_id"].is_unique and deals["mql_id"].is_unique
assert deals["mql_id"].isin(mql["mql_id"]).all(), "a closed deal without its lead"

mql["channel"] = mql["origin"].where(mql["origin"].str.strip() != "", NONE)
contact = pd.to_datetime(mql["first_contact_date"], format="%Y-%m-%d")
mql["lead_month"] = contact.dt.strftime("%Y-%m")

won_at = pd.to_datetime(deals["won_date"], format="%Y-%m-%d %H:%M:%S")
deals["won_month"] = won_at.dt.strftime("%Y-%m")
deals["declared"] = pd.to_numeric(deals["declared_monthly_revenue"])
assert deals["declared"].notna().all()

j = deals.merge(mql[["mql_id", "channel", "lead_month", "first_contact_date"]], on="mql_id")
assert len(j) == len(deals)
mql["won"] = mql["mql_id"].isin(deals["mql_id"])

channels = sorted(mql["channel"].unique())


def counts(series: pd.Series) -> dict[str, int]:
    return {k: int(v) for k, v in series.items() if v}


by_channel = {}
for ch in channels:
    leads = mql[mql["channel"] == ch]
    won = j[j["channel"] == ch]
    by_channel[ch] = {
        "leads": len(leads),
        "won": len(won),
        "leads_by_month": counts(leads.groupby("lead_month").size()),
        "won_by_lead_month": counts(leads[leads["won"]].groupby("lead_month").size()),
        "won_by_won_month": counts(won.groupby("won_month").size()),
        "declared_monthly_revenue_of_won": float(won["declared"].sum()),
    }

total = {
    "leads": len(mql),
    "won": len(deals),
    "leads_by_month": counts(mql.groupby("lead_month").size()),
    "won_by_lead_month": counts(mql[mql["won"]].groupby("lead_month").size()),
    "won_by_won_month": counts(deals.groupby("won_month").size()),
    "declared_monthly_revenue_of_won": float(deals["declared"].sum()),
}
assert sum(v["leads"] for v in by_channel.values()) == total["leads"]
assert sum(v["won"] for v in by_channel.values()) == total["won"]

won_before_contact = int((won_at.loc[j.index] < pd.to_datetime(j["first_contact_date"])).sum())
declared_nonzero = int((deals["declared"] > 0).sum())

result = {
    "files": [
        "olist_marketing_qualified_leads_dataset.csv",
        "olist_closed_deals_dataset.csv",
    ],
    "channel_column": "origin",
    "lead_date_column": "first_contact_date (YYYY-MM-DD)",
    "won_date_column": "won_date (YYYY-MM-DD HH:MM:SS)",
    "first_lead": str(mql["first_contact_date"].min()),
    "last_lead": str(mql["first_contact_date"].max()),
    "first_won": str(deals["won_date"].min()),
    "last_won": str(deals["won_date"].max()),
    "channels": channels,
    "total": total,
    "by_channel": by_channel,
    "won_before_first_contact": won_before_contact,
    "declared_monthly_revenue_nonzero": declared_nonzero,
    "blank_origin_leads": int((mql["channel"] == NONE).sum()),
    "notes": (
        "No spend in this data: it is the deal side only. A lead is won when its mql_id is "
        "in the closed deals file; the rest cannot be told apart as lost or open. origin is "
        f"blank on {int((mql['channel'] == NONE).sum())} leads (counted as '(none)') and "
        "'unknown' on others; both are kept apart. Channel values are snake_case "
        "(paid_search, organic_search, direct_traffic, other_publicities). "
        f"{won_before_contact} deal is won before its lead's first contact (won 2018-03-06, "
        "first contact 2018-03-08). Leads run 2017-06-14..2018-05-31, wins "
        "2017-12-05..2018-11-14, so won_by_won_month runs past the last lead month. "
        "declared_monthly_revenue is a seller's own declared figure (0.0 on "
        f"{len(deals) - declared_nonzero} of {len(deals)} deals, one of 50,000,000), not deal "
        "revenue: use it for nothing but a parse check."
    ),
}

(HERE / "expected.json").write_text(
    json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
)
print(
    json.dumps(
        {"total_leads": total["leads"], "total_won": total["won"]}
        | {ch: [v["leads"], v["won"]] for ch, v in by_channel.items()},
        indent=2,
    )
)

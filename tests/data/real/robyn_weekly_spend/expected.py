"""Expected spend figures for Meta's Robyn demo data (dt_simulated_weekly.csv).

Computed with plain pandas from the CSV only (never with the project's engine). Run from
anywhere: writes expected.json next to this file.

The table is *wide*: one row per week, one spend column per channel. Robyn's own demo names
the spend columns (``paid_media_spends``): tv_S, ooh_S, print_S, facebook_S, search_S.
facebook_I (impressions), search_clicks_P (clicks), competitor_sales_B, events and newsletter
are not spend and are left out of every spend total here.

Periods: DATE is the Monday that starts the week, so a row covers [DATE, DATE + 7 days).
Spend per month is given two ways:
  * ``spend_by_month_prorata``: each week's amount split over the calendar months by days
    (a week of 29 Feb - 6 Mar puts 1/7 in February, 6/7 in March);
  * ``spend_by_month_week_start``: the whole week counted in the month of its DATE.
Both add up to the same totals.

Revenue (``revenue``, the dependent variable) is one number per week for the whole business:
it is not split by channel, so ROMI exists only for all channels together.
"""

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
CHANNELS = ["tv_S", "ooh_S", "print_S", "facebook_S", "search_S"]
ROUND = 6  # decimals kept in expected.json; compare with a tolerance of 1e-4 or so

df = pd.read_csv(HERE / "dt_simulated_weekly.csv", dtype=str, keep_default_na=False)
assert list(df.columns) == [
    "DATE", "revenue", "tv_S", "ooh_S", "print_S", "facebook_I", "search_clicks_P",
    "search_S", "competitor_sales_B", "facebook_S", "events", "newsletter",
], list(df.columns)  # fmt: skip
assert (df[[*CHANNELS, "revenue"]] != "").all().all(), "a blank spend or revenue cell"

start = pd.to_datetime(df["DATE"], format="%Y-%m-%d")
assert start.is_monotonic_increasing and start.is_unique
assert (start.diff().dropna() == pd.Timedelta(days=7)).all(), "weeks are not 7 days apart"
assert (start.dt.day_of_week == 0).all(), "a week that does not start on a Monday"
end = start + pd.Timedelta(days=7)  # exclusive

spend = df[CHANNELS].astype(float)
revenue = df["revenue"].astype(float)
assert (spend >= 0).all().all()


def r(x: float) -> float:
    return round(float(x), ROUND)


# ---- whole period ------------------------------------------------------------------------
spend_total = {c: r(spend[c].sum()) for c in CHANNELS}
all_spend = float(spend.to_numpy().sum())
revenue_total = float(revenue.sum())

# ---- per month: by week start --------------------------------------------------------------
month_of_start = start.dt.strftime("%Y-%m")
by_start = spend.groupby(month_of_start).sum()
spend_by_month_week_start = {c: {m: r(v) for m, v in by_start[c].items()} for c in CHANNELS}
revenue_by_month_week_start = {m: r(v) for m, v in revenue.groupby(month_of_start).sum().items()}

# ---- per month: pro rata by days ------------------------------------------------------------
days = []
for i in range(len(df)):
    for d in pd.date_range(start.iloc[i], end.iloc[i] - pd.Timedelta(days=1), freq="D"):
        days.append((i, d.strftime("%Y-%m")))
day_frame = pd.DataFrame(days, columns=["row", "month"])
day_spend = spend.iloc[day_frame["row"]].reset_index(drop=True) / 7.0
day_revenue = revenue.iloc[day_frame["row"]].reset_index(drop=True) / 7.0
pro = day_spend.groupby(day_frame["month"]).sum()
spend_by_month_prorata = {c: {m: r(v) for m, v in pro[c].items()} for c in CHANNELS}
rev_pro = day_revenue.groupby(day_frame["month"]).sum()
revenue_by_month_prorata = {m: r(v) for m, v in rev_pro.items()}

# sanity: both month splits add up to the totals
for c in CHANNELS:
    assert abs(sum(spend_by_month_week_start[c].values()) - spend[c].sum()) < 1e-3
    assert abs(sum(spend_by_month_prorata[c].values()) - spend[c].sum()) < 1e-3

# ---- the same table in long form (what a channel/period/amount reader sees) ----------------
long = df.melt(id_vars=["DATE"], value_vars=CHANNELS, var_name="channel", value_name="amount")
zero_weeks = {c: int((spend[c] == 0).sum()) for c in CHANNELS}

result = {
    "file": "dt_simulated_weekly.csv",
    "layout": "wide",
    "period_column": "DATE",
    "period_grain": "week (Monday start), [DATE, DATE + 7 days)",
    "channels": CHANNELS,
    "weeks": len(df),
    "first_week": df["DATE"].iloc[0],
    "last_week": df["DATE"].iloc[-1],
    "period_end_exclusive": end.iloc[-1].strftime("%Y-%m-%d"),
    "long_rows": len(long),
    "zero_weeks": zero_weeks,
    "spend_total": spend_total,
    "spend_all_channels": r(all_spend),
    "spend_by_month_prorata": spend_by_month_prorata,
    "spend_by_month_week_start": spend_by_month_week_start,
    "revenue_total": r(revenue_total),
    "revenue_by_month_prorata": revenue_by_month_prorata,
    "revenue_by_month_week_start": revenue_by_month_week_start,
    "romi_all_channels": r((revenue_total - all_spend) / all_spend),
    "notes": (
        "Spend columns are Robyn's paid_media_spends (tv_S, ooh_S, print_S, facebook_S, "
        "search_S); facebook_I, search_clicks_P, competitor_sales_B, events, newsletter are "
        "not spend. No currency is given anywhere. Amounts carry up to 15 significant digits "
        "(e.g. 22358.3466666667). revenue is for the whole business, not per channel, so "
        "ROMI is only defined for all channels together: (revenue - spend) / spend. "
        "events is the text 'na' in 206 of 208 rows (event1, event2 once each). "
        "Months 2015-11 and 2019-11 are partial."
    ),
}

(HERE / "expected.json").write_text(
    json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
)
print(json.dumps({k: result[k] for k in (
    "weeks", "first_week", "last_week", "spend_total", "spend_all_channels",
    "revenue_total", "romi_all_channels", "zero_weeks",
)}, indent=2))  # fmt: skip

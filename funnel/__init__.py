"""Voronka's funnel engine: read a deal export, recognise its columns, compute the funnel.

The names a notebook needs, from one place:

>>> import funnel
>>> csv = b'''Deal,Stage,Channel,Amount
... 1,Lead,Email,100
... 2,Meeting,Email,200
... 3,Won,Email,300
... 4,Lead,Ads,100
... 5,Won,Ads,250
... 6,Meeting,Ads,150
... 7,Lost,Email,120
... '''
>>> table = funnel.read_table(csv, name="deals.csv")
>>> inference = funnel.infer_spec(table.frame)
>>> inference.spec.stage_names, inference.spec.won, inference.spec.lost
(('Lead', 'Meeting'), ('Won',), ('Lost',))
>>> deals = funnel.prepare(table.frame, inference.spec)
>>> counts = funnel.funnel(deals)
>>> counts.reached[0].tolist(), int(counts.won[0]), float(counts.won_amount[0, 0])
([7, 4], 2, 550.0)
>>> by_channel = funnel.funnel(deals, "channel")
>>> [label for (label,) in by_channel.labels], by_channel.reached.tolist()
(['Email', 'Ads'], [[4, 2], [3, 2]])

Seven deals are too few to tell one channel from another, and the comparison says so:

>>> funnel.compare(deals, "channel").too_small.tolist()
[True, True]
>>> [(leak.stage_from, leak.too_small) for leak in funnel.weak_points(deals)]
[('Lead', True), ('Meeting', True)]

The rest lives by concept: the core modules here (``spec``, ``values``, ``deals``, ``prepare``,
``metrics``, ``compare``, ``diagnostics``, ...), ``funnel.detect`` (reading an unknown file),
``funnel.overtime`` (cohorts, before/after, velocity, planner), ``funnel.io`` (files, Google
Sheets, exports), ``funnel.charts`` (Altair) and ``funnel.report``.
"""

# Imported eagerly, not through a lazy module __getattr__: ``prepare`` and ``compare`` are also
# the names of submodules, and importing a submodule anywhere would otherwise replace the
# function here with the module. The readers pull nothing heavier than pandas and pyarrow,
# which every module of the engine imports anyway.
from funnel.compare import compare
from funnel.detect.infer import infer_spec
from funnel.diagnostics import weak_points
from funnel.io.readers import read_table
from funnel.metrics import funnel
from funnel.prepare import prepare
from funnel.spec import Spec

__all__ = ["Spec", "compare", "funnel", "infer_spec", "prepare", "read_table", "weak_points"]

"""Channel economics: a spend table read as people keep it, and what each channel costs and
returns against the funnel (cost per lead, per stage, per won deal, ROMI).

``periods`` reads period cells, ``table`` recognises and tidies a spend table, ``figures``
puts it against the deals. Words for people are the edges' work, as everywhere in the engine.
"""

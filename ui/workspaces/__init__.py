"""Client workspaces in the app: what a consultant uploads, maps and marks is saved at once into
the store (:mod:`funnel.store`), so a reload, another browser or a server restart brings it back.

A session shows at most one workspace. Its datasets are tied to the store's sources by their
key (a file's content hash or a sheet's link): an upload of a new export of a source already
kept becomes a dated snapshot of it, and the moves between the snapshots are the deals' stage
history.

- :mod:`.workspace`: the store, the open workspace, what the session may do in it, its version;
- :mod:`.keeping`: datasets, mappings and second files saved as the person works;
- :mod:`.opening`: a client opened on one of its sources, with its history;
- :mod:`.exports`: a dropped file kept as a new source or a later export of one;
- :mod:`.manage`: clients made, renamed, deleted, left, exported, imported;
- :mod:`.arriving`: links that open a client, the sidebar's choice, the Data page's note.
"""

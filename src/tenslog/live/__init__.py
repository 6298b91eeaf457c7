"""The live session without a screen: ``controller`` owns what happens (a unit chosen, ratings,
the s and level keys, the recorder's events), ``state`` is the snapshot a view reads. No
textual here; the dashboard's live screen wires the controller to keys and draws its state
with ``tenslog.ui.live_view.render``."""

"""Label Studio integration: labeling configs, corpus ⇄ task conversion, agreement, sync.

Modules: :mod:`.config` (labeling-config XML, generated from the schema and the actor
registry), :mod:`.tasks` (corpus document → task with annotations or predictions),
:mod:`.export` (Label Studio export → validated corpus documents), :mod:`.agreement`
(inter-annotator agreement and the gold selection rule), :mod:`.client` (push/pull over
label-studio-sdk 2.x). Nothing here imports the SDK at import time.
"""

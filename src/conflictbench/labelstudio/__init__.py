"""Label Studio integration: labeling configs, corpus ⇄ task conversion, agreement, sync.

Modules: :mod:`.config` (labeling-config XML, generated from the schema and the actor
registry), :mod:`.tasks` (corpus document → task with annotations or predictions),
:mod:`.export` (Label Studio export → validated corpus documents), :mod:`.agreement`
(inter-annotator agreement, relations included), :mod:`.gold` (the gold selection rule and
pull), :mod:`.client` (push over label-studio-sdk 2.x), :mod:`.preannotate` (pre-annotations
through the runner on the pushed corpus; the corpus each task records), :mod:`.selection`
(what to push next: disagreement, uncertainty, random), :mod:`.adjudicate` (several
annotators, one gold), :mod:`.status` (where a project stands). Nothing here imports the SDK at import time.
"""

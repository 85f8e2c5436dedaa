"""Where a Label Studio project stands: tasks, annotations, agreement so far, adjudication,
what is in the gold folder."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..actors import ActorRegistry


@dataclass(frozen=True)
class ProjectStatus:
    project: str
    annotators_wanted: int | None  # the project's overlap (maximum annotations per task)
    tasks: int
    #: number of annotators' annotations → how many tasks have that many
    annotations_per_task: dict[int, int]
    #: annotator (email) → annotations
    per_annotator: dict[str, int]
    adjudicated: int  # tasks with a settled ground-truth annotation (nothing left marked conflict)
    conflicts_open: int  # tasks whose adjudication annotation still has marked conflicts
    pulled: int  # tasks whose document is in the gold folder
    gold_dir: str | None
    corpora: tuple[str, ...]
    agreement: Any = None  # AgreementReport over the tasks with 2+ annotators, or None
    agreement_problem: str | None = None  # why agreement could not be computed

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "project": self.project, "annotators_wanted": self.annotators_wanted, "tasks": self.tasks,
            "adjudicated": self.adjudicated, "conflicts_open": self.conflicts_open, "pulled": self.pulled,
            "gold_dir": self.gold_dir, "corpora": list(self.corpora), "agreement_problem": self.agreement_problem,
        }
        out.update({f"tasks_with_{n}_annotations": c for n, c in sorted(self.annotations_per_task.items())})
        out.update({f"annotator.{who}": n for who, n in sorted(self.per_annotator.items())})
        if self.agreement is not None:
            out.update({f"agreement.{k}": v for k, v in self.agreement.to_dict().items()})
        return out

    def format(self) -> str:
        wanted = "" if self.annotators_wanted is None else f", {self.annotators_wanted} annotator(s) wanted per task"
        lines = [f"project {self.project!r}: {self.tasks} task(s){wanted}"]
        if self.corpora:
            lines.append(f"pushed from: {', '.join(self.corpora)}")
        hist = ", ".join(f"{c} with {n}" for n, c in sorted(self.annotations_per_task.items()))
        lines.append(f"annotations per task: {hist or 'none'}")
        for who, n in sorted(self.per_annotator.items()):
            lines.append(f"  {who}: {n} annotation(s)")
        lines.append(f"adjudicated: {self.adjudicated} task(s); {self.conflicts_open} with conflicts left for the lead")
        if self.gold_dir is not None:
            lines.append(f"in the gold folder {self.gold_dir}: {self.pulled} of {self.tasks} task(s)")
        if self.agreement is not None:
            lines.append("agreement so far:")
            lines += ["  " + line for line in self.agreement.format().splitlines()]
        elif self.agreement_problem:
            lines.append(f"agreement: not computed ({self.agreement_problem})")
        return "\n".join(lines)


def project_status(title: str, tasks: Sequence[dict[str, Any]], registry: ActorRegistry | None, *,
                   users: dict[int, str], annotators_wanted: int | None = None,
                   gold_dir: str | Path | None = None) -> ProjectStatus:
    from ..errors import DataError
    from .adjudicate import has_conflict_marks
    from .gold import annotator_annotations
    from .agreement import project_agreement
    from .preannotate import pushed_corpora

    per_task: Counter[int] = Counter()
    per_annotator: Counter[str] = Counter()
    adjudicated = open_ = pulled = 0
    gold_ids = set()
    if gold_dir is not None and Path(gold_dir).is_dir():
        gold_ids = {p.stem for p in Path(gold_dir).glob("*.json")}
    for task in tasks:
        anns = annotator_annotations(task)
        per_task[len(anns)] += 1
        for a in anns:
            per_annotator[str(users.get(a.get("completed_by"), a.get("completed_by")))] += 1
        gts = [a for a in task.get("annotations") or [] if a.get("ground_truth") and not a.get("was_cancelled")]
        if any(has_conflict_marks(a) for a in gts):
            open_ += 1
        elif gts:
            adjudicated += 1
        if (task.get("data") or {}).get("doc_id") in gold_ids:
            pulled += 1
    report, problem = None, None
    if registry is None:
        problem = "no actor registry"
    elif any(n >= 2 for n in per_task):
        multi = [t for t in tasks if len(annotator_annotations(t)) >= 2]
        try:
            report = project_agreement(multi, registry)
        except DataError as exc:
            n = str(exc).splitlines()[0]
            problem = f"{n}; run `conflictbench annotate agreement` for the list"
    else:
        problem = "no task has two annotators yet"
    return ProjectStatus(title, annotators_wanted, len(tasks), dict(per_task), dict(per_annotator),
                         adjudicated, open_, pulled, None if gold_dir is None else str(gold_dir),
                         tuple(pushed_corpora(tasks)), report, problem)

"""Sync with a running Label Studio over label-studio-sdk 2.x: push, pull, export.

The URL and API key come from ``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY`` (or are
passed in). The key is never printed, logged or written: error messages name the URL and
the HTTP status only. Connection and authentication failures raise one
:class:`~conflictbench.errors.DataError` with a clear message.

Tasks are keyed by the document id (``data.doc_id``): pushing the same documents twice
updates the existing tasks instead of duplicating them, and adds a prediction only when
the task has none with the same ``model_version``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ..errors import DataError, ParameterError
from ..redaction import redact
from ..schema import FIELDS

URL_ENV = "LABEL_STUDIO_URL"
KEY_ENV = "LABEL_STUDIO_API_KEY"


class Session:
    """A checked connection; holds the SDK client (the key stays inside it)."""

    def __init__(self, url: str | None = None, api_key: str | None = None, *, timeout: float = 60) -> None:
        url = (url or os.environ.get(URL_ENV) or "").rstrip("/")
        key = api_key or os.environ.get(KEY_ENV) or ""
        if not url:
            raise DataError(f"no Label Studio URL: set {URL_ENV} (e.g. http://localhost:8080)")
        if not key:
            raise DataError(f"no Label Studio API key: set {KEY_ENV} (Account & Settings → Personal Access Token)")
        from label_studio_sdk import LabelStudio

        self.url = url
        self._key = key  # only to mask it in error messages (conflictbench.redaction)
        self.ls = LabelStudio(base_url=url, api_key=key, timeout=timeout)
        me = self.call("check the connection", self.ls.users.whoami)
        self.user_id = getattr(me, "id", None)
        if self.user_id is None:  # e.g. a URL with a path: the server answered, but not as Label Studio
            raise DataError(f"{url} did not answer as Label Studio's API (no current user): "
                            f"is {URL_ENV} right? (the server's address, without a path)")

    def __repr__(self) -> str:  # never show the key
        return f"Session(url={self.url!r})"

    def call(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run an SDK call, turning transport and HTTP errors into one clear DataError."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError
        from pydantic import ValidationError

        try:
            return fn(*args, **kwargs)
        except httpx.TransportError as exc:
            raise DataError(
                f"cannot reach Label Studio at {self.url} ({type(exc).__name__}): "
                f"is it running, and is {URL_ENV} right?"
            ) from None
        except (json.JSONDecodeError, ValidationError) as exc:
            raise DataError(
                f"{self.url} did not answer as Label Studio's API while trying to {what} "
                f"({type(exc).__name__}): is {URL_ENV} right?"
            ) from None
        except ApiError as exc:
            if exc.status_code is not None and exc.status_code < 400:  # answered, but not JSON
                raise DataError(
                    f"{self.url} did not answer as Label Studio's API while trying to {what} "
                    f"(HTTP {exc.status_code}, not JSON): is {URL_ENV} right?"
                ) from None
            if exc.status_code in (401, 403):
                raise DataError(
                    f"Label Studio at {self.url} refused the API key (HTTP {exc.status_code}) "
                    f"while trying to {what}: check {KEY_ENV} (your Personal Access Token, or a legacy "
                    "token if legacy tokens are enabled for the organisation)"
                ) from None
            body = exc.body if isinstance(exc.body, (str, dict, list)) else repr(exc.body)
            text = json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body
            raise DataError(
                f"Label Studio at {self.url} answered HTTP {exc.status_code} while trying to {what}: "
                f"{redact(text, [self._key])[:500]}"  # a server may echo the request's headers
            ) from None

    # --- projects ------------------------------------------------------------------------
    def find_project(self, title: str) -> Any | None:
        projects = [p for p in self.call("list projects", lambda: list(self.ls.projects.list(title=title)))
                    if p.title == title]
        if len(projects) > 1:
            ids = ", ".join(str(p.id) for p in projects)
            raise DataError(f"{len(projects)} Label Studio projects are titled {title!r} (ids {ids}); rename all but one")
        return projects[0] if projects else None

    def project_id(self, title: str) -> int:
        p = self.find_project(title)
        if p is None:
            raise DataError(f"no Label Studio project titled {title!r} at {self.url}")
        return p.id

    def ensure_project(self, title: str, label_config: str, instructions: str, *,
                       annotators: int | None = None) -> tuple[int, bool]:
        """Create the project, or update its config and instructions. Returns (id, created).

        ``annotators``: how many people annotate each task (Label Studio's overlap: every
        task stays open until it has that many annotations, and tasks with overlap are shown
        first); None leaves the project's setting as it is (1 on a new project)."""
        p = self.find_project(title)
        settings: dict[str, Any] = dict(label_config=label_config, expert_instruction=instructions,
                                        show_instruction=True)
        if annotators is not None:
            if not isinstance(annotators, int) or isinstance(annotators, bool) or annotators < 1:
                raise ParameterError(f"The 'annotators' parameter of push() must be a positive int. "
                                     f"Got {annotators!r} instead.")
            settings.update(maximum_annotations=annotators, overlap_cohort_percentage=100,
                            show_overlap_first=annotators > 1)
        if p is None:
            p = self.call("create a project", self.ls.projects.create, title=title, **settings)
            return p.id, True
        self.call("update the project", self.ls.projects.update, p.id, **settings)
        return p.id, False

    def tasks(self, project_id: int) -> list[Any]:
        return self.call("list tasks", lambda: list(self.ls.tasks.list(project=project_id, fields="all")))

    def export(self, project_id: int) -> list[dict[str, Any]]:
        """The project's JSON export (every task, annotated or not), parsed."""
        chunks = self.call(
            "export the project",
            lambda: b"".join(self.ls.projects.exports.download_sync(
                project_id, export_type="JSON", download_all_tasks=True)),
        )
        try:
            data = json.loads(chunks.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"Label Studio export of project {project_id} is not JSON ({exc})") from None
        if not isinstance(data, list):
            raise DataError(f"Label Studio export of project {project_id}: expected a list of tasks")
        return data

    def users(self) -> dict[int, str]:
        """user id → email."""
        return {u.id: u.email for u in self.call("list users", lambda: list(self.ls.users.list()))}


@dataclass(frozen=True)
class PushResult:
    project_id: int
    project_created: bool
    tasks_created: int
    tasks_updated: int
    predictions_added: int
    skipped: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "project_id": self.project_id,
            "project_created": self.project_created,
            "tasks_created": self.tasks_created,
            "tasks_updated": self.tasks_updated,
            "predictions_added": self.predictions_added,
            "skipped": len(self.skipped),
        }


def push(
    session: Session,
    docs: Sequence[dict[str, Any]],
    *,
    title: str,
    label_config: str,
    instructions: str | None = None,
    predictions: Iterable[tuple[str, Sequence[dict[str, Any]]]] = (),
    gold: bool = False,
    fields: Iterable[str] = FIELDS,
    registry: Any = None,
    corpus: Any = None,
    annotators: int | None = None,
) -> PushResult:
    """Create or update project ``title`` and its tasks (keyed by document id).

    ``instructions`` (HTML) are shown to annotators; by default the guidelines
    (``annotation/GUIDELINES.md``), so pushing again never blanks them. ``corpus``: the
    corpus the documents come from; each task records it (pull, agreement and adjudication
    then read the tasks with its actor registry). ``annotators``: annotations wanted per
    task (Label Studio's overlap). Predictions for existing tasks are added in one request.
    """
    from .preannotate import corpus_record

    from .config import default_instructions
    from .tasks import document_to_task

    if instructions is None:
        instructions = default_instructions()

    fields = tuple(fields)
    by_doc: dict[str, list[tuple[str, dict[str, Any]]]] = {d["id"]: [] for d in docs}
    for version, preds in predictions:
        for pred in preds:
            if pred.get("id") not in by_doc:
                raise DataError(f"prediction of {version!r} names unknown document {pred.get('id')!r}")
            by_doc[pred["id"]].append((version, pred))
    # convert everything first: a bad prediction fails before anything is sent
    converted = {d["id"]: document_to_task(d, gold=gold, predictions=by_doc[d["id"]], fields=fields,
                                           registry=registry) for d in docs}
    if corpus is not None:
        record = corpus_record(corpus)
        for task, _sk in converted.values():
            task["data"].update(record)
    pid, created = session.ensure_project(title, label_config, instructions, annotators=annotators)
    existing: dict[str, Any] = {}
    for t in session.tasks(pid):
        doc_id = (t.data or {}).get("doc_id")
        if doc_id is None:  # a task not made by push (e.g. imported by hand): not ours to key
            continue
        if doc_id in existing:
            raise DataError(f"project {title!r} has two tasks for document {doc_id!r} "
                            f"(tasks {existing[doc_id].id} and {t.id}); delete one")
        existing[doc_id] = t
    new_tasks, updated, n_pred = [], 0, 0
    new_preds: list[dict[str, Any]] = []
    skipped: list[str] = []
    for doc in docs:
        task, sk = converted[doc["id"]]
        skipped += sk
        old = existing.get(doc["id"])
        if old is None:
            new_tasks.append(task)
            n_pred += len(task.get("predictions", []))
            continue
        if dict(old.data or {}) != task["data"]:
            session.call("update a task", session.ls.tasks.update, str(old.id), data=task["data"])
        updated += 1
        have = {getattr(p, "model_version", None) for p in (old.predictions or [])}
        for pred in task.get("predictions", []):
            if pred["model_version"] in have:
                continue
            new_preds.append({"task": old.id, "result": pred["result"], "model_version": pred["model_version"]})
            n_pred += 1
    if new_preds:  # one request, not one per task
        from label_studio_sdk import PredictionRequest

        session.call("add predictions", session.ls.projects.import_predictions, pid,
                     request=[PredictionRequest(**p) for p in new_preds])
    if new_tasks:
        session.call("import tasks", session.ls.projects.import_tasks, pid, request=new_tasks)
    return PushResult(pid, created, len(new_tasks), updated, n_pred, tuple(skipped))

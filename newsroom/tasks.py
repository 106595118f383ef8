"""Queueing jobs for the task worker (`manage.py db_worker`) from any machine."""

from __future__ import annotations

from datetime import datetime

from django.db import connection, transaction
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult


def enqueue_unless_waiting(task: Task, run_after: datetime, *args: object) -> bool:
    """Queue `task` to run at `run_after` unless a run of it is waiting; return whether queued.

    For the jobs that schedule their own next run (the wire's ingest, the due purges).
    Two workers starting at once, on one machine or two, would both find none waiting:
    a transaction lock named after the task makes the second wait for the first's
    commit, and then see its run.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [task.module_path])
        waiting = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
        if waiting.exists():
            return False
        task.using(run_after=run_after).enqueue(*args)
        return True

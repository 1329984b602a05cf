"""Reminders to people: the in-app inbox and e-mail, each reminder delivered once however many schedulers run.

No Flask here: the scheduler (cctv/jobs/scheduler.py) and the web pages call these with a database or a session.
"""

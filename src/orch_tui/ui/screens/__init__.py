"""Screens of the console: the workflow list, a workflow's detail, help."""

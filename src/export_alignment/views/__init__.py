"""The presentation layer: the one place where records and scores become what readers see.

Layers run one way: files -> loader -> models -> checks -> scoring -> views -> reporters. The
reporters (terminal, brief, site, feed, export, diff, list, the JSON and CSV of status, explain
and timeline) render the values built here and decide nothing about the record:

- ``values``: the small decisions every output shares: what one source is, how much evidence a
  row has, what each piece of evidence does (scoring's role, in one set of words), why an ally
  is stale, a control's label, and whether a control is the one asked about;
- ``shapes``: the documented JSON shapes and CSV rows of ``status``, ``explain`` and
  ``timeline`` (their schemas are generated from ``schemas``);
- ``publication``: the record and its scores as frozen values for the site, the feed and the
  exports;
- ``listing``: the ids a user can ask about, as rows (``list``);
- ``changes``: a row's state for ``diff`` (both revisions);
- ``outputs``: the JSON outputs' shapes as types (their schemas in ``schemas/output/``);
- ``table``: the one CSV writer (cells, line ends, list separator, booleans, formula guard).
"""

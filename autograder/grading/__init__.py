"""The grading pipeline, one module per stage (``python -m autograder.grade`` runs it):
collect, triage (with the allowlist ``policy``), execute (workers; kernels in bubblewrap:
``isolation``), verdict, report (pages made inert by ``sanitize``); ``pipeline`` runs them in
order and ``common`` holds what they share."""

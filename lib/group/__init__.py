"""The Google group: its member list (roster), reconciling it with the dashboard, and the weekly digest.

- `roster`: read a Google Groups or Workspace admin-console export and store it (re-import replaces it);
- `reconcile`: who to add, who to remove, who the dashboard does not know;
- `digest`: the weekly post to the group, drafted into the outbox.
"""

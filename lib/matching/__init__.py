"""Mutual pair suggestions, one module per concern (import the modules, not this package):

- candidates: who can be matched now, and the mutual candidate pairs among them;
- score: the score's components declared once (COMPONENTS), the score, its reasons, the settings;
- solve: the maximum-weight matching, and the fast near-optimal one for very large pools;
- rounds: a whole round, the best partners for one member, the pairs described for the moderator;
- why_not: why a member was left without a partner;
- wording: the small wording helpers the reasons share.
"""

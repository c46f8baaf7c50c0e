"""Moderator's dashboard for a peer-mentoring community: all logic lives in this package."""

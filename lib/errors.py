"""The project's own errors: each carries one sentence a moderator can act on."""


class MentoringError(Exception):
    """Base class: str(error) is a sentence to show the moderator as it is."""


class ImportRefused(MentoringError):
    """The whole file was refused; nothing was written."""


class DatabaseBusy(MentoringError):
    """Another process (usually the dashboard) holds the database file."""


class NotFound(MentoringError):
    """A member, pairing or other record named by the moderator does not exist."""


class InvalidInput(MentoringError):
    """A value given by the moderator cannot be used."""


class ConflictError(MentoringError):
    """Another change touched the same records at the same moment; nothing of this one was written."""

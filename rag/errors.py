"""Errors OncoGuide raises on purpose, each with a message meant for the person at the screen."""


class OncoGuideError(Exception):
    """Base class: the message is safe and useful to show as-is."""


class ConfigError(OncoGuideError):
    """The configuration file or an ONCOGUIDE_* variable is malformed."""


class IngestError(OncoGuideError):
    """A file could not be read into the index; the message names the reason."""


class ModelError(OncoGuideError):
    """The language model or embedder could not be loaded or failed mid-answer."""


class PromptError(OncoGuideError):
    """A prompt file is missing, malformed, or rendered with the wrong variables."""


class StoreError(OncoGuideError):
    """A record could not be written or read; nothing partial was left behind."""


class VerificationRequired(StoreError):
    """Saving was attempted before the clinician confirmed verification."""


class SourceUnavailable(OncoGuideError):
    """A passage's document cannot be shown: missing, unreadable or changed since indexing."""

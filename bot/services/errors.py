"""Domain errors: each carries a sentence a reseller or approver understands."""

from bot.rainbow import (
    RainbowBadRequest,
    RainbowConflict,
    RainbowError,
    RainbowForbidden,
    RainbowLoginRefused,
    RainbowNotFound,
    RainbowRateLimited,
    RainbowServerError,
    RainbowUnavailable,
)


class DomainError(Exception):
    """A refusal or failure to show to the person who asked, in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """Bad input: one message per field (keyed by the field's name); nothing was changed."""

    def __init__(self, field_errors: dict[str, str]) -> None:
        super().__init__("; ".join(field_errors.values()))
        self.field_errors = field_errors


class NotFound(DomainError):
    pass


class RainbowProblem(DomainError):
    """Rainbow refused or could not be reached; ``retryable`` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool, cause: RainbowError | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.cause = cause


def explain(error: RainbowError, doing: str) -> RainbowProblem:
    """Turn a Rainbow error met while ``doing`` something (e.g. "creating Acme") into words."""
    details = f" ({error.error_details})" if error.error_details else ""
    if isinstance(error, RainbowUnavailable):
        return RainbowProblem(
            f"Rainbow could not be reached while {doing}. Nothing you typed is lost: try again in a minute.",
            retryable=True,
            cause=error,
        )
    if isinstance(error, RainbowLoginRefused):
        return RainbowProblem(
            f"The bot cannot log in to Rainbow, so {doing} is not possible right now;"
            " an administrator must check its Rainbow credentials.",
            retryable=False,
            cause=error,
        )
    if isinstance(error, (RainbowServerError, RainbowRateLimited)):
        return RainbowProblem(
            f"Rainbow had a problem while {doing}{details}. Try again in a minute.",
            retryable=True,
            cause=error,
        )
    if error.is_invitation_throttle:
        return RainbowProblem(
            "Rainbow accepts only one reseller invitation per company per hour,"
            " and this company was invited less than an hour ago. Try again later.",
            retryable=True,
            cause=error,
        )
    if isinstance(error, RainbowForbidden):
        return RainbowProblem(
            f"Rainbow did not allow {doing}{details}: the bot's account may lack the bp_admin role.",
            retryable=False,
            cause=error,
        )
    if isinstance(error, (RainbowBadRequest, RainbowNotFound, RainbowConflict)):
        return RainbowProblem(f"Rainbow refused {doing}{details}.", retryable=False, cause=error)
    return RainbowProblem(f"Rainbow answered unexpectedly while {doing}{details}.", retryable=True, cause=error)

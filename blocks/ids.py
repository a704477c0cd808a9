"""Every callback, block and action id the app uses, in one place (handlers match on these)."""

from enum import StrEnum


class Callback(StrEnum):
    CREATE_DETAILS = "create_details"
    CREATE_CHECKING = "create_checking"
    CREATE_DUPLICATES = "create_duplicates"
    CREATE_ADMIN = "create_admin"
    CREATE_PROGRESS = "create_progress"
    CREATE_RESULT = "create_result"
    INVITE_PICK = "invite_pick"
    INVITE_CONFIRM = "invite_confirm"
    INVITE_PROGRESS = "invite_progress"
    INVITE_RESULT = "invite_result"
    ERROR = "error"


class Block(StrEnum):
    """Input block ids; field errors returned in the ack are keyed by these."""

    NAME = "name"
    COUNTRY = "country"
    STATE = "state"
    VISIBILITY = "visibility"
    EXTERNAL_REFERENCE = "external_reference"
    EXTERNAL_REFERENCE2 = "external_reference2"
    SUPPORT_EMAIL = "support_email"
    ADMIN_EMAIL = "admin_email"
    ADMIN_USER = "admin_user"
    LANG = "lang"
    MESSAGE = "message"
    COMPANY = "company"


class Action(StrEnum):
    """Action ids of buttons and typeahead selects."""

    COUNTRY = "country"
    ADMIN_USER = "admin_user"
    COMPANY = "company"
    INVITE_INSTEAD = "invite_instead"
    CREATE_ANYWAY = "create_anyway"
    BACK_TO_DETAILS = "back_to_details"
    BACK_TO_PICK = "back_to_pick"
    RETRY_CHECK = "retry_check"
    RETRY_SUBMIT = "retry_submit"
    RETRY_INVITATION = "retry_invitation"
    CUSTOMERS_MORE = "customers_more"
    OPEN_CREATE = "open_create"
    OPEN_INVITE = "open_invite"
    ACCEPT_REQUEST = "request_accept"
    DECLINE_REQUEST = "request_decline"
    RESEND_INVITATION = "invitation_resend"
    CANCEL_INVITATION = "invitation_cancel"

## The audit log, for admins

audit = Audit log
audit-admins-only = Only admins can read the audit log.
audit-action = Action
audit-every-action = Every action
audit-actor = By whom
audit-anyone = Anyone
audit-area = Area
audit-every-area = All your areas
audit-from = From (date)
audit-until = Until (date, included)
audit-bad-date = Write dates as the date picker does, for example 2026-12-03.
audit-show = Show entries
audit-shown = { $count ->
    [one] { $count } entry shown.
   *[other] { $count } entries shown.
}
audit-entries = Audit entries
audit-by = By { $who }, { $when }
audit-about = About { $name }
audit-everyone = About anyone
audit-older = Show older entries
audit-download = Download as CSV
audit-downloaded = The entries shown were saved as a CSV file.
audit-not-saved = The file could not be saved on this device.
audit-someone = someone not on this phone
audit-nobody-signed-in = someone not signed in
audit-erased-person = a person since erased
audit-an-area = an area not on this phone
audit-person-erase = Person erased
audit-person-export = Person's data downloaded
audit-consent-withdraw = Consent withdrawn by the person, through a link
audit-meeting-rsvp = A reply to a meeting, through its link
audit-meeting-sign-in-kit = Sign-in prepared for a meeting
audit-meeting-sign-in = A sign-in at a meeting, on their own phone
audit-retention-rule = Retention rule changed
audit-login = Signed in
audit-login-failed = Sign-in refused
audit-logout = Signed out
audit-logout-everywhere = Signed out everywhere
audit-sessions-end = Sessions ended
audit-password-change = Password changed
audit-password-change-failed = Password change refused
audit-invite-create = Invitation made
audit-invite-renew = Invitation link renewed
audit-invite-withdraw = Invitation withdrawn

## Withdrawing consent through a link, for someone without an account

consent = Your consent
consent-checking = Checking your link…
consent-intro = Choose how we may no longer contact you. This page does not show who you are: the link you followed is yours alone.
consent-choose = Stop contacting me by
consent-topic-email = Email
consent-topic-sms = Text message
consent-topic-phone = Phone call
consent-topic-contact = Any way at all, about anything
consent-none-chosen = Choose at least one.
consent-submit = Withdraw my consent
consent-until = This link works until { $date }.
consent-done = Done. We will no longer contact you by: { $topics }.
consent-done-everything = Done. We will no longer contact you at all.
consent-change-mind = If you change your mind, tell the person who contacted you.
consent-not-a-link = This link does not work. Check that the whole link was copied from the message, or reply to the message to ask.
consent-expired = This link has expired. Use the link in a more recent message, or reply to the message to ask.
consent-offline = This needs a connection. Open the link again when you have signal.
consent-too-many = Too many attempts from this connection. Try again in a few minutes.
